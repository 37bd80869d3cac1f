"""Two real `bot serve` processes behind one URL, sharing a real `redis-server` (REDIS_URL), as two
dynos or WEB_CONCURRENCY=2 would: each event, request and click is taken once between them, and a
user's rate limit is one limit, not one per process."""

from __future__ import annotations

import dataclasses
import logging
import time

import pytest

from bot.slack.blocks import POST
from bot.slack.dedupe import DEFAULT_TTL_SECONDS as EVENT_TTL_SECONDS
from bot.slack.server import build_http_app
from bot.slack.shared_state import SharedState
from bot.slack.listeners.actions import CLICK_MEMORY_SECONDS
from bot.slack.state import Page
from tests.slack.conftest import PAIR_RATE_LIMIT, TEST_POLICY, LoopbackServer, RedisServer, bot_env
from tests.slack.helpers import (
    BOT_USER,
    FORM,
    JSON,
    all_text,
    block_action,
    event_callback,
    get,
    mention,
    path_of,
    post,
    signed_headers,
    slash_command,
)
from tests.slack.test_slack_http import unique

SETTLE_SECONDS = 1.5  # how long to watch for a second reply that must not come


@pytest.fixture(scope="module")
def pair(serve_pair_processes):
    return [served.wait_until_healthy() for served in serve_pair_processes]


def events(served) -> str:
    return served.url + "/slack/events"


def test_a_retried_event_sent_to_the_other_process_gets_no_second_reply(pair, fake_slack):
    first, second = pair
    channel = unique("C")
    event = mention(f"<@{BOT_USER}> quote 开源模型", channel=channel)
    event_id = "Ev" + unique("")
    body = event_callback(event, event_id=event_id)
    assert post(events(first), body, signed_headers(body, JSON), timeout=3).status == 200
    fake_slack.wait_for(lambda r: r.api_method == "chat.postMessage" and r.data.get("channel") == channel, timeout=10)
    time.sleep(1.1)  # a new timestamp, so this is a retry (newly signed), not a replay
    retry_headers = signed_headers(body, JSON) | {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert post(events(second), body, retry_headers, timeout=3).status == 200
    time.sleep(SETTLE_SECONDS)
    assert len(fake_slack.calls(lambda r: r.api_method == "chat.postMessage" and r.data.get("channel") == channel)) == 1


def test_a_request_replayed_to_the_other_process_is_refused(pair, fake_slack):
    first, second = pair
    response_url = fake_slack.response_url()
    body = slash_command("/quote", "护城河", response_url, user_id=unique("U"), channel_id=unique("C"))
    headers = signed_headers(body, FORM)
    assert post(events(first), body, headers, timeout=3).status == 200
    fake_slack.wait_for(lambda r: r.path == path_of(response_url), timeout=10)
    again = post(events(second), body, headers, timeout=3)  # the same bytes and signature, within five minutes
    assert again.status == 200 and again.body == b""
    time.sleep(SETTLE_SECONDS)
    assert len(fake_slack.to(path_of(response_url))) == 1


def test_a_double_click_across_processes_posts_once(pair, fake_slack):
    first, second = pair
    user, channel = unique("U"), unique("C")
    value = Page("quote", "护城河", 0, 1).encode()
    response_url = fake_slack.response_url()
    for served in (first, second):  # two clicks: same preview, person, button and value; different action_ts
        body = block_action(POST, value, response_url, user_id=user, channel_id=channel)
        assert post(events(served), body, signed_headers(body, FORM), timeout=3).status == 200
    shared = fake_slack.wait_for(lambda r: r.path == path_of(response_url) and r.data.get("response_type") == "in_channel",
                                 timeout=10)
    time.sleep(SETTLE_SECONDS)
    shared = fake_slack.calls(lambda r: r.path == path_of(response_url) and r.data.get("response_type") == "in_channel")
    assert len(shared) == 1 and "护城河" in all_text(shared[0].data)
    assert CLICK_MEMORY_SECONDS >= 60


def test_the_rate_limit_holds_across_processes(pair, fake_slack):
    user = unique("U")
    paths = []
    for n in range(PAIR_RATE_LIMIT + 1):
        response_url = fake_slack.response_url()
        body = slash_command("/quote", "护城河", response_url, user_id=user, channel_id=unique("C"))
        assert post(events(pair[n % 2]), body, signed_headers(body, FORM), timeout=3).status == 200
        fake_slack.wait_for(lambda r, path=path_of(response_url): r.path == path, timeout=10)
        paths.append(path_of(response_url))
    texts = [all_text(fake_slack.to(path)[0].data) for path in paths]
    assert all("护城河" in text for text in texts[:PAIR_RATE_LIMIT]), texts
    assert "护城河" not in texts[-1] and str(PAIR_RATE_LIMIT) in texts[-1], texts[-1]


# ---------------------------------------------------------------- the guards themselves, on a real Redis


def test_a_guard_forgets_after_its_ttl_and_not_before(redis_server):
    """A short TTL instead of a long sleep: the same code path as the 15-minute event guard."""
    guard = SharedState(redis_server.url, prefix=unique("t")).once("event", ttl_seconds=0.4)
    other_process = SharedState(redis_server.url, prefix=guard.state.prefix).once("event", ttl_seconds=0.4)
    assert guard.first_time("Ev1") and not other_process.first_time("Ev1")
    time.sleep(0.6)
    assert other_process.first_time("Ev1") and not guard.first_time("Ev1")
    guard.forget("Ev1")
    assert guard.first_time("Ev1")


def test_the_event_guard_keeps_an_event_for_slacks_whole_retry_window(redis_server):
    state = SharedState(redis_server.url, prefix=unique("t"))
    events = state.once("event", EVENT_TTL_SECONDS)
    assert events.first_time("EvKept")
    assert state.client.pttl(state.key("event", "EvKept")) > 6 * 60 * 1000  # Slack's last retry: ~5 min


def test_the_rate_limit_is_one_window_for_every_process(redis_server):
    prefix = unique("t")
    first, second = (SharedState(redis_server.url, prefix=prefix).limiter(3, window=0.5) for _ in range(2))
    assert [first.allow("U1"), second.allow("U1"), first.allow("U1"), second.allow("U1")] == [True, True, True, False]
    assert second.allow("U2")
    time.sleep(0.6)
    assert second.allow("U1")


def test_without_redis_the_bot_keeps_answering_logs_once_and_healthz_says_degraded(fake_slack, bundled_library, bundled_settings,
                                                                                    tmp_path, caplog):
    """Redis goes away under a running app, and comes back on the same port."""
    redis = RedisServer(tmp_path)
    state = SharedState(redis.url, retry_seconds=0.2)
    http_app, _ = build_http_app(bundled_settings, bot_env(fake_slack), loader=lambda: bundled_library, background=False,
                                 policy=TEST_POLICY, state=state)
    server = LoopbackServer(http_app)
    try:
        assert get(server.url + "/healthz").json()["status"] == "ready"
        redis.stop()
        with caplog.at_level(logging.WARNING, logger="bot.slack"):
            for _ in range(3):
                result, path = command_to(server, fake_slack)
                assert result.status == 200
                fake_slack.wait_for(lambda r, path=path: r.path == path, timeout=5)
                time.sleep(0.25)  # past retry_seconds: each command tries Redis again
            health = get(server.url + "/healthz")
            assert health.status == 200 and health.json()["status"] == "degraded" and "redis" in health.json()["degraded"]
            outages = [r for r in caplog.records if "unreachable" in r.getMessage()]
            assert len(outages) == 1 and redis.url.split("//")[1].split("/")[0] in outages[0].getMessage()
            redis = RedisServer(tmp_path, port=redis.port)
            time.sleep(0.25)
            assert get(server.url + "/healthz").json()["status"] == "ready"
            assert any("reachable again" in r.getMessage() for r in caplog.records)
    finally:
        server.close()
        redis.stop()


def command_to(server, fake):
    response_url = fake.response_url()
    body = slash_command("/quote", "护城河", response_url, user_id=unique("U"), channel_id=unique("C"))
    return post(server.url + "/slack/events", body, signed_headers(body, FORM), timeout=3), path_of(response_url)


def test_a_commands_replay_guard_and_rate_limit_are_one_round_trip(redis_server):
    """`take`: a replay is refused without touching the window; a fresh request is counted once."""
    prefix = unique("t")
    here, there = (SharedState(redis_server.url, prefix=prefix) for _ in range(2))
    replays = [state.once("replay", 60) for state in (here, there)]
    limits = [state.limiter(2, window=0.5) for state in (here, there)]
    assert here.take(replays[0], "sig1", limits[0], "U1") == (True, True)
    assert there.take(replays[1], "sig1", limits[1], "U1") == (False, False)  # a replay: not counted
    assert there.take(replays[1], "sig2", limits[1], "U1") == (True, True)
    assert here.take(replays[0], "sig3", limits[0], "U1") == (True, False)  # the third in the window
    assert here.take(replays[0], "sig4", limits[0], "U2") == (True, True)
    time.sleep(0.6)
    assert there.take(replays[1], "sig5", limits[1], "U1") == (True, True)


def test_a_slash_command_costs_one_redis_round_trip_and_is_still_limited(fake_slack, bundled_library, bundled_settings,
                                                                         redis_server, tmp_path):
    """The real app over a real Redis: a command's replay guard and rate limit are one script call
    (Redis's own command counts), the limit still answers "slow down", and a replay still nothing."""
    settings = dataclasses.replace(bundled_settings, rate_limit_per_minute=2)
    state = SharedState(redis_server.url, prefix=unique("t"))
    http_app, _ = build_http_app(settings, bot_env(fake_slack), loader=lambda: bundled_library, background=False,
                                 policy=TEST_POLICY, state=state)
    server = LoopbackServer(http_app)
    try:
        warm_up, path = command_to(server, fake_slack)  # another user's: Redis learns the script first
        fake_slack.wait_for(lambda r: r.path == path, timeout=10)
        user, channel = unique("U"), unique("C")
        state.client.config_resetstat()
        paths = []
        for _ in range(3):
            response_url = fake_slack.response_url()
            body = slash_command("/quote", "护城河", response_url, user_id=user, channel_id=channel)
            headers = signed_headers(body, FORM)
            assert post(server.url + "/slack/events", body, headers, timeout=3).status == 200
            paths.append(path_of(response_url))
        replayed = post(server.url + "/slack/events", body, headers, timeout=3)
        for path in paths:
            fake_slack.wait_for(lambda r, path=path: r.path == path, timeout=10)
        time.sleep(0.3)
        calls = {name: stat["calls"] for name, stat in state.client.info("commandstats").items()}
        assert calls.get("cmdstat_evalsha") == 4  # one per request: 3 commands and the replay
        assert calls.get("cmdstat_set") == 4  # the replay guard, inside each script
        assert calls.get("cmdstat_zadd") == 2  # counted: the 2 allowed; not the limited one, nor the replay
        texts = [all_text(fake_slack.to(path)[0].data) for path in paths]
        assert "护城河" in texts[0] and "护城河" in texts[1] and "2" in texts[2] and "护城河" not in texts[2]
        assert replayed.status == 200 and len(fake_slack.to(paths[-1])) == 1
    finally:
        server.close()


def test_a_slash_commands_ack_makes_no_redis_round_trip(fake_slack, bundled_library, bundled_settings, redis_server):
    """With REDIS_URL set, the screen leaves a slash command's replay guard and rate limit to where it
    is answered (its signature travels with the AnswerJob): the ack's thread sends Redis nothing,
    while a click's screen still asks the replay guard itself."""
    state = SharedState(redis_server.url, prefix=unique("t"))
    http_app, _ = build_http_app(bundled_settings, bot_env(fake_slack), loader=lambda: bundled_library, background=False,
                                 policy=TEST_POLICY, state=state)
    try:
        body = slash_command("/quote", "护城河", fake_slack.response_url(), user_id=unique("U"), channel_id=unique("C"))
        headers = {name.lower(): value for name, value in signed_headers(body, FORM).items()}
        state.client.config_resetstat()
        rejection, context = http_app.screen(headers, body)
        calls = {name: stat["calls"] for name, stat in state.client.info("commandstats").items()}
        assert rejection is None and context == {"replay_key": headers["x-slack-signature"]}
        assert not {"cmdstat_evalsha", "cmdstat_eval", "cmdstat_set"} & set(calls)
        click = block_action(POST, Page("/quote", "护城河", 0, 1).encode(), fake_slack.response_url(), user_id=unique("U"))
        click_headers = {name.lower(): value for name, value in signed_headers(click, FORM).items()}
        assert http_app.screen(click_headers, click) == (None, None)
        assert state.client.info("commandstats").get("cmdstat_set", {}).get("calls") == 1
    finally:
        http_app.close()
