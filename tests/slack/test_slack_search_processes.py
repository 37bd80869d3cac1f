"""`bot serve`'s search processes (bot/slack/searching.py) as they really run: forked from a
forkserver, over the bundled library, posting the answers they compute to a fake Slack on loopback
(bot/slack/courier.py), at a lower CPU priority, and gone when the web process that started them is."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import time
import weakref

import psutil
import pytest

from bot.config import settings_from_env
from bot.slack.answering import command_outcome
from bot.slack.courier import CourierSettings
from bot.slack.delivery import VIA_RESPONSE_URL, DeliveryFailed, ReplyPlan, RetryPolicy
from bot.slack.searching import SEARCH_NICENESS, SearchPool
from tests.conftest import REPO
from tests.slack.helpers import BOT_TOKEN, SERVER_ERROR, hang, path_of

BOUND = 120.0  # seconds: opening the library on a busy 2-core machine (a bound, not a goal)
QUICK = RetryPolicy(max_retries=1, timeout=2.0, backoff=0.05)  # a hung post: 2 attempts of 2 s


@pytest.fixture(scope="module")
def serve_env():
    """The bundled library, as `bot serve` opens it: the saved one when there is one (`bot index build`)."""
    return dict(os.environ)


@pytest.fixture(scope="module")
def delivering_pool(serve_env, fake_slack):
    pool = SearchPool(settings_from_env(serve_env), 1,
                      courier=CourierSettings(BOT_TOKEN, fake_slack.api_url, QUICK))
    pool.open_in_background()
    pool.slot.get(timeout=BOUND)
    yield pool
    pool.close()


def plan_for(url: str, **options) -> ReplyPlan:
    return ReplyPlan(url, "C0CHAN001", "U0USER001", options=tuple(sorted(options.items())))


def test_a_search_process_posts_the_answer_itself_and_only_the_receipt_comes_back(delivering_pool, fake_slack):
    settings = delivering_pool.settings
    url = fake_slack.response_url()
    future = delivering_pool.submit(command_outcome, "/quote", "开源", settings=settings,
                                    deliver_to=plan_for(url, response_type="ephemeral"))
    outcome = future.result(timeout=BOUND)
    assert outcome.message is None and outcome.answer is None  # the blocks never came back to this process
    assert outcome.label == "answered" and outcome.results >= 1
    assert outcome.sent.result(timeout=BOUND) == VIA_RESPONSE_URL
    [post] = fake_slack.to(path_of(url))
    assert post.data["response_type"] == "ephemeral"
    assert "开源" in json.dumps(post.data["blocks"], ensure_ascii=False)


def test_without_a_plan_the_message_comes_back_to_be_delivered_here(delivering_pool, fake_slack):
    outcome = delivering_pool.submit(command_outcome, "/quote", "开源", settings=delivering_pool.settings).result(timeout=BOUND)
    assert outcome.sent is None and outcome.message is not None and outcome.message.blocks


def test_a_reply_the_search_process_cannot_deliver_comes_back_as_delivery_failed(delivering_pool, fake_slack):
    url = fake_slack.response_url()
    fake_slack.inject(path_of(url), SERVER_ERROR, SERVER_ERROR)  # the attempt and its one retry
    outcome = delivering_pool.submit(command_outcome, "/quote", "开源", settings=delivering_pool.settings,
                                     deliver_to=plan_for(url, response_type="ephemeral")).result(timeout=BOUND)
    with pytest.raises(DeliveryFailed, match="HTTP 500"):
        outcome.sent.result(timeout=BOUND)
    assert len(fake_slack.to(path_of(url))) == 2


def test_a_hung_response_url_holds_a_courier_thread_not_the_search_process(delivering_pool, fake_slack):
    hung = fake_slack.response_url()
    fake_slack.inject(path_of(hung), hang(5.0), hang(5.0))
    first = delivering_pool.submit(command_outcome, "/quote", "开源", settings=delivering_pool.settings,
                                   deliver_to=plan_for(hung, response_type="ephemeral")).result(timeout=BOUND)
    started = time.monotonic()
    healthy = fake_slack.response_url()
    second = delivering_pool.submit(command_outcome, "/quote", "闭源", settings=delivering_pool.settings,
                                    deliver_to=plan_for(healthy, response_type="ephemeral")).result(timeout=BOUND)
    assert second.sent.result(timeout=BOUND) == VIA_RESPONSE_URL
    assert time.monotonic() - started < 3.0  # not behind the hung post's 2 attempts of 2 s
    with pytest.raises(DeliveryFailed):
        first.sent.result(timeout=BOUND)


def test_every_thread_of_a_search_process_runs_below_the_web_process_priority(delivering_pool, fake_slack):
    """The nice value is a thread's on Linux: the watch thread and the couriers too, not only the
    thread that searches (the watch was started before the priority was lowered, and kept the web
    process's)."""
    url = fake_slack.response_url()
    outcome = delivering_pool.submit(command_outcome, "/quote", "开源", settings=delivering_pool.settings,
                                     deliver_to=plan_for(url, response_type="ephemeral")).result(timeout=BOUND)
    assert outcome.sent.result(timeout=BOUND) == VIA_RESPONSE_URL  # a courier thread exists now
    [pid] = list(delivering_pool._executor._processes)
    threads = psutil.Process(pid).threads()
    assert len(threads) >= 3  # the search, the watch on the web process, a courier
    assert {os.getpriority(os.PRIO_PROCESS, thread.id) for thread in threads} == {min(19, os.nice(0) + SEARCH_NICENESS)}


def test_an_answers_futures_are_freed_without_the_garbage_collector(delivering_pool, fake_slack):
    """Each Future keeps its callbacks: had the answer's two Futures each held the other, every
    answer would leave a cycle that only the collector frees, and its passes hold the GIL over the acks."""
    gc.disable()
    try:
        url = fake_slack.response_url()
        outcome = delivering_pool.submit(command_outcome, "/quote", "开源", settings=delivering_pool.settings,
                                         deliver_to=plan_for(url, response_type="ephemeral"))
        assert outcome.result(timeout=BOUND).sent.result(timeout=BOUND) == VIA_RESPONSE_URL
        freed = weakref.ref(outcome)
        del outcome
        waited = time.monotonic()
        while freed() is not None and time.monotonic() - waited < 5.0:  # until the pool's thread lets go
            time.sleep(0.01)
        assert freed() is None
    finally:
        gc.enable()


def test_a_cancelled_answer_cancels_its_search_when_it_has_not_started(delivering_pool, fake_slack):
    urls = [fake_slack.response_url() for _ in range(6)]
    outcomes = [delivering_pool.submit(command_outcome, "/quote", "开源", settings=delivering_pool.settings,
                                       deliver_to=plan_for(url, response_type="ephemeral")) for url in urls]
    assert outcomes[-1].cancel()  # one search process: the last is still queued
    for outcome in outcomes[:-1]:
        assert outcome.result(timeout=BOUND).sent.result(timeout=BOUND) == VIA_RESPONSE_URL
    delivering_pool.submit(command_outcome, "/quote", "闭源", settings=delivering_pool.settings).result(timeout=BOUND)  # past it in the queue
    assert fake_slack.to(path_of(urls[-1])) == []


WEB_PROCESS = """
import os
import time

from bot.config import settings_from_env
from bot.slack.searching import SearchPool

if __name__ == "__main__":
    pool = SearchPool(settings_from_env(os.environ), 2)
    pool.open_in_background().join()
    print(" ".join(str(pid) for pid in pool._executor._processes), flush=True)
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
