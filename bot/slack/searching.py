"""Where searches run: never in the interpreter that acknowledges Slack's requests.

A search is CPU-bound Python; in the web process it would hold the GIL over the threads that must
ack within 3 s (ack p99 was 415-638 ms at 50 concurrent commands with searches on threads). So
`bot serve` has a `SearchPool`: a few search processes per web process (bot/slack/search_process.py),
each with the library opened once by `load_library(settings)` (the saved library: where the
search layer saves it memory-mapped, the processes share its pages), at a lower CPU priority than
the web process, so that on a busy machine acks come first.

The web process talks to each over two pipes of its own (bot/slack/frames.py). `hand_over(job)`
writes a whole request to answer (bot/slack/handover.py) from the acknowledging thread, without
blocking: the search process searches, delivers and logs it, and no thread of the web process
waits for it. A short receipt comes back per job, read on one thread per search process; until
it has come, the web process keeps the job, so that when a search process dies (killed, out of
memory) every request it held is still accounted for: its user told that something went wrong
and its log line written at ERROR with the request id, and a new search process started.
Every request that gets an answer is handed over so (slash commands, button clicks, @-mentions,
the Home tab). `submit(fn, ...)` runs a function and returns a Future of its result (for tests
and tools that want the result back here).

They are forked from a `forkserver` (a fork of the threaded web worker itself would be unsafe; the
forkserver is a fresh single-threaded interpreter) that first imports `PRELOAD`: the search stack,
its OpenCC converters and reading tables built once and frozen out of the collector's reach
(bot/search/preload.py). So the pool's processes share those pages instead of each importing and
building its own, and a search process starts in a fraction of a spawned one's time. Where the
platform has no forkserver, they are spawned.

The same interface over a library in this process is bot/slack/local_search.py's `LocalSearcher`;
what the web process knows of the library the search processes opened is a LibrarySummary
(bot/slack/summary.py).
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import multiprocessing.util
import os
import pickle
import threading
import time
from concurrent.futures import Future, InvalidStateError, ThreadPoolExecutor
from dataclasses import dataclass, field

from bot.config import Settings
from bot.slack.courier import DONE, CourierSettings
from bot.slack.frames import FrameWriter, read_frames
from bot.slack.handover import AnswerJob, Replier
from bot.slack.readiness import LibrarySlot, LibraryUnavailable
from bot.slack.search_process import ANSWER, CALL, OPENED, RAISED, RESULT, SEARCH_NICENESS, STOP, main

LOG = logging.getLogger("bot.slack")
# Requests handed over and not yet answered, per web process; past that a command is told "very
# busy" in its ack. A burst is absorbed (search processes answer ~100 a second on two cores); a
# backlog much longer would take past an answer's deadline to clear.
ANSWER_BACKLOG = 2000
STOP_SECONDS = 14.0  # of the 25 s graceful timeout: uvicorn's drain takes up to 10
LOST_THREADS = 2
RECEIPT_PAUSE_SECONDS = 0.05  # a call's result waits at most this much longer
# Imported by the forkserver the search processes fork from, in this order: bot.search.preload
# last, as it freezes everything imported before it.
PRELOAD = ("bot.slack.searching", "bot.search.preload")

__all__ = ["SEARCH_NICENESS", "SearchPool", "SearchProcessDied"]


class SearchProcessDied(RuntimeError):
    """The search process holding a request ended before answering it."""


def search_context() -> multiprocessing.context.BaseContext:
    """How search processes start: forked from a forkserver that has imported PRELOAD, else spawned."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOAD))
    return context


@dataclass(eq=False)
class Handed:
    """A job handed over and not yet answered, and what to do if its answer is not delivered."""

    job: AnswerJob
    on_undelivered: object = None


@dataclass(eq=False)
class SearchProcess:
    """The web process's end of one search process: its pipes, and what it holds (seq -> Handed or Future)."""

    process: multiprocessing.process.BaseProcess
    writer: FrameWriter
    pending: dict = field(default_factory=dict)
    opened: Future = field(default_factory=Future)  # (LibrarySummary or None, error or None)


class SearchPool:
    """The search processes of one web process; `slot` says when the library is open (its LibrarySummary).

    With `courier` settings the search processes can answer requests handed over whole (`hand_over`)."""

    def __init__(self, settings: Settings, processes: int = 1, *, courier: CourierSettings | None = None,
                 backlog: int = ANSWER_BACKLOG):
        self.settings = settings
        self.processes = max(1, processes)
        self.courier = courier
        self.backlog = backlog
        self.slot = LibrarySlot()
        self._context = search_context()
        self._seq = itertools.count(1)
        self._lock = threading.Lock()
        self._running: list[SearchProcess] = []
        self._readers: list[threading.Thread] = []
        self._closing = False
        self._lost: ThreadPoolExecutor | None = None
        self._on_open = None
        self._opening_since: float | None = None
        self._announced = False
        multiprocessing.util.Finalize(self, _let_go, args=(self._running,), exitpriority=10)

    # ------------------------------------------------------------ starting and stopping

    def _start_all(self) -> list[SearchProcess]:
        with self._lock:
            if not self._running and not self._closing:
                self._running.extend(self._start() for _ in range(self.processes))
            return list(self._running)

    def _start(self) -> SearchProcess:
        """A new search process with its two pipes; the caller holds the lock."""
        jobs_in, jobs_out = self._context.Pipe(duplex=False)
        results_in, results_out = self._context.Pipe(duplex=False)
        # Not a daemon: a search process building the index in the absence of a saved one starts a
        # pool of its own. At exit, `_let_go` (below) closes the pipes first, so that multiprocessing's
        # own exit handler, which joins every child, finds them finishing.
        process = self._context.Process(target=main, name="quote-bot-search",
                                        args=(self.settings, os.getpid(), self.courier, jobs_in, results_out))
        process.start()
        jobs_in.close()  # the search process has its own copies now: the pipes end when it does
        results_out.close()
        handle = SearchProcess(process, FrameWriter(os.dup(jobs_out.fileno())))
        jobs_out.close()
        reader = threading.Thread(target=self._read, args=(handle, os.dup(results_in.fileno())),
                                  name="search-receipts", daemon=True)
        results_in.close()
        reader.start()
        self._readers.append(reader)
        return handle

    def open_in_background(self, on_open=None) -> threading.Thread:
        """Start every search process (each opens the library); the slot holds the summary once every
        running one has, and `on_open(summary)` is called once. The thread returned ends when the
        slot is first settled (open, or failed).

        The slot follows the search processes, not only the first ones: one that dies before it has
        opened the library fails the slot (/healthz: "failed", with why), and once its replacement
        has opened the library the slot holds it again (/healthz 200)."""
        self._on_open = on_open
        self._opening_since = time.monotonic()

        def open_all() -> None:
            self._start_all()
            try:
                self.slot.get(timeout=None)
            except LibraryUnavailable:
                pass  # the slot says why; /healthz reports it

        thread = threading.Thread(target=open_all, name="library-opener", daemon=True)
        thread.start()
        return thread

    def _library_opened(self, handle: SearchProcess, summary, error) -> None:
        """A search process has opened the library (or failed to): the slot holds it once every
        running search process has; a failure to open fails the slot unless it is open already."""
        with self._lock:
            if error is not None:
                if not self.slot.ready:
                    self.slot.fail(LibraryUnavailable(error))
                return
            if handle not in self._running or not all(_opened_well(h) for h in self._running):
                return
            recovered, first = self.slot.error is not None, not self._announced
            self._announced = True
            self.slot.set(summary)
        if recovered:
            LOG.warning("the library is open again: a new search process has opened it")
        if first:
            LOG.info("library loaded in %.1f s", time.monotonic() - (self._opening_since or time.monotonic()))
            if self._on_open is not None:
                self._on_open(summary)

    def in_hand(self) -> int:
        """Requests and calls written to the search processes and not yet answered."""
        return sum(len(handle.pending) for handle in self._running)

    def pids(self) -> list[int]:
        with self._lock:
            return [handle.process.pid for handle in self._running]

    def close(self) -> None:
        """Let every search process finish what it holds (searches and deliveries), then stop them."""
        with self._lock:
            self._closing = True
            running = list(self._running)
        stop = pickle.dumps((STOP, 0, None))
        for handle in running:
            try:
                handle.writer.put(stop)
            except OSError:  # already gone
                pass
        for handle in running:
            handle.process.join(STOP_SECONDS)
            if handle.process.is_alive():
                LOG.error("a search process did not finish in %g s; stopping it", STOP_SECONDS)
                handle.process.terminate()
                handle.process.join(5)
        for reader in list(self._readers):
            reader.join(5)
        for handle in running:
            handle.writer.close()
        if self._lost is not None:
            self._lost.shutdown(wait=True)

    # ------------------------------------------------------------ handing work over

    def hand_over(self, job: AnswerJob, replier: Replier | None = None, queue=None, on_undelivered=None) -> bool:
        """Write `job` to the least busy search process, which answers it from start to end; False,
        at once, if the backlog is full or the pool is closing. (`replier` and `queue` are for
        LocalSearcher, bot/slack/local_search.py: here the search processes have their own.)"""
        if self.courier is None:
            raise RuntimeError("this pool has no courier settings: its search processes cannot answer requests")
        seq = next(self._seq)
        payload = pickle.dumps((ANSWER, seq, job), pickle.HIGHEST_PROTOCOL)
        handles = self._running or self._start_all()
        with self._lock:
            if self._closing or self.in_hand() >= self.backlog:
                return False
            handle = handles[0] if len(handles) == 1 else min(handles, key=lambda h: len(h.pending))
            handle.pending[seq] = Handed(job, on_undelivered)
            try:
                taken = handle.writer.offer(payload)
            except OSError:  # the search process is gone; its reader is replacing it
                taken = False
            if not taken:
                del handle.pending[seq]
            return taken

    def submit(self, fn, /, *args, **kwargs) -> Future:
        """`fn(*args, library=..., **kwargs)` in a search process; a Future of its result."""
        future: Future = Future()
        seq = next(self._seq)
        payload = pickle.dumps((CALL, seq, (fn, args, kwargs)), pickle.HIGHEST_PROTOCOL)
        handles = self._running or self._start_all()
        with self._lock:
            if not handles:
                future.set_exception(RuntimeError("the search processes are stopped"))
                return future
            handle = handles[0] if len(handles) == 1 else min(handles, key=lambda h: len(h.pending))
            handle.pending[seq] = future
            try:
                taken = handle.writer.offer(payload)
            except OSError:
                taken = False
            if not taken:
                del handle.pending[seq]
                future.set_exception(SearchProcessDied("the search process cannot take more work now"))
        return future

    # ------------------------------------------------------------ what comes back

    def _read(self, handle: SearchProcess, fd: int) -> None:
        try:
            for frames in read_frames(fd):
                for frame in frames:
                    self._received(handle, *pickle.loads(frame))
                # Receipts wait in the pipe meanwhile and are read together: in a burst this thread
                # takes the GIL from the event loop a few times a second, not once per answer.
                time.sleep(RECEIPT_PAUSE_SECONDS)
        except Exception:  # never lose the accounting below
            LOG.exception("reading from a search process failed")
        finally:
            os.close(fd)
            self._ended(handle)

    def _received(self, handle: SearchProcess, kind: str, seq: int, body) -> None:
        if kind == OPENED:
            _settle(handle.opened, body)
            self._library_opened(handle, *body)
            return
        waiting = handle.pending.pop(seq, None)
        if kind == DONE:
            if waiting is not None and not body and waiting.on_undelivered is not None:
                try:
                    waiting.on_undelivered()
                except Exception:
                    LOG.exception("after request %s was undelivered", waiting.job.request_id)
        elif waiting is not None:
            _settle(waiting, body if kind == RESULT else None, error=body if kind == RAISED else None)

    def _ended(self, handle: SearchProcess) -> None:
        """The search process has ended: account for everything it held, and start another unless closing."""
        handle.process.join(5)
        with self._lock:
            lost = list(handle.pending.values())
            handle.pending.clear()
            replace = not self._closing and handle in self._running
            if not handle.opened.done() and not self.slot.ready and not self._closing:
                self.slot.fail(LibraryUnavailable(  # said at once, not after the new process has started
                    f"a search process ended before opening the library (exit code {handle.process.exitcode}); "
                    "a new one is opening it"))
            if replace:
                self._running[self._running.index(handle)] = self._start()
        _settle(handle.opened, (None, "the search process ended before opening the library"))
        if not replace and not lost:
            return
        reason = f"SearchProcessDied: its search process ended (exit code {handle.process.exitcode})"
        LOG.error("a search process ended with %d requests in hand (exit code %s)%s", len(lost),
                  handle.process.exitcode, "; starting a new one" if replace else "")
        for waiting in lost:
            if isinstance(waiting, Future):
                _settle(waiting, error=SearchProcessDied(reason))
            else:
                self._give_up(waiting, reason)

    def _give_up(self, waiting: Handed, reason: str) -> None:
        if self._lost is None:
            self._lost = ThreadPoolExecutor(LOST_THREADS, thread_name_prefix="search-lost")
        replier = self.courier.replier(self.settings)

        def tell() -> None:
            replier.give_up(waiting.job, reason)
            if waiting.on_undelivered is not None:
                waiting.on_undelivered()

        self._lost.submit(tell)


def _let_go(running: list[SearchProcess]) -> None:
    """At the web process's exit, if the pool was never closed: end the search processes' input, so
    that they finish what they hold and exit."""
    for handle in running:
        try:
            handle.writer.close()
        except OSError:
            pass


def _opened_well(handle: SearchProcess) -> bool:
    """Whether this search process has opened the library."""
    return handle.opened.done() and handle.opened.result()[1] is None


def _settle(future: Future, result=None, *, error: BaseException | None = None) -> None:
    """Complete `future` unless it is complete already (or its waiter has cancelled it)."""
    try:
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)
    except InvalidStateError:
        pass
