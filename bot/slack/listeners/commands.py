"""/quote, /who-said and /compare: acknowledge at once, then answer with an ephemeral preview.

Never `say()`: chat.postMessage fails in DMs and in channels the bot has not joined, while the
command's response_url works everywhere the command can be typed.
"""

from __future__ import annotations

from slack_bolt import App

from bot.commands.dispatch import request_for
from bot.commands.help import HELP_TEXT
from bot.commands.results import HELP, UsageError
from bot.config import Settings
from bot.slack.answering import answer_page, first_page
from bot.slack.blocks import LOADING, SORRY, help_message, preview, slow_down, usage
from bot.slack.listeners.common import apologise, send
from bot.slack.ratelimit import RateLimiter
from bot.slack.readiness import LibrarySlot, LibraryUnavailable

COMMAND_NAMES = ("/quote", "/who-said", "/compare")


def acknowledge(ack) -> None:
    """Runs in the HTTP request thread: an empty 200, so Slack shows nothing until the preview."""
    ack()


def make_command_answerer(slot: LibrarySlot, settings: Settings, limiter: RateLimiter):
    def answer_command(command: dict, respond, logger) -> None:
        name = command.get("command", "")
        try:
            if not limiter.allow(command.get("user_id")):
                send(respond, slow_down(settings.rate_limit_per_minute), response_type="ephemeral")
                return
            try:
                request = request_for(name, command.get("text") or "")
            except UsageError as error:
                send(respond, usage(str(error), HELP_TEXT), response_type="ephemeral")
                return
            if request.command == HELP:
                send(respond, help_message(HELP_TEXT), response_type="ephemeral")
                return
            page = first_page(request, settings)
            result = answer_page(page, slot.get(), settings)
            message = preview(result.reply, result.page, has_more=result.has_more, more_limit=more_limit(settings))
            send(respond, message, response_type="ephemeral")
        except LibraryUnavailable:
            logger.warning("%s arrived before the library was ready", name)
            apologise(respond, LOADING, logger)
        except Exception:
            logger.exception("%s failed", name)
            apologise(respond, SORRY, logger)

    return answer_command


def more_limit(settings: Settings) -> int:
    return max(1, settings.results_per_page)


def register(app: App, slot: LibrarySlot, settings: Settings, limiter: RateLimiter) -> None:
    answer_command = make_command_answerer(slot, settings, limiter)
    for name in COMMAND_NAMES:
        app.command(name)(ack=acknowledge, lazy=[answer_command])
