"""Every Slack listener, registered from one place (the layout of the official Bolt templates).

Each listener is built by a factory that closes over the library (a LibrarySlot), the settings,
the retry policy and the small stateful helpers (seen event ids, seen clicks, rate limiter), so
nothing lives in module globals and a test can build as many independent apps as it likes.

Every listener is `hand_off(executor, work)` (listeners/common.py): it calls `ack()` and hands the
work to the listener executor. With `process_before_response=True` (see bot/slack/app.py) it runs
in the HTTP request thread itself, so Slack gets its 200 in milliseconds however busy the search
threads are; the search and the reply run afterwards on the executor. (This is Bolt's lazy
listener pattern without the deep copy of the whole request that Bolt makes for each lazy call.)
Each piece of work writes one log line for its request (bot/slack/observe.py).
"""

from __future__ import annotations

import json
from concurrent.futures import Executor

from slack_bolt import App, BoltResponse

from bot.config import Settings
from bot.slack.blocks import SORRY
from bot.slack.dedupe import SeenEvents
from bot.slack.delivery import RetryPolicy
from bot.slack.listeners import actions, commands, events
from bot.slack.ratelimit import RateLimiter
from bot.slack.readiness import as_slot


def register(
    app: App,
    library,
    settings: Settings,
    *,
    seen: SeenEvents | None = None,
    clicks: SeenEvents | None = None,
    limiter: RateLimiter | None = None,
    policy: RetryPolicy | None = None,
    executor: Executor | None = None,
) -> None:
    """Attach the commands, buttons, events and the error handler to `app`.

    `library` is a Library or a LibrarySlot that will hold one once it has loaded; `executor` runs
    the answers (default: the App's own listener executor).
    """
    slot = as_slot(library)
    seen = seen if seen is not None else SeenEvents()
    clicks = clicks if clicks is not None else SeenEvents(ttl_seconds=actions.CLICK_MEMORY_SECONDS)
    limiter = limiter if limiter is not None else RateLimiter(settings.rate_limit_per_minute)
    policy = policy or RetryPolicy()
    executor = executor or app.listener_runner.listener_executor
    commands.register(app, slot, settings, limiter, policy, executor)
    actions.register(app, slot, settings, clicks, policy, executor)
    events.register(app, slot, settings, seen, limiter, executor)
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


__all__ = ["register", "make_error_handler"]
