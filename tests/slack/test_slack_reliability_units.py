"""The small reliability parts on their own: reading Slack's markup, redacting logs, bounding retries."""

from __future__ import annotations

import logging

import pytest
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.slack.dedupe import SeenEvents
from bot.slack.delivery import BoundedRateLimitRetryHandler, RetryPolicy, retry_after
from bot.slack.escape import clean, plain
from bot.slack.incoming import readable
from bot.slack.listeners.actions import click_key
from bot.slack.observe import REDACTED, RedactingFilter


@pytest.mark.parametrize(
    "sent, seen",
    [
        ("<!channel> hi", "@channel hi"),
        ("<!here|here> <!everyone>", "@here @everyone"),
        ("<@U123|bob> and <@W9>", "@bob and @W9"),
        ("<#C1|general> <#C2>", "#general #C2"),
        ("<https://evil.example|click> <https://x.example>", "click https://x.example"),
        ("<!subteam^S1|@eng> <!date^1392734382^{date}|Feb 18>", "@eng Feb 18"),
        ("a &lt; b &gt; c &amp; d", "a < b > c & d"),
        ("&amp;lt;!channel&amp;gt;", "&lt;!channel&gt;"),  # the user typed the entity itself
        ("x\ud83dy\x00z\u202ew", "x\ufffdy zw"),
        ("", ""),
    ],
)
def test_slack_markup_becomes_what_the_user_saw(sent, seen):
    assert readable(sent) == seen


def test_readable_text_is_escaped_again_on_the_way_out():
    assert plain(readable("&lt;!channel&gt; <!here>")) == "&lt;!channel&gt; @here"


def test_clean_keeps_tabs_newlines_and_emoji_sequences():
    family = "👨\u200d👩\u200d👧"
    assert clean(f"a\tb\nc {family}") == f"a\tb\nc {family}"
    assert clean("\x07" * 100_000) == " " * 100_000


def test_the_redacting_filter_removes_secrets_by_value_and_by_shape():
    redactor = RedactingFilter(["xoxb-known-token-123", "8f742231b10e8888abcd99yyyzzz85a5", "", "short"])
    text = ("token xoxb-known-token-123, secret 8f742231b10e8888abcd99yyyzzz85a5, other xoxp-1234-5678-abcdef, "
            "app xapp-1-A0-123-abc, url https://hooks.slack.com/commands/T0/123/SECRETSECRET and "
            "http://127.0.0.1:9/actions/T0/1/s3cr3t). short stays")
    out = redactor.redact(text)
    for secret in ("xoxb-known-token-123", "8f742231b10e8888abcd99yyyzzz85a5", "xoxp-1234", "xapp-1-A0", "SECRETSECRET", "s3cr3t"):
        assert secret not in out
    assert "https://hooks.slack.com/commands/" + REDACTED in out and "short stays" in out


def test_the_redacting_filter_covers_arguments_and_tracebacks():
    redactor = RedactingFilter(["xoxb-known-token-123"])
    try:
        raise RuntimeError("failed with xoxb-known-token-123")
    except RuntimeError as error:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "posting to %s", ("https://hooks.slack.com/actions/T/1/abc",), (type(error), error, error.__traceback__))
    assert redactor.filter(record)
    formatted = logging.Formatter().format(record)
    assert "xoxb-known-token-123" not in formatted and "/actions/T/1/abc" not in formatted
    assert "RuntimeError" in formatted


def test_retry_after_is_read_however_slack_sdk_hands_it_over():
    assert retry_after({"Retry-After": ["7"]}) == 7
    assert retry_after({"retry-after": "3"}) == 3
    assert retry_after({}) == 1 and retry_after({"Retry-After": ["soon"]}) == 1


def test_a_retry_after_over_the_bound_is_not_retried():
    handler = BoundedRateLimitRetryHandler(max_retry_count=2, max_wait=5)
    request = HttpRequest(method="POST", url="https://hooks.slack.com/x", headers={})

    def can(seconds: str) -> bool:
        response = HttpResponse(status_code=429, headers={"Retry-After": [seconds]})
        return handler.can_retry(state=RetryState(), request=request, response=response)

    assert can("1") and can("5") and not can("6")


def test_the_policy_bounds_every_handler():
    handlers = RetryPolicy(max_retries=3).handlers()
    assert len(handlers) == 3 and all(h.max_retry_count == 3 for h in handlers)
    assert TimeoutError in handlers[2].error_types_to_do_retries


def test_a_click_is_the_preview_the_person_the_button_and_its_value():
    body = {"container": {"message_ts": "1.2"}, "user": {"id": "U1"}, "response_url": "https://x/1"}
    action = {"action_id": "preview_next", "value": '{"o":1}'}
    assert click_key(body, action) == click_key(dict(body, response_url="https://x/2"), dict(action, action_ts="9"))
    assert click_key(body, action) != click_key(body, dict(action, value='{"o":2}'))
    assert click_key({}, action) is None


def test_a_forgotten_key_is_taken_again():
    seen = SeenEvents()
    assert seen.first_time("k") and not seen.first_time("k")
    seen.forget("k")
    assert seen.first_time("k")
