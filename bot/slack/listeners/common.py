"""What every listener shares: acknowledging and queueing the work, and handing an answer over whole.
The one answering skeleton and its helpers live in bot/slack/replying.py (search processes use it too)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from bot.slack.delivery import ReplyPlan
from bot.slack.handover import AnswerJob, Replier
from bot.slack.observe import RECEIVED_AT, REQUEST_ID, log_rejected, new_request_id
from bot.slack.ratelimit import RATE_VERDICT

__all__ = ["ANSWER_QUEUE", "ANSWER_THREADS", "BUSY", "RETRY_NUM", "AnswerQueue", "hand_off", "job_for", "pass_on"]
LOG = logging.getLogger("bot.slack")
RETRY_NUM = "retry_num"
BUSY = "The bot is very busy right now. Please try again in a minute. 机器人正忙，请一分钟后再试。"
ANSWER_THREADS = 32  # they wait on searches and on Slack, not on the CPU: a hung response_url holds one
# Answers waiting or running per worker; past that, a request is turned away politely. A burst is
# absorbed (search processes answer ~100 a second on two cores); a backlog much longer would take
# past an answer's deadline to clear.
ANSWER_QUEUE = 2000

Work = Callable[[dict, dict, object, logging.Logger], None]


class AnswerQueue:
    """The threads that wait for searches and deliver answers, with a bounded backlog.

    Each answer holds a thread while it waits on Slack, so a hung response_url holds one thread,
    not the bot: there are many threads (the CPU work happens in the search processes). The
    backlog is bounded, so a flood is refused at the door with a message instead of queueing
    answers nobody will see in time.
    """

    def __init__(self, threads: int = ANSWER_THREADS, capacity: int = ANSWER_QUEUE):
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="slack-answer")
        self._room = threading.BoundedSemaphore(max(threads, capacity))
        # Start every thread now: ThreadPoolExecutor starts one per submit otherwise, inside the ack.
        everyone = threading.Barrier(threads)
        for _ in range(threads):
            self.executor.submit(everyone.wait, 5)

    def submit(self, fn, *args) -> bool:
        """Queue `fn(*args)`; False if the backlog is full."""
        if not self._room.acquire(blocking=False):
            return False
        try:
            future = self.executor.submit(fn, *args)
        except RuntimeError:  # shutting down
            self._room.release()
            return False
        future.add_done_callback(lambda _: self._room.release())
        return True

    def shutdown(self, wait: bool = True) -> None:
        self.executor.shutdown(wait=wait)


def hand_off(queue: AnswerQueue, work: Work):
    """The Bolt listener for a request: `ack()` at once, then `work` on the answer queue.

    With `process_before_response=True` (bot/slack/app.py) this runs in the request's dispatch
    thread, so the empty 200 goes back as soon as it returns. It does what Bolt's lazy listeners do,
    minus their cost (a deep copy of the whole request and its context per call): the work gets
    the parsed body, the request's id and arrival time, the request's own WebClient (a fresh
    object per request, so safe to hand to another thread) and the logger. When the queue is full
    a slash command is told so in its ack, and anything else is acknowledged and logged.
    """

    def acknowledge(ack, body, context, client, logger, request) -> None:
        stamp = {REQUEST_ID: context.get(REQUEST_ID), RECEIVED_AT: context.get(RECEIVED_AT),
                 RETRY_NUM: (request.headers.get("x-slack-retry-num") or [None])[0],
                 RATE_VERDICT: context.get(RATE_VERDICT)}
        if queue.submit(_run, work, body, stamp, client, logger):
            ack()
            return
        log_rejected(200, "answer queue full", request_id=stamp[REQUEST_ID])
        if isinstance(body, dict) and body.get("command"):
            ack(text=BUSY, response_type="ephemeral")
        else:
            ack()

    return acknowledge


def _run(work: Work, body: dict, stamp: dict, client, logger: logging.Logger) -> None:
    """The executor swallows exceptions into futures nobody reads: log them here instead."""
    try:
        work(body, stamp, client, logger)
    except Exception:  # the work's own log line says "failed"; this adds the traceback
        logger.exception("answering request %s failed", stamp.get(REQUEST_ID))



def pass_on(services, job: AnswerJob, client, on_undelivered: Callable[[], None] | None = None) -> bool:
    """Hand `job` to the searcher, which answers it from start to end (bot/slack/handover.py): under
    `bot serve` a search process, with one write from this thread; otherwise the answer queue of this
    process, with `client` (the request's WebClient) for the fallbacks. False if the backlog is full."""
    replier = Replier(services.settings, services.policy, services.deadline, lambda: client, services.guard)
    return services.searcher.hand_over(job, replier, services.queue, on_undelivered)


def job_for(call: str, args: tuple, plan: ReplyPlan, context, kind: str, rate_allowed: bool | None = None,
            replay_key: str | None = None, **fields) -> AnswerJob:
    """The AnswerJob of a request, with its id, arrival time (from bot/slack/observe.py's stamp) and log fields."""
    return AnswerJob(call, args, plan, context.get(REQUEST_ID) or new_request_id(), context.get(RECEIVED_AT) or time.monotonic(),
                     kind, tuple((name, value) for name, value in fields.items() if value is not None), rate_allowed,
                     replay_key)
