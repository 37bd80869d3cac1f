"""`bot serve`'s search processes (bot/slack/searching.py, bot/slack/search_process.py) as they
really run: forked from a forkserver, over the bundled library, answering requests handed over
whole and posting to a fake Slack on loopback (bot/slack/courier.py), at a lower CPU priority,
accounted for when one dies, and gone when the web process that started them is."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time

import psutil
import pytest

from bot.config import settings_from_env
from bot.slack.answering import command_outcome
from bot.slack.blocks import SORRY
from bot.slack.courier import CourierSettings
from bot.slack.delivery import ReplyPlan, RetryPolicy
from bot.slack.frames import FrameWriter
from bot.slack.destinations import HomePlan, ThreadPlan
from bot.slack.handover import COMMAND, HOME, MENTION, SHARE, AnswerJob, Replier
from bot.slack.replying import Deadline
from bot.slack.state import Page
from bot.slack.searching import SEARCH_NICENESS, SearchPool, SearchProcessDied
from tests.conftest import REPO
from tests.slack.helpers import BOT_TOKEN, SERVER_ERROR, all_text, hang, path_of

BOUND = 120.0  # seconds: opening the library on a busy 2-core machine (a bound, not a goal)
QUICK = RetryPolicy(max_retries=1, timeout=2.0, backoff=0.05)  # a hung post: 2 attempts of 2 s


@pytest.fixture(scope="module")
def serve_env():
    """The bundled library, as `bot serve` opens it: the saved one when there is one (`bot index build`)."""
    return dict(os.environ)


def open_pool(serve_env, fake_slack) -> SearchPool:
    pool = SearchPool(settings_from_env(serve_env), 1, courier=CourierSettings(BOT_TOKEN, fake_slack.api_url, QUICK))
    pool.open_in_background()
    pool.slot.get(timeout=BOUND)
    return pool


@pytest.fixture(scope="module")
def delivering_pool(serve_env, fake_slack):
    pool = open_pool(serve_env, fake_slack)
    yield pool
    pool.close()


def job(url: str, text: str = "开源", request_id: str = "r-test") -> AnswerJob:
    plan = ReplyPlan(url, "C0CHAN001", "U0USER001", options=(("response_type", "ephemeral"),))
    return AnswerJob(COMMAND, ("/quote", text), plan, request_id, time.monotonic(), "command",
                     (("command", "/quote"), ("user", "U0USER001")))


def wait_until(condition, timeout: float = BOUND) -> None:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "timed out"
        time.sleep(0.02)


def test_a_handed_over_command_is_searched_and_posted_by_the_search_process(delivering_pool, fake_slack):
    url = fake_slack.response_url()
    assert delivering_pool.hand_over(job(url))
    [post] = fake_slack.wait_for(lambda r: r.path == path_of(url), timeout=BOUND)
    assert post.data["response_type"] == "ephemeral"
    assert "开源" in json.dumps(post.data["blocks"], ensure_ascii=False)
    wait_until(lambda: delivering_pool.in_hand() == 0)  # its receipt came back: nothing held for it


def test_a_call_returns_its_message_to_be_delivered_here(delivering_pool, fake_slack):
    outcome = delivering_pool.submit(command_outcome, "/quote", "开源", settings=delivering_pool.settings).result(timeout=BOUND)
    assert outcome.message is not None and outcome.message.blocks and all(isinstance(b, dict) for b in outcome.message.blocks)


def test_an_answer_the_search_process_cannot_deliver_is_reported_back(delivering_pool, fake_slack):
    url = fake_slack.response_url()
    fake_slack.inject(path_of(url), SERVER_ERROR, SERVER_ERROR)  # the attempt and its one retry
    undelivered = threading.Event()
    assert delivering_pool.hand_over(job(url), on_undelivered=undelivered.set)
    assert undelivered.wait(BOUND)
    assert len(fake_slack.to(path_of(url))) == 2


def test_a_hung_response_url_holds_a_courier_thread_not_the_search_process(delivering_pool, fake_slack):
    hung = fake_slack.response_url()
    fake_slack.inject(path_of(hung), hang(5.0), hang(5.0))
    assert delivering_pool.hand_over(job(hung))
    fake_slack.wait_for(lambda r: r.path == path_of(hung), timeout=BOUND)
    started = time.monotonic()
    healthy = fake_slack.response_url()
    assert delivering_pool.hand_over(job(healthy, "闭源"))
    fake_slack.wait_for(lambda r: r.path == path_of(healthy), timeout=BOUND)
    assert time.monotonic() - started < 3.0  # not behind the hung post's 2 attempts of 2 s


def test_a_handed_over_mention_is_answered_in_its_thread_by_the_search_process(delivering_pool, fake_slack):
    channel = "C0THREAD01"
    mention = AnswerJob(MENTION, ("<@UBOT00001> who said 开源",), ThreadPlan(channel, "U0ASKER01", "1700000000.000200"),
                        "r-mention", time.monotonic(), "mention", (("user", "U0ASKER01"),))
    assert delivering_pool.hand_over(mention)
    [post] = fake_slack.wait_for(lambda r: r.api_method == "chat.postMessage" and r.data.get("channel") == channel, timeout=BOUND)
    assert post.data["thread_ts"] == "1700000000.000200" and post.data["blocks"]
    unreadable = AnswerJob(MENTION, ("<@UBOT00001> compare",), ThreadPlan(channel, "U0ASKER01", "1700000000.000300"),
                           "r-usage", time.monotonic(), "mention", (("user", "U0ASKER01"),))
    assert delivering_pool.hand_over(unreadable)  # a usage hint: to the asker alone, in the thread
    [hint] = fake_slack.wait_for(lambda r: r.api_method == "chat.postEphemeral" and r.data.get("channel") == channel, timeout=BOUND)
    assert hint.data["user"] == "U0ASKER01" and hint.data["thread_ts"] == "1700000000.000300"
    wait_until(lambda: delivering_pool.in_hand() == 0)
    assert len(fake_slack.calls(lambda r: r.api_method == "chat.postMessage" and r.data.get("channel") == channel)) == 1


def test_a_handed_over_share_posts_publicly_and_removes_the_preview(delivering_pool, fake_slack):
    url = fake_slack.response_url()
    plan = ReplyPlan(url, "C0SHARE01", "U0SHARER1")
    share = AnswerJob(SHARE, (Page("quote", "开源", 0, 1), "U0SHARER1"), plan, "r-share", time.monotonic(), "action",
                      (("user", "U0SHARER1"),))
    assert delivering_pool.hand_over(share)
    posted, deleted = fake_slack.wait_for(lambda r: r.path == path_of(url), count=2, timeout=BOUND)
    assert posted.data["response_type"] == "in_channel" and posted.data["replace_original"] is False
    assert "<@U0SHARER1>" in all_text(posted.data) and deleted.data == {"delete_original": True}


def test_a_handed_over_home_tab_is_published(delivering_pool, fake_slack):
    home = AnswerJob(HOME, (), HomePlan("U0HOME0001"), "r-home", time.monotonic(), "home", (("user", "U0HOME0001"),))
    assert delivering_pool.hand_over(home)
    [published] = fake_slack.wait_for(lambda r: r.api_method == "views.publish" and r.data.get("user_id") == "U0HOME0001",
                                      timeout=BOUND)
    assert published.data["view"]["type"] == "home" and "/compare 开源 闭源" in all_text(published.data["view"])


def test_a_lost_mention_is_apologised_for_in_its_thread(fake_slack):
    """What the web process does for a mention whose search process died (SearchPool's `_give_up`)."""
    from slack_sdk import WebClient

    replier = Replier(settings_from_env(os.environ), QUICK, Deadline(),
                      lambda: WebClient(token=BOT_TOKEN, base_url=fake_slack.api_url))
    channel = "C0LOST0001"
    lost = AnswerJob(MENTION, ("<@UBOT00001> 开源",), ThreadPlan(channel, "U0ASKER02", "1700000000.000400"),
                     "r-lost", time.monotonic(), "mention", (("user", "U0ASKER02"),))
    replier.give_up(lost, "SearchProcessDied: test")
    [sorry] = fake_slack.wait_for(lambda r: r.api_method == "chat.postEphemeral" and r.data.get("channel") == channel)
    assert sorry.data["user"] == "U0ASKER02" and sorry.data["thread_ts"] == "1700000000.000400"
    assert SORRY.split(".")[0] in all_text(sorry.data)


def test_every_thread_of_a_search_process_runs_below_the_web_process_priority(delivering_pool, fake_slack):
    """The nice value is a thread's on Linux: the watch thread and the couriers too, not only the
    thread that searches."""
    url = fake_slack.response_url()
    assert delivering_pool.hand_over(job(url))
    fake_slack.wait_for(lambda r: r.path == path_of(url), timeout=BOUND)  # a courier thread exists now
    [pid] = delivering_pool.pids()
    threads = psutil.Process(pid).threads()
    assert len(threads) >= 4  # the search, the jobs' reader, the watch on the web process, a courier
    assert {os.getpriority(os.PRIO_PROCESS, thread.id) for thread in threads} == {min(19, os.nice(0) + SEARCH_NICENESS)}


def test_the_backlog_is_bounded_and_a_full_one_refuses_at_once(delivering_pool, fake_slack):
    hung = fake_slack.response_url()
    fake_slack.inject(path_of(hung), hang(3.0), hang(3.0))
    wait_until(lambda: delivering_pool.in_hand() == 0)
    backlog = delivering_pool.backlog
    delivering_pool.backlog = 1
    try:
        assert delivering_pool.hand_over(job(hung))
        assert not delivering_pool.hand_over(job(fake_slack.response_url()))  # one in hand: full
    finally:
        delivering_pool.backlog = backlog


def test_a_full_pipe_refuses_a_frame_without_blocking():
    """The ack's write to a search process never waits: with nobody reading, the pipe fills and
    `offer` says no at once, small frames and large alike."""
    read_end, write_end = os.pipe()
    writer = FrameWriter(write_end)
    try:
        small, large = b"x" * 500, b"y" * 20_000
        offered = 0
        while writer.offer(small):
            offered += 1
            assert offered < 100_000
        assert offered * (len(small) + 4) <= writer.capacity
        started = time.monotonic()
        assert not writer.offer(small) and not writer.offer(large)
        assert time.monotonic() - started < 0.5
    finally:
        writer.close()
        os.close(read_end)


def test_requests_held_by_a_search_process_that_dies_are_apologised_for_and_logged(serve_env, fake_slack, caplog):
    """SIGKILL a search process while it holds a request (its response_url hangs) and a call: the user
    is told something went wrong, the request's one log line says so at ERROR with its id, the
    call fails, and a new search process answers the next request."""
    pool = open_pool(serve_env, fake_slack)
    try:
        held = fake_slack.response_url()
        fake_slack.inject(path_of(held), hang(30.0))
        with caplog.at_level(logging.INFO, logger="bot.slack.requests"):
            assert pool.hand_over(job(held, request_id="r-held"))
            fake_slack.wait_for(lambda r: r.path == path_of(held), timeout=BOUND)  # a courier is posting it
            [first] = pool.pids()
            os.kill(first, signal.SIGKILL)
            apology = fake_slack.wait_for(lambda r: r.path == path_of(held), count=2, timeout=BOUND)[-1]
            assert SORRY.split(".")[0] in all_text(apology.data) and apology.data["response_type"] == "ephemeral"
            wait_until(lambda: any(r.name == "bot.slack.requests" and "r-held" in r.getMessage() for r in caplog.records))
        [line] = [json.loads(r.getMessage()) for r in caplog.records
                  if r.name == "bot.slack.requests" and "r-held" in r.getMessage()]
        assert line["outcome"] == "failed" and "SearchProcessDied" in line["error"] and line["request_id"] == "r-held"
        wait_until(lambda: pool.pids() and pool.pids()[0] != first)
        later = fake_slack.response_url()
        assert pool.hand_over(job(later))
        fake_slack.wait_for(lambda r: r.path == path_of(later), timeout=BOUND)
        second = pool.pids()[0]
        os.kill(second, signal.SIGSTOP)  # so that the call below is still in its hands when it dies
        pending = pool.submit(command_outcome, "/quote", "开源", settings=pool.settings)
        os.kill(second, signal.SIGKILL)
        with pytest.raises(SearchProcessDied):
            pending.result(timeout=BOUND)
    finally:
        pool.close()


def health_of(pool: SearchPool) -> tuple[int, dict]:
    """What the web process's /healthz says over `pool` (the real HTTP app and Bolt app around its slot)."""
    from bot.slack.app import build_app, services_for
    from bot.slack.http import SlackHttpApp
    from bot.slack.shared_state import SharedState

    state = SharedState(None)
    services = services_for(pool, pool.settings, state=state)
    app = build_app(services, token=BOT_TOKEN, request_verification=False)
    http_app = SlackHttpApp(app, pool.slot, pool.settings, "a-signing-secret", state=state)
    try:
        return http_app.health()
    finally:
        http_app.close()
        services.queue.shutdown()


def test_healthz_recovers_when_a_search_process_that_died_before_opening_the_library_is_replaced(serve_env, fake_slack):
    """A search process killed before it has opened the library: /healthz says "failed" and why,
    and once its replacement has opened the library, 200 again (it stayed "failed" for good)."""
    for _attempt in range(3):
        pool = SearchPool(settings_from_env(serve_env), 1, courier=CourierSettings(BOT_TOKEN, fake_slack.api_url, QUICK))
        try:
            pool.open_in_background()
            wait_until(lambda: pool.pids())
            [first] = pool.pids()
            # The replacement opens a saved library in milliseconds: hold its start until /healthz
            # has been asked, so the test sees the moment between the death and the new process.
            replacement_may_start, start = threading.Event(), pool._start
            pool._start = lambda: (replacement_may_start.wait(BOUND), start())[1]
            try:
                os.kill(first, signal.SIGKILL)
                wait_until(lambda: pool.slot.ready or pool.slot.error is not None)
                if pool.slot.ready:  # it had opened the library already: not the case under test; again
                    continue
                status, body = health_of(pool)
            finally:
                replacement_may_start.set()
            assert (status, body["status"]) == (503, "failed") and "ended before opening the library" in body["reason"]
            # A call is answered once the replacement has opened the library (it waits for it).
            outcome = pool.submit(command_outcome, "/quote", "开源", settings=pool.settings).result(timeout=BOUND)
            assert outcome.results
            assert pool.pids() and pool.pids()[0] != first
            status, body = health_of(pool)
            assert (status, body["status"]) == (200, "ready") and body["passages"] > 0
            return
        finally:
            pool.close()
    pytest.fail("the search process opened the library before it could be killed, three times")


WEB_PROCESS = """
import os
import time

from bot.config import settings_from_env
from bot.slack.searching import SearchPool

if __name__ == "__main__":
    pool = SearchPool(settings_from_env(os.environ), 2)
    pool.open_in_background().join()
    print(" ".join(str(pid) for pid in pool.pids()), flush=True)
    time.sleep(300)
"""


def test_search_processes_end_when_their_web_process_is_killed(serve_env, tmp_path):
    """gunicorn SIGKILLs a worker still busy at the end of its graceful timeout: its search
    processes (children of the forkserver, not of the worker) must not outlive it."""
    script = tmp_path / "web.py"
    script.write_text(WEB_PROCESS, encoding="utf-8")
    web = subprocess.Popen([sys.executable, str(script)], cwd=REPO, env=serve_env, stdout=subprocess.PIPE, text=True)
    left: list[psutil.Process] = []
    try:
        line = web.stdout.readline()
        searchers = [psutil.Process(int(pid)) for pid in line.split()]
        assert len(searchers) == 2 and all(p.ppid() != web.pid for p in searchers)  # forked by the forkserver
        forkserver = psutil.Process(searchers[0].ppid())
        web.send_signal(signal.SIGKILL)
        web.wait(10)
        _, left = psutil.wait_procs(searchers + [forkserver], timeout=10)
        assert not left, f"still running after their web process was killed: {[p.pid for p in left]}"
    finally:
        if web.poll() is None:
            web.kill()
        for process in left:  # a failed run must not leave them behind either
            process.kill()
