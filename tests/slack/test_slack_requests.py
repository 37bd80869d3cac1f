"""Hostile and repeated requests: rejected before anything runs, and every answer given once.

The app here has a fake Slack of its own, so "nothing ran" can be asserted literally: after a
rejected request the fake has recorded nothing at all (apart from the auth.test at start-up).
"""

from __future__ import annotations

import json
import time
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.config import DEFAULT_CONFIG_DIR, Settings
from bot.slack import blocks as render
from bot.slack.limits import validate_message
from bot.slack.screening import MAX_BODY_BYTES
from bot.slack.server import build_http_app
from tests.slack.conftest import TEST_POLICY, LoopbackServer, bot_env
from tests.slack.helpers import (
    BOT_USER,
    FORM,
    JSON,
    FakeSlack,
    all_text,
    block_action,
    event_callback,
    mention,
    path_of,
    post,
    raw_post,
    signature,
    signed_headers,
    slash_command,
)
from tests.slack.test_slack_http import QUIET_SECONDS, buttons, unique


class Guarded:
    def __init__(self, fake: FakeSlack, server: LoopbackServer):
        self.fake = fake
        self.server = server
        self.events_url = server.url + "/slack/events"

    def activity(self):
        """Everything the bot sent to Slack, bar the auth.test it makes at start."""
        return self.fake.calls(lambda r: r.api_method != "auth.test")


@pytest.fixture(scope="module")
def guarded(bundled_library, bundled_settings):
    fake = FakeSlack()
    http_app, _ = build_http_app(bundled_settings, bot_env(fake), loader=lambda: bundled_library, background=False,
                                  policy=TEST_POLICY)
    server = LoopbackServer(http_app)
    yield Guarded(fake, server)
    server.close()
    fake.close()


def assert_nothing_ran(bot: Guarded, before: int) -> None:
    time.sleep(QUIET_SECONDS)
    assert len(bot.activity()) == before, [r.path for r in bot.activity()[before:]]


# ---------------------------------------------------------------- signatures, types, sizes


def test_requests_without_a_valid_fresh_signature_get_401_and_nothing_runs(guarded):
    body = slash_command("/quote", "护城河", guarded.fake.response_url())
    good = signed_headers(body, FORM)
    now = int(time.time())
    cases = {
        "no headers at all": {"Content-Type": FORM},
        "no timestamp": {k: v for k, v in good.items() if k != "X-Slack-Request-Timestamp"},
        "no signature": {k: v for k, v in good.items() if k != "X-Slack-Signature"},
        "empty signature": good | {"X-Slack-Signature": ""},
        "forged signature": signed_headers(body, FORM, secret="not-the-signing-secret"),
        "signature of another body": good | {"X-Slack-Signature": signature(body + b"&x=1", good["X-Slack-Request-Timestamp"])},
        "stale timestamp": signed_headers(body, FORM, timestamp=now - 330),  # past five minutes, with room for a slow machine
        "future timestamp": signed_headers(body, FORM, timestamp=now + 330),
        "timestamp not a number": good | {"X-Slack-Request-Timestamp": "yesterday"},
        # An old request replayed with a fresh timestamp: the signature was made for the old one.
        "replayed with a new timestamp": good | {"X-Slack-Request-Timestamp": str(now + 5)},
        "v1 signature scheme": good | {"X-Slack-Signature": good["X-Slack-Signature"].replace("v0=", "v1=")},
    }
    before = len(guarded.activity())
    for name, headers in cases.items():
        result = post(guarded.events_url, body, headers)
        assert result.status == 401, name
        assert b"signature" in result.body, name
    assert_nothing_ran(guarded, before)


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data; boundary=x", "application/octet-stream"])
def test_a_signed_request_of_the_wrong_content_type_gets_400_and_nothing_runs(guarded, content_type):
    body = slash_command("/quote", "护城河", guarded.fake.response_url())
    before = len(guarded.activity())
    result = post(guarded.events_url, body, signed_headers(body, content_type))
    assert result.status == 400 and result.json() == {"error": "unsupported content type"}
    assert_nothing_ran(guarded, before)


@pytest.mark.parametrize(
    "content_type, body",
    [
        (JSON, b'{"type": "event_callback", "event": '),  # cut short
        (JSON, b'["not", "an", "object"]'),
        (JSON, b"\xff\xfe not utf-8"),
        (FORM, b"payload=" + urllib.parse.quote("{not json").encode()),
        (FORM, b"payload=" + urllib.parse.quote('"a string"').encode()),
    ],
)
def test_a_signed_body_that_does_not_parse_gets_400_and_nothing_runs(guarded, content_type, body):
    before = len(guarded.activity())
    result = post(guarded.events_url, body, signed_headers(body, content_type))
    assert result.status in (400, 401), result.status  # 401: a body that is not UTF-8 cannot even be verified
    assert_nothing_ran(guarded, before)


def test_an_oversized_body_gets_413_before_it_is_read_and_nothing_runs(guarded):
    text = "开源" * (MAX_BODY_BYTES // 6 + 10)  # percent-encoded, over a megabyte
    body = slash_command("/quote", text, guarded.fake.response_url())
    assert len(body) > MAX_BODY_BYTES
    before = len(guarded.activity())
    assert raw_post(guarded.events_url, signed_headers(body, FORM), body) == 413
    assert raw_post(guarded.events_url, {"Content-Type": FORM}, body) == 413  # unsigned: refused on size alone
    assert_nothing_ran(guarded, before)


def test_an_exact_replay_is_acknowledged_and_ignored(guarded):
    response_url = guarded.fake.response_url()
    body = slash_command("/quote", "护城河", response_url, user_id=unique("U"))
    headers = signed_headers(body, FORM)
    assert post(guarded.events_url, body, headers).status == 200
    guarded.fake.wait_for(lambda r: r.path == path_of(response_url))
    again = post(guarded.events_url, body, headers)  # the same bytes, the same signature, within 5 minutes
    assert again.status == 200 and again.body == b""
    time.sleep(QUIET_SECONDS)
    assert len(guarded.fake.to(path_of(response_url))) == 1


def test_a_valid_request_still_gets_through(guarded):
    response_url = guarded.fake.response_url()
    body = slash_command("/quote", "护城河", response_url, user_id=unique("U"))
    result = post(guarded.events_url, body, signed_headers(body, FORM, timestamp=int(time.time()) - 280))
    assert result.status == 200
    [record] = guarded.fake.wait_for(lambda r: r.path == path_of(response_url))
    validate_message(record.data)


# ---------------------------------------------------------------- retries and duplicates


def send_event(bot, event: dict, event_id: str, retry: int | None = None):
    body = event_callback(event, event_id=event_id)
    headers = signed_headers(body, JSON)
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return post(bot.events_url, body, headers)


def test_an_event_delivered_three_times_is_answered_once(guarded):
    """Slack's first delivery and its retries 1 and 2 (new timestamps, new signatures, one event_id)."""
    channel, event_id = unique("C"), unique("Ev")
    event = mention(f"<@{BOT_USER}> quote 开源", channel=channel)
    for retry in (None, 1, 2):
        assert send_event(guarded, event, event_id, retry).status == 200
        time.sleep(0.05)
    guarded.fake.wait_for(lambda r: r.api_method == "chat.postMessage" and r.data.get("channel") == channel)
    time.sleep(QUIET_SECONDS)
    assert len(guarded.fake.calls(lambda r: r.data.get("channel") == channel)) == 1


def test_the_same_event_delivered_three_times_at_once_is_answered_once(guarded):
    channel, event_id = unique("C"), unique("Ev")
    event = mention(f"<@{BOT_USER}> quote 开源", channel=channel)
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda retry: send_event(guarded, event, event_id, retry), (None, 1, 2)))
    assert all(r.status == 200 for r in results)
    guarded.fake.wait_for(lambda r: r.data.get("channel") == channel)
    time.sleep(QUIET_SECONDS)
    assert len(guarded.fake.calls(lambda r: r.data.get("channel") == channel)) == 1


def preview_buttons(bot) -> dict[str, str]:
    response_url = bot.fake.response_url()
    body = slash_command("/quote", "开源", response_url, user_id=unique("U"))
    post(bot.events_url, body, signed_headers(body, FORM))
    [record] = bot.fake.wait_for(lambda r: r.path == path_of(response_url))
    return buttons(record.data)


def double_click(bot, action_id: str, value: str, message_ts: str, user: str) -> list[str]:
    """Two block_actions for one button of one preview, as a quick double click sends them:
    different action_ts, trigger_id and response_url, the same message and value."""
    paths = []

    def click(_):
        response_url = bot.fake.response_url()
        paths.append(path_of(response_url))
        payload = json.loads(urllib.parse.parse_qs(block_action(action_id, value, response_url, user_id=user).decode())["payload"][0])
        payload["container"]["message_ts"] = message_ts
        payload["trigger_id"] = uuid.uuid4().hex
        body = urllib.parse.urlencode({"payload": json.dumps(payload, ensure_ascii=False)}).encode()
        return post(bot.events_url, body, signed_headers(body, FORM)).status

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert list(pool.map(click, range(2))) == [200, 200]
    return paths


def test_post_to_channel_clicked_twice_quickly_posts_once(guarded):
    values = preview_buttons(guarded)
    paths = double_click(guarded, render.POST, values[render.POST], f"{time.time():.6f}", unique("U"))
    records = guarded.fake.wait_for(lambda r: r.path in paths, 2)  # one public post, one delete
    time.sleep(QUIET_SECONDS)
    records = guarded.fake.calls(lambda r: r.path in paths)
    shared = [r for r in records if r.data.get("response_type") == "in_channel"]
    assert len(shared) == 1 and len(records) == 2
    assert "Shared by" in all_text(shared[0].data)


def test_next_clicked_twice_quickly_turns_the_page_once(guarded):
    values = preview_buttons(guarded)
    paths = double_click(guarded, render.NEXT, values[render.NEXT], f"{time.time():.6f}", unique("U"))
    guarded.fake.wait_for(lambda r: r.path in paths)
    time.sleep(QUIET_SECONDS)
    assert len(guarded.fake.calls(lambda r: r.path in paths)) == 1


def test_the_same_button_on_two_previews_is_two_clicks(guarded):
    values = preview_buttons(guarded)
    user = unique("U")
    first = double_click(guarded, render.NEXT, values[render.NEXT], "1700000001.000001", user)
    second = double_click(guarded, render.NEXT, values[render.NEXT], "1700000002.000002", user)
    guarded.fake.wait_for(lambda r: r.path in first + second, 2)
    time.sleep(QUIET_SECONDS)
    assert len(guarded.fake.calls(lambda r: r.path in first + second)) == 2


# ---------------------------------------------------------------- rate limit


@pytest.fixture(scope="module")
def strict_bot(tmp_path_factory, bundled_library):
    """A bot whose config/settings.yaml says rate_limit_per_minute: 3."""
    config = tmp_path_factory.mktemp("strict-config")
    for path in DEFAULT_CONFIG_DIR.glob("*.yaml"):
        (config / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    settings_text = (config / "settings.yaml").read_text(encoding="utf-8")
    (config / "settings.yaml").write_text(settings_text.replace("rate_limit_per_minute: 20", "rate_limit_per_minute: 3"), encoding="utf-8")
    settings = Settings.load(config)
    assert settings.rate_limit_per_minute == 3
    fake = FakeSlack()
    http_app, _ = build_http_app(settings, bot_env(fake), loader=lambda: bundled_library, background=False, policy=TEST_POLICY)
    server = LoopbackServer(http_app)
    yield Guarded(fake, server)
    server.close()
    fake.close()


def test_the_rate_limit_from_settings_yaml_answers_a_friendly_ephemeral_slow_down(strict_bot):
    user = unique("U")
    paths = []
    for _ in range(4):
        response_url = strict_bot.fake.response_url()
        body = slash_command("/quote", "开源", response_url, user_id=user)
        assert post(strict_bot.events_url, body, signed_headers(body, FORM)).status == 200  # acked, never silent
        paths.append(path_of(response_url))
    messages = [strict_bot.fake.wait_for(lambda r, p=p: r.path == p)[0].data for p in paths]
    for message in messages:
        validate_message(message)
        assert message["response_type"] == "ephemeral"
    assert all("a little fast" not in all_text(m) for m in messages[:3])
    assert "at most 3 commands a minute" in all_text(messages[3])

    # Someone else is not slowed down by it.
    response_url = strict_bot.fake.response_url()
    body = slash_command("/quote", "开源", response_url, user_id=unique("U"))
    post(strict_bot.events_url, body, signed_headers(body, FORM))
    [other] = strict_bot.fake.wait_for(lambda r: r.path == path_of(response_url))
    assert "a little fast" not in all_text(other.data)

    # A mention by the same user counts too, and the slow-down is whispered, not posted.
    channel = unique("C")
    send_event(strict_bot, mention(f"<@{BOT_USER}> quote 开源", channel=channel, user=user), unique("Ev"))
    [whisper] = strict_bot.fake.wait_for(lambda r: r.data.get("channel") == channel)
    assert whisper.api_method == "chat.postEphemeral" and whisper.data["user"] == user
    assert "a little fast" in all_text(whisper.data)
