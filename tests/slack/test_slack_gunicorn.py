"""The production path end to end: `python -m bot.slack.server serve` (what `bot serve` runs),
gunicorn's gthread worker and Bolt's Flask adapter in a real process on a loopback port, against
the fake Slack. The library is a small corpus in tmp_path (BOT_SEEDS / BOT_CONFIG)."""

from __future__ import annotations

import time

from bot.slack.limits import validate_message
from tests.slack.conftest import BROKEN_LINK_SEED, DAMAGED_SEEDS, UNSEEDED_DOCUMENT
from tests.slack.rich_text import bold_texts, links
from tests.slack.helpers import (
    BOT_USER,
    FORM,
    JSON,
    all_text,
    event_callback,
    get,
    mention,
    path_of,
    post,
    signed_headers,
    slash_command,
)



def test_healthz_answers_503_while_loading_then_200(served):
    assert served.health[-1] == 200
    assert 503 in served.health, served.health  # the worker answered before the library was ready
    assert all(status in (None, 503) for status in served.health[:-1])


def test_it_is_gunicorn_with_threads(served):
    output = served.output()
    assert "Using worker: gthread" in output and "Booting worker" in output


def test_a_signed_slash_command_is_acked_and_answered(served, fake_slack):
    response_url = fake_slack.response_url()
    body = slash_command("/quote", "护城河", response_url, user_id="U0GUNICORN")
    result = post(served.url + "/slack/events", body, signed_headers(body, FORM))
    assert result.status == 200 and result.seconds < 1.0
    [record] = fake_slack.wait_for(lambda r: r.path == path_of(response_url))
    validate_message(record.data)
    text = all_text(record.data)
    assert "护城河" in bold_texts(record.data) and "李四" in text
    assert ("https://example.com/debate", "开源与闭源之争") in links(record.data)


def test_a_mention_is_answered_in_its_thread(served, fake_slack):
    event = mention(f"<@{BOT_USER}> who said 开源模型会赢", channel="C0GUNICORN", ts="1700000009.000900")
    body = event_callback(event)
    assert post(served.url + "/slack/events", body, signed_headers(body, JSON)).status == 200
    [record] = fake_slack.wait_for(lambda r: r.api_method == "chat.postMessage" and r.data.get("channel") == "C0GUNICORN")
    validate_message(record.data)
    assert record.data["thread_ts"] == "1700000009.000900" and "张三" in all_text(record.data)


def test_unsigned_and_stale_requests_get_401(served):
    body = slash_command("/quote", "护城河", "http://127.0.0.1:9/never")
    assert post(served.url + "/slack/events", body, {"Content-Type": FORM}).status == 401
    stale = signed_headers(body, FORM, timestamp=int(time.time()) - 6 * 60)
    assert post(served.url + "/slack/events", body, stale).status == 401


def test_unknown_paths_are_404(served):
    assert get(served.url + "/").status == 404


def test_seeds_it_cannot_use_are_named_in_a_warning_and_the_rest_is_served(served, fake_slack):
    output = served.output()
    seeds = served.log.parent / "seeds"
    for name in (*DAMAGED_SEEDS, BROKEN_LINK_SEED):
        [line] = [line for line in output.splitlines() if f"seed not loaded: {seeds / name}" in line]
        assert "WARNING" in line
    assert f"no seed in {seeds}: {UNSEEDED_DOCUMENT}" in output
    health = get(served.url + "/healthz").json()
    assert health["ok"] is True and health["documents"] == 1
    response_url = fake_slack.response_url()
    body = slash_command("/quote", "开源模型", response_url, user_id="U0DAMAGED")
    assert post(served.url + "/slack/events", body, signed_headers(body, FORM)).status == 200
    [record] = fake_slack.wait_for(lambda r: r.path == path_of(response_url))
    assert "张三" in all_text(record.data)
