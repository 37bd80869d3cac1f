"""In a search process: answering the requests handed over to it, each on a courier thread.

The web process of `bot serve` only acknowledges and guards: it writes each request that gets an
answer (a slash command, a button click, an @-mention, the Home tab opened) as an `AnswerJob` to a search process (bot/slack/handover.py, bot/slack/searching.py) and
forgets it. Here a `Courier` runs each job through the one answering skeleton (a `Replier`): the
search on the process's search thread, the "taking longer than usual" notice past the deadline,
the reply with its retries and the response_url fallbacks, and the request's one log line with
its request id. It runs on `COURIER_THREADS` threads of their own, so a hung response_url holds
one courier thread for its retries, never the search thread, whose next search starts at once.

When a job is done the courier sends back a one-line receipt, `("done", seq, delivered)`: the web
process keeps each job until then, so that it can log and apologise for the jobs of a search
process that died, and forget a click whose answer could not be delivered (so clicking again
retries). The web process reads receipts on one thread, several at a time, and nothing in it waits for one.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from collections.abc import Callable

from bot.config import Settings
from bot.slack.delivery import RetryPolicy
from bot.slack.handover import AnswerJob, Replier, Search
from bot.slack.replying import Deadline

COURIER_THREADS = 32  # per search process: they wait on searches and on Slack; a hung response_url holds one
LOG = logging.getLogger("bot.slack")
DONE = "done"


@dataclass(frozen=True)
class CourierSettings:
    """What a search process needs to answer requests itself (sent to it once, when it starts)."""

    token: str
    api_url: str
    policy: RetryPolicy = RetryPolicy()
    threads: int = COURIER_THREADS
    log_level: str = "INFO"
    secrets: tuple[str, ...] = ()
    deadline: Deadline = Deadline()
    redis_url: str | None = None  # the state the web processes share: slash commands' replay guard and rate limit

    def web_client(self):
        """A WebClient for one answer's fallbacks (built per answer, as Bolt builds one per request)."""
        from slack_sdk import WebClient

        return WebClient(token=self.token, base_url=self.api_url, timeout=self.policy.timeout,  # type: ignore[arg-type]
                         retry_handlers=self.policy.handlers())

    def replier(self, settings: Settings) -> Replier:
        guard = None
        if self.redis_url:
            from bot.slack.shared_state import SharedState

            state = SharedState(self.redis_url)
            guard = state.command_guard(state.limiter(settings.rate_limit_per_minute))
        return Replier(settings, self.policy, self.deadline, self.web_client, guard)


class Courier:
    """Answers AnswerJobs on a thread pool of its own and reports each with `send(("done", seq, delivered))`."""

    def __init__(self, settings: CourierSettings, app_settings: Settings, search: Search, send: Callable[[tuple], None]):
        self.replier = settings.replier(app_settings)
        self.search = search
        self.send = send
        self.executor = ThreadPoolExecutor(max(1, settings.threads), thread_name_prefix="courier")

    def take(self, seq: int, job: AnswerJob) -> None:
        self.executor.submit(self._answer, seq, job)

    def _answer(self, seq: int, job: AnswerJob) -> None:
        try:
            delivered = self.replier.run(job, self.search)
        except Exception:  # the skeleton logs its own failures; this is a bug, and the receipt must still go
            LOG.exception("answering request %s failed", job.request_id)
            delivered = False
        self.send((DONE, seq, delivered))

    def close(self) -> None:
        """Finish every job taken (their searches and deliveries)."""
        self.executor.shutdown(wait=True)
