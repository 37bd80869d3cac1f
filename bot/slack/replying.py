"""The one skeleton of every answer: rate limit, search within a deadline, deliver, log.

It is used wherever an answer is produced: by the search processes of `bot serve`, which answer
every request handed over to them from start to end (bot/slack/handover.py, bot/slack/courier.py),
and by the web process's answer threads under `bot socket` and in the in-process tests. So it
imports nothing from Bolt or the listeners.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from bot.config import Settings
from bot.slack.answering import Outcome
from bot.slack.blocks import LOADING, SORRY, Message, notice, slow_down
from bot.slack.delivery import DeliveryFailed, ReplyPlan, Responder, RetryPolicy
from bot.slack.observe import RequestLog
from bot.slack.readiness import LibraryUnavailable

LOG = logging.getLogger("bot.slack")
RATE_LIMITED = "rate_limited"
LOADING_OUTCOME = "loading"
SLOWER = "This is taking longer than usual; the answer will follow. 查询比平时慢，结果稍后送达。"

Tell = Callable[[Message], str]


@dataclass(frozen=True)
class Deadline:
    """How long an answer may take: past `notice_after` s the user is told it is slow; past
    `give_up_after` s the search is abandoned and the user told so."""

    notice_after: float = 5.0
    give_up_after: float = 60.0


class AnswerTimedOut(Exception):
    """The search did not finish within the deadline."""


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
    """Rate limit, search within the deadline, deliver, and say how in the request's log line.

    `search` starts the search and returns its Future; `deliver` sends the outcome and says how
    (`via`); `tell` sends a short ephemeral notice to the user. The three ways it can fail each end
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
        log.done(outcome.label, results=outcome.results, via=deliver(outcome))
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


def plan_for(body: dict, **options) -> ReplyPlan:
    """Where the reply to a slash command or a button click goes: its response_url, with its channel
    and user (and thread) for the fallback, and respond()'s `options`."""
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    thread_ts = (body.get("container") or {}).get("thread_ts")
    return ReplyPlan(body.get("response_url"), channel, user, thread_ts, tuple(sorted(options.items())))


def responder_for(body: dict, client, policy: RetryPolicy) -> Responder:
    """A Responder for the reply to a slash command or a button click (see `plan_for`)."""
    return Responder.from_plan(plan_for(body), policy=policy, client=client)


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
