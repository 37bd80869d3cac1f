"""Replies of the real core rendered as Block Kit: within Slack's limits, escaped, complete.

Passages and highlights are rich text (bold as data, so it renders in Chinese); every message is
checked against slack_sdk's own models (parsed back from its dict, re-validated, unchanged).
"""

import pytest

from bot.commands.dispatch import ask, parse_line
from bot.commands.display import shown
from bot.commands.results import Hit, Reply, Side, UsageError
from bot.config import DEFAULT_CONFIG_DIR, Settings
from bot.corpus.models import Source
from bot.search.library import Library
from bot.slack import blocks as render
from bot.slack import rich
from bot.slack.answering import answer_page, first_page
from bot.slack.escape import escape
from bot.slack.home import home_view
from bot.slack.limits import BUTTON_VALUE_MAX, validate_message, validate_view
from bot.slack.state import Page
from tests.slack.helpers import all_text, mrkdwn_texts
from tests.slack.rich_text import MARKER_BESIDE_WIDE, a_passage, as_slack_sdk_reads_it, bold_texts, leaves, links, rich_text

EVIL_SEED = """开源与闭源的辩论

张三说：“开源才是未来 <!channel> 请大家注意，R&D 的投入 <@U0EVIL> 不能少。”

李四认为，*闭源*模型更安全 <https://evil.example|点这里>，这是 _他的_ 观点。

王五表示：“Open source wins. Closed models lose. <!here> everyone must see this.”
"""
EVIL_CORPUS_YAML = """documents:
  evil:
    title: "开源 <!everyone> 辩论 & 记录"
    outlet: "<@U0EVIL> 日报"
    author: 记者
    date: "2024-01-01"
    url: "https://example.com/a?x=1&y=2"
    script: Simplified
"""
LONG_SEED = "长文\n\n" + "".join(f"这是第{n}句关于开源模型的长句子，它不断地重复以便超过长度限制。" for n in range(200)) + "\n"


@pytest.fixture(scope="module")
def evil_library(tmp_path_factory):
    root = tmp_path_factory.mktemp("evil")
    (root / "seeds").mkdir()
    (root / "config").mkdir()
    (root / "seeds" / "evil.txt").write_text(EVIL_SEED, encoding="utf-8")
    (root / "seeds" / "long.txt").write_text(LONG_SEED, encoding="utf-8")
    (root / "config" / "corpus.yaml").write_text(EVIL_CORPUS_YAML, encoding="utf-8")
    stance = DEFAULT_CONFIG_DIR / "stance.yaml"  # /compare open closed needs the stance lexicon
    (root / "config" / "stance.yaml").write_text(stance.read_text(encoding="utf-8"), encoding="utf-8")
    settings = Settings(config_dir=root / "config", seeds_dir=root / "seeds")
    return Library.load(settings), settings


def preview_for(line, library, settings):
    request = parse_line(line)
    result = answer_page(first_page(request, settings), library, settings)
    return render.preview(result.reply, result.page, has_more=result.has_more, more_limit=settings.results_per_page).to_dict()


def flat(message):
    """What a reader sees: mrkdwn with entities decoded and markers removed, then the rich text."""
    text = "\n".join(mrkdwn_texts(message))
    for a, b in (("*", ""), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")):
        text = text.replace(a, b)
    return text + "\n" + rich_text(message)


@pytest.mark.parametrize(
    "line",
    [
        "/quote 护城河", "/quote 開源 模型 免費", "/quote open source moat", "/quote kaiyuan moxing",
        "/who-said 开源其实是一种智商税", "/who-said 開源模型打不過閉源模型", "/who-said something nobody said",
        "/compare open closed", "/compare 开源 闭源", "/compare Meta vs OpenAI", "/quote 🦄🦄", "/quote", "/frobnicate x",
    ],
)
def test_every_preview_of_the_bundled_library_is_valid(line, bundled_library, bundled_settings):
    try:
        message = preview_for(line, bundled_library, bundled_settings)
    except UsageError as exc:
        message = render.usage(str(exc), "help").to_dict()
    validate_message(message)
    as_slack_sdk_reads_it(message)
    for text in mrkdwn_texts(message):
        assert not MARKER_BESIDE_WIDE.search(text), text
    for block in message["blocks"]:
        for button in block.get("elements", []) if block["type"] == "actions" else []:
            assert len(button["value"]) <= BUTTON_VALUE_MAX
            Page.decode(button["value"])


def test_a_quote_reply_with_chinese_matches_bolds_them_as_rich_text_never_with_mrkdwn(bundled_library, bundled_settings):
    for line in ("/quote 护城河", "/quote 開源 模型 免費", "/quote 开源"):
        result = answer_page(first_page(parse_line(line), bundled_settings), bundled_library, bundled_settings)
        message = render.preview(result.reply, result.page, has_more=result.has_more, more_limit=3).to_dict()
        as_slack_sdk_reads_it(message)
        mrkdwn = "\n".join(mrkdwn_texts(message))
        assert not MARKER_BESIDE_WIDE.search(mrkdwn), mrkdwn
        assert "*" not in rich_text(message).replace("*Quote*", "")  # no asterisk markup in the passages
        bold = bold_texts(message)
        for hit in result.reply.results:
            for start, end in hit.highlights:
                assert hit.display_text[start:end].strip() in "".join(bold)
        assert any(leaf.get("style") == {"bold": True} for leaf in leaves(message))
        quotes = [e for b in message["blocks"] if b["type"] == "rich_text" for e in b["elements"] if e["type"] == "rich_text_quote"]
        assert len(quotes) == len(result.reply.results)


def test_a_quote_preview_shows_the_passage_speaker_source_and_buttons(bundled_library, bundled_settings):
    expected = ask("/quote 护城河", bundled_library, bundled_settings, limit=1).results[0]
    view = shown(expected)
    message = preview_for("/quote 护城河", bundled_library, bundled_settings)
    text = flat(message)
    assert expected.display_text[:30] in text
    assert view.speaker in bold_texts(message)
    assert (view.title or view.outlet) in text
    assert "护城河" in bold_texts(message)
    actions = [b for b in message["blocks"] if b["type"] == "actions"][0]
    assert [e["action_id"] for e in actions["elements"]] == [render.POST, render.NEXT, render.MORE, render.CANCEL]
    assert message["text"].startswith("/quote 护城河")


def test_who_said_names_the_speaker_and_bolds_the_quotation(bundled_library, bundled_settings):
    reply = ask("/who-said 开源其实是一种智商税", bundled_library, bundled_settings, limit=1)
    assert reply.found
    hit = reply.results[0]
    message = preview_for("/who-said 开源其实是一种智商税", bundled_library, bundled_settings)
    bold = bold_texts(message)
    assert shown(hit).speaker in bold
    assert hit.quotation_text.strip() in bold


def test_compare_shows_each_side_under_its_title_with_every_result(bundled_library, bundled_settings):
    result = answer_page(first_page(parse_line("/compare open closed"),
                                    bundled_settings), bundled_library, bundled_settings)
    message = render.preview(result.reply, result.page, has_more=result.has_more, more_limit=3).to_dict()
    bold = bold_texts(message)
    assert "For open-source AI" in bold and "For closed-source AI" in bold
    text = rich_text(message)
    assert text.index("For open-source AI") < text.index("For closed-source AI")
    for side in result.reply.sides:
        for hit in side.results:
            assert shown(hit).text[:20] in text
    assert not [b for b in message["blocks"] if b.get("fields")]
    assert render.NEXT not in all_text(message)


def test_compare_results_say_why_they_sit_on_their_side_and_where_else_they_appear():
    passage = a_passage("开源模型让更多人参与进来。", stance="open", stance_score=1.0, stance_reason="让更多人参与")
    hit = Hit(passage=passage, score=1.0, display_text=passage.text, speaker="张三", stance="open",
              also_in=("other_a", "other_b"))
    reply = Reply("compare", "open closed", sides=(Side("open", (hit,), "For open-source AI"), Side("closed", ())))
    message = render.preview(reply, Page("compare", "open closed"), has_more=False, more_limit=3).to_dict()
    validate_message(message)
    as_slack_sdk_reads_it(message)
    text = rich_text(message)
    assert "also in 2 other articles" in text
    assert "让更多人参与" in text.split("why")[1]
    assert "nothing found" in text  # the empty side says so


def test_a_later_compare_page_slices_every_side(bundled_library, bundled_settings):
    first = answer_page(Page("compare", "open closed", 0, 2), bundled_library, bundled_settings)
    second = answer_page(Page("compare", "open closed", 2, 2), bundled_library, bundled_settings)
    assert first.has_more
    for a, b in zip(first.reply.sides, second.reply.sides):
        assert not {h.passage.id for h in a.results} & {h.passage.id for h in b.results}


def test_no_match_is_friendly_with_examples_and_notes(bundled_library, bundled_settings):
    message = preview_for("/quote qwxzjv plmokn", bundled_library, bundled_settings)
    text = all_text(message)
    assert "Nothing in the library matches" in text
    assert "No passage in the library matches that" in text  # the core's note
    examples = [leaf["text"] for leaf in leaves(message) if leaf.get("style") == {"code": True}]
    assert "/quote 护城河" in examples
    ids = [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert ids == [render.CANCEL]


def test_who_said_not_found_shows_the_nearest_candidates(bundled_library, bundled_settings):
    reply = ask("/who-said the moon is made of green cheese", bundled_library, bundled_settings)
    message = preview_for("/who-said the moon is made of green cheese", bundled_library, bundled_settings)
    assert not reply.found
    text = all_text(message)
    assert "Nothing in the library matches" in text
    assert ("nearest passages" in text) == bool(reply.results)
    validate_message(message)


def test_a_3000_character_query_gives_a_valid_preview_with_a_note(bundled_library, bundled_settings):
    line = "/quote " + "开源模型" * 750
    message = preview_for(line, bundled_library, bundled_settings)
    validate_message(message)
    assert "only the first" in all_text(message)


def test_corpus_text_can_never_ping_or_disguise_a_link(evil_library):
    library, settings = evil_library
    for line in ("/quote 开源", "/quote 闭源模型更安全", "/quote everyone must see", "/compare 开源 闭源", "/who-said 开源才是未来"):
        message = preview_for(line, library, settings)
        validate_message(message)  # no mention or broadcast element, links only to plain http(s) URLs
        as_slack_sdk_reads_it(message)
        text = "\n".join(mrkdwn_texts(message))
        assert "<!channel>" not in text and "<!here>" not in text and "<!everyone>" not in text
        assert "<@U0EVIL>" not in text and "<https://evil.example" not in text
        assert {leaf["type"] for leaf in leaves(message)} <= {"text", "link", "emoji"}
        assert all(url == "https://example.com/a?x=1&y=2" for url, _ in links(message))
    message = preview_for("/quote 开源才是未来", library, settings)
    text = rich_text(message)
    # Shown literally, never obeyed: rich text elements are not parsed for mentions or entities.
    assert "<!channel>" in text and "R&D" in text and "&amp;" not in text
    assert ("https://example.com/a?x=1&y=2", "开源 <!everyone> 辩论 & 记录") in links(message)
    assert "<@U0EVIL> 日报" in text


def test_stray_formatting_in_the_corpus_is_shown_as_written(evil_library):
    library, settings = evil_library
    message = preview_for("/quote 闭源模型更安全", library, settings)
    text = rich_text(message)
    assert "*闭源*模型" in text and "_他的_" in text  # literal characters: rich text has no markup
    assert "*闭源*" not in bold_texts(message)


def test_a_long_passage_is_cut_at_a_sentence_end_keeping_the_match(evil_library):
    library, settings = evil_library
    hit = ask("/quote 这是第150句关于开源模型的长句子", library, settings, limit=1).results[0]
    view = shown(hit)
    limit = 100
    assert len(hit.display_text) > limit
    run = rich.passage(view.text, view.bold, view.focus, limit)
    text = "".join(p["text"] for p in run.parts)
    assert run.length <= limit
    assert text.rstrip("…").endswith("。") and "…" in text
    assert "150" in text  # the matched sentence stays in view
    assert any("150" in p["text"] and p.get("style") == {"bold": True} for p in run.parts)


def test_evil_hits_built_by_hand_render_safely():
    passage = a_passage("x")
    evil = "<!channel> *a* _b_ `c` ~d~ & <@U1> <https://evil.example|x>"
    hit = Hit(
        passage=passage, score=1.0, display_text=evil * 40, speaker="<!here>", speaker_role="<@U2> & co",
        source=Source(title="<!everyone>", outlet="*out*", url="https://ok.example/p", date="<date>"),
        highlights=((0, 10), (11, 14), (500, 4000)), quotation=(20, 60),
    )
    reply = Reply("quote", "<!channel>" * 200, results=(hit,) * 30, notes=("<!here> note",) * 20, total=999)
    for message in (
        render.preview(reply, Page("quote", reply.query, 0, 30), has_more=True, more_limit=3),
        render.shared(reply, Page("quote", reply.query), "U0SHARER"),
        render.thread_reply(reply, Page("quote", reply.query)),
        render.usage("<!channel> unknown command /x", "help <!here>"),
    ):
        data = message.to_dict()
        validate_message(data)
        as_slack_sdk_reads_it(data)
        assert "<!" not in "\n".join(mrkdwn_texts(data))  # button values may hold it: Slack never renders them
        assert {leaf["type"] for leaf in leaves(data)} <= {"text", "link", "emoji"}
        assert all(url == "https://ok.example/p" for url, _ in links(data))


def test_the_shared_message_credits_the_sharer_and_has_no_buttons(bundled_library, bundled_settings):
    result = answer_page(Page("quote", "护城河", 0, 1), bundled_library, bundled_settings)
    message = render.shared(result.reply, result.page, "U0SHARER").to_dict()
    validate_message(message)
    assert "Shared by <@U0SHARER>" in all_text(message)
    assert not [b for b in message["blocks"] if b["type"] == "actions"]


def test_the_home_tab_describes_commands_and_the_library(bundled_library):
    view = home_view(bundled_library).to_dict()
    validate_view(view)
    as_slack_sdk_reads_it(view)
    for text in mrkdwn_texts(view):
        assert not MARKER_BESIDE_WIDE.search(text), text
    text = all_text(view)
    corpus = bundled_library.corpus
    for needle in ("/quote 护城河", "/quote open source moat", "/who-said 开源其实是一种智商税", "/compare open closed",
                   "/compare 开源 闭源", f"*{len(corpus.documents)}* documents", f"*{len(corpus.passages)}* passages",
                   f"*{len(corpus.speakers)}* speakers", f"*{bundled_library.vocabulary.glossary_size}* glossary"):
        assert needle in text
    for document in corpus.documents:
        assert escape(document.source.title or "untitled") in text
        if document.source.outlet:
            assert escape(document.source.outlet) in text


def test_help_renders_in_a_code_block_whose_fences_touch_no_text(bundled_library, bundled_settings):
    reply = ask("help", bundled_library, bundled_settings)
    message = render.preview(reply, Page("help", ""), has_more=False, more_limit=3).to_dict()
    validate_message(message)
    text = message["blocks"][0]["text"]["text"]
    assert text.startswith("```\n") and text.endswith("\n```")
