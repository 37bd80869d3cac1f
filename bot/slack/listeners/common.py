"""What the listener modules share: acknowledging and handing the work over, a Responder for the
request, and apologising without ever failing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor

from bot.slack.blocks import notice
from bot.slack.delivery import DeliveryFailed, Responder, RetryPolicy
from bot.slack.observe import RECEIVED_AT, REQUEST_ID

LOG = logging.getLogger("bot.slack")
RETRY_NUM = "retry_num"

Work = Callable[[dict, dict, object, logging.Logger], None]


def hand_off(executor: Executor, work: Work):
    """The Bolt listener for a request: `ack()` at once, then `work` on the listener executor.

    With `process_before_response=True` (bot/slack/app.py) this runs in the HTTP request thread,
    so the empty 200 goes back as soon as it returns. It does what Bolt's lazy listeners do, minus
    their cost: a lazy listener gets a deep copy of the whole request and its context (WebClient,
    retry handlers and all), which was half the CPU of every ack. Here the work gets what it needs
    and nothing else: the parsed body, the request's id and arrival time (a small dict, read now),
    the request's own WebClient (a fresh object per request, so safe to hand to another thread)
    and the logger.
    """

    def acknowledge(ack, body, context, client, logger, request) -> None:
        ack()
        stamp = {REQUEST_ID: context.get(REQUEST_ID), RECEIVED_AT: context.get(RECEIVED_AT),
                 RETRY_NUM: (request.headers.get("x-slack-retry-num") or [None])[0]}
        executor.submit(_run, work, body, stamp, client, logger)

    return acknowledge


def _run(work: Work, body: dict, stamp: dict, client, logger: logging.Logger) -> None:
    """The executor swallows exceptions into futures nobody reads: log them here instead."""
    try:
        work(body, stamp, client, logger)
    except Exception:  # the work's own log line says "failed"; this adds the traceback
        logger.exception("answering request %s failed", stamp.get(REQUEST_ID))


def responder_for(body: dict, client, policy: RetryPolicy) -> Responder:
    """A slash command's or a button click's response_url, with its channel and user for the fallback."""
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    thread_ts = (body.get("container") or {}).get("thread_ts")
    return Responder(body.get("response_url"), policy=policy, client=client, channel_id=channel, user_id=user, thread_ts=thread_ts)


def apologise(respond, text: str, logger=None) -> str | None:
    """Tell the user something went wrong, ephemerally; if even that fails, only log (the caller's
    log line already says what failed)."""
    try:
        return respond(notice(text), response_type="ephemeral", replace_original=False)
    except DeliveryFailed as error:
        (logger or LOG).warning("could not tell the user about an error either: %s", error)
    except Exception:  # never let an apology raise
        (logger or LOG).warning("could not tell the user about an error either", exc_info=True)
    return None
