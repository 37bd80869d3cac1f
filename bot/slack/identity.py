"""Who the bot is: its token for every request, and its own user and bot ids from one auth.test.

Bolt's single-workspace mode calls auth.test on the first request and fails every request if that
call fails (or, with an unreachable API, holds the first ack for the WebClient's 30 s timeout).
This `authorize` function asks once with a short timeout, caches the answer, retries at most
once a minute after a failure, and meanwhile still authorises requests with the token: the
listeners then rely on their own "ignore messages from bots" check, which they make anyway.
The server warms it up at start, so the first slash command does not pay for the call; and no
request ever waits for it: while the ids are unknown, `authorize` asks on a thread of its own
and authorises without them (asked inline, a slow or unreachable API held that request's ack,
and the dispatch thread it ran on, for the call's timeout).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

AUTH_TEST_TIMEOUT_SECONDS = 2
RETRY_AFTER_SECONDS = 60.0
LOG = logging.getLogger("bot.slack")


class BotIdentity:
    """An `authorize` callable for `slack_bolt.App` in a single workspace."""

    def __init__(
        self,
        token: str,
        api_url: str,
        *,
        timeout: int = AUTH_TEST_TIMEOUT_SECONDS,
        retry_after: float = RETRY_AFTER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.token = token
        self.client = WebClient(token=token, base_url=api_url, timeout=timeout)
        self.retry_after = retry_after
        self.clock = clock
        self._ids: dict[str, str | None] | None = None
        self._failed_at: float | None = None
        self._lock = threading.Lock()

    @property
    def ids(self) -> dict[str, str | None] | None:
        return self._ids

    def warm(self) -> None:
        """Ask auth.test now (used from a background thread at start)."""
        self._resolve(wait=True)

    def warm_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.warm, name="auth-test", daemon=True)
        thread.start()
        return thread

    def __call__(self, enterprise_id: str | None, team_id: str | None, user_id: str | None) -> AuthorizeResult:
        ids = self._ids
        if ids is None:
            if self._asking_allowed():
                self.warm_in_background()
            ids = {}
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id or ids.get("team_id"),
            bot_token=self.token,
            bot_user_id=ids.get("user_id"),
            bot_id=ids.get("bot_id"),
            user_id=user_id,
        )

    def _asking_allowed(self) -> bool:
        """No auth.test is running and none failed within `retry_after`."""
        if self._lock.locked():
            return False
        return self._failed_at is None or self.clock() - self._failed_at >= self.retry_after

    def _resolve(self, *, wait: bool) -> dict[str, str | None] | None:
        if self._ids is not None:
            return self._ids
        if not self._lock.acquire(blocking=wait):
            return None  # another thread is asking; do not hold this request up
        try:
            if self._ids is not None:
                return self._ids
            now = self.clock()
            if self._failed_at is not None and now - self._failed_at < self.retry_after:
                return None
            try:
                response = self.client.auth_test()
            except Exception as error:  # unreachable, revoked token, a fake without auth.test
                self._failed_at = now
                LOG.warning("auth.test failed (%s); answering without the bot's own ids for now", error)
                return None
            self._ids = {
                "user_id": response.get("user_id"),
                "bot_id": response.get("bot_id"),
                "team_id": response.get("team_id"),
            }
            return self._ids
        finally:
            self._lock.release()
