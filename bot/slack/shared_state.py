"""The bot's memory between requests, shared by every process when REDIS_URL is set.

Four things must hold across all the processes behind one URL (two dynos, WEB_CONCURRENCY=2),
or a user sees double: an event Slack retries is answered once (`events`), a request replayed
within its signature's five minutes is taken once (`replays`), a double click on Post/Next/More
acts once (`clicks`), and a user's rate limit is one limit (`limiter`). Each forgets by time, with
a TTL covering Slack's own window (retries come up to about five minutes after the first
delivery), never by count: a busy minute must not reopen an old event.

With REDIS_URL set, each guard is one Redis command (`SET key NX PX ttl`; the rate limit a small
Lua script over a sorted set, timed by Redis's own clock so that every process agrees). A slash
command's replay guard and rate limit are one script (`SharedState.take`), run by the screen on
the ack path: one round trip per command, not one on the ack and another on the answer thread. Without
it, the same guards live in this process (bot/slack/dedupe.py, bot/slack/ratelimit.py).

When Redis cannot be reached the bot keeps answering from its own memory (the worst case is a
rare duplicate, the pre-Redis behaviour), logs the outage once, says "degraded" in /healthz, and
tries Redis again every `retry_seconds`, logging once more when it is back.
"""

from __future__ import annotations

import logging
import threading
import time
import random
from collections.abc import Callable
from dataclasses import dataclass

from bot.slack.dedupe import SeenEvents
from bot.slack.ratelimit import WINDOW_SECONDS, RateLimiter

LOG = logging.getLogger("bot.slack")
KEY_PREFIX = "quote-bot"
EVENT_TTL_SECONDS = 15 * 60  # Slack retries an event after ~1 and ~5 minutes
REPLAY_TTL_SECONDS = 10 * 60  # a signature is accepted 5 minutes either side of now
CLICK_TTL_SECONDS = 120.0  # a double click arrives within a second; a retry after a failure is allowed at once
REDIS_TIMEOUT_SECONDS = 0.5  # loopback or same-region Redis answers in a millisecond
RETRY_SECONDS = 5.0

# The sliding window over a sorted set, timed by Redis's own clock so that every process agrees:
# 1 if the call is allowed (and counted), else 0. Needs window_key, window_ms, limit and member.
WINDOW = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', window_key, '-inf', now_ms - window_ms)
if redis.call('ZCARD', window_key) >= limit then
  return 0
end
redis.call('ZADD', window_key, now_ms, member)
redis.call('PEXPIRE', window_key, window_ms)
return 1
"""
# KEYS[1] the user's window; ARGV: window in ms, the limit, a unique member.
SLIDING_WINDOW = """
local window_key, window_ms, limit, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
""" + WINDOW
# A slash command's two guards in one round trip: KEYS[1] the request's replay key, KEYS[2] its
# user's window; ARGV: the replay TTL in ms, then the window's three. -1 if the request was taken
# before (the window is not touched), else the window's answer.
REPLAY_THEN_WINDOW = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then
  return -1
end
local window_key, window_ms, limit, member = KEYS[2], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
""" + WINDOW


class SharedState:
    """Makes the four guards, over Redis when `redis_url` is given, else over this process's memory."""

    def __init__(self, redis_url: str | None = None, *, prefix: str = KEY_PREFIX, timeout: float = REDIS_TIMEOUT_SECONDS,
                 retry_seconds: float = RETRY_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.redis_url = redis_url
        self.prefix = prefix
        self.retry_seconds = retry_seconds
        self.clock = clock
        self.client = None
        if redis_url:
            import redis

            self.client = redis.Redis.from_url(redis_url, socket_timeout=timeout, socket_connect_timeout=timeout,
                                               retry_on_timeout=False, health_check_interval=30)
        self._down_since: float | None = None
        self._last_error = ""
        self._lock = threading.Lock()

    @property
    def shared(self) -> bool:
        return self.client is not None

    def once(self, name: str, ttl_seconds: float) -> OnceGuard:
        return OnceGuard(self, name, SeenEvents(ttl_seconds=ttl_seconds), ttl_seconds)

    def limiter(self, per_minute: int, window: float = WINDOW_SECONDS) -> SharedRateLimiter:
        return SharedRateLimiter(self, per_minute, window)

    def take(self, once: OnceGuard, key: str, limiter: SharedRateLimiter, user: str | None) -> tuple[bool, bool]:
        """`(once.first_time(key), limiter.allow(user))` in one Redis round trip, the limit only
        counted for a request taken for the first time: a slash command's replay guard and rate limit."""
        if limiter.per_minute <= 0 or not key:
            return once.first_time(key), True
        user = user or "?"

        def ask(client) -> tuple[bool, bool]:
            answer = limiter.take_script(keys=[self.key(once.name, key), self.key("rate", user)],
                                         args=[once.ttl_ms, *limiter.window_args()], client=client)
            return answer != -1, answer == 1

        def remember() -> tuple[bool, bool]:
            first = once.local.first_time(key)
            return first, (limiter.local.allow(user) if first else False)

        return self.attempt(ask, remember)

    def command_guard(self, limiter: SharedRateLimiter) -> CommandGuard:
        """A slash command's replay guard and rate limit, asked together where the command is answered."""
        return CommandGuard(self, self.once("replay", REPLAY_TTL_SECONDS), limiter)

    def key(self, name: str, key: str) -> str:
        return f"{self.prefix}:{name}:{key}"

    def degraded(self) -> str | None:
        """Why the state is not shared right now (Redis unreachable), or None."""
        with self._lock:
            return f"redis unreachable: {self._last_error}" if self._down_since is not None else None

    def check(self) -> str | None:
        """Ask Redis now (for /healthz, when nothing else has) and return `degraded()`."""
        if self.client is not None:
            self.attempt(lambda client: client.ping(), None)
        return self.degraded()

    def attempt(self, call, fallback):
        """`call(client)`, or `fallback()` (None: skip) while Redis is down; an outage is logged once."""
        import redis

        if self.client is None:
            return fallback() if fallback else None
        with self._lock:
            resting = self._down_since is not None and self.clock() - self._down_since < self.retry_seconds
        if resting:
            return fallback() if fallback else None
        try:
            result = call(self.client)
        except redis.RedisError as error:
            with self._lock:
                first = self._down_since is None
                self._down_since = self.clock()
                self._last_error = f"{type(error).__name__}: {error}"
            if first:
                LOG.error("Redis at %s is unreachable (%s): each process keeps its own state until it is back",
                          _where(self.redis_url), self._last_error)
            return fallback() if fallback else None
        with self._lock:
            recovered = self._down_since is not None
            self._down_since = None
        if recovered:
            LOG.warning("Redis at %s is reachable again: state is shared once more", _where(self.redis_url))
        return result


@dataclass
class CommandGuard:
    """`guard(signature, user)`: (taken for the first time, within the user's rate limit), in one round trip."""

    state: SharedState
    replays: OnceGuard
    limiter: SharedRateLimiter

    def __call__(self, key: str, user: str | None) -> tuple[bool, bool]:
        return self.state.take(self.replays, key, self.limiter, user)


@dataclass
class OnceGuard:
    """True the first time a key is seen within the TTL, across every process sharing the state."""

    state: SharedState
    name: str
    local: SeenEvents
    ttl_seconds: float

    @property
    def ttl_ms(self) -> int:
        return max(1, int(self.ttl_seconds * 1000))

    def first_time(self, key: str | None) -> bool:
        if not key:
            return True
        redis_key = self.state.key(self.name, key)
        ttl_ms = self.ttl_ms
        return bool(self.state.attempt(lambda client: client.set(redis_key, b"1", nx=True, px=ttl_ms),
                                       lambda: self.local.first_time(key)))

    def forget(self, key: str | None) -> None:
        """Take `key` again next time (its answer could not be delivered, so a repeat is a retry)."""
        if not key:
            return
        self.local.forget(key)
        redis_key = self.state.key(self.name, key)
        self.state.attempt(lambda client: client.delete(redis_key), None)


class SharedRateLimiter:
    """At most `per_minute` calls per user in any `window` seconds, counted across processes."""

    def __init__(self, state: SharedState, per_minute: int, window: float = WINDOW_SECONDS):
        self.state = state
        self.per_minute = per_minute
        self.window = window
        self.local = RateLimiter(per_minute, window=window)
        client = state.client
        self._script = client.register_script(SLIDING_WINDOW) if client is not None else None
        self.take_script = client.register_script(REPLAY_THEN_WINDOW) if client is not None else None

    def window_args(self) -> list:
        """The window in ms, the limit, and a unique member for this call."""
        return [int(self.window * 1000), self.per_minute, f"{random.getrandbits(64):016x}"]

    def allow(self, key: str | None) -> bool:
        if self.per_minute <= 0:
            return True
        key = key or "?"
        redis_key = self.state.key("rate", key)

        def ask(client) -> bool:
            return bool(self._script(keys=[redis_key], args=self.window_args(), client=client))

        return bool(self.state.attempt(ask, lambda: self.local.allow(key)))


def _where(url: str | None) -> str:
    """host:port/db of a Redis URL, without any password in it."""
    from urllib.parse import urlsplit

    parts = urlsplit(url or "")
    return f"{parts.hostname}:{parts.port or 6379}{parts.path or ''}"
