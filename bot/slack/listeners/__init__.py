"""Every Slack listener, registered from one place (the layout of the official Bolt templates).

Each listener is built by a factory over one `Services` object (listeners/services.py): the
searcher, the settings, the retry policy, the answer deadline and queue, and the guards (events
and clicks taken once, the rate limiter), so nothing lives in module globals.

Every listener acknowledges at once: with `process_before_response=True` (see bot/slack/app.py) it
runs in the request's dispatch thread, so Slack gets its 200 in milliseconds however busy the
searches are. Every answer is handed over whole (`pass_on`, listeners/common.py and
bot/slack/handover.py: under `bot serve`, one write to a search process, which searches, replies
and logs): a slash command's from its ack listener; a click's, a mention's and the Home tab's
from the answer queue's threads (`hand_off(queue, work)`: `ack()`, then the guards that may ask
Redis, then the hand-over). Each request gets one log line (bot/slack/observe.py).
"""

from __future__ import annotations

import json

from slack_bolt import App, BoltResponse

from bot.slack.blocks import SORRY
from bot.slack.listeners import actions, commands, events
from bot.slack.listeners.services import Services


def register(app: App, services: Services) -> None:
    """Attach the commands, buttons, events and the error handler to `app`."""
    commands.register(app, services)
    actions.register(app, services)
    events.register(app, services)
    app.error(make_error_handler())


def make_error_handler():
    """Bolt's last resort for an exception in an ack function or a middleware.

    It logs the exception with its traceback and answers 200 so Slack neither retries nor shows
    "dispatch_failed"; a slash command's ack body is shown to the user, so that body says plainly
    that something went wrong.
    """

    def handle_error(error: Exception, body: dict, logger, response: BoltResponse | None):
        logger.error("Slack listener failed: %s", error, exc_info=error)
        if response is None:
            return None
        if isinstance(body, dict) and body.get("command"):
            return BoltResponse(
                status=200,
                body=json.dumps({"response_type": "ephemeral", "text": SORRY}, ensure_ascii=False),
                headers={"content-type": "application/json;charset=utf-8"},
            )
        return BoltResponse(status=200, body="")

    return handle_error


__all__ = ["Services", "register", "make_error_handler"]
