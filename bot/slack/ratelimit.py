"""A friendly "slow down" for a user who runs more commands a minute than settings allow.

Each command costs a search over the whole library; one user holding down Enter should not make
everyone else wait. A sliding window per user, in one thread-safe object handed to the listeners.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0
# The key in a request's Bolt context for the screen's verdict on a slash command (allowed or not),
# taken together with its replay guard (bot/slack/http.py); absent when the listener must ask.
RATE_VERDICT = "rate_allowed"
# The key in a slash command's Bolt context when the screen left its replay guard and rate limit to
# where it is answered (REDIS_URL set: bot/slack/handover.py): the request's signature.
REPLAY_KEY = "replay_key"


class RateLimiter:
    """At most `per_minute` allowed calls per key in any 60 seconds; 0 or less means no limit."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, window: float = WINDOW_SECONDS):
        self.per_minute = per_minute
        self.window = window
        self.clock = clock
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str | None) -> bool:
        if self.per_minute <= 0:
            return True
        key = key or "?"
        now = self.clock()
        with self._lock:
            if len(self._calls) > 10_000:
                self._forget_idle(now)
            calls = self._calls.setdefault(key, deque())
            while calls and calls[0] <= now - self.window:
                calls.popleft()
            if len(calls) >= self.per_minute:
                return False
            calls.append(now)
            return True

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, calls in self._calls.items() if not calls or calls[-1] <= now - self.window]:
            del self._calls[key]


class Decided:
    """A limiter whose answer is already known (the screen asked, bot/slack/http.py): same call shape."""

    def __init__(self, allowed: bool):
        self.allowed = allowed

    def allow(self, key: str | None) -> bool:
        return self.allowed
