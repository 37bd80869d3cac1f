"""An answer handed over whole: what the ack listener writes, and what answers it from there on.

Under `bot serve` the web process only acknowledges. For a slash command, or a Next / More click,
its ack listener writes one `AnswerJob` (a few hundred bytes: what to compute, where the reply
goes, the request's id, arrival time and log fields, and the rate limit's verdict) to a search
process (bot/slack/searching.py) and returns; no thread of the web process waits for the answer.
The search process runs the job through a `Replier`: the same skeleton as every other answer
(bot/slack/replying.py: rate limit, search within the deadline with the "taking longer than
usual" notice, deliver with retries and the response_url fallbacks, and the request's one log
line), on its own courier threads (bot/slack/courier.py).

Under `bot socket` and in tests that hand a library to the app (`LocalSearcher`), the same
Replier runs the same job on the web process's answer threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import Any

from bot.config import Settings
from bot.slack.answering import command_outcome, page_outcome
from bot.slack.blocks import SORRY
from bot.slack.delivery import ReplyPlan, Responder, RetryPolicy
from bot.slack.observe import RECEIVED_AT, REQUEST_ID, RequestLog, log_rejected
from bot.slack.ratelimit import Decided
from bot.slack.replying import Deadline, answer, apologise, ephemeral

LOG = logging.getLogger("bot.slack")
COMMAND = "command"  # a slash command's preview: command_outcome(name, text)
PAGE = "page"  # Next / More results: page_outcome(page)
OUTCOMES = {COMMAND: command_outcome, PAGE: page_outcome}

Search = Callable[..., Future]  # search(fn, *args, **kwargs): fn(*args, library=…, **kwargs) in the searcher


@dataclass(frozen=True)
class AnswerJob:
    """One request to answer from start to end, in a form another process can take."""

    call: str  # COMMAND or PAGE
    args: tuple
    plan: ReplyPlan  # where the reply goes (bot/slack/delivery.py)
    request_id: str
    received_at: float  # time.monotonic() in the web process: the machine's clock, the same in every process
    kind: str  # the log line's `kind`, and its other fields (command, user, team, channel)
    fields: tuple[tuple[str, Any], ...] = ()
    rate_allowed: bool | None = None  # the screen's verdict; None: no limit applies
    # With REDIS_URL set, a slash command's replay guard and rate limit are asked here, where it is
    # answered, with its signature as the key (one Redis round trip, off the ack): `Replier.guard`.
    replay_key: str | None = None

    @property
    def user(self) -> str | None:
        return dict(self.fields).get("user")

    def log(self) -> RequestLog:
        return RequestLog({REQUEST_ID: self.request_id, RECEIVED_AT: self.received_at}, self.kind, **dict(self.fields))


class Replier:
    """Answers AnswerJobs: search, deliver, log, through the one skeleton (bot/slack/replying.py).

    `client_for()` gives the WebClient for the fallbacks (chat.postEphemeral once a response_url is
    spent): one per answer, as Bolt builds one per request."""

    def __init__(self, settings: Settings, policy: RetryPolicy, deadline: Deadline, client_for: Callable[[], object],
                 guard: Callable[[str, str | None], tuple[bool, bool]] | None = None):
        self.settings = settings
        self.policy = policy
        self.deadline = deadline
        self.client_for = client_for
        self.guard = guard  # bot/slack/shared_state.py CommandGuard, for jobs with a replay_key

    def responder(self, job: AnswerJob) -> Responder:
        return Responder.from_plan(job.plan, policy=self.policy, client=self.client_for())

    def run(self, job: AnswerJob, search: Search) -> bool:
        """Answer `job`; False if its reply could not be delivered (the log line says why). A replayed
        request (its replay_key taken before, by any process sharing the state) is ignored."""
        if job.replay_key is not None and self.guard is not None:
            first, allowed = self.guard(job.replay_key, job.user)
            if not first:
                log_rejected(200, "replayed request ignored", request_id=job.request_id)
                return True
            job = replace(job, rate_allowed=allowed)
        respond = self.responder(job)
        options = dict(job.plan.options)
        undelivered: list[bool] = []
        with job.log() as log:
            answer(
                log,
                search=lambda: search(OUTCOMES[job.call], *job.args, settings=self.settings),
                deliver=lambda outcome: respond(outcome.message, **options),
                tell=ephemeral(respond),
                settings=self.settings,
                deadline=self.deadline,
                logger=LOG,
                limiter=None if job.rate_allowed is None else Decided(job.rate_allowed),
                user=job.user,
                on_undelivered=lambda: undelivered.append(True),
            )
        return not undelivered

    def give_up(self, job: AnswerJob, reason: str) -> None:
        """`job` will never be answered (its search process died): the user is told, and the request's
        one log line says why, at ERROR."""
        with job.log() as log:
            LOG.error("request %s was lost: %s", job.request_id, reason)
            log.done("failed", level=logging.ERROR, error=reason, via=apologise(ephemeral(self.responder(job)), SORRY, LOG))
