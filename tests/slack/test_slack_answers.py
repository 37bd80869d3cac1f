"""An answer's deadline and the answer queue's bound, over the real HTTP app on loopback.

The searches here wait on a library that is still loading (a LibrarySlot released by the test),
which is how a slow search looks from the listener: the ack has gone, the answer is late.
"""

from __future__ import annotations

import json
import logging
import threading
import time

from bot.slack.app import build_app, services_for
from bot.slack.blocks import SORRY
from bot.slack.http import SlackHttpApp
from bot.slack.listeners.common import BUSY, AnswerQueue
from bot.slack.readiness import LibrarySlot
from bot.slack.replying import SLOWER, Deadline
from bot.slack.local_search import LocalSearcher
from bot.slack.shared_state import SharedState
from tests.slack.conftest import TEST_POLICY, LoopbackServer
from tests.slack.helpers import (BOT_TOKEN, FORM, JSON, SIGNING_SECRET, all_text, event_callback, mention, path_of, post,
                                 signed_headers, slash_command)
from tests.slack.test_slack_http import unique


def serve(fake, settings, slot: LibrarySlot, *, deadline: Deadline, queue: AnswerQueue | None = None) -> LoopbackServer:
    services = services_for(LocalSearcher(slot), settings, policy=TEST_POLICY, deadline=deadline, queue=queue)
    bolt = build_app(services, token=BOT_TOKEN, api_url=fake.api_url, request_verification=False)
    return LoopbackServer(SlackHttpApp(bolt, slot, settings, SIGNING_SECRET, state=SharedState(None),
                                       on_close=(services.queue.shutdown,)))


def ask(server, fake, text: str = "护城河"):
    response_url = fake.response_url()
    body = slash_command("/quote", text, response_url, user_id=unique("U"), channel_id=unique("C"))
    return post(server.url + "/slack/events", body, signed_headers(body, FORM), timeout=3), path_of(response_url)


def request_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "bot.slack.requests" and r.getMessage().startswith("{")]


def test_a_slow_answer_tells_the_user_it_is_coming_then_arrives(fake_slack, bundled_library, bundled_settings, caplog):
    slot = LibrarySlot()
    server = serve(fake_slack, bundled_settings, slot, deadline=Deadline(notice_after=0.3, give_up_after=10))
    try:
        result, path = ask(server, fake_slack)
        assert result.status == 200
        [notice] = fake_slack.wait_for(lambda r: r.path == path, timeout=3)
        assert SLOWER.split(";")[0] in all_text(notice.data)
        assert notice.data["response_type"] == "ephemeral" and notice.data["replace_original"] is False
        slot.set(bundled_library)
        _, answer = fake_slack.wait_for(lambda r: r.path == path, count=2, timeout=5)
        assert "护城河" in all_text(answer.data)
    finally:
        server.close()


def test_a_slow_mention_tells_the_asker_in_the_thread_then_answers_there(fake_slack, bundled_library, bundled_settings):
    slot = LibrarySlot()
    server = serve(fake_slack, bundled_settings, slot, deadline=Deadline(notice_after=0.3, give_up_after=10))
    channel, asker = unique("C"), unique("U")
    try:
        body = event_callback(mention("<@UBOT00001> 护城河", user=asker, channel=channel, ts="1700000000.000500"))
        assert post(server.url + "/slack/events", body, signed_headers(body, JSON), timeout=3).status == 200
        [notice] = fake_slack.wait_for(lambda r: r.api_method == "chat.postEphemeral" and r.data.get("channel") == channel, timeout=3)
        assert SLOWER.split(";")[0] in all_text(notice.data)
        assert notice.data["user"] == asker and notice.data["thread_ts"] == "1700000000.000500"
        slot.set(bundled_library)
        [answer] = fake_slack.wait_for(lambda r: r.api_method == "chat.postMessage" and r.data.get("channel") == channel, timeout=5)
        assert answer.data["thread_ts"] == "1700000000.000500" and "护城河" in all_text(answer.data)
    finally:
        server.close()


def test_past_the_deadline_the_search_is_abandoned_and_the_user_told(fake_slack, bundled_settings, caplog):
    slot = LibrarySlot()  # never loads
    server = serve(fake_slack, bundled_settings, slot, deadline=Deadline(notice_after=0.2, give_up_after=0.6))
    try:
        with caplog.at_level(logging.INFO, logger="bot.slack.requests"):
            _, path = ask(server, fake_slack)
            notice, sorry = fake_slack.wait_for(lambda r: r.path == path, count=2, timeout=5)
            time.sleep(0.1)
        assert SLOWER.split(";")[0] in all_text(notice.data) and SORRY.split(".")[0] in all_text(sorry.data)
        [line] = [line for line in request_lines(caplog) if line.get("slow")]
        assert line["outcome"] == "failed" and line["error"] == "AnswerTimedOut" and line["request_id"]
    finally:
        slot.fail(RuntimeError("test over"))
        server.close()


def test_a_full_answer_queue_turns_a_command_away_with_a_message(fake_slack, bundled_settings):
    slot = LibrarySlot()
    release = threading.Event()
    server = serve(fake_slack, bundled_settings, slot, deadline=Deadline(notice_after=10, give_up_after=20),
                   queue=AnswerQueue(threads=1, capacity=1))
    try:
        first, _ = ask(server, fake_slack)
        assert first.status == 200 and first.body == b""
        second, path = ask(server, fake_slack)
        assert second.status == 200 and BUSY in second.json()["text"]
    finally:
        release.set()
        slot.fail(RuntimeError("test over"))
        server.close()


def test_the_queue_frees_its_room_when_an_answer_is_done():
    queue = AnswerQueue(threads=1, capacity=2)
    gate = threading.Event()
    assert queue.submit(gate.wait) and queue.submit(gate.wait)
    assert not queue.submit(gate.wait)
    gate.set()
    deadline = time.monotonic() + 5
    while not queue.submit(lambda: None):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    queue.shutdown()
