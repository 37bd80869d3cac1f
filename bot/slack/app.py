"""Building the Bolt App: one place that decides how requests are acknowledged and where work runs.

* `process_before_response=True` makes Bolt run each listener's ack function in the thread that
  dispatches the request and return its response directly. Our ack functions only call `ack()`
  and queue the work, so Slack gets its 200 in milliseconds.
* The real work (search, render, respond / chat.postMessage) is handed over to the searcher
  (bot/slack/searching.py: search processes under `bot serve`, which deliver and log it too;
  bot/slack/handover.py), by the ack listener or from an `AnswerQueue` thread (listeners/common.py)
  once the request's guards are asked. Under `bot socket` and in-process tests the queue's threads
  answer too. The server drains the queue on shutdown.
* `request_verification=False` when the caller verifies signatures itself, as the HTTP app of
  bot/slack/http.py does before Bolt sees anything (bot/slack/screening.py); one HMAC per
  request is enough.
* `authorize=BotIdentity(...)` (bot/slack/identity.py) instead of Bolt's single-workspace mode:
  no auth.test at construction (so the process starts without the network), one cached auth.test
  later with a short timeout, and a failing auth.test never blocks or fails a request.
* The App's WebClient carries the retry policy's handlers (bot/slack/delivery.py); Bolt copies them
  into the client each request gets.
* A global middleware stamps each request with an id and its arrival time (bot/slack/observe.py).
"""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.config import DEFAULT_API_URL, Settings, normalise_api_url
from bot.slack.dedupe import DEFAULT_TTL_SECONDS as EVENT_TTL_SECONDS
from bot.slack.delivery import RetryPolicy
from bot.slack.identity import BotIdentity
from bot.slack.listeners import Services, register
from bot.slack.listeners.actions import CLICK_MEMORY_SECONDS
from bot.slack.listeners.common import AnswerQueue
from bot.slack.observe import stamp_request
from bot.slack.replying import Deadline
from bot.slack.shared_state import SharedState

__all__ = ["DEFAULT_API_URL", "build_app", "normalise_api_url", "services_for"]


def services_for(
    searcher,
    settings: Settings,
    *,
    state: SharedState | None = None,
    policy: RetryPolicy | None = None,
    deadline: Deadline | None = None,
    queue: AnswerQueue | None = None,
) -> Services:
    """The listeners' Services over `searcher`, with the guards kept in `state` (Redis or this process)."""
    state = state or SharedState(None)
    limiter = state.limiter(settings.rate_limit_per_minute)
    return Services(
        searcher=searcher,
        settings=settings,
        events=state.once("event", EVENT_TTL_SECONDS),
        clicks=state.once("click", CLICK_MEMORY_SECONDS),
        limiter=limiter,
        guard=state.command_guard(limiter),
        policy=policy or RetryPolicy(),
        deadline=deadline or Deadline(),
        queue=queue or AnswerQueue(),
    )


def build_app(
    services: Services,
    *,
    token: str,
    signing_secret: str = "",
    api_url: str | None = None,
    request_verification: bool = True,
    identity: BotIdentity | None = None,
    logger: logging.Logger | None = None,
) -> App:
    """A Bolt App with every listener registered over `services`."""
    base_url = normalise_api_url(api_url)
    identity = identity or BotIdentity(token, base_url)
    # The App's own client carries no token: each request's client gets it from `authorize`.
    client = services.policy.web_client(base_url, logger=logger)

    def authorize(enterprise_id, team_id, user_id):  # Bolt passes arguments by these names
        return identity(enterprise_id, team_id, user_id)

    app = App(
        name="quote-bot",
        client=client,
        authorize=authorize,
        signing_secret=signing_secret,
        request_verification_enabled=request_verification,
        process_before_response=True,
        listener_executor=services.queue.executor,
        logger=logger,
    )
    app.use(stamp_request)
    register(app, services)
    return app
