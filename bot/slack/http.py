"""The HTTP app Slack calls (ASGI): a whole request is read before anything takes a thread.

Why ASGI on an event loop: a client that sends half its headers, or half its body, and stops (a
slow phone network, or someone probing the public URL) cost a whole worker thread under a
threaded server, and a dozen of them held every ack past Slack's 3 seconds. Here the event loop
reads requests, so a stalled connection costs a socket, not a thread; the server's protocol gives
up on headers after a deadline (bot/slack/worker.py), and this app on a body after
`body_timeout` (408). Only a whole request goes, through Bolt's own ASGI adapter
(`slack_bolt.adapter.asgi.SlackRequestHandler`), to a dispatch thread, in one hop: there it is
screened (signature, shape, replay guard: bot/slack/screening.py) and Bolt runs the ack listener
(which only queues the answer). One hop, not two: each hop between the loop and a thread cost
as much CPU as a screen.

Routes: `POST /slack/events` (screened by bot/slack/screening.py, then an exact replay within the
signature's window is acknowledged and ignored, across processes when REDIS_URL is set; a slash
command's rate limit is asked in the same Redis round trip and handed to its listener), and
`GET /healthz`: 200 once the library is open and holds passages (with `"status": "degraded"` when
Redis is unreachable), 503 with the reason while loading, after a failed load, or when the
library holds no passages.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltResponse
from slack_bolt.adapter.asgi import SlackRequestHandler
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.config import Settings
from bot.slack.observe import log_rejected
from bot.slack.readiness import LibrarySlot
from bot.slack.ratelimit import RATE_VERDICT, REPLAY_KEY
from bot.slack.screening import MAX_BODY_BYTES, Rejection, command_user, is_slash_command, mimetype, screen_body, screen_head
from bot.slack.summary import summary_of
from bot.slack.shared_state import REPLAY_TTL_SECONDS, SharedState

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
BODY_TIMEOUT_SECONDS = 10.0  # a Slack request is a few KB, sent at once
DISPATCH_THREADS = 8  # they run Bolt's ack path (milliseconds each); waiting happens elsewhere
REPLAYED = Rejection(200, "replayed request ignored")
TIMED_OUT = Rejection(408, "request body not received in time")
LOG = logging.getLogger("bot.slack")


class ThreadedBoltHandler(SlackRequestHandler):
    """Bolt's ASGI adapter, with the rest of the request's work run on a dispatch thread, off the loop,
    in one hop: `screen(headers, body)` (the signature, the body's shape, the replay guard's Redis
    round trip), then `App.dispatch` (synchronous), whose ack listener only queues the answer."""

    def __init__(self, app: App, executor: ThreadPoolExecutor, screen, path: str = EVENTS_PATH):
        super().__init__(app, path)
        self.executor = executor
        self.screen = screen

    async def dispatch(self, request):
        # The body was read (and the headers decoded) by SlackHttpApp.events; `replay` carries them.
        headers, body = request.receive.screened
        return await asyncio.get_running_loop().run_in_executor(
            self.executor, self.screen_and_dispatch, headers, body, request.query_string)

    def screen_and_dispatch(self, headers: dict[str, str], body: bytes, query: str) -> BoltResponse:
        rejection, context = self.screen(headers, body)
        if rejection is not None:
            log_rejected(rejection.status, rejection.reason, content_type=mimetype(headers) or None, bytes=len(body))
            text = "" if rejection.status == 200 else json.dumps({"error": rejection.reason})
            return BoltResponse(status=rejection.status, body=text, headers={"content-type": "application/json"})
        return self.app.dispatch(BoltRequest(body=body.decode("utf-8"), query=query, headers=headers, context=context))


class SlackHttpApp:
    """The ASGI app of one worker process. `close()` finishes the answers in flight (at shutdown)."""

    def __init__(self, bolt_app: App, slot: LibrarySlot, settings: Settings, signing_secret: str, *,
                 state: SharedState, limiter=None, on_close=(), max_body: int = MAX_BODY_BYTES,
                 body_timeout: float = BODY_TIMEOUT_SECONDS):
        self.slot = slot
        self.settings = settings
        self.state = state
        self.limiter = limiter  # the listeners' rate limiter (from `state`): slash commands are counted here
        self.verifier = SignatureVerifier(signing_secret)
        self.replays = state.once("replay", REPLAY_TTL_SECONDS)
        self.max_body = max_body
        self.body_timeout = body_timeout
        self.dispatcher = ThreadPoolExecutor(DISPATCH_THREADS, thread_name_prefix="slack-dispatch")
        self.bolt = ThreadedBoltHandler(bolt_app, self.dispatcher, self.screen)
        self.on_close = tuple(on_close)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self.bolt(scope, receive, send)  # Bolt's adapter answers startup and shutdown
            return
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            status, report = await asyncio.get_running_loop().run_in_executor(self.dispatcher, self.health)
            await respond(send, status, json.dumps(report).encode())
        elif path == EVENTS_PATH and method == "POST":
            await self.events(scope, receive, send)
        elif path in (EVENTS_PATH, HEALTH_PATH):
            await respond(send, 405, b'{"error": "method not allowed"}')
        else:
            await respond(send, 404, b'{"error": "not found"}')

    async def events(self, scope, receive, send) -> None:
        headers: dict[str, str] = {}
        repeated = Counter()
        for raw_name, raw_value in scope["headers"]:
            name = raw_name.decode("latin-1").lower()
            if name in headers:
                repeated[name] += 1
            headers[name] = raw_value.decode("latin-1")
        rejection = screen_head(headers, {name: 1 + repeated[name] for name in repeated}, self.max_body)
        if rejection is not None:
            await self.reject(send, rejection, headers, close=True)
            return
        body = await self.read_body(receive)
        if body is None:
            return  # the client went away
        if isinstance(body, Rejection):
            await self.reject(send, body, headers, close=True)
            return
        await self.bolt(scope, replay(body, headers), send)

    def screen(self, headers: dict[str, str], body: bytes) -> tuple[Rejection | None, dict | None]:
        """Why the request must not reach Bolt (or None), and what the screen learnt for the
        listener. A slash command's replay guard and rate limit: with REDIS_URL set, they are left to
        where it is answered, in one round trip off the ack (`REPLAY_KEY`: bot/slack/handover.py), so
        that no Redis client work or round trip is on its ack; without, they are taken in this
        process's memory now (`RATE_VERDICT`). Other requests ask the replay guard here."""
        rejection = screen_body(headers, body, self.verifier)
        if rejection is not None:
            return rejection, None
        signature = headers.get("x-slack-signature")
        if not is_slash_command(headers, body):
            return (None if self.replays.first_time(signature) else REPLAYED), None
        if self.state.shared:
            return None, {REPLAY_KEY: signature}
        if self.limiter is None:
            return (None if self.replays.first_time(signature) else REPLAYED), None
        first, allowed = self.state.take(self.replays, signature, self.limiter, command_user(headers, body))
        return (None if first else REPLAYED), {RATE_VERDICT: allowed}

    async def read_body(self, receive) -> bytes | Rejection | None:
        body = bytearray()
        try:
            async with asyncio.timeout(self.body_timeout):  # no task per read, unlike wait_for
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return None
                    body += message.get("body", b"")
                    if len(body) > self.max_body:
                        return Rejection(413, "request body too large")
                    if not message.get("more_body", False):
                        return bytes(body)
        except TimeoutError:
            return TIMED_OUT

    async def reject(self, send, rejection: Rejection, headers: dict[str, str], *, close: bool = False, size: int | None = None) -> None:
        length = headers.get("content-length")
        log_rejected(rejection.status, rejection.reason, content_type=mimetype(headers) or None,
                     bytes=size if size is not None else (int(length) if (length or "").isdigit() else None))
        body = b"" if rejection.status == 200 else json.dumps({"error": rejection.reason}).encode()
        await respond(send, rejection.status, body, close=close)

    def health(self) -> tuple[int, dict]:
        if self.slot.error is not None:
            return 503, {"ok": False, "status": "failed", "error": str(self.slot.error),
                         "reason": f"the library failed to load: {self.slot.error}"}
        if not self.slot.ready:
            return 503, {"ok": False, "status": "loading", "reason": "the library is loading"}
        summary = summary_of(self.slot.get(timeout=0), self.settings)
        figures = {"documents": summary.documents, "passages": summary.passages}
        empty = summary.empty_reason()
        if empty is not None:
            return 503, {"ok": False, "status": "empty", "reason": empty, **figures}
        degraded = self.state.check()
        if degraded is not None:
            return 200, {"ok": True, "status": "degraded", "degraded": degraded, **figures}
        return 200, {"ok": True, "status": "ready", "shared_state": "redis" if self.state.shared else "process", **figures}

    def close(self) -> None:
        """Finish every answer in flight (the listeners' queue, the searches), then stop."""
        for step in self.on_close:
            step()
        self.dispatcher.shutdown(wait=True)


def replay(body: bytes, headers: dict[str, str]):
    """An ASGI `receive` that gives `body` (already read) to Bolt's adapter; it carries the decoded
    headers and the body's bytes for ThreadedBoltHandler, which screens them before Bolt parses them."""
    sent = False

    async def receive():
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    receive.screened = (headers, body)
    return receive


async def respond(send, status: int, body: bytes, *, close: bool = False) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if close:  # the rest of the body is never read: the connection cannot be reused
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
