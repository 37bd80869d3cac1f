"""Delivering answers from the search processes, so that the web process only acknowledges.

Posting an answer (JSON, urllib, the retry handlers, Slack's reply parsed by http.client) cost
the web process about as much CPU as an ack, on the GIL the acks need; and the answer's blocks
came back from the search process pickled, only to be sent on. So `bot serve` has the search
process that computed an answer post it too, at the search processes' lower CPU priority:

* the web process sends, with the search, a `ReplyPlan` (where the answer goes: the
  response_url, and the channel and user for the fallback; bot/slack/delivery.py) and a ticket;
* in the search process a `Courier` posts the message on a thread pool of its own
  (`COURIER_THREADS` each), so a hung response_url holds one courier thread for its retries, never
  the search process, and the search returns at once with a small Outcome and no message;
* each courier thread posts through a `Responder` with the same RetryPolicy (bounded attempts
  and timeouts) and puts `(ticket, via, failure)` on a queue back to the web process, where
  `Receipts` turns it into the result of the ticket's Future: the request's one log line
  (bot/slack/observe.py) still says how the answer went, or why it did not, with its request id.

The web process waits for a receipt at most `Deadline.delivered_within` seconds
(listeners/common.py), past which the answer is reported undelivered.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from bot.slack.blocks import Message
from bot.slack.delivery import DeliveryFailed, ReplyPlan, Responder, RetryPolicy

COURIER_THREADS = 32  # per search process: they wait on Slack, not on the CPU; a hung response_url holds one
LOG = logging.getLogger("bot.slack")


@dataclass(frozen=True)
class CourierSettings:
    """What a search process needs to post answers itself (sent to it once, when it starts)."""

    token: str
    api_url: str
    policy: RetryPolicy = RetryPolicy()
    threads: int = COURIER_THREADS
    log_level: str = "INFO"
    secrets: tuple[str, ...] = ()


class Courier:
    """In a search process: posts messages on its own threads and sends back how each went."""

    def __init__(self, settings: CourierSettings, receipts):
        self.settings = settings
        self.receipts = receipts  # the write end: a multiprocessing SimpleQueue shared with the web process
        self.executor = ThreadPoolExecutor(max(1, settings.threads), thread_name_prefix="courier")

    def send(self, ticket: int, message: Message, plan: ReplyPlan) -> None:
        self.executor.submit(self._deliver, ticket, message, plan)

    def _deliver(self, ticket: int, message: Message, plan: ReplyPlan) -> None:
        from slack_sdk import WebClient  # only its fallback needs one; built per answer, as Bolt does per request

        settings = self.settings
        client = WebClient(token=settings.token, base_url=settings.api_url, timeout=settings.policy.timeout,  # type: ignore[arg-type]
                           retry_handlers=settings.policy.handlers())
        try:
            via = Responder.from_plan(plan, policy=settings.policy, client=client)(message, **dict(plan.options))
            receipt = (ticket, via, None)
        except DeliveryFailed as error:
            receipt = (ticket, None, (error.where, error.reason))
        except Exception as error:  # never lose the receipt: the web process is waiting for it
            receipt = (ticket, None, ("courier", f"{type(error).__name__}: {error}"))
        self.receipts.put(receipt)

    def close(self) -> None:
        self.executor.shutdown(wait=True)


class Receipts:
    """In the web process: a Future per ticket, completed when the search process's courier reports."""

    def __init__(self, queue):
        self.queue = queue  # the read end of the same SimpleQueue
        self._tickets = itertools.count(1)
        self._waiting: dict[int, Future] = {}
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, name="courier-receipts", daemon=True)
        self._reader.start()

    def expect(self) -> tuple[int, Future]:
        """A new ticket and the Future its receipt completes (with the `via`, or DeliveryFailed)."""
        future: Future = Future()
        with self._lock:
            ticket = next(self._tickets)
            self._waiting[ticket] = future
        return ticket, future

    def forget(self, ticket: int) -> None:
        """No receipt will come (the search failed before anything was sent)."""
        with self._lock:
            self._waiting.pop(ticket, None)

    def _read(self) -> None:
        while True:
            try:
                item = self.queue.get()
            except (EOFError, OSError):
                return
            if item is None:
                return
            self._complete(*item)

    def _complete(self, ticket: int, via: str | None, failure: Iterable[str] | None) -> None:
        with self._lock:
            future = self._waiting.pop(ticket, None)
        if future is None:
            return  # its waiter gave up long ago
        if failure is None:
            future.set_result(via)
        else:
            future.set_exception(DeliveryFailed(*failure))

    def close(self) -> None:
        """Stop reading (after every search process has exited, so every receipt is in)."""
        self.queue.put(None)
        self._reader.join(5)
