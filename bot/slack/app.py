"""Building the Bolt App: one place that decides how requests are acknowledged and where work runs.

* `process_before_response=True` makes Bolt run each listener's ack function in the HTTP request
  thread (a gunicorn thread) and return its response directly. Our ack functions only call
  `ack()`, so Slack gets its 200 in milliseconds. With the default (False), the ack function is
  queued on the same small thread pool as the searches, and a burst of slow searches could hold
  an ack past Slack's 3 seconds.
* The real work (search, render, respond / chat.postMessage) is handed by the ack listener to a
  dedicated executor of `lazy_workers` threads, separate from the request threads (see
  listeners/common.py `hand_off`). The caller may pass its own executor, so that the server can
  drain it on shutdown (bot/slack/server.py).
* `request_verification=False` when the caller verifies signatures itself, as the Flask app of
  bot/slack/server.py does before Bolt sees anything (`screen`); one HMAC per request is enough.
* `authorize=BotIdentity(...)` (bot/slack/identity.py) instead of Bolt's single-workspace mode:
  no auth.test at construction (so the process starts without the network), one cached auth.test
  later with a short timeout, and a failing auth.test never blocks or fails a request.
* `api_url` is the Web API base URL (SLACK_API_URL). The App's WebClient carries the retry policy's
  handlers (bot/slack/delivery.py); Bolt copies them into the client each request gets.
* A global middleware stamps each request with an id and its arrival time (bot/slack/observe.py).
"""

from __future__ import annotations

import logging
from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App

from bot.config import Settings
from bot.slack.dedupe import SeenEvents
from bot.slack.delivery import RetryPolicy
from bot.slack.identity import BotIdentity
from bot.slack.listeners import register
from bot.slack.observe import stamp_request
from bot.slack.ratelimit import RateLimiter

DEFAULT_API_URL = "https://slack.com/api/"
LAZY_WORKERS = 4  # searches are CPU-bound (GIL): more threads add no throughput, only take time from acks


def normalise_api_url(url: str | None) -> str:
    """The base URL with exactly one trailing slash (WebClient joins method names onto it)."""
    url = (url or DEFAULT_API_URL).strip()
    return url.rstrip("/") + "/"


def listener_executor(workers: int = LAZY_WORKERS) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="slack-listener")


def build_app(
    library,
    settings: Settings,
    *,
    token: str,
    signing_secret: str = "",
    api_url: str | None = None,
    request_verification: bool = True,
    lazy_workers: int = LAZY_WORKERS,
    executor: Executor | None = None,
    policy: RetryPolicy | None = None,
    seen: SeenEvents | None = None,
    clicks: SeenEvents | None = None,
    limiter: RateLimiter | None = None,
    identity: BotIdentity | None = None,
    logger: logging.Logger | None = None,
) -> App:
    """A Bolt App with every listener registered; `library` is a Library or a LibrarySlot."""
    base_url = normalise_api_url(api_url)
    policy = policy or RetryPolicy()
    executor = executor or listener_executor(lazy_workers)
    identity = identity or BotIdentity(token, base_url)
    # The App's own client carries no token: each request's client gets it from `authorize`.
    client = policy.web_client(base_url, logger=logger)

    def authorize(enterprise_id, team_id, user_id):  # Bolt passes arguments by these names
        return identity(enterprise_id, team_id, user_id)

    app = App(
        name="quote-bot",
        client=client,
        authorize=authorize,
        signing_secret=signing_secret,
        request_verification_enabled=request_verification,
        process_before_response=True,
        listener_executor=executor,
        logger=logger,
    )
    app.use(stamp_request)
    register(app, library, settings, seen=seen, clicks=clicks, limiter=limiter, policy=policy, executor=executor)
    return app
