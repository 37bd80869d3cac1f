"""The searcher's interface over a library held in this process: for `bot socket`, and for tests
that hand a loaded library (or a LibrarySlot) to the app.

It offers what `bot serve`'s SearchPool (bot/slack/searching.py) offers: `submit(fn, ...)` runs
`fn(..., library=...)` and returns a Future, and `hand_over(job, ...)` answers an AnswerJob from
start to end (bot/slack/handover.py), here on the web process's answer queue, with the
request's own WebClient for the delivery.
"""

from __future__ import annotations

from concurrent.futures import Executor, Future, ThreadPoolExecutor

from bot.slack.handover import AnswerJob, Replier
from bot.slack.readiness import as_slot

LOCAL_SEARCH_THREADS = 4


class LocalSearcher:
    """The same interface over a library (or LibrarySlot) in this process, on a few threads."""

    def __init__(self, library, executor: Executor | None = None):
        self.slot = as_slot(library)
        self._executor = executor or ThreadPoolExecutor(LOCAL_SEARCH_THREADS, thread_name_prefix="search")

    def submit(self, fn, /, *args, **kwargs) -> Future:
        return self._executor.submit(fn, *args, library=self.slot, **kwargs)

    def hand_over(self, job: AnswerJob, replier: Replier, queue, on_undelivered=None) -> bool:
        """Answer `job` on `queue` (the web process's AnswerQueue) with `replier`; False if it is full."""
        return queue.submit(self._answer, job, replier, on_undelivered)

    def _answer(self, job: AnswerJob, replier: Replier, on_undelivered) -> None:
        if not replier.run(job, self.submit) and on_undelivered is not None:
            on_undelivered()

    def close(self) -> None:
        self._executor.shutdown(wait=True)
