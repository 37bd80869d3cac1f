"""Untrusted text in mrkdwn: never a mention, a broadcast or a disguised link; bold that holds."""

import re

from hypothesis import given, settings, strategies as st

from bot.slack.escape import Mrkdwn, escape, merge_spans, plain
from bot.slack.limits import problems

ANGLE_FORMS = re.compile(r"<[^>]*>")


def test_escape_turns_the_three_control_characters_into_entities():
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape("<!channel> <!here> <@U123> <#C1|x> <https://evil.example|bank>") == (
        "&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;#C1|x&gt; &lt;https://evil.example|bank&gt;"
    )


def test_plain_text_cannot_ping_or_link():
    rendered = plain("hi <!channel> and <@U0123ABC> see <http://x.example|y> &amp;")
    assert "<" not in rendered and ">" not in rendered
    assert "&amp;amp;" in rendered  # an entity typed by a user shows as typed


def test_bold_spans_wrap_matched_words_and_skip_surrounding_spaces():
    assert Mrkdwn().emphasised("open models are free", [(0, 4)]).render() == "*open* models are free"
    assert Mrkdwn().emphasised(" open ", [(0, 6)]).render() == " *open* "


def test_no_bold_marker_ever_touches_a_wide_character():
    # Slack shows `这是*护城河*的` with its asterisks: such a bold is written plain (rich text carries it).
    assert Mrkdwn().emphasised("开源模型 is free", [(0, 2)]).render() == "开源模型 is free"
    assert Mrkdwn().emphasised("我说 open 了", [(3, 7)]).render() == "我说 *open* 了"
    assert Mrkdwn().emphasised("“open”", [(1, 5)]).render() == "“open”"
    assert Mrkdwn().markup("— ").bold("李彦宏").markup(" (CEO)").render() == "— 李彦宏 (CEO)"
    assert Mrkdwn().emphasised("Meta：open", [(5, 9)]).render() == "Meta：open"


def test_a_lone_formatting_character_beside_chinese_becomes_its_lookalike():
    # Slack would show it as typed anyway; this way no marker the bot sends touches Chinese.
    assert plain("开源*模型") == "开源＊模型"
    assert plain("开源_`") == "开源＿｀"
    assert plain("开源\u202e_") == "开源＿"  # the bidi mark is dropped first
    assert plain("snake_case 开源") == "snake_case 开源"


def test_bold_never_lands_inside_an_entity():
    text = "R&D <budget>"
    rendered = Mrkdwn().emphasised(text, [(1, 5)]).render()
    assert rendered == "R*&amp;D &lt;*budget&gt;"
    assert "&amp;" in rendered and "&lt;" in rendered


def test_bold_is_split_at_line_breaks():
    assert Mrkdwn().emphasised("ab\ncd", [(0, 5)]).render() == "*ab*\n*cd*"


def test_overlapping_and_out_of_range_spans_are_merged_and_clipped():
    assert merge_spans([(3, 5), (0, 2), (1, 4), (8, 99), (7, 6)], 10) == [(0, 5), (8, 10)]


def test_a_lone_formatting_character_is_kept_exactly():
    assert plain("C*Core Technology") == "C*Core Technology"
    assert plain("snake_case") == "snake_case"


def test_formatting_characters_that_could_pair_are_replaced_by_lookalikes():
    assert plain("*not bold*") == "＊not bold＊"
    assert plain("_a_ ~b~ `c`") == "＿a＿ ～b～ ｀c｀"


def test_a_stray_asterisk_cannot_pair_with_the_bots_own_bold():
    rendered = Mrkdwn().emphasised("C*Core builds RISC-V", [(14, 20)]).render()
    assert rendered == "C＊Core builds *RISC-V*"


def test_links_only_for_plain_http_urls_with_escaped_parts():
    assert Mrkdwn().link("https://sspai.com/post/87583", "Title <b>").render() == "<https://sspai.com/post/87583|Title &lt;b&gt;>"
    assert Mrkdwn().link("https://x.example/?a=1&b=2", "t").render() == "<https://x.example/?a=1&amp;b=2|t>"
    assert Mrkdwn().link("javascript:alert(1)", "t").render() == "t"
    assert Mrkdwn().link("https://x.example/a|<!channel>", "t").render() == "t"
    assert Mrkdwn().link(None, "no url").render() == "no url"


def test_user_mentions_only_for_slack_user_ids():
    assert Mrkdwn().user("U0123ABC").render() == "<@U0123ABC>"
    assert Mrkdwn().user("!channel").render() == "someone"
    assert Mrkdwn().user("U1> <!here").render() == "someone"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(list("<>&!@#|*_~` ab开源\n") + ["<!channel>", "<@U1>", "&amp;"]), max_size=30).map("".join),
    st.lists(st.tuples(st.integers(0, 70), st.integers(0, 70)), max_size=4),
)
def test_no_untrusted_text_ever_renders_a_mention_or_link(text, spans):
    rendered = Mrkdwn().emphasised(text, spans).render()
    assert not ANGLE_FORMS.search(rendered)
    assert "<" not in rendered and ">" not in rendered
    # every & starts one of the three entities
    assert re.fullmatch(r"(?:[^&]|&amp;|&lt;|&gt;)*", rendered, re.S)
    assert not problems([{"type": "section", "text": {"type": "mrkdwn", "text": "x" + rendered}}])
    # Formatting can only come from the bot's own bold markers, which pair; a lone character is
    # left as typed because alone it cannot format anything.
    assert rendered.count("*") <= 1 or rendered.count("*") % 2 == 0
    assert all(rendered.count(c) <= 1 for c in "_~`")
    if rendered.count("*") >= 2:  # the bot's own markers: never beside a wide character
        assert not re.search(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef“”]\*|\*[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef“”]", rendered)


def test_shorten_counts_as_slack_does_an_emoji_is_two():
    from bot.slack.excerpt import shorten
    from bot.slack.limits import slack_len

    cut = shorten("unknown command /quote" + "🦄" * 3000, 2900)
    assert slack_len(cut) <= 2900 and cut.startswith("unknown command")
