"""Building the Bolt App: one place that decides how requests are acknowledged and where work runs.

* `process_before_response=True` makes Bolt run each listener's ack function in the HTTP request
  thread (a gunicorn thread) and return its response directly. Our ack functions only call
  `ack()`, so Slack gets its 200 in milliseconds. With the default (False), the ack function is
  queued on the same small thread pool as the searches, and a burst of slow searches could hold
  an ack past Slack's 3 seconds.
* The real work (search, render, respond / chat.postMessage) runs in Bolt's lazy listeners on a
  dedicated executor of `lazy_workers` threads, separate from the request threads.
* `authorize=BotIdentity(...)` (bot/slack/identity.py) instead of Bolt's single-workspace mode:
  no auth.test at construction (so the process starts without the network), one cached auth.test
  later with a short timeout, and a failing auth.test never blocks or fails a request.
* `api_url` is the Web API base URL (SLACK_API_URL), passed to the WebClient the App uses.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

from bot.config import Settings
from bot.slack.dedupe import SeenEvents
from bot.slack.identity import BotIdentity
from bot.slack.listeners import register
from bot.slack.ratelimit import RateLimiter

DEFAULT_API_URL = "https://slack.com/api/"
LAZY_WORKERS = 4  # searches are CPU-bound (GIL): more threads add no throughput, only take time from acks


def normalise_api_url(url: str | None) -> str:
    """The base URL with exactly one trailing slash (WebClient joins method names onto it)."""
    url = (url or DEFAULT_API_URL).strip()
    return url.rstrip("/") + "/"


def build_app(
    library,
    settings: Settings,
    *,
    token: str,
    signing_secret: str = "",
    api_url: str | None = None,
    request_verification: bool = True,
    lazy_workers: int = LAZY_WORKERS,
    seen: SeenEvents | None = None,
    limiter: RateLimiter | None = None,
    identity: BotIdentity | None = None,
    logger: logging.Logger | None = None,
) -> App:
    """A Bolt App with every listener registered; `library` is a Library or a LibrarySlot."""
    base_url = normalise_api_url(api_url)
    identity = identity or BotIdentity(token, base_url)
    # The App's own client carries no token: each request's client gets it from `authorize`.
    client = WebClient(base_url=base_url, logger=logger)

    def authorize(enterprise_id, team_id, user_id):  # Bolt passes arguments by these names
        return identity(enterprise_id, team_id, user_id)

    app = App(
        name="quote-bot",
        client=client,
        authorize=authorize,
        signing_secret=signing_secret,
        request_verification_enabled=request_verification,
        process_before_response=True,
        listener_executor=ThreadPoolExecutor(max_workers=lazy_workers, thread_name_prefix="slack-listener"),
        logger=logger,
    )
    register(app, library, settings, seen=seen, limiter=limiter)
    return app
