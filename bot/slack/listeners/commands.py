"""/quote, /who-said and /compare: acknowledge at once, then answer with an ephemeral preview.

Never `say()`: chat.postMessage fails in DMs and in channels the bot has not joined, while the
command's response_url works everywhere the command can be typed (with a chat.postEphemeral
fallback once it is spent, see bot/slack/delivery.py). The listener itself only rate-limits,
delivers and logs; what the preview says is `command_outcome` (bot/slack/answering.py).
"""

from __future__ import annotations

import logging
from concurrent.futures import Executor

from slack_bolt import App

from bot.config import Settings
from bot.slack.answering import command_outcome
from bot.slack.blocks import LOADING, SORRY, slow_down
from bot.slack.delivery import DeliveryFailed, RetryPolicy
from bot.slack.listeners.common import apologise, hand_off, responder_for
from bot.slack.observe import RequestLog
from bot.slack.ratelimit import RateLimiter
from bot.slack.readiness import LibrarySlot, LibraryUnavailable

COMMAND_NAMES = ("/quote", "/who-said", "/compare")
RATE_LIMITED = "rate_limited"
LOADING_OUTCOME = "loading"


def make_command_answerer(slot: LibrarySlot, settings: Settings, limiter: RateLimiter, policy: RetryPolicy):
    def answer_command(body: dict, context, client, logger) -> None:
        name = body.get("command", "")
        user = body.get("user_id")
        respond = responder_for(body, client, policy)
        with RequestLog(context, "command", command=name, user=user, team=body.get("team_id"),
                        channel=body.get("channel_id")) as log:
            try:
                if not limiter.allow(user):
                    log.done(RATE_LIMITED, via=respond(slow_down(settings.rate_limit_per_minute), response_type="ephemeral"))
                    return
                try:
                    outcome = command_outcome(name, body.get("text"), slot, settings)
                except LibraryUnavailable:
                    log.done(LOADING_OUTCOME, level=logging.WARNING, via=apologise(respond, LOADING, logger))
                    return
                except Exception as error:
                    logger.exception("%s failed (request %s)", name, log.request_id)
                    log.done("failed", level=logging.ERROR, error=type(error).__name__, via=apologise(respond, SORRY, logger))
                    return
                log.done(outcome.label, results=outcome.results, via=respond(outcome.message, response_type="ephemeral"))
            except DeliveryFailed as error:
                log.undelivered(error)

    return answer_command


def register(app: App, slot: LibrarySlot, settings: Settings, limiter: RateLimiter, policy: RetryPolicy, executor: Executor) -> None:
    """An empty 200 at once (Slack shows nothing until the preview), the answer on the executor."""
    listener = hand_off(executor, make_command_answerer(slot, settings, limiter, policy))
    for name in COMMAND_NAMES:
        app.command(name)(listener)
