"""What the bot says about each request in its logs: one structured line, and never a secret.

* Every Slack request the listeners handle ends in exactly ONE line on the `bot.slack.requests`
  logger: a JSON object with the request id, kind, command, user, team and channel ids, the
  outcome, how many results were shown, how the reply went and the latency from arrival to the
  reply being delivered. A reply that could not be delivered is that same line at ERROR, with
  the reason: what an operator greps for. Queries are not logged (what people search for is theirs).
* The request id is the Events API `event_id` when there is one (so Slack's retries of an event
  share it), else a fresh random id. A Bolt middleware stamps it, with the arrival time, on the
  request's context; the ack listener hands both to the work it queues (listeners/common.py).
* `RedactingFilter`, installed on the log handlers by `bot serve`, removes the bot token, the
  signing secret and app token (by value and by shape) and the secret part of any response_url
  from every record, including ones written by slack_sdk (which logs full URLs when it retries)
  and tracebacks. The listeners never log them in the first place; the filter is for everyone else.
"""

from __future__ import annotations

import json
import logging
import random
import re
import time
from collections.abc import Iterable
from typing import Any

REQUEST_LOG = logging.getLogger("bot.slack.requests")
REQUEST_ID = "request_id"
RECEIVED_AT = "received_at"

# xoxb-, xoxp-, xoxa-, xoxe-, … tokens and xapp- app tokens.
TOKEN_SHAPE = re.compile(r"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]{6,}")
# https://hooks.slack.com/commands/T…/…/SECRET, …/actions/…, …/services/… (incoming webhooks).
RESPONSE_URL_SHAPE = re.compile(
    r"(https?://[^/\s\"'<>]+/(?:commands|actions|services|workflows|interactions))/[^\s\"'<>)\]]+"
)
REDACTED = "[redacted]"
MIN_SECRET_CHARS = 6  # a shorter "secret" would redact ordinary words


def new_request_id() -> str:
    """A fresh id to find a request's lines by (not a secret: no need for the OS's entropy, which can be slow)."""
    return f"r{random.getrandbits(48):012x}"


def stamp_request(context, body, next) -> None:  # noqa: A002 (Bolt passes `next` by name)
    """Bolt global middleware: a request id and the arrival time, for the listener's log line."""
    event_id = body.get("event_id") if isinstance(body, dict) else None
    context[REQUEST_ID] = event_id if isinstance(event_id, str) and event_id else new_request_id()
    context[RECEIVED_AT] = time.monotonic()
    next()


class RequestLog:
    """The one line a request gets. Open it with `with`, set the outcome with `done`; the line is
    written when the block ends, whatever happens in it (an exception is recorded as "failed")."""

    def __init__(self, context, kind: str, **fields: Any):
        context = context or {}
        self.request_id: str = context.get(REQUEST_ID) or new_request_id()
        self.received_at: float = context.get(RECEIVED_AT) or time.monotonic()
        self.fields: dict[str, Any] = {"request_id": self.request_id, "kind": kind}
        self.fields.update({k: v for k, v in fields.items() if v is not None})
        self.outcome = "unfinished"
        self.level = logging.INFO
        self.handed_over = False

    def done(self, outcome: str, *, results: int | None = None, via: str | None = None, level: int = logging.INFO, **extra: Any) -> None:
        self.outcome = outcome
        self.level = level
        if results is not None:
            self.fields["results"] = results
        if via is not None:
            self.fields["via"] = via
        self.fields.update({k: v for k, v in extra.items() if v is not None})

    def undelivered(self, error: Exception) -> None:
        """The reply never reached Slack: an ERROR line with the reason."""
        self.done("undelivered", level=logging.ERROR, error=str(error))

    def hand_over(self) -> None:
        """The request was handed to a search process, which answers it and writes this line itself
        (bot/slack/handover.py): nothing is written here, unless this block fails."""
        self.handed_over = True

    def __enter__(self) -> RequestLog:
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is not None:
            self.done("failed", level=logging.ERROR, error=type(exc).__name__)
        elif self.handed_over:
            return False
        if REQUEST_LOG.isEnabledFor(self.level):  # LOG_LEVEL=WARNING: no JSON built for INFO lines nobody keeps
            line = dict(self.fields, outcome=self.outcome, latency_ms=round((time.monotonic() - self.received_at) * 1000, 1))
            REQUEST_LOG.log(self.level, json.dumps(line, ensure_ascii=False))
        return False


def log_rejected(status: int, reason: str, **fields: Any) -> None:
    """A request turned away before Bolt saw it (bad signature, too big, wrong type): its one line."""
    line = {"request_id": new_request_id(), "kind": "rejected", "status": status, "reason": reason}
    line.update({k: v for k, v in fields.items() if v is not None})
    REQUEST_LOG.warning(json.dumps(line, ensure_ascii=False))


class RedactingFilter(logging.Filter):
    """Removes secrets from every record that reaches the handler it is installed on."""

    def __init__(self, secrets: Iterable[str | None] = ()):
        super().__init__("redact")
        self.secrets = sorted({s for s in secrets if s and len(s) >= MIN_SECRET_CHARS}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        text = TOKEN_SHAPE.sub(REDACTED, text)
        return RESPONSE_URL_SHAPE.sub(r"\1/" + REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed %-format: keep the raw template rather than lose the record
            message = str(record.msg)
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install_redaction(secrets: Iterable[str | None], logger_names: Iterable[str] = ("", "gunicorn.error", "gunicorn.access")) -> RedactingFilter:
    """Put one RedactingFilter on every handler of the named loggers (root by default); idempotent."""
    redactor = RedactingFilter(secrets)
    for name in logger_names:
        for handler in logging.getLogger(name).handlers:
            for old in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
                handler.removeFilter(old)
            handler.addFilter(redactor)
    return redactor
