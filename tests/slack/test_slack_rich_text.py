"""Rich text on its own: what the limits refuse, what any passage becomes, where labels and names go."""

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from bot.commands.results import Hit, Reply
from bot.corpus.models import Quotation, Source
from bot.slack import blocks as render
from bot.slack import rich
from bot.slack.escape import clean
from bot.slack.hits import hit_block
from bot.slack.limits import RICH_TEXT_MAX, validate_message
from bot.slack.state import Page
from tests.slack.helpers import mrkdwn_texts
from tests.slack.rich_text import MARKER_BESIDE_WIDE, a_passage, as_slack_sdk_reads_it, bold_texts, leaves, links, rich_text


def test_a_passage_longer_than_a_block_is_cut_to_fit():
    sentence = "开源模型的长句子在这里重复出现。"
    passage = a_passage(sentence * 400)
    hit = Hit(passage=passage, score=1.0, display_text=passage.text, speaker="张三", highlights=((0, 2),))
    block = hit_block(hit).to_dict()
    validate_message({"text": "x", "blocks": [block]})
    quote = block["elements"][0]
    text = "".join(e["text"] for e in quote["elements"])
    assert RICH_TEXT_MAX - 200 - len(sentence) <= len(text) <= RICH_TEXT_MAX
    assert text.endswith("。…") and quote["elements"][0] == {"type": "text", "text": "开源", "style": {"bold": True}}


def test_a_speakers_turn_label_stays_outside_the_quotation_and_names_match_the_script():
    text = "林志远：开放权重让小公司也能用上好模型。"
    passage = a_passage(text, speaker="林志遠", quotations=(Quotation(4, len(text), "林志遠"),))
    from bot.commands.display import make_hit
    from bot.corpus.models import Corpus, Document, Speaker

    corpus = Corpus(documents=(Document("d", "d.txt", Source(title="開放權重之爭", outlet="科技週報"), (passage,)),),
                    speakers=(Speaker("林志遠", role="某公司創始人"),))
    hit = make_hit(corpus, passage, score=1.0, script="simplified", highlights=((4, 8),))
    message = render.thread_reply(Reply("quote", "开放权重", results=(hit,), total=1), Page("quote", "开放权重")).to_dict()
    quote = "".join(e["text"] for b in message["blocks"] if b["type"] == "rich_text"
                    for el in b["elements"] if el["type"] == "rich_text_quote" for e in el["elements"])
    assert quote == "开放权重让小公司也能用上好模型。"
    assert bold_texts(message)[:2] == ["开放权重", "林志远"]
    assert "某公司创始人" in rich_text(message) and "开放权重之争" in rich_text(message) and "科技周报" in rich_text(message)


@pytest.mark.parametrize(
    "leaf, problem",
    [
        ({"type": "broadcast", "range": "channel"}, "never sends"),
        ({"type": "user", "user_id": "U123"}, "never sends"),
        ({"type": "link", "url": "javascript:alert(1)", "text": "x"}, "a link to"),
        ({"type": "link", "url": "https://x.example/a|<!here>", "text": "x"}, "a link to"),
        ({"type": "text", "text": ""}, "empty text"),
        ({"type": "text", "text": "开" * (RICH_TEXT_MAX + 1)}, "characters of rich text"),
    ],
)
def test_the_limits_refuse_rich_text_the_bot_must_never_send(leaf, problem):
    from bot.slack.limits import problems

    block = {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [leaf]}]}
    found = problems([block], "x")
    assert found and problem in found[0]
    assert not problems([{"type": "rich_text", "elements": [{"type": "rich_text_quote", "elements": [{"type": "text", "text": "<!channel> 开源"}]}]}])


HOSTILE = st.lists(st.sampled_from(["开源", "模型", "open ", "*", "_", "`", "<!channel>", "<@U1>", "&amp;", "\n", "。", "🦄",
                                    "\ud800", "\u202e", "\x00", "https://evil.example", " "]), max_size=60).map("".join)


@hypothesis_settings(max_examples=150, deadline=None)
@given(HOSTILE, st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), max_size=4), st.integers(1, 400))
def test_any_passage_becomes_literal_rich_text_within_its_limit(text, spans, limit):
    run = rich.passage(text, spans, min(spans, default=None), limit)
    assert run.length <= limit
    shown_text = "".join(p["text"] for p in run.parts)
    assert shown_text.strip("…") in clean(text)  # only cut and cleaned: never escaped, never rewritten
    passage = a_passage(text or "x")
    hit = Hit(passage=passage, score=1.0, display_text=text, speaker="<!here>", highlights=tuple(spans),
              source=Source(title="<@U2>", url="https://ok.example/p"))
    message = render.thread_reply(Reply("quote", text, results=(hit,), total=1), Page("quote", "x")).to_dict()
    validate_message(message)
    as_slack_sdk_reads_it(message)
    assert {leaf["type"] for leaf in leaves(message)} <= {"text", "link", "emoji"}
    assert all(url == "https://ok.example/p" for url, _ in links(message))
    for text_object in mrkdwn_texts(message):
        assert not MARKER_BESIDE_WIDE.search(text_object), text_object
