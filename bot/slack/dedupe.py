"""Answering each Slack event once, although Slack may deliver it up to four times.

Slack retries an event (header `X-Slack-Retry-Num`) when the first delivery was not acknowledged
within 3 seconds, and again after about a minute and five minutes. Replying to every delivery
would post the same answer several times in a thread, so listeners remember the `event_id`s
they have taken on. The memory forgets by time only, after a TTL longer than Slack's retry
schedule: a count bound would reopen an event after a busy minute (memory is bounded by the TTL
times the request rate, a few bytes per event). It lives in one object handed to the listeners,
not in a module global, so tests and apps each get their own. This is one process's memory;
bot/slack/shared_state.py shares it between processes through Redis.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

DEFAULT_TTL_SECONDS = 15 * 60  # Slack's last retry comes about five minutes after the first try


class SeenEvents:
    """A thread-safe set of keys, each forgotten `ttl_seconds` after it was first seen."""

    def __init__(
        self,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.ttl = ttl_seconds
        self.clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str | None) -> bool:
        """True exactly once per key within the TTL (and True for a missing key: nothing to dedupe)."""
        if not key:
            return True
        now = self.clock()
        with self._lock:
            self._forget_expired(now)
            if key in self._expiry:
                return False
            self._expiry[key] = now + self.ttl
            return True

    def forget(self, key: str | None) -> None:
        """Take `key` again next time (its answer could not be delivered, so a repeat is a retry)."""
        if key:
            with self._lock:
                self._expiry.pop(key, None)

    def __len__(self) -> int:
        with self._lock:
            self._forget_expired(self.clock())
            return len(self._expiry)

    def _forget_expired(self, now: float) -> None:
        # Entries go in with the same TTL, so insertion order is expiry order.
        while self._expiry:
            key, expires = next(iter(self._expiry.items()))
            if expires > now:
                break
            del self._expiry[key]
