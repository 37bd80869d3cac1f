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
returning a Future. Under `bot serve` the search processes also post the answers they computed
(`deliver_to`, bot/slack/courier.py), so the web process neither unpickles nor sends them. `fn`
is one of the pure functions of bot/slack/answering.py, so what runs in a search process is
exactly what the property tests check.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import select
import threading
import time
import weakref
from concurrent.futures import Executor, Future, InvalidStateError, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from bot.config import Settings
from bot.slack.answering import Outcome
from bot.slack.courier import Courier, CourierSettings, Receipts
from bot.slack.delivery import ReplyPlan, block_dicts
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


def _open_library(settings: Settings, web_pid: int, courier: CourierSettings | None = None, receipts=None) -> None:
    """The pool's initializer: follow the web process, lower the priority, start the courier (when
    this process delivers its answers), open the library; keep the error if it fails."""
    try:
        # First: the nice value is a thread's on Linux, and threads inherit their creator's, so
        # every thread started after this (the watch, the couriers) runs below the web process too.
        os.nice(SEARCH_NICENESS)
    except OSError:
        pass
    threading.Thread(target=_exit_with, args=(web_pid,), name="parent-watch", daemon=True).start()
    if courier is not None:
        from bot.slack.startup import configure_logging

        configure_logging(courier.log_level, courier.secrets)  # slack_sdk logs retries with full URLs
        _PROCESS_LIBRARY["courier"] = Courier(courier, receipts)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    try:
        from bot.search.cache import load_library

        _PROCESS_LIBRARY["library"] = load_library(settings)
    except Exception as error:  # reported through every task, and so by /healthz
        _PROCESS_LIBRARY["error"] = f"{type(error).__name__}: {error}"


def _exit_with(web_pid: int) -> None:
    """End this search process when the web process that started it is gone (killed, even by
    SIGKILL, which gives it no chance to stop its pool, as gunicorn does to a worker still busy at
    the end of its graceful timeout): an orphan would hold a library's memory forever.

    The web process is watched by its pid, not as this process's parent: a search process's parent
    is the forkserver, which in turn lives as long as any process it forked does, so watching the
    parent kept both alive forever (every load run left them behind)."""
    try:
        watch = os.pidfd_open(web_pid)  # Linux 5.3+: readable once the process has exited
    except (AttributeError, OSError):
        while _alive(web_pid):
            time.sleep(PARENT_CHECK_SECONDS)
    else:
        select.select([watch], [], [])
    os._exit(0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, though it is not ours to signal
        return True
    return True


def _library():
    if "library" not in _PROCESS_LIBRARY:
        raise LibraryUnavailable(f"the library failed to load: {_PROCESS_LIBRARY.get('error', 'not opened')}")
    return _PROCESS_LIBRARY["library"]


def _summarise(settings: Settings) -> LibrarySummary:
    return LibrarySummary.of(_library(), settings)


def _call(fn, args: tuple, kwargs: dict, delivery: tuple[int, ReplyPlan] | None = None):
    result = fn(*args, library=_library(), **kwargs)
    if not isinstance(result, Outcome):
        return result
    courier = _PROCESS_LIBRARY.get("courier")
    if delivery is not None and courier is not None:
        # Posted from here; only the label and the count go back, and the ticket its receipt will carry.
        ticket, plan = delivery
        courier.send(ticket, result.message, plan)
        return replace(result, message=None, answer=None, sent=ticket)
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
    """A process pool over the library; `slot` says when it is open (with its LibrarySummary).

    With `courier` settings, the search processes also deliver the answers submitted with a
    `deliver_to` plan (bot/slack/courier.py), and the Outcome's `sent` is the Future of the receipt.
    """

    def __init__(self, settings: Settings, processes: int = 1, *, courier: CourierSettings | None = None):
        self.settings = settings
        self.processes = max(1, processes)
        self.slot = LibrarySlot()
        self.courier = courier
        self.receipts = Receipts(search_context().SimpleQueue()) if courier is not None else None
        self._lock = threading.Lock()
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        initargs = (self.settings, os.getpid())
        if self.receipts is not None:
            initargs += (self.courier, self.receipts.queue)
        return ProcessPoolExecutor(self.processes, mp_context=search_context(),
                                   initializer=_open_library, initargs=initargs)

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

    def submit(self, fn, /, *args, deliver_to: ReplyPlan | None = None, **kwargs) -> Future:
        """`fn(*args, library=..., **kwargs)` in a search process. With `deliver_to` (and a courier),
        the Outcome's message is posted there, and the Outcome that comes back carries `sent`."""
        if deliver_to is None or self.receipts is None:
            return self._submit(_call, fn, args, kwargs)
        ticket, receipt = self.receipts.expect()
        searched = self._submit(_call, fn, args, kwargs, (ticket, deliver_to))
        outcome: Future = Future()
        # Each Future keeps its callbacks after running them: had each callback held the other
        # Future, every answer would leave a reference cycle (two Futures, their locks, the
        # Outcome) for the garbage collector, whose passes hold the GIL over the acks. The pool
        # holds `searched` until it is done, so a weak reference reaches it while a cancel matters.
        outcome.add_done_callback(partial(_cancel_too, weakref.ref(searched)))
        searched.add_done_callback(lambda done: self._hand_on(done, outcome, ticket, receipt))
        return outcome

    def _hand_on(self, searched: Future, outcome: Future, ticket: int, receipt: Future) -> None:
        """The search's result, with the receipt's Future in place of the ticket (on the pool's thread)."""
        try:
            result = searched.result()
        except BaseException as error:  # the search failed or was cancelled: nothing was sent
            self.receipts.forget(ticket)
            _settle(outcome, error=error)
            return
        if isinstance(result, Outcome) and result.sent == ticket:
            _settle(outcome, replace(result, sent=receipt))
        else:
            self.receipts.forget(ticket)
            _settle(outcome, result)

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
            self._executor.shutdown(wait=True, cancel_futures=True)  # the processes finish their deliveries first
        if self.receipts is not None:
            self.receipts.close()


def _cancel_too(searched: weakref.ref, outcome: Future) -> None:
    """`outcome`'s callback: a cancelled wait cancels the search too, if it has not started."""
    search = searched()
    if search is not None and outcome.cancelled():
        search.cancel()


def _settle(future: Future, result=None, *, error: BaseException | None = None) -> None:
    """Complete `future` unless its waiter has cancelled it already."""
    try:
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)
    except InvalidStateError:
        pass


class LocalSearcher:
    """The same interface over a library (or LibrarySlot) in this process, on a few threads."""

    def __init__(self, library, executor: Executor | None = None):
        self.slot = as_slot(library)
        self._executor = executor or ThreadPoolExecutor(LOCAL_SEARCH_THREADS, thread_name_prefix="search")

    def submit(self, fn, /, *args, deliver_to: ReplyPlan | None = None, **kwargs) -> Future:
        """`deliver_to` is not used: the message comes back, and the caller delivers it."""
        return self._executor.submit(fn, *args, library=self.slot, **kwargs)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
