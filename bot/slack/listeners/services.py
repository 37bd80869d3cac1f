"""What the listeners are built over, in one object: nothing lives in module globals, so a test can
build as many independent apps as it likes."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.config import Settings
from bot.slack.delivery import RetryPolicy
from bot.slack.listeners.common import AnswerQueue
from bot.slack.replying import Deadline


@dataclass
class Services:
    """The searcher (bot/slack/searching.py, or bot/slack/local_search.py in-process), the settings,
    how hard to try delivering, how long an answer may take, the answer queue, and the three guards
    (bot/slack/shared_state.py): events taken once, clicks taken once, and the per-user rate limiter."""

    searcher: object
    settings: Settings
    events: object
    clicks: object
    limiter: object
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    deadline: Deadline = field(default_factory=Deadline)
    queue: AnswerQueue = field(default_factory=AnswerQueue)
    guard: object = None  # a slash command's replay guard and rate limit, for commands the screen left to it
