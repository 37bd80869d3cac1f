"""The real server's logs: one structured line per request, and never a token, a secret or a response_url.

Runs against the `bot serve` process conftest starts (known token and signing secret, LOG_LEVEL=DEBUG,
so even slack_sdk's and Bolt's debug output is checked), after sending it every kind of request,
including replies that fail and are retried (slack_sdk logs the full URL when it retries a
connection error, at INFO) and one that is never delivered.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import uuid

import pytest

from tests.slack.helpers import (
    BOT_TOKEN,
    BOT_USER,
    EXPIRED_URL,
    FORM,
    JSON,
    SERVER_ERROR,
    SIGNING_SECRET,
    TEAM,
    block_action,
    event_callback,
    mention,
    path_of,
    post,
    signed_headers,
    slash_command,
)
from tests.slack.test_slack_http import buttons, unique

FIELDS = {"request_id", "kind", "command", "user", "team", "channel", "outcome", "latency_ms"}


def request_lines(output: str) -> list[dict]:
    return [json.loads(line.split("bot.slack.requests: ", 1)[1]) for line in output.splitlines() if "bot.slack.requests: " in line]


def wait_for_lines(served, count_for: dict[str, int], timeout: float = 30.0) -> list[dict]:
    """Wait until each user id has its expected number of request lines."""
    deadline = time.monotonic() + timeout
    while True:
        lines = request_lines(served.output())
        counts = {user: sum(1 for line in lines if line.get("user") == user) for user in count_for}
        if all(counts[user] >= n for user, n in count_for.items()) or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


@pytest.fixture(scope="module")
def exercised(served, fake_slack):
    """Send the server one of everything; return (user ids and their expected line count, response_url secrets)."""
    events = served.url + "/slack/events"
    secrets: list[str] = []
    expected: dict[str, int] = {}

    def command(text: str, *, response_url: str | None = None, faults=()) -> str:
        response_url = response_url or fake_slack.response_url()
        fake_slack.inject(path_of(response_url), *faults)
        secrets.append(response_url.rsplit("/", 1)[1])
        user = unique("U")
        body = slash_command("/quote", text, response_url, user_id=user)
        assert post(events, body, signed_headers(body, FORM)).status == 200
        expected[user] = 1
        return response_url

    answered = command("护城河")
    command("开源", faults=(SERVER_ERROR,))  # retried once, then delivered
    command("开源", faults=(EXPIRED_URL,))  # falls back to chat.postEphemeral
    refused = f"http://127.0.0.1:9/commands/{TEAM}/1234567890/{uuid.uuid4().hex}"  # nothing listens on port 9
    command("开源", response_url=refused)  # connection refused, retried, then undelivered

    [preview] = fake_slack.wait_for(lambda r: r.path == path_of(answered))
    sharer = unique("U")
    click_url = fake_slack.response_url()
    secrets.append(click_url.rsplit("/", 1)[1])
    body = block_action("preview_post", buttons(preview.data)["preview_post"], click_url, user_id=sharer)
    assert post(events, body, signed_headers(body, FORM)).status == 200
    expected[sharer] = 1

    asker = unique("U")
    body = event_callback(mention(f"<@{BOT_USER}> who said 开源模型会赢", user=asker, channel=unique("C")))
    assert post(events, body, signed_headers(body, JSON)).status == 200
    expected[asker] = 1

    forged = slash_command("/quote", "x", fake_slack.response_url())
    assert post(events, forged, signed_headers(forged, FORM, secret="forged")).status == 401
    return expected, secrets


def test_every_request_gets_one_structured_line(served, exercised):
    expected, _ = exercised
    lines = wait_for_lines(served, expected)
    for user, count in expected.items():
        mine = [line for line in lines if line.get("user") == user]
        assert len(mine) == count, (user, mine)
        line = mine[0]
        assert FIELDS <= set(line), line
        assert line["team"] == TEAM and isinstance(line["latency_ms"], (int, float))
        assert line["outcome"] in ("answered", "not_found", "undelivered")
        if line["outcome"] != "undelivered":
            assert isinstance(line["results"], int)
    outcomes = sorted(line["outcome"] for line in lines if line.get("user") in expected)
    assert outcomes.count("undelivered") == 1
    assert any(line.get("kind") == "rejected" and line["status"] == 401 for line in lines)


def test_no_token_secret_or_response_url_reaches_the_log(served, exercised):
    expected, secrets = exercised
    wait_for_lines(served, expected)
    output = served.output()
    assert "Going to retry" in output or "Failed to send a request" in output  # slack_sdk did log its retries
    assert "[redacted]" in output  # and the filter had something to do
    assert BOT_TOKEN not in output
    assert SIGNING_SECRET not in output
    for secret in secrets:
        assert secret not in output, f"a response_url secret reached the log: {secret}"
    assert "/commands/" + TEAM + "/" not in output.replace("/commands/[redacted]", "")
    assert urllib.parse.quote(BOT_TOKEN) not in output and urllib.parse.quote(SIGNING_SECRET) not in output
