"""Slack misbehaving: 429 with Retry-After, 500, hangs, spent response_urls. Injected, retried, reported.

Each test scripts the fake Slack (FakeSlack.inject) for the next N requests to one path, then
checks the attempts the fake saw, that the answer arrived (once), or, when it never could, that
the request's one log line says so at ERROR with its request id. The app here has its own fake
(so faults on Web API methods cannot leak into other tests) and a fast retry policy: 0.5 s per
attempt, 2 retries, 20 ms backoff.
"""

from __future__ import annotations

import json
import logging
import time

import pytest

from bot.slack import blocks as render
from bot.slack.delivery import RetryPolicy
from bot.slack.limits import validate_message
from bot.slack.server import build_http_app
from tests.slack.conftest import LoopbackServer, bot_env
from tests.slack.helpers import (
    BOT_USER,
    EXPIRED_URL,
    FORM,
    JSON,
    RATE_LIMITED,
    SERVER_ERROR,
    USED_URL,
    FakeSlack,
    Fault,
    all_text,
    block_action,
    event_callback,
    hang,
    mention,
    path_of,
    post,
    signed_headers,
    slash_command,
)
from tests.slack.test_slack_http import QUIET_SECONDS, buttons, unique

# A timeout of a second: short enough for quick hang tests, long enough that a loaded CI machine
# does not time out a request the fake answered at once (a 429 must be answered, not timed out).
FAST = RetryPolicy(max_retries=2, timeout=1.0, backoff=0.02, max_retry_after=5)
HANG = 1.7  # past FAST.timeout


class FaultyBot:
    def __init__(self, fake: FakeSlack, server: LoopbackServer):
        self.fake = fake
        self.events_url = server.url + "/slack/events"

    def command(self, text: str = "护城河", *, user: str | None = None, faults: tuple[Fault, ...] = ()) -> tuple[str, str]:
        """A /quote whose response_url answers with `faults` first; returns (response_url path, user)."""
        response_url = self.fake.response_url()
        self.fake.inject(path_of(response_url), *faults)
        user = user or unique("U")
        body = slash_command("/quote", text, response_url, user_id=user, channel_id=unique("C"))
        assert post(self.events_url, body, signed_headers(body, FORM)).status == 200
        return path_of(response_url), user

    def mention(self, *, event_id: str, channel: str, user: str = "U0ASKER") -> None:
        body = event_callback(mention(f"<@{BOT_USER}> quote 开源", channel=channel, user=user), event_id=event_id)
        assert post(self.events_url, body, signed_headers(body, JSON)).status == 200


@pytest.fixture(scope="module")
def faulty(bundled_library, bundled_settings):
    fake = FakeSlack()
    http_app, _ = build_http_app(bundled_settings, bot_env(fake), loader=lambda: bundled_library, background=False, policy=FAST)
    server = LoopbackServer(http_app)
    yield FaultyBot(fake, server)
    server.close()
    fake.close()


def request_line(caplog, timeout: float = 15.0, **match) -> tuple[logging.LogRecord, dict]:
    """Wait for the one `bot.slack.requests` line whose JSON has these fields."""
    deadline = time.monotonic() + timeout
    while True:
        for record in list(caplog.records):
            if record.name != "bot.slack.requests":
                continue
            line = json.loads(record.getMessage())
            if all(line.get(k) == v for k, v in match.items()):
                return record, line
        if time.monotonic() > deadline:
            raise AssertionError(f"no request line with {match}: {[r.getMessage() for r in caplog.records if r.name == 'bot.slack.requests'][-5:]}")
        time.sleep(0.02)


@pytest.fixture
def requests_log(caplog):
    caplog.set_level(logging.INFO, logger="bot.slack.requests")
    return caplog


# ---------------------------------------------------------------- the response_url


def test_a_429_with_retry_after_is_waited_out_and_the_preview_delivered_once(faulty, requests_log):
    started = time.monotonic()
    path, user = faulty.command(faults=(RATE_LIMITED,))
    first, second = faulty.fake.wait_for(lambda r: r.path == path, 2)
    assert second.data == first.data and "blocks" in second.data  # the same preview, resent
    _, line = request_line(requests_log, user=user)
    assert line["outcome"] == "answered" and line["via"] == "response_url"
    assert time.monotonic() - started >= 1.0  # Retry-After: 1 was honoured
    time.sleep(QUIET_SECONDS)
    assert len(faulty.fake.to(path)) == 2


def test_500s_are_retried_and_the_preview_delivered(faulty, requests_log):
    path, user = faulty.command(faults=(SERVER_ERROR, SERVER_ERROR))
    attempts = faulty.fake.wait_for(lambda r: r.path == path, 3)
    validate_message(attempts[-1].data)
    _, line = request_line(requests_log, user=user)
    assert line["outcome"] == "answered"


def test_a_response_url_that_hangs_is_given_up_on_and_retried(faulty, requests_log):
    path, user = faulty.command(faults=(hang(HANG),))
    _, line = request_line(requests_log, user=user)
    assert line["outcome"] == "answered"
    assert len(faulty.fake.to(path)) == 2  # the hung attempt and the one that got through
    assert line["latency_ms"] >= FAST.timeout * 1000


@pytest.mark.parametrize("fault", [SERVER_ERROR, hang(HANG)], ids=["500", "hang"])
def test_a_reply_that_never_gets_through_is_logged_with_its_request_id(faulty, requests_log, fault):
    path, user = faulty.command(faults=(fault,) * 5)
    record, line = request_line(requests_log, user=user, timeout=20)
    assert record.levelno == logging.ERROR
    assert line["outcome"] == "undelivered" and line["request_id"].startswith("r")
    assert ("HTTP 500" if fault.status == 500 else "TimeoutError") in line["error"]
    time.sleep(QUIET_SECONDS)
    assert len(faulty.fake.to(path)) == 1 + FAST.max_retries  # bounded: no retry storm
    assert faulty.fake.faults[path]  # the fake still had faults to give: the bot stopped on its own


def test_a_retry_after_longer_than_the_bound_is_not_waited_for(faulty, requests_log):
    long_wait = Fault(429, {"ok": False, "error": "ratelimited"}, (("Retry-After", "120"),))
    started = time.monotonic()
    path, user = faulty.command(faults=(long_wait,))
    record, line = request_line(requests_log, user=user)
    assert record.levelno == logging.ERROR and "HTTP 429" in line["error"]
    assert time.monotonic() - started < 10
    assert len(faulty.fake.to(path)) == 1


# ---------------------------------------------------------------- the Web API (chat.postMessage)


@pytest.mark.parametrize("fault", [RATE_LIMITED, SERVER_ERROR, hang(HANG)], ids=["429", "500", "hang"])
def test_a_mention_reply_survives_a_429_a_500_or_a_hang(faulty, requests_log, fault):
    channel, event_id = unique("C"), unique("Ev")
    faulty.fake.inject("/api/chat.postMessage", fault)
    faulty.mention(event_id=event_id, channel=channel)
    _, line = request_line(requests_log, request_id=event_id)  # an event's request id is its event_id
    assert line["outcome"] == "answered" and line["via"] == "chat.postMessage"
    posts = faulty.fake.calls(lambda r: r.api_method == "chat.postMessage" and r.data.get("channel") == channel)
    assert len(posts) == 2 and posts[0].data == posts[1].data
    validate_message(posts[1].data)


def test_a_mention_reply_that_never_gets_through_is_logged_and_the_asker_told(faulty, requests_log):
    channel, event_id = unique("C"), unique("Ev")
    faulty.fake.inject("/api/chat.postMessage", *(SERVER_ERROR,) * 3)
    faulty.mention(event_id=event_id, channel=channel, user="U0ASKER")
    record, line = request_line(requests_log, request_id=event_id)
    assert record.levelno == logging.ERROR and line["outcome"] == "undelivered"
    assert "chat.postMessage" in line["error"]
    [whisper] = faulty.fake.wait_for(lambda r: r.api_method == "chat.postEphemeral" and r.data.get("channel") == channel)
    assert whisper.data["user"] == "U0ASKER" and render.SORRY in all_text(whisper.data)
    assert len(faulty.fake.calls(lambda r: r.api_method == "chat.postMessage" and r.data.get("channel") == channel)) == 3


# ---------------------------------------------------------------- spent response_urls


def test_an_expired_response_url_falls_back_to_an_ephemeral_message(faulty, requests_log):
    path, user = faulty.command(faults=(EXPIRED_URL,))
    _, line = request_line(requests_log, user=user)
    assert line["outcome"] == "answered" and line["via"] == "chat.postEphemeral"
    [fallback] = faulty.fake.calls(lambda r: r.api_method == "chat.postEphemeral" and r.data.get("user") == user)
    validate_message(fallback.data)
    assert fallback.data["channel"].startswith("C") and "护城河" in all_text(fallback.data)
    assert len(faulty.fake.to(path)) == 1  # a spent URL is not retried


def click(faulty, action_id: str, value: str, *, faults: tuple[Fault, ...], user: str) -> str:
    response_url = faulty.fake.response_url()
    faulty.fake.inject(path_of(response_url), *faults)
    body = block_action(action_id, value, response_url, user_id=user, channel_id="C0SHARE")
    assert post(faulty.events_url, body, signed_headers(body, FORM)).status == 200
    return path_of(response_url)


def test_post_to_channel_through_a_used_response_url_posts_with_the_web_api(faulty, requests_log):
    path, _ = faulty.command()
    [preview] = faulty.fake.wait_for(lambda r: r.path == path)
    sharer = unique("U")
    click(faulty, render.POST, buttons(preview.data)[render.POST], faults=(USED_URL, USED_URL), user=sharer)
    _, line = request_line(requests_log, user=sharer)
    assert line["outcome"] == "answered" and line["via"] == "chat.postMessage"
    [shared] = faulty.fake.calls(lambda r: r.api_method == "chat.postMessage" and f"<@{sharer}>" in all_text(r.data))
    assert shared.data["channel"] == "C0SHARE"
    validate_message(shared.data)


def test_cancel_through_an_expired_url_is_not_an_error(faulty, requests_log):
    sharer = unique("U")
    click(faulty, render.CANCEL, '{"c":"quote","q":"x","o":0,"n":1}', faults=(EXPIRED_URL,), user=sharer)
    record, line = request_line(requests_log, user=sharer)
    assert record.levelno == logging.INFO and line["via"] == "nothing_to_do"


def test_when_the_fallback_fails_too_it_is_logged_and_the_bot_carries_on(faulty, requests_log):
    faulty.fake.inject("/api/chat.postEphemeral", Fault(200, {"ok": False, "error": "channel_not_found"}))
    path, user = faulty.command(faults=(EXPIRED_URL,))
    record, line = request_line(requests_log, user=user)
    assert record.levelno == logging.ERROR and line["outcome"] == "undelivered"
    assert "expired_url" in line["error"] and "channel_not_found" in line["error"]
    # and the next command is answered as usual
    path, user = faulty.command()
    [message] = faulty.fake.wait_for(lambda r: r.path == path)
    validate_message(message.data)
