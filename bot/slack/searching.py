"""Where searches run: never in the interpreter that acknowledges Slack's requests.

A search is CPU-bound Python; in the web process it would hold the GIL over the threads that must
ack within 3 s (ack p99 was 415-638 ms at 50 concurrent commands with searches on threads). So
`bot serve` hands every answer to a `SearchPool`: a few worker processes, each with the library
opened once by `load_library(settings)` (the saved library: where the search layer saves it
memory-mapped, the processes share its pages), at a lower CPU priority than the web process, so
that on a busy machine acks come first.

They are forked from a `forkserver` (a fork of the threaded web worker itself would be unsafe; the
forkserver is a fresh single-threaded interpreter) that first imports `PRELOAD`: the search stack,
its OpenCC converters and reading tables built once and frozen out of the collector's reach
(bot/search/preload.py). So the pool's processes share those pages instead of each importing and
building its own, and a search process starts in a fraction of a spawned one's time. Where the
platform has no forkserver, they are spawned.

`LocalSearcher` runs the same calls in threads of this process, over a library (or LibrarySlot)
handed to it: for `bot socket`, and for tests that hand a loaded library to the app.

Both take `submit(fn, *args, **kwargs)` and call `fn(*args, library=<the library>, **kwargs)`,
returning a Future. `fn` is one of the pure functions of bot/slack/answering.py, so what runs in
a search process is exactly what the property tests check.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from bot.config import Settings
from bot.slack.answering import Outcome
from bot.slack.delivery import block_dicts
from bot.slack.readiness import LibrarySlot, LibraryUnavailable, as_slot

LOG = logging.getLogger("bot.slack")
SEARCH_NICENESS = 5  # below the web process: an ack never waits for a search's CPU time
LOCAL_SEARCH_THREADS = 4
PARENT_CHECK_SECONDS = 0.5
# Imported by the forkserver the search processes fork from, in this order: bot.search.preload
# last, as it freezes everything imported before it.
PRELOAD = ("bot.slack.searching", "bot.search.preload")

# The library of a search process, set once by the pool's initializer in that process (never in the
# web process). A ProcessPoolExecutor task can reach per-process state no other way.
_PROCESS_LIBRARY: dict[str, object] = {}


@dataclass(frozen=True)
class LibrarySummary:
    """What the web process needs to know about a library it does not hold: /healthz's figures."""

    documents: int
    passages: int
    seeds_dir: str
    problems: tuple[str, ...] = ()

    @classmethod
    def of(cls, library, settings: Settings) -> LibrarySummary:
        corpus = library.corpus
        return cls(len(corpus.documents), len(corpus.passages), str(settings.seeds_dir), tuple(corpus.problems))

    def empty_reason(self) -> str | None:
        """Why this library cannot answer anything, or None if it can."""
        if self.passages:
            return None
        seeds = Path(self.seeds_dir)
        if not seeds.is_dir():
            return f"the library holds no passages: the seeds folder {seeds} does not exist (BOT_SEEDS)"
        return f"the library holds no passages: the seeds folder {seeds} has no article the bot could read"


def summary_of(library, settings: Settings) -> LibrarySummary:
    return library if isinstance(library, LibrarySummary) else LibrarySummary.of(library, settings)


# ---------------------------------------------------------------- in a search process


def _open_library(settings: Settings) -> None:
    """The pool's initializer: follow the parent, lower the priority, open the library; keep the
    error if it fails."""
    threading.Thread(target=_exit_with, args=(os.getppid(),), name="parent-watch", daemon=True).start()
    try:
        os.nice(SEARCH_NICENESS)
    except OSError:
        pass
    logging.getLogger("jieba").setLevel(logging.WARNING)
    try:
        from bot.search.cache import load_library

        _PROCESS_LIBRARY["library"] = load_library(settings)
    except Exception as error:  # reported through every task, and so by /healthz
        _PROCESS_LIBRARY["error"] = f"{type(error).__name__}: {error}"


def _exit_with(parent: int) -> None:
    """End this search process when the worker that started it is gone (killed, even by SIGKILL,
    which gives it no chance to stop its pool): an orphan would hold a library's memory forever."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _library():
    if "library" not in _PROCESS_LIBRARY:
        raise LibraryUnavailable(f"the library failed to load: {_PROCESS_LIBRARY.get('error', 'not opened')}")
    return _PROCESS_LIBRARY["library"]


def _summarise(settings: Settings) -> LibrarySummary:
    return LibrarySummary.of(_library(), settings)


def _call(fn, args: tuple, kwargs: dict):
    result = fn(*args, library=_library(), **kwargs)
    if not isinstance(result, Outcome):
        return result
    # The message is all the web process sends on, and it goes as dicts (rendered and validated
    # here, not in the process that acks); the reply behind it stays here.
    message = replace(result.message, blocks=tuple(block_dicts(result.message)))
    return replace(result, message=message, answer=None)


# ---------------------------------------------------------------- in the web process


def search_context() -> multiprocessing.context.BaseContext:
    """How search processes start: forked from a forkserver that has imported PRELOAD, else spawned."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOAD))
    return context


class SearchPool:
    """A process pool over the library; `slot` says when it is open (with its LibrarySummary)."""

    def __init__(self, settings: Settings, processes: int = 1):
        self.settings = settings
        self.processes = max(1, processes)
        self.slot = LibrarySlot()
        self._lock = threading.Lock()
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.processes, mp_context=search_context(),
                                   initializer=_open_library, initargs=(self.settings,))

    def open_in_background(self, on_open=None) -> threading.Thread:
        """Start every search process (each opens the library); the slot holds the summary once they
        have, and `on_open(summary)` is called once."""

        def open_all() -> LibrarySummary:
            # Submitted together, so that the pool starts all its processes now rather than on demand.
            opening = [self._submit(_summarise, self.settings) for _ in range(self.processes)]
            summary = opening[0].result()
            for other in opening[1:]:
                other.result()
            if on_open is not None:
                on_open(summary)
            return summary

        return self.slot.load_in_background(open_all)

    def submit(self, fn, /, *args, **kwargs) -> Future:
        return self._submit(_call, fn, args, kwargs)

    def _submit(self, fn, *args) -> Future:
        with self._lock:
            try:
                return self._executor.submit(fn, *args)
            except BrokenProcessPool:  # a search process died (killed, out of memory): start afresh
                LOG.error("a search process died; starting new ones")
                self._executor = self._new_executor()
                return self._executor.submit(fn, *args)

    def close(self) -> None:
        with self._lock:
            self._executor.shutdown(wait=True, cancel_futures=True)


class LocalSearcher:
    """The same interface over a library (or LibrarySlot) in this process, on a few threads."""

    def __init__(self, library, executor: Executor | None = None):
        self.slot = as_slot(library)
        self._executor = executor or ThreadPoolExecutor(LOCAL_SEARCH_THREADS, thread_name_prefix="search")


    def submit(self, fn, /, *args, **kwargs) -> Future:
        return self._executor.submit(fn, *args, library=self.slot, **kwargs)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
