"""A local fake of Slack (Web API and response_urls), and requests signed exactly as Slack signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"
BOT_USER = "UBOT00001"
BOT_ID = "BBOT00001"
TEAM = "T0001TEST"
APP_ID = "A0001TEST"


@dataclass
class Record:
    """One request the fake received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def api_method(self) -> str | None:
        return self.path[len("/api/"):] if self.path.startswith("/api/") else None


@dataclass(frozen=True)
class Fault:
    """One scripted answer of the fake: a status, a body, headers, and how long to wait first.

    A `delay` longer than the bot's client timeout is a hang: the bot gives up on the attempt
    while the fake is still waiting (its late answer then goes nowhere).
    """

    status: int = 500
    body: dict | str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0


RATE_LIMITED = Fault(429, {"ok": False, "error": "ratelimited"}, (("Retry-After", "1"),))
SERVER_ERROR = Fault(500, {"ok": False, "error": "internal_error"})
EXPIRED_URL = Fault(404, "expired_url")
USED_URL = Fault(404, "used_url")


def hang(seconds: float) -> Fault:
    return Fault(200, {"ok": True}, delay=seconds)


class FakeSlack:
    """A real HTTP server on loopback standing in for slack.com/api and for response_urls.

    Every request is recorded when it arrives; Web API methods answer `{"ok": true, …}`;
    response_urls (shaped like Slack's, `/commands/T…/…/SECRET`) answer `{"ok": true}`.
    `inject(path, *faults)` scripts the next answers to a path (429 with Retry-After, 500, a hang,
    an expired URL); `fail_once` makes the next request to a path answer 500 (or, for a Web API
    method, HTTP 200 with `ok: false`, which no retry handler retries).
    """

    def __init__(self):
        self.records: list[Record] = []
        self.lock = threading.Lock()
        self.fail_once: dict[str, int] = {}
        self.faults: dict[str, list[Fault]] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                path = urllib.parse.urlsplit(self.path).path
                record = Record("POST", path, {k.lower(): v for k, v in self.headers.items()}, body, parse(self.headers, body))
                with fake.lock:
                    fake.records.append(record)
                status, answer, headers, delay = fake.answer(record)
                if delay:
                    time.sleep(delay)
                payload = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain; charset=utf-8" if isinstance(answer, str) else "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in headers:
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot gave up waiting (a hang): nobody is listening any more

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-slack", daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.url + "/api/"

    def response_url(self, tag: str | None = None) -> str:
        """A response_url shaped like Slack's: https://hooks.slack.com/commands/TEAM/NUMBER/SECRET."""
        return f"{self.url}/commands/{TEAM}/{uuid.uuid4().int % 10**13}/{tag or uuid.uuid4().hex}"

    def inject(self, path: str, *faults: Fault) -> None:
        """The next len(faults) requests to `path` get these answers, in order; then normal answers."""
        with self.lock:
            self.faults.setdefault(path, []).extend(faults)

    def answer(self, record: Record) -> tuple[int, dict | str, tuple[tuple[str, str], ...], float]:
        with self.lock:
            scripted = self.faults.get(record.path)
            fault = scripted.pop(0) if scripted else None
            failures = self.fail_once.get(record.path, 0)
            if failures and fault is None:
                self.fail_once[record.path] = failures - 1
        method = record.api_method
        if fault is not None:
            if fault.status < 300 and fault.body == {"ok": True} and method:
                status, body = self.normal(record)
                return status, body, fault.headers, fault.delay
            return fault.status, fault.body if fault.body is not None else {"ok": False}, fault.headers, fault.delay
        if failures:
            return ((200, {"ok": False, "error": "fatal_error"}) if method else (500, {"ok": False})) + ((), 0.0)
        return self.normal(record) + ((), 0.0)

    def normal(self, record: Record) -> tuple[int, dict]:
        method = record.api_method
        if method == "auth.test":
            return 200, {"ok": True, "url": "https://test.slack.com/", "team": "Test", "user": "quotebot",
                         "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID}
        if method == "chat.postMessage":
            return 200, {"ok": True, "channel": record.data.get("channel"), "ts": f"{time.time():.6f}",
                         "message": {"text": record.data.get("text")}}
        if method == "chat.postEphemeral":
            return 200, {"ok": True, "message_ts": f"{time.time():.6f}"}
        if method == "views.publish":
            return 200, {"ok": True, "view": record.data.get("view")}
        return 200, {"ok": True}

    def calls(self, where: Callable[[Record], bool] | None = None) -> list[Record]:
        with self.lock:
            return [r for r in self.records if where is None or where(r)]

    def to(self, path: str) -> list[Record]:
        """Requests to exactly this path (e.g. one test's response_url path)."""
        return self.calls(lambda r: r.path == path)

    def wait_for(self, where: Callable[[Record], bool], count: int = 1, timeout: float = 15.0) -> list[Record]:
        """Poll (every 10 ms) until `count` matching requests arrived; fail after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.calls(where)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} matching request(s) at the fake Slack, got {len(found)}: "
                                     f"{[r.path for r in self.calls()][-10:]}")
            time.sleep(0.01)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def parse(headers, body: bytes) -> dict[str, Any]:
    content_type = (headers.get("Content-Type") or "").lower()
    text = body.decode("utf-8", "replace") if body else ""
    if "json" in content_type:
        try:
            return json.loads(text) if text else {}
        except json.JSONDecodeError:
            return {"unparsed": text}
    form = {k: v[0] for k, v in urllib.parse.parse_qs(text).items()}
    for key in ("blocks", "view"):
        if isinstance(form.get(key), str):
            try:
                form[key] = json.loads(form[key])
            except json.JSONDecodeError:
                pass
    return form


def path_of(url: str) -> str:
    return urllib.parse.urlsplit(url).path


# ---------------------------------------------------------------- requests as Slack sends them


def signature(body: bytes, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(body: bytes, content_type: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature(body, ts, secret),
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    }


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def slash_command(command: str, text: str, response_url: str, *, user_id: str = "U0USER001", channel_id: str = "C0CHAN001") -> bytes:
    fields = {
        "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "team_id": TEAM,
        "team_domain": "test",
        "channel_id": channel_id,
        "channel_name": "general",
        "user_id": user_id,
        "user_name": "steve",
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
    }
    return urllib.parse.urlencode(fields).encode()


def event_callback(event: dict, *, event_id: str | None = None) -> bytes:
    body = {
        "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "team_id": TEAM,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or "Ev" + uuid.uuid4().hex[:10].upper(),
        "event_time": int(time.time()),
        "authorizations": [
            {"enterprise_id": None, "team_id": TEAM, "user_id": BOT_USER, "is_bot": True, "is_enterprise_install": False}
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIn0",
    }
    return json.dumps(body, ensure_ascii=False).encode()


def mention(text: str, *, user: str = "U0USER001", channel: str = "C0CHAN001", ts: str | None = None, thread_ts: str | None = None, **extra) -> dict:
    ts = ts or f"{time.time():.6f}"
    event = {
        "type": "app_mention",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "team": TEAM,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    event.update(extra)
    return event


def block_action(action_id: str, value: str | None, response_url: str, *, user_id: str = "U0USER001", channel_id: str = "C0CHAN001") -> bytes:
    payload = {
        "type": "block_actions",
        "user": {"id": user_id, "username": "steve", "name": "steve", "team_id": TEAM},
        "api_app_id": APP_ID,
        "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": channel_id, "is_ephemeral": True},
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        "team": {"id": TEAM, "domain": "test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": "general"},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "preview_actions",
                "text": {"type": "plain_text", "text": action_id, "emoji": True},
                "type": "button",
                "action_ts": f"{time.time():.6f}",
                **({"value": value} if value is not None else {}),
            }
        ],
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload, ensure_ascii=False)}).encode()


@dataclass
class HttpResult:
    status: int
    body: bytes
    seconds: float

    def json(self):
        return json.loads(self.body.decode() or "null")


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = 10.0) -> HttpResult:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return HttpResult(response.status, response.read(), time.perf_counter() - started)
    except urllib.error.HTTPError as error:
        return HttpResult(error.code, error.read(), time.perf_counter() - started)


def raw_post(url: str, headers: dict[str, str], body: bytes, *, chunked: bool = False, chunk: int = 64 * 1024) -> int:
    """POST with http.client, with a Content-Length or chunked (Transfer-Encoding), tolerating a
    server that answers before the whole body is sent; returns the status."""
    import http.client

    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest("POST", parts.path)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.putheader(*(("Transfer-Encoding", "chunked") if chunked else ("Content-Length", str(len(body)))))
        connection.endheaders()
        try:
            if not chunked:
                connection.send(body)
            else:
                for start in range(0, len(body), chunk):
                    piece = body[start:start + chunk]
                    connection.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                connection.send(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused early: the status line is still there to read
        return connection.getresponse().status
    finally:
        connection.close()


def get(url: str, timeout: float = 5.0) -> HttpResult:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return HttpResult(response.status, response.read(), time.perf_counter() - started)
    except urllib.error.HTTPError as error:
        return HttpResult(error.code, error.read(), time.perf_counter() - started)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def all_text(message: dict) -> str:
    """Every string in a message or view dict, concatenated (to search for escaping problems)."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message)
    return "\n".join(out)


def mrkdwn_texts(message: dict) -> list[str]:
    """The mrkdwn strings of a message: what Slack parses for links and mentions."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
                out.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.get("blocks") or [])
    if isinstance(message.get("text"), str):
        out.append(message["text"])
    return out
