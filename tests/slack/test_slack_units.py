"""The small parts: limits and validate, cutting at sentence ends, button values, dedupe, rate limit."""

import json
import threading

import pytest
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, ContextBlock, HeaderBlock, MarkdownTextObject, PlainTextObject, SectionBlock

from bot.slack import limits
from bot.slack.dedupe import SeenEvents
from bot.slack.excerpt import ELLIPSIS, shorten, window
from bot.slack.limits import LimitError, problems, slack_len, validate
from bot.slack.ratelimit import RateLimiter
from bot.slack.state import Page


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def section(text):
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


# ---------------------------------------------------------------- limits


def test_validate_accepts_block_objects_and_dicts():
    blocks = [
        HeaderBlock(text=PlainTextObject(text="Quote")),
        SectionBlock(text=MarkdownTextObject(text="*hi*")),
        ContextBlock(elements=[MarkdownTextObject(text="— someone")]),
        ActionsBlock(elements=[ButtonElement(text="Post", action_id="a", value="v")]),
    ]
    validate(blocks, "hi")
    validate([b.to_dict() for b in blocks], "hi")


@pytest.mark.parametrize(
    "blocks, needle",
    [
        ([section("x")] * (limits.MAX_MESSAGE_BLOCKS + 1), "blocks (max 50)"),
        ([section("x" * (limits.SECTION_TEXT_MAX + 1))], "(max 3000)"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}], "11 fields"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}], "(max 2000)"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "(max 150)"),
        ([{"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "b"}, "action_id": "a", "value": "v" * 2001}]}], "value of 2001"),
        ([{"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "b"}, "action_id": "a"}] * 2}], "duplicate action_id"),
        ([section("hello <!channel>")], "broadcast"),
        ([section("hello <@U123|x> <#C1>")], "mention or channel link"),
        ([section("   ")], "empty"),
        ([{"type": "image", "image_url": "https://x.example/a.png", "alt_text": "a"}], "does not send"),
    ],
)
def test_validate_names_every_limit_it_catches(blocks, needle):
    with pytest.raises(LimitError) as caught:
        validate(blocks)
    assert needle in str(caught.value)


def test_the_fallback_text_is_checked_too():
    assert problems([section("ok")], "t" * (limits.FALLBACK_TEXT_MAX + 1))
    assert problems([section("ok")], "<!here> look")
    assert problems([section("ok")], None, require_text=True)


def test_lengths_count_utf16_units_like_slack():
    assert slack_len("开源") == 2
    assert slack_len("🦄") == 2


# ---------------------------------------------------------------- cutting passages


def test_a_long_passage_is_cut_after_a_sentence_end_with_an_ellipsis():
    text = "第一句话在这里。第二句话也在这里。第三句话很长很长很长很长很长很长。"
    cut = shorten(text, 20)
    assert cut == "第一句话在这里。第二句话也在这里。" + ELLIPSIS
    assert len(cut) <= 20


def test_english_cuts_at_a_full_stop_not_inside_a_number():
    text = "Version 3.18 shipped. It was fine. " + "More words here. " * 10
    cut = shorten(text, 40)
    assert cut.endswith("fine." + ELLIPSIS) or cut.endswith("shipped." + ELLIPSIS)
    assert "3." not in cut[-6:]


def test_the_window_keeps_a_late_match_in_view():
    text = "开头的句子。" * 50 + "这里是要找的护城河。" + "结尾。" * 10
    focus = (text.index("护城河"), text.index("护城河") + 3)
    win = window(text, 60, focus)
    assert win.start <= focus[0] and focus[1] <= win.end
    assert win.cut_before and win.end - win.start <= 60


def test_text_without_sentence_ends_is_still_cut_to_the_limit():
    assert len(shorten("x" * 5000, 100)) <= 100


# ---------------------------------------------------------------- button values


def test_a_page_round_trips_through_a_button_value():
    page = Page("who-said", "开源其实是一种智商税", 3, 1)
    assert Page.decode(page.encode()) == page
    assert page.following(3) == Page("who-said", "开源其实是一种智商税", 4, 3)


def test_a_long_query_is_cut_so_the_value_fits_2000_characters():
    page = Page("quote", "护" * 3000 + "🦄" * 500, 0, 1)
    value = page.encode()
    assert slack_len(value) <= limits.BUTTON_VALUE_MAX
    decoded = Page.decode(value)
    assert decoded.query and page.query.startswith(decoded.query)


@pytest.mark.parametrize("value", [None, "", "not json", "[]", '{"c":"rm -rf","q":"x"}', '{"c":"quote","q":"x","o":-1}', '{"c":"quote","q":"x","n":9999}'])
def test_values_the_bot_did_not_write_are_refused(value):
    with pytest.raises(ValueError):
        Page.decode(value)


# ---------------------------------------------------------------- dedupe and rate limit


def test_an_event_id_is_taken_once_until_it_expires():
    clock = Clock()
    seen = SeenEvents(ttl_seconds=60, clock=clock)
    assert seen.first_time("Ev1") and not seen.first_time("Ev1")
    clock.now += 61
    assert seen.first_time("Ev1")


def test_a_retry_73_seconds_later_is_refused_however_many_events_came_between():
    """Forgetting is by time (Slack's retry window), never by count: a busy minute must not reopen an event."""
    clock = Clock()
    seen = SeenEvents(clock=clock)
    assert seen.first_time("Ev0")
    for n in range(1, 20_001):
        clock.now += 73 / 20_000
        assert seen.first_time(f"Ev{n}")
    assert not seen.first_time("Ev0")
    clock.now += 6 * 60  # Slack's last retry comes about five minutes after the first try
    assert not seen.first_time("Ev0")
    clock.now += seen.ttl
    assert seen.first_time("Ev0") and len(seen) == 1


def test_concurrent_deliveries_of_one_event_get_one_yes():
    seen = SeenEvents()
    answers = []
    barrier = threading.Barrier(16)

    def deliver():
        barrier.wait()
        answers.append(seen.first_time("EvSame"))

    threads = [threading.Thread(target=deliver) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers.count(True) == 1


def test_the_rate_limiter_slides_per_user():
    clock = Clock()
    limiter = RateLimiter(2, clock=clock)
    assert limiter.allow("U1") and limiter.allow("U1") and not limiter.allow("U1")
    assert limiter.allow("U2")
    clock.now += 60.5
    assert limiter.allow("U1")
    assert RateLimiter(0).allow("U1")


def test_json_in_button_values_is_compact():
    assert json.loads(Page("quote", "a", 0, 1).encode()) == {"c": "quote", "q": "a", "o": 0, "n": 1}
