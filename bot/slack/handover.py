"""An answer handed over whole: what a listener writes, and what answers it from there on.

Under `bot serve` the web process only acknowledges and guards. For every request that gets an
answer (a slash command, a Next / More / Post to channel click, an @-mention, the Home tab opened)
a listener writes one `AnswerJob` (a few hundred bytes: what to compute, where the answer goes,
the request's id, arrival time and log fields, and the rate limit's verdict) to a search process
(bot/slack/searching.py) and returns; no thread of the web process waits for the answer. The
search process runs the job through a `Replier`: the same skeleton as every answer
(bot/slack/replying.py: rate limit, search within the deadline with the "taking longer than
usual" notice, deliver with retries and fallbacks, and the request's one log line), on its own
courier threads (bot/slack/courier.py), to the job's destination (bot/slack/destinations.py: a
response_url, a thread, the Home tab).

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
from bot.slack.answering import command_outcome, home_outcome, mention_outcome, page_outcome, shared_outcome
from bot.slack.blocks import SORRY
from bot.slack.delivery import ReplyPlan, RetryPolicy
from bot.slack.destinations import HomePlan, Route, ThreadPlan, route_for
from bot.slack.observe import RECEIVED_AT, REQUEST_ID, RequestLog, log_rejected
from bot.slack.ratelimit import Decided
from bot.slack.replying import Deadline, answer, apologise

LOG = logging.getLogger("bot.slack")
COMMAND = "command"  # a slash command's preview: command_outcome(name, text), to its response_url
PAGE = "page"  # Next / More results: page_outcome(page), to the click's response_url
SHARE = "share"  # Post to channel: shared_outcome(page, user), posted publicly through the click's response_url
MENTION = "mention"  # an @-mention: mention_outcome(text), to its thread (a ThreadPlan)
HOME = "home"  # the App Home tab opened: home_outcome(), published (a HomePlan)


def _shared(page, user_id: str | None, *, library, settings: Settings):
    """shared_outcome with the job's arguments (the page, the sharer) first, as every call takes them."""
    return shared_outcome(page, library, settings, user_id)


OUTCOMES = {COMMAND: command_outcome, PAGE: page_outcome, SHARE: _shared, MENTION: mention_outcome, HOME: home_outcome}

Search = Callable[..., Future]  # search(fn, *args, **kwargs): fn(*args, library=…, **kwargs) in the searcher


@dataclass(frozen=True)
class AnswerJob:
    """One request to answer from start to end, in a form another process can take."""

    call: str  # COMMAND, PAGE, SHARE, MENTION or HOME
    args: tuple
    plan: ReplyPlan | ThreadPlan | HomePlan  # where the answer goes (bot/slack/destinations.py)
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

    def route(self, job: AnswerJob) -> Route:
        """How `job`'s answer is delivered, and how its asker is told something (bot/slack/destinations.py)."""
        return route_for(job.plan, client=self.client_for(), policy=self.policy, share=job.call == SHARE,
                         logger=LOG, request_id=job.request_id)

    def run(self, job: AnswerJob, search: Search) -> bool:
        """Answer `job`; False if its answer could not be delivered (the log line says why). A replayed
        request (its replay_key taken before, by any process sharing the state) is ignored."""
        if job.replay_key is not None and self.guard is not None:
            first, allowed = self.guard(job.replay_key, job.user)
            if not first:
                log_rejected(200, "replayed request ignored", request_id=job.request_id)
                return True
            job = replace(job, rate_allowed=allowed)
        route = self.route(job)
        undelivered: list[bool] = []

        def on_undelivered() -> None:
            undelivered.append(True)
            if route.after_undelivered is not None:
                route.after_undelivered()

        with job.log() as log:
            answer(
                log,
                search=lambda: search(OUTCOMES[job.call], *job.args, settings=self.settings),
                deliver=route.deliver,
                tell=route.tell,
                settings=self.settings,
                deadline=self.deadline,
                logger=LOG,
                limiter=None if job.rate_allowed is None else Decided(job.rate_allowed),
                user=job.user,
                on_undelivered=on_undelivered,
            )
        return not undelivered

    def give_up(self, job: AnswerJob, reason: str) -> None:
        """`job` will never be answered (its search process died): the asker is told, and the request's
        one log line says why, at ERROR."""
        with job.log() as log:
            LOG.error("request %s was lost: %s", job.request_id, reason)
            log.done("failed", level=logging.ERROR, error=reason, via=apologise(self.route(job).tell, SORRY, LOG))
