"""Getting a reply to Slack: retried when Slack is briefly unwell, and never lost without a trace.

Slack's Web API and response_urls sometimes answer 429 (with Retry-After), 500/503, or not at all.
Users forgive a slow answer; they do not forgive silence. So every way the bot talks to Slack
(the WebClient behind chat.postMessage / chat.postEphemeral / views.publish, and the
response_url posts behind every slash-command and button answer) carries slack_sdk's retry
handlers, bounded by one `RetryPolicy`:

* `RateLimitErrorRetryHandler` for 429, sleeping what Retry-After asks; a Retry-After longer than
  `max_retry_after` is not waited for (a listener thread is not parked for a minute; the reply is
  reported undelivered instead, see below).
* `ServerErrorRetryHandler` for 500 and 503.
* `ConnectionErrorRetryHandler` for refused/reset connections AND timeouts (slack_sdk's default list
  has no TimeoutError, which is what a Slack that accepts but never answers raises).
* at most `max_retries` retries in all, `timeout` seconds per attempt, exponential backoff.

A retried post can, in the rare case where Slack did act on an attempt that then timed out, show
twice; a reply that never arrives is worse, and Slack documents retrying on timeouts.

Bolt's own `respond()` builds a `WebhookClient` with no retry handlers and a 30 s timeout, so the
listeners use `Responder` instead: the same call shape, over a WebhookClient built with the
policy's handlers. A response_url is good for 30 minutes and 5 posts; after that Slack answers
404 `expired_url` / `used_url`, and the Responder falls back to the Web API (chat.postEphemeral
to the user, or chat.postMessage for a public post). Any other 404 or 410 means the same for the
user (the URL will never take this reply), so it falls back too. When a reply finally cannot be delivered,
`DeliveryFailed` says where and why, and the listener logs it with the request id: an ERROR
line, never a silent loss.
"""

from __future__ import annotations

import logging
import random
import socket
from dataclasses import dataclass
from http.client import HTTPException, RemoteDisconnected
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.jitter import Jitter
from slack_sdk.webhook import WebhookClient

from bot.slack.blocks import Message

# Slack answers a spent response_url with 404 `expired_url` or `used_url`; any 404 or 410 is handled alike.
GONE_STATUSES = (404, 410)
VIA_RESPONSE_URL = "response_url"
VIA_EPHEMERAL = "chat.postEphemeral"
VIA_POST = "chat.postMessage"
VIA_NOTHING = "nothing_to_do"  # deleting a preview through a spent URL: nothing left to delete
# Retried: refused or reset connections, and timeouts.
TRANSPORT_ERRORS = (URLError, ConnectionResetError, RemoteDisconnected, TimeoutError, socket.timeout)
# Reported as undelivered once the retries are spent: any failure to talk HTTP at all (TLS, a
# truncated answer, …), not only the ones worth retrying.
DELIVERY_ERRORS = (OSError, HTTPException)


def block_dicts(message: Message) -> list[dict[str, Any]]:
    """The blocks as Slack takes them. A search process sends them already as dicts (rendering and
    slack_sdk's validation cost CPU the web process keeps for acks); blocks made here are converted now."""
    return [block if isinstance(block, dict) else block.to_dict() for block in message.blocks]


class DeliveryFailed(Exception):
    """A reply Slack never got, after every retry and fallback; the message says where and why."""

    def __init__(self, where: str, reason: str):
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}")


class ProportionalJitter(Jitter):
    """Up to half the interval again at random: spreads retries out without adding a whole second
    (slack_sdk's RandomJitter adds up to 1 s to every wait, too long for the short waits of tests)."""

    def recalculate(self, duration: float) -> float:
        return duration * (1.0 + random.random() / 2)


class BoundedRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """slack_sdk's 429 handler, except that a Retry-After above `max_wait` seconds is not waited for."""

    def __init__(self, max_retry_count: int, max_wait: float):
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait

    def _can_retry(self, *, state, request, response=None, error=None) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        return retry_after(response.headers) <= self.max_wait


def retry_after(headers: dict[str, Any]) -> float:
    """Seconds from a Retry-After header (slack_sdk gives header values as lists); 1 if absent or odd."""
    for key, value in (headers or {}).items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, (list, tuple)) and value else value
            try:
                return float(raw)
            except (TypeError, ValueError):
                return 1.0
    return 1.0


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: the same bounds for the Web API and for response_urls."""

    max_retries: int = 2
    timeout: float = 10.0  # seconds per attempt; Slack answers in well under a second when healthy
    backoff: float = 0.5  # first wait before a retry of a 5xx or a connection error; doubles after
    max_retry_after: float = 20.0  # a longer Retry-After is reported, not waited for

    def handlers(self) -> list[RetryHandler]:
        interval = BackoffRetryIntervalCalculator(backoff_factor=self.backoff, jitter=ProportionalJitter())
        return [
            BoundedRateLimitRetryHandler(self.max_retries, self.max_retry_after),
            ServerErrorRetryHandler(max_retry_count=self.max_retries, interval_calculator=interval),
            ConnectionErrorRetryHandler(
                max_retry_count=self.max_retries, interval_calculator=interval, error_types=list(TRANSPORT_ERRORS)
            ),
        ]

    def web_client(self, base_url: str, *, token: str | None = None, logger: logging.Logger | None = None) -> WebClient:
        """The WebClient the Bolt app (and so every request's `client`) is built from."""
        # urllib takes a float timeout, whatever WebClient's annotation says.
        return WebClient(token=token, base_url=base_url, timeout=self.timeout, retry_handlers=self.handlers(), logger=logger)  # type: ignore[arg-type]

    def webhook(self, url: str) -> WebhookClient:
        return WebhookClient(url=url, timeout=self.timeout, retry_handlers=self.handlers())  # type: ignore[arg-type]


@dataclass(frozen=True)
class ReplyPlan:
    """Where one answer goes and how, in a form another process can take (bot/slack/courier.py):
    the response_url, the channel and user (and thread) for the fallback, and respond()'s options."""

    response_url: str | None
    channel_id: str | None
    user_id: str | None
    thread_ts: str | None = None
    options: tuple[tuple[str, Any], ...] = ()


class Responder:
    """`respond()` for one request: posts to its response_url with retries, falls back when it is spent.

    Called like Bolt's respond (`responder(message, response_type=..., replace_original=...)`) and
    returns how the message went (`VIA_*`), for the log line; raises DeliveryFailed otherwise.
    """

    def __init__(
        self,
        response_url: str | None,
        *,
        policy: RetryPolicy,
        client: WebClient | None,
        channel_id: str | None,
        user_id: str | None,
        thread_ts: str | None = None,
    ):
        self.response_url = response_url
        self.policy = policy
        self.client = client
        self.channel_id = channel_id
        self.user_id = user_id
        self.thread_ts = thread_ts

    @classmethod
    def from_plan(cls, plan: ReplyPlan, *, policy: RetryPolicy, client: WebClient | None) -> Responder:
        return cls(plan.response_url, policy=policy, client=client, channel_id=plan.channel_id,
                   user_id=plan.user_id, thread_ts=plan.thread_ts)

    def plan(self, **options: Any) -> ReplyPlan:
        """This responder's destination with `options` (as `__call__` takes them), for a courier to deliver."""
        return ReplyPlan(self.response_url, self.channel_id, self.user_id, self.thread_ts, tuple(sorted(options.items())))

    def __call__(self, message: Message | None = None, **options: Any) -> str:
        payload: dict[str, Any] = dict(options)
        if message is not None:
            payload["text"] = message.text
            payload["blocks"] = block_dicts(message)
        if not self.response_url:
            return self._fall_back(payload, "no response_url")
        try:
            response = self.policy.webhook(self.response_url).send_dict(payload)
        except DELIVERY_ERRORS as error:
            raise DeliveryFailed(VIA_RESPONSE_URL, f"{type(error).__name__}: {error}") from error
        if response.status_code < 300:
            return VIA_RESPONSE_URL
        body = (response.body or "").strip()
        if response.status_code in GONE_STATUSES:
            return self._fall_back(payload, body[:40] or f"HTTP {response.status_code}")
        raise DeliveryFailed(VIA_RESPONSE_URL, f"HTTP {response.status_code} {body[:80]!r}")

    def _fall_back(self, payload: dict[str, Any], why: str) -> str:
        """The response_url is spent (or absent): the Web API, to the user or, for a share, the channel."""
        if payload.get("delete_original"):
            return VIA_NOTHING  # an expired preview cannot be deleted, and no longer needs to be
        if self.client is None or not self.channel_id or (not self.user_id and payload.get("response_type") != "in_channel"):
            raise DeliveryFailed(VIA_RESPONSE_URL, f"{why}, and no channel and user to fall back to")
        content = {"channel": self.channel_id, "text": payload.get("text") or " ", "blocks": payload.get("blocks")}
        if self.thread_ts:
            content["thread_ts"] = self.thread_ts
        try:
            if payload.get("response_type") == "in_channel":
                self.client.chat_postMessage(**content, unfurl_links=False, unfurl_media=False)
                return VIA_POST
            self.client.chat_postEphemeral(**content, user=self.user_id)
            return VIA_EPHEMERAL
        except SlackApiError as error:
            code = error.response.get("error") if error.response is not None else None
            raise DeliveryFailed(f"fallback after {why}", f"Slack said {code or error.response.status_code}") from error
        except DELIVERY_ERRORS as error:
            raise DeliveryFailed(f"fallback after {why}", f"{type(error).__name__}: {error}") from error
