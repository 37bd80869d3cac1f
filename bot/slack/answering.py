"""From a Page (what a message or button asks for) to the Reply that fills it.

The core pages /quote and /who-said itself (offset, limit). /compare has no offset, so a later
page asks the core for enough results and keeps the slice: the same Page type then works for
every button.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.commands.dispatch import Request, answer
from bot.commands.results import COMPARE, Reply
from bot.config import Settings
from bot.slack.state import Page

PREVIEW_SIZE = 1  # a preview shows the best result, the way /giphy does


@dataclass(frozen=True)
class Answer:
    reply: Reply
    page: Page
    has_more: bool


def first_page(request: Request, settings: Settings, *, size: int | None = None) -> Page:
    """The first slice for a new request: one result for a preview, a column set for /compare."""
    if request.command == COMPARE:
        limit = settings.compare_per_side
    else:
        limit = size if size is not None else PREVIEW_SIZE
    return Page(request.command, request.query, 0, max(1, limit))


def answer_page(page: Page, library, settings: Settings) -> Answer:
    request = Request(page.command, page.query)
    if page.command != COMPARE:
        reply = answer(request, library, settings, limit=page.limit, offset=page.offset)
        return Answer(reply, page, reply.has_more)
    end = page.offset + page.limit
    reply = answer(request, library, settings, limit=end + 1)
    sides = tuple(replace(side, results=side.results[page.offset:end]) for side in reply.sides)
    has_more = any(len(side.results) > end for side in reply.sides)
    return Answer(replace(reply, sides=sides, offset=page.offset), page, has_more)
