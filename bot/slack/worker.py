"""The gunicorn worker `bot serve` runs: uvicorn's event loop, with a deadline on request headers.

uvicorn reads every request on its event loop, so a client that stalls costs a socket, not a
thread; but it waits for a request's headers without limit (its keep-alive timeout only runs
between requests, and any byte received cancels it, so a client trickling a header byte every few
seconds would hold its connection forever). `HeaderDeadlineProtocol` closes a connection whose
next request's headers are not complete `header_timeout` seconds after it opened or after its
last response. The body's deadline is the app's (bot/slack/http.py answers 408).

The protocol is uvicorn's httptools one: httptools is the C parser of Node.js's llhttp, where h11
(uvicorn's pure-Python default) cost a large share of each ack's CPU time in the web process.
The event loop is uvloop (libuv, in C) where it is installed: with asyncio's own loop, accepting
each connection, creating its transport and protocol and running the loop's callbacks were about
half of the web process's GIL time under load (every Slack request comes on a new connection).

Once the app is built, `settle_heap` freezes what start-up made out of the cyclic garbage
collector's reach: the collector's first full pass, walking all of it while holding the GIL, was
the tail of the acks in a burst (docs/RELIABILITY.md, "Session 4").
"""

from __future__ import annotations

import gc
import signal

import asyncio
import sys

from gunicorn.arbiter import Arbiter
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import Server
from uvicorn_worker import UvicornWorker

HEADER_TIMEOUT_SECONDS = 10.0
# How long a thread that wants the GIL waits before asking the holder to let go (CPython's default
# is 5 ms). The event loop and the dispatch threads take the GIL several times per ack, each time
# behind whatever answer thread holds it (posting a reply, waiting on a search): at 5 ms a go, an
# ack queued for tens of milliseconds behind answers. 1 ms lets acks in sooner, for a little more
# switching.
GIL_SWITCH_SECONDS = 0.001
# uvicorn's share of the 25 s graceful timeout (bot/slack/server.py): requests in flight; the rest
# is for answers being delivered.
HTTP_DRAIN_SECONDS = 10
# The cyclic garbage collector's thresholds in the web worker (CPython's are 700, 10, 10): a young
# pass per 10,000 new container objects (a millisecond or two), a full pass only every 20 middle ones.
GC_THRESHOLDS = (10_000, 10, 20)


def event_loop() -> str:
    """uvicorn's name for the event loop to run: uvloop when it can be imported, else asyncio's own."""
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return "asyncio"
    return "uvloop"


class HeaderDeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, closing connections that do not finish a request's headers in time."""

    header_timeout = HEADER_TIMEOUT_SECONDS

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._headers_seen = 0
        self._header_round = 0
        self._arm_header_deadline()

    def on_headers_complete(self) -> None:
        self._headers_seen += 1
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_header_deadline()

    def _arm_header_deadline(self) -> None:
        self._header_round += 1
        self.loop.call_later(self.header_timeout, self._header_deadline, self._header_round, self._headers_seen)

    def _header_deadline(self, round_number: int, headers_seen: int) -> None:
        if round_number != self._header_round or self.transport.is_closing():
            return  # a response went out since: a later deadline is armed
        if headers_seen != self._headers_seen:
            return  # a request's headers arrived in time (its body has the app's own deadline)
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a request is still being answered
        self.transport.close()


class QuoteBotWorker(UvicornWorker):
    """gunicorn's worker process, running the ASGI app of bot/slack/http.py on uvicorn."""

    CONFIG_KWARGS = {
        "loop": event_loop(),
        "http": HeaderDeadlineProtocol,
        "lifespan": "on",
        "timeout_graceful_shutdown": HTTP_DRAIN_SECONDS,
        "access_log": False,  # one structured line per request comes from the app (bot/slack/observe.py)
        # The client's address behind a PaaS router (X-Forwarded-For) is used by nothing here: no
        # middleware rewriting each request's scope for it.
        "proxy_headers": False,
    }

    async def _serve(self) -> None:
        """uvicorn_worker's own `_serve`, except that SIGQUIT (gunicorn's quick shutdown, sent on
        SIGINT) stops the server: uvicorn_worker's handler only marks the worker as not alive,
        which nothing reads, so the worker lingered until gunicorn killed it."""
        self.config.app = self.wsgi
        server = Server(config=self.config)
        asyncio.get_running_loop().add_signal_handler(signal.SIGQUIT, server.handle_exit, signal.SIGINT, None)
        await server.serve(sockets=self.sockets)
        if not server.started:
            sys.exit(Arbiter.WORKER_BOOT_ERROR)

    def load_wsgi(self) -> None:
        super().load_wsgi()  # builds the app (bot/slack/server.py `build_http_app`): every import is done
        settle_heap()

    def init_process(self) -> None:
        sys.setswitchinterval(GIL_SWITCH_SECONDS)  # in the worker only (gunicorn's master does no such work)
        super().init_process()

    def init_signals(self) -> None:
        """uvicorn catches SIGTERM/SIGINT while it serves, and raises them again once it has stopped,
        with whatever handler was there before: the default one would kill the process before
        gunicorn's `worker_exit` hook finishes the answers in flight. So the handler before is a
        no-op; the worker then returns from `run` and gunicorn calls the hook."""
        super().init_signals()
        for stop in (signal.SIGTERM, signal.SIGINT):
            signal.signal(stop, _already_stopping)


def settle_heap(thresholds: tuple[int, int, int] = GC_THRESHOLDS) -> None:
    """Once the app is built: put everything start-up made (modules, Bolt, the listeners, the
    config) out of the cyclic garbage collector's reach, and collect less often.

    Why (measured with per-request timestamps and gc.callbacks in the web worker, 2026-11-30): the
    collector's first full pass came a few hundred requests into the first burst and walked every
    object start-up had made (about 82,000; 50 ms of CPU, 130-200 ms on the clock on a busy
    machine) holding the GIL, so every ack in flight waited for it; the slowest acks of the burst
    were exactly those. Frozen objects are never walked again (they live as long as the process
    anyway). What a burst keeps alive (a thousand answers waiting for their searches) survives
    every young pass and was walked again by each; with fewer, larger young passes and full passes
    only after `thresholds[2]` middle ones, the collector's CPU time in a burst halved and no full
    pass fell inside one."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*thresholds)


def _already_stopping(signum, frame) -> None:
    """A stop signal after uvicorn has shut down: the worker is already on its way out."""
