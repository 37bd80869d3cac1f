"""A public endpoint's bad days, against a real `bot serve` process on loopback: clients that stall,
response_urls that hang, requests that are signed but malformed, seeds that are missing, and the
worker count a PaaS sets. Every wait is bounded, so a regression fails in seconds, not hangs.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.slack.blocks import CANCEL, NEXT
from bot.slack.listeners.actions import EXPIRED
from tests.slack.conftest import BotServeProcess
from tests.slack.helpers import (
    FORM,
    JSON,
    all_text,
    block_action,
    get,
    hang,
    path_of,
    post,
    raw_post,
    signed_headers,
    slash_command,
)
from tests.slack.test_slack_http import QUIET_SECONDS, unique

# Slack allows 3 s. An idle loopback ack takes milliseconds, but the machine running the tests may
# be busy; what matters is that stalled connections cannot push an ack to Slack's limit (they
# pushed them to 4-14 s, or past the client's timeout, before).
ACK_BOUND_SECONDS = 2.5
STALLED_CONNECTIONS = 50
HUNG_RESPONSE_URLS = 4
HEALTHY_USERS = 5
DELIVERY_BOUND_SECONDS = 3.0
MEGABYTE = 1024 * 1024


@pytest.fixture(scope="module")
def lone(lone_serve_process):
    return lone_serve_process.wait_until_healthy()


def events_url(served: BotServeProcess) -> str:
    return served.url + "/slack/events"


def command(served: BotServeProcess, fake, text: str = "护城河", *, timeout: float = 3.0):
    response_url = fake.response_url()
    body = slash_command("/quote", text, response_url, user_id=unique("U"), channel_id=unique("C"))
    return post(events_url(served), body, signed_headers(body, FORM), timeout=timeout), path_of(response_url)


def stall(served: BotServeProcess, count: int) -> list[socket.socket]:
    """`count` connections that stop half-way: half of them inside the headers, half inside the body."""
    parts = urllib.parse.urlsplit(served.url)
    stalled = []
    for n in range(count):
        connection = socket.create_connection((parts.hostname, parts.port), timeout=5)
        if n % 2:
            connection.sendall(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slack-Req")
        else:
            signature = "".join(f"{k}: {v}\r\n" for k, v in signed_headers(b"x" * 1000, FORM).items())
            connection.sendall(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n" + signature.encode()
                               + b"Content-Length: 1000\r\n\r\ncommand=%2Fq")
        stalled.append(connection)
    return stalled


# ---------------------------------------------------------------- slow clients, slow Slack


def test_stalled_connections_do_not_delay_acks_or_healthz(lone, fake_slack):
    stalled = stall(lone, STALLED_CONNECTIONS)
    try:
        time.sleep(0.2)
        for _ in range(5):
            result, response_url = command(lone, fake_slack)
            assert result.status == 200 and result.seconds < ACK_BOUND_SECONDS, result
        health = get(lone.url + "/healthz", timeout=3)
        assert health.status == 200 and health.seconds < ACK_BOUND_SECONDS
        fake_slack.wait_for(lambda r: r.path == response_url, timeout=5)
    finally:
        for connection in stalled:
            connection.close()


def test_a_stalled_body_is_given_up_on_with_408(lone):
    """The body read has a deadline: a client that sends headers and part of the body is answered and closed."""
    [connection] = stall(lone, 1)
    try:
        connection.settimeout(30)
        answer = connection.recv(4096)
    finally:
        connection.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:100]


def test_hung_response_urls_delay_only_their_own_users(lone, fake_slack):
    hung = []
    for _ in range(HUNG_RESPONSE_URLS):
        response_url = fake_slack.response_url()
        fake_slack.inject(path_of(response_url), *[hang(60)] * 4)  # every attempt hangs
        body = slash_command("/quote", "开源", response_url, user_id=unique("U"), channel_id=unique("C"))
        assert post(events_url(lone), body, signed_headers(body, FORM), timeout=3).status == 200
        hung.append(path_of(response_url))
    for path in hung:  # each listener now waits on its hung response_url
        fake_slack.wait_for(lambda r, path=path: r.path == path, timeout=5)

    def healthy(_):
        result, path = command(lone, fake_slack)
        assert result.status == 200
        sent = time.monotonic()
        fake_slack.wait_for(lambda r: r.path == path, timeout=DELIVERY_BOUND_SECONDS)
        return time.monotonic() - sent

    with ThreadPoolExecutor(HEALTHY_USERS) as pool:
        delays = list(pool.map(healthy, range(HEALTHY_USERS)))
    assert max(delays) < DELIVERY_BOUND_SECONDS, delays


# ---------------------------------------------------------------- signed but malformed


def test_a_chunked_body_over_a_megabyte_gets_413(lone, fake_slack):
    response_url = fake_slack.response_url()
    body = slash_command("/quote", "开源" * (MEGABYTE // 12), response_url, user_id=unique("U"))
    assert len(body) > MEGABYTE
    assert raw_post(events_url(lone), signed_headers(body, FORM), body, chunked=True) == 413
    time.sleep(QUIET_SECONDS)
    assert not fake_slack.to(path_of(response_url))


@pytest.mark.parametrize("content_type", [JSON, FORM])
def test_deeply_nested_json_gets_400(lone, content_type):
    nested = "[" * 100_000
    body = nested.encode() if content_type == JSON else urllib.parse.urlencode({"payload": nested}).encode()
    result = post(events_url(lone), body, signed_headers(body, content_type), timeout=5)
    assert result.status == 400, result


@pytest.mark.parametrize("order", ["good_first", "bad_first"])
def test_a_repeated_payload_field_gets_400_and_nothing_runs(lone, fake_slack, order):
    response_url = fake_slack.response_url()
    good = block_action(CANCEL, None, response_url, user_id=unique("U"))
    bad = urllib.parse.urlencode({"payload": json.dumps({"type": "block_actions", "actions": "not a list"})}).encode()
    body = good + b"&" + bad if order == "good_first" else bad + b"&" + good
    result = post(events_url(lone), body, signed_headers(body, FORM), timeout=5)
    assert result.status == 400, result
    time.sleep(QUIET_SECONDS)
    assert not fake_slack.to(path_of(response_url))


@pytest.mark.parametrize("value", [5, 2.5, ["c"], {"c": "quote"}, True])
def test_a_button_value_that_is_not_a_string_gets_that_button_no_longer_works(lone, fake_slack, value):
    response_url = fake_slack.response_url()
    body = block_action(NEXT, value, response_url, user_id=unique("U"))
    assert post(events_url(lone), body, signed_headers(body, FORM), timeout=3).status == 200
    [record] = fake_slack.wait_for(lambda r: r.path == path_of(response_url), timeout=5)
    assert EXPIRED.split(".")[0] in all_text(record.data)


def test_a_response_url_404_of_any_kind_falls_back_to_an_ephemeral_message(lone, fake_slack):
    from tests.slack.helpers import Fault

    user, channel = unique("U"), unique("C")
    response_url = fake_slack.response_url()
    fake_slack.inject(path_of(response_url), Fault(404, "no_service"))
    body = slash_command("/quote", "护城河", response_url, user_id=user, channel_id=channel)
    assert post(events_url(lone), body, signed_headers(body, FORM), timeout=3).status == 200
    [record] = fake_slack.wait_for(lambda r: r.api_method == "chat.postEphemeral" and r.data.get("user") == user, timeout=5)
    assert record.data["channel"] == channel and "护城河" in all_text(record.data)


# ---------------------------------------------------------------- seeds and workers


def settled_health(served: BotServeProcess, timeout: float = 90.0):  # a bound: returns once loaded; two servers starting at once on a busy 2-core machine took over 30 s
    """/healthz once it no longer says "loading" (or nothing is listening yet)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            health = get(served.url + "/healthz", timeout=3)
        except (OSError, http.client.HTTPException):
            health = None
        if health is not None and (health.status == 200 or health.json().get("status") != "loading"):
            return health
        time.sleep(0.2)
    pytest.fail(f"/healthz still loading after {timeout} s:\n{served.output()[-2000:]}")


def test_missing_or_empty_seeds_serve_503_with_the_reason_and_workers_follow_the_environment(fake_slack, tmp_path):
    """An empty seeds folder with WEB_CONCURRENCY=2, a missing one with GUNICORN_CMD_ARGS="--workers 2" over WEB_CONCURRENCY=1."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "missing").mkdir()
    empty = BotServeProcess.start(fake_slack, tmp_path / "empty", seeds=False, extra_env={"WEB_CONCURRENCY": "2"})
    missing = BotServeProcess.start(fake_slack, tmp_path / "missing", seeds=False,
                                    extra_env={"GUNICORN_CMD_ARGS": "--workers 2", "BOT_SEEDS": str(tmp_path / "nowhere")})
    try:
        for served, workers, seeds in ((empty, 2, tmp_path / "empty" / "seeds"), (missing, 2, tmp_path / "nowhere")):
            served.wait_for_output("Booting worker", count=workers, timeout=30)
            health = settled_health(served)
            assert health.status == 503, (health.status, health.body)
            reason = health.json()["reason"]
            assert str(seeds) in reason and "no passages" in reason, reason
            assert served.output().count("Booting worker") == workers
    finally:
        empty.stop()
        missing.stop()
