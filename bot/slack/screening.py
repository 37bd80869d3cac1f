"""Which requests to /slack/events may reach Bolt: pure checks over the headers and the whole body.

Cheapest first, and nothing is read from an oversized or unsigned body: the declared size (413),
the signature headers present and each given once (401), then, once the body is read (413 if a
chunked body runs over), the signature and its timestamp within five minutes (401), the content
type (400) and the body's shape (400), which only a signed request learns about.

The shape check makes sure Bolt parses exactly what was checked: a form field given twice is
refused (the check would read the first `payload=`, Bolt the last), JSON nested past Python's
recursion limit is refused (it raised RecursionError: a 500), a `payload` must be a JSON object,
and a `block_actions` payload must carry a list of actions, each an object with a text action_id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus

from slack_sdk.signature import SignatureVerifier

# Slack's biggest payloads are events carrying a 40,000-character message (JSON-escaped, with its
# rich-text blocks); a megabyte is several times that and still cheap to refuse early.
MAX_BODY_BYTES = 1024 * 1024
FORM = "application/x-www-form-urlencoded"
SLACK_CONTENT_TYPES = (FORM, "application/json")
SIGNATURE_HEADERS = ("x-slack-request-timestamp", "x-slack-signature")
COMMAND_FIELD = re.compile(rb"(?:^|&)command=")
USER_FIELD = re.compile(rb"(?:^|&)user_id=([^&]*)")


@dataclass(frozen=True)
class Rejection:
    """Why a request must not reach Bolt: the HTTP status and a reason for the log and the body."""

    status: int
    reason: str


TOO_LARGE = Rejection(413, "request body too large")
UNSIGNED = Rejection(401, "missing signature")
AMBIGUOUS = Rejection(401, "signature headers given more than once")
FORGED = Rejection(401, "invalid or expired signature")
WRONG_TYPE = Rejection(400, "unsupported content type")
MALFORMED = Rejection(400, "malformed body")
REPEATED_FIELD = Rejection(400, "a form field is given more than once")


def mimetype(headers: Mapping[str, str]) -> str:
    return (headers.get("content-type") or "").split(";", 1)[0].strip().lower()


def screen_head(headers: Mapping[str, str], counts: Mapping[str, int], max_body: int = MAX_BODY_BYTES) -> Rejection | None:
    """Before the body is read. `headers` lower-cased (the last of repeated ones), `counts` how
    often each name came."""
    length = (headers.get("content-length") or "").strip()
    if length and (not length.isdigit() or int(length) > max_body):
        return TOO_LARGE
    if not all(headers.get(name) for name in SIGNATURE_HEADERS):
        return UNSIGNED
    if any(counts.get(name, 0) > 1 for name in SIGNATURE_HEADERS):
        return AMBIGUOUS
    return None


def screen_body(headers: Mapping[str, str], body: bytes, verifier: SignatureVerifier) -> Rejection | None:
    """Once the whole body is in (and within the size limit)."""
    if not signed(verifier, headers, body):
        return FORGED
    kind = mimetype(headers)
    if kind not in SLACK_CONTENT_TYPES:
        return WRONG_TYPE
    return body_problem(body, kind)


def signed(verifier: SignatureVerifier, headers: Mapping[str, str], body: bytes) -> bool:
    timestamp = headers.get("x-slack-request-timestamp")
    signature = headers.get("x-slack-signature")
    if not timestamp or not signature:
        return False
    try:
        return verifier.is_valid(body, timestamp, signature)
    except (ValueError, TypeError):  # non-numeric timestamp, body not UTF-8
        return False


def body_problem(body: bytes, kind: str) -> Rejection | None:
    """A JSON body is a JSON object; a form is UTF-8, names each field once, and its `payload`
    (when there is one) is an interaction Bolt can route."""
    try:
        text = body.decode("utf-8")
        if kind == "application/json":
            return None if isinstance(json.loads(text), dict) else MALFORMED
        fields = parse_qsl(text, keep_blank_values=True)
        names = [name for name, _ in fields]
        if len(set(names)) != len(names):
            return REPEATED_FIELD
        payload = dict(fields).get("payload")
        return None if payload is None or well_formed_payload(json.loads(payload)) else MALFORMED
    except (UnicodeDecodeError, ValueError, RecursionError):
        return MALFORMED


def well_formed_payload(payload: object) -> bool:
    if not isinstance(payload, dict):
        return False
    if payload.get("type") == "block_actions":
        actions = payload.get("actions")
        if not isinstance(actions, list) or not actions:
            return False
        if not all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions):
            return False
    return all(isinstance(payload.get(name), (dict, type(None))) for name in ("user", "team", "channel", "container"))


def is_slash_command(headers: Mapping[str, str], body: bytes) -> bool:
    """A form with a `command` field (what Bolt routes to a command listener)."""
    return mimetype(headers) == FORM and COMMAND_FIELD.search(body) is not None


def command_user(headers: Mapping[str, str], body: bytes) -> str | None:
    """The user of a slash command (a form with a `command` field), else None. Only for a body
    `screen_body` passed: each field is then given once, so the first match is the one Bolt reads."""
    if not is_slash_command(headers, body):
        return None
    user = USER_FIELD.search(body)
    return unquote_plus(user.group(1).decode("utf-8")) if user else ""
