"""The library, loaded once per process, and whether it is ready yet.

Building the index takes a few seconds. The HTTP server starts answering at once so that
`/healthz` can say 503 ("not yet") and then 200, and so that a slash command arriving during the
load is still acknowledged within Slack's 3 seconds; the listener then waits here for the library.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

LOG = logging.getLogger("bot.slack")
DEFAULT_WAIT_SECONDS = 60.0


class LibraryUnavailable(RuntimeError):
    """The library is still loading (or failed to load) after waiting."""


class LibrarySlot:
    """Holds the Library once it exists; `get` waits for it, `ready` says whether it is there."""

    def __init__(self, library=None):
        self._library = library
        self._error: BaseException | None = None
        self._event = threading.Event()
        self.loaded_in: float | None = None
        if library is not None:
            self._event.set()

    @property
    def ready(self) -> bool:
        return self._library is not None

    @property
    def error(self) -> BaseException | None:
        return self._error

    def get(self, timeout: float = DEFAULT_WAIT_SECONDS):
        if not self._event.wait(timeout):
            raise LibraryUnavailable("the library is still loading")
        if self._library is None:
            raise LibraryUnavailable(f"the library failed to load: {self._error}")
        return self._library

    def set(self, library) -> None:
        """Hold `library`; an earlier failure is over (a search process that died before opening
        the library has been replaced by one that opened it)."""
        self._library = library
        self._error = None
        self._event.set()

    def fail(self, error: BaseException) -> None:
        self._error = error
        self._event.set()

    def load(self, loader: Callable[[], object]) -> None:
        """Run `loader` here and keep its result (or its error)."""
        started = time.monotonic()
        try:
            library = loader()
        except Exception as exc:  # reported by /healthz and to users; the process keeps serving 503
            LOG.exception("loading the library failed")
            self.fail(exc)
            return
        self.loaded_in = time.monotonic() - started
        LOG.info("library loaded in %.1f s", self.loaded_in)
        self.set(library)

    def load_in_background(self, loader: Callable[[], object]) -> threading.Thread:
        thread = threading.Thread(target=self.load, args=(loader,), name="library-loader", daemon=True)
        thread.start()
        return thread


def as_slot(library) -> LibrarySlot:
    """A LibrarySlot for either a slot or an already loaded Library."""
    return library if isinstance(library, LibrarySlot) else LibrarySlot(library)
