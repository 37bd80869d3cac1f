"""What every listener shares: acknowledging and queueing the work, the one answering skeleton
(log, rate limit, search within a deadline, deliver, and the three failure branches), a Responder
for the request, and apologising without ever failing."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from bot.config import Settings
from bot.slack.answering import Outcome
from bot.slack.blocks import LOADING, SORRY, Message, notice, slow_down
from bot.slack.delivery import DeliveryFailed, Responder, RetryPolicy
from bot.slack.observe import RECEIVED_AT, REQUEST_ID, RequestLog, log_rejected
from bot.slack.ratelimit import RATE_VERDICT
from bot.slack.readiness import LibraryUnavailable

LOG = logging.getLogger("bot.slack")
RETRY_NUM = "retry_num"
RATE_LIMITED = "rate_limited"
LOADING_OUTCOME = "loading"
SLOWER = "This is taking longer than usual; the answer will follow. 查询比平时慢，结果稍后送达。"
BUSY = "The bot is very busy right now. Please try again in a minute. 机器人正忙，请一分钟后再试。"
ANSWER_THREADS = 32  # they wait on searches and on Slack, not on the CPU: a hung response_url holds one
# Answers waiting or running per worker; past that, a request is turned away politely. A burst is
# absorbed (search processes answer ~100 a second on two cores); a backlog much longer would take
# past an answer's deadline to clear.
ANSWER_QUEUE = 2000

Work = Callable[[dict, dict, object, logging.Logger], None]
Tell = Callable[[Message], str]


@dataclass(frozen=True)
class Deadline:
    """How long an answer may take: past `notice_after` s the user is told it is slow; past
    `give_up_after` s the search is abandoned and the user told so."""

    notice_after: float = 5.0
    give_up_after: float = 60.0
    # For an answer a search process posts itself (bot/slack/courier.py): how long to wait for word
    # of it. Above the RetryPolicy's worst case (3 attempts of 10 s at the response_url, then the same
    # for the fallback), so a receipt is only missing when a search process died.
    delivered_within: float = 90.0


class AnswerTimedOut(Exception):
    """The search did not finish within the deadline."""


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


def answer(
    log: RequestLog,
    *,
    search: Callable[[], Future],
    deliver: Callable[[Outcome], str],
    tell: Tell,
    settings: Settings,
    deadline: Deadline,
    logger: logging.Logger,
    limiter=None,
    user: str | None = None,
    on_undelivered: Callable[[], None] | None = None,
) -> None:
    """The one skeleton of every answer: rate limit, search within the deadline, deliver, log.

    `search` starts the search and returns its Future; `deliver` sends the outcome and says how
    (`via`), unless the searcher sent it already (`outcome.sent`: its receipt is waited for instead); `tell` sends a short ephemeral notice to the user. The three ways it can fail each end
    in the request's one log line: the library not loaded (the user is told to retry), the search
    failing or timing out (the user is told something went wrong), the reply undeliverable (an
    ERROR line with the request id, and `on_undelivered`).
    """
    try:
        if limiter is not None and not limiter.allow(user):
            log.done(RATE_LIMITED, via=tell(slow_down(settings.rate_limit_per_minute)))
            return
        try:
            outcome = within(search(), deadline, tell, log, logger)
        except LibraryUnavailable:
            log.done(LOADING_OUTCOME, level=logging.WARNING, via=apologise(tell, LOADING, logger))
            return
        except Exception as error:
            logger.error("answering request %s failed: %s", log.request_id, error, exc_info=not isinstance(error, AnswerTimedOut))
            log.done("failed", level=logging.ERROR, error=type(error).__name__, via=apologise(tell, SORRY, logger))
            return
        via = deliver(outcome) if outcome.sent is None else receipt(outcome.sent, deadline)
        log.done(outcome.label, results=outcome.results, via=via)
    except DeliveryFailed as error:
        log.undelivered(error)
        if on_undelivered is not None:
            on_undelivered()


def within(future: Future, deadline: Deadline, tell: Tell, log: RequestLog, logger: logging.Logger) -> Outcome:
    """The search's result; past `notice_after` the user hears it is slow, past `give_up_after` it is abandoned."""
    try:
        return future.result(timeout=deadline.notice_after)
    except FutureTimeout:
        log.fields["slow"] = True
        apologise(tell, SLOWER, logger)
    try:
        return future.result(timeout=max(0.0, deadline.give_up_after - deadline.notice_after))
    except FutureTimeout:
        future.cancel()
        raise AnswerTimedOut(f"no answer within {deadline.give_up_after:g} s") from None


def receipt(sent: Future, deadline: Deadline) -> str:
    """How an answer the search process posted went (its `via`); DeliveryFailed if it did not, or if
    no word came within the deadline."""
    try:
        return sent.result(timeout=deadline.delivered_within)
    except FutureTimeout:
        raise DeliveryFailed("courier", f"no word of the delivery within {deadline.delivered_within:g} s") from None


def responder_for(body: dict, client, policy: RetryPolicy) -> Responder:
    """A slash command's or a button click's response_url, with its channel and user for the fallback."""
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    thread_ts = (body.get("container") or {}).get("thread_ts")
    return Responder(body.get("response_url"), policy=policy, client=client, channel_id=channel, user_id=user, thread_ts=thread_ts)


def ephemeral(respond: Responder) -> Tell:
    """A notice to the user alone, beside (not instead of) whatever they are looking at."""
    return lambda message: respond(message, response_type="ephemeral", replace_original=False)


def apologise(tell: Tell, text: str, logger=None) -> str | None:
    """Tell the user something went wrong; if even that fails, only log (the caller's log line
    already says what failed)."""
    try:
        return tell(notice(text))
    except DeliveryFailed as error:
        (logger or LOG).warning("could not tell the user about an error either: %s", error)
    except Exception:  # never let an apology raise
        (logger or LOG).warning("could not tell the user about an error either", exc_info=True)
    return None
