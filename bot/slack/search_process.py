"""The main of one search process of `bot serve` (started by bot/slack/searching.py's SearchPool).

It opens the library once, then serves what its web process writes to it (bot/slack/frames.py):

* `("answer", seq, AnswerJob)`: a request to answer from start to end; its Courier
  (bot/slack/courier.py) searches, delivers and logs, then sends `("done", seq, delivered)`;
* `("call", seq, (fn, args, kwargs))`: `fn(*args, library=…, **kwargs)`, whose result goes back
  as `("result", seq, value)` or `("raised", seq, error)` (tests and tools that want a result
  back rather than an answer delivered);
* `("stop", 0, None)`: finish everything taken, then exit.

Its first message is `("opened", 0, (summary, error))` once the library is open (or failed to).
Every search runs on one search thread, in arrival order; the process runs at a lower CPU
priority than the web process (set before any thread starts: on Linux the nice value is a
thread's, inherited by the threads it starts), and it ends when its web process does, even one
killed by SIGKILL.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

from bot.config import Settings
from bot.slack.answering import Outcome
from bot.slack.courier import Courier, CourierSettings
from bot.slack.delivery import block_dicts
from bot.slack.frames import read_frames, write_frame
from bot.slack.readiness import LibrarySlot
from bot.slack.summary import LibrarySummary

LOG = logging.getLogger("bot.slack")
SEARCH_NICENESS = 19  # far below the web process: once an ack costs ~0.5 ms, what it waits for is a search holding its core (docs/RELIABILITY.md, session 5)
PARENT_CHECK_SECONDS = 0.5
ANSWER, CALL, STOP = "answer", "call", "stop"
OPENED, RESULT, RAISED = "opened", "result", "raised"


def main(settings: Settings, web_pid: int, courier: CourierSettings | None, jobs, results) -> None:
    """Serve `jobs` (a pipe's read end) until told to stop or the web process is gone; answer on `results`."""
    try:
        os.nice(SEARCH_NICENESS)  # first: every thread started after this runs below the web process too
    except OSError:
        pass
    threading.Thread(target=exit_with, args=(web_pid,), name="parent-watch", daemon=True).start()
    if courier is not None:
        from bot.slack.startup import configure_logging

        configure_logging(courier.log_level, courier.secrets)  # slack_sdk logs retries with full URLs
    logging.getLogger("jieba").setLevel(logging.WARNING)
    out, lock = results.fileno(), threading.Lock()

    def send(message: tuple) -> None:
        write_frame(out, pickle.dumps(message, pickle.HIGHEST_PROTOCOL), lock)

    slot = LibrarySlot()
    searcher = ThreadPoolExecutor(1, thread_name_prefix="search")

    def search(fn, *args, **kwargs) -> Future:
        return searcher.submit(fn, *args, library=slot, **kwargs)

    answers = Courier(courier, settings, search, send) if courier is not None else None
    receiving = threading.Thread(target=receive, args=(jobs.fileno(), search, answers, send), name="search-jobs")
    receiving.start()  # before the library opens: a request arriving meanwhile gets its "taking longer" notice
    open_library(slot, settings, send)
    receiving.join()
    if answers is not None:
        answers.close()
    searcher.shutdown(wait=True)
    os.close(out)


def open_library(slot: LibrarySlot, settings: Settings, send) -> None:
    from bot.search.cache import load_library

    slot.load(lambda: load_library(settings))
    if slot.ready:
        send((OPENED, 0, (LibrarySummary.of(slot.get(timeout=0), settings), None)))
    else:
        send((OPENED, 0, (None, f"{type(slot.error).__name__}: {slot.error}")))


def receive(fd: int, search, answers: Courier | None, send) -> None:
    for frames in read_frames(fd):
        for frame in frames:
            kind, seq, body = pickle.loads(frame)
            if kind == STOP:
                return
            if kind == ANSWER and answers is not None:
                answers.take(seq, body)
            elif kind == CALL:
                fn, args, kwargs = body
                search(fn, *args, **kwargs).add_done_callback(lambda done, seq=seq: send(result_of(seq, done)))
            else:
                send((RAISED, seq, RuntimeError(f"this search process cannot take {kind!r}")))


def result_of(seq: int, done: Future) -> tuple:
    """A call's result as it goes back: an Outcome's blocks as dicts (rendered and validated here, not
    in the process that acks), without the reply behind it; an error that cannot be pickled as text."""
    try:
        result = done.result()
    except BaseException as error:
        try:
            pickle.dumps(error)
        except Exception:
            error = RuntimeError(f"{type(error).__name__}: {error}")
        return (RAISED, seq, error)
    if isinstance(result, Outcome) and result.message is not None:
        result = replace(result, message=replace(result.message, blocks=tuple(block_dicts(result.message))), answer=None)
    return (RESULT, seq, result)


def exit_with(web_pid: int) -> None:
    """End this search process when the web process that started it is gone (killed, even by
    SIGKILL, which gives it no chance to stop its pool, as gunicorn does to a worker still busy at
    the end of its graceful timeout): an orphan would hold a library's memory forever.

    The web process is watched by its pid, not as this process's parent: a search process's parent
    is the forkserver, which in turn lives as long as any process it forked does, so watching the
    parent kept both alive forever (every load run left them behind)."""
    try:
        watch = os.pidfd_open(web_pid)  # Linux 5.3+: readable once the process has exited
    except (AttributeError, OSError):
        while alive(web_pid):
            time.sleep(PARENT_CHECK_SECONDS)
    else:
        select.select([watch], [], [])
    os._exit(0)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, though it is not ours to signal
        return True
    return True
