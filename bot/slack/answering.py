"""From what a user typed (or clicked) to the Message that answers it: the listeners' pure core.

The listeners only rate-limit, deliver and log; everything between the text Slack sent and the
Block Kit that goes back is here, as plain functions of (text, library, settings). That is what
the property tests call 10,000 times per command, so what they prove is what users get.

The core pages /quote and /who-said itself (offset, limit). /compare has no offset, so a later
page asks the core for enough results and keeps the slice: the same Page type then works for
every button.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.commands.dispatch import Request, answer
from bot.commands.help import HELP_TEXT
from bot.commands.parse import MENTION_PREFIX, parse_line, request_for
from bot.commands.words import load_command_words
from bot.commands.results import COMPARE, HELP, Reply, UsageError
from bot.config import Settings
from bot.slack import blocks as render
from bot.slack.home import home_view
from bot.slack.incoming import readable
from bot.slack.readiness import as_slot
from bot.slack.state import Page

PREVIEW_SIZE = 1  # a preview shows the best result, the way /giphy does

# Outcome labels, as they appear in the per-request log line.
ANSWERED = "answered"
NOT_FOUND = "not_found"
USAGE = "usage"
HELPED = "help"
PUBLISHED = "published"


@dataclass(frozen=True)
class Answer:
    reply: Reply
    page: Page
    has_more: bool


@dataclass(frozen=True)
class Outcome:
    """The message to send (or the Home tab's view to publish), and what the log line says about it."""

    message: render.Message | None
    label: str
    results: int = 0
    answer: Answer | None = None  # for a search: the reply and page the message was built from
    view: dict | None = None  # the App Home tab, as views.publish takes it


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


def more_limit(settings: Settings) -> int:
    return max(1, settings.results_per_page)


def result_count(reply: Reply) -> int:
    return len(reply.results) + sum(len(side.results) for side in reply.sides)


def command_outcome(name: str, text: str | None, library, settings: Settings) -> Outcome:
    """A slash command (`/quote`, text as Slack sent it) to its ephemeral preview.

    `library` is a Library or a LibrarySlot; it is only waited for when there is something to search,
    so a usage error or /help is answered even while the library loads.
    """
    try:
        request = request_for(name, readable(text), load_command_words(settings.config_dir))
    except UsageError as error:
        return Outcome(render.usage(str(error), HELP_TEXT), USAGE)
    if request.command == HELP:
        return Outcome(render.help_message(HELP_TEXT), HELPED)
    result = answer_page(first_page(request, settings), as_slot(library).get(), settings)
    message = render.preview(result.reply, result.page, has_more=result.has_more, more_limit=more_limit(settings))
    return _searched(message, result)


def mention_outcome(text: str | None, library, settings: Settings) -> Outcome:
    """An @-mention's text (the bot's own `<@U…>` first) to a thread reply, or a usage message.

    The leading mentions are stripped before Slack's markup is made readable, so `<@UBOT>` never
    becomes part of the query; a mention elsewhere in the line is read as the `@name` it shows.
    """
    line = readable(MENTION_PREFIX.sub("", text or ""))
    try:
        request = parse_line(line, load_command_words(settings.config_dir))
    except UsageError as error:
        return Outcome(render.usage(str(error), HELP_TEXT), USAGE)
    if request.command == HELP:
        return Outcome(render.help_message(HELP_TEXT), HELPED)
    page = first_page(request, settings, size=max(1, settings.results_per_page))
    result = answer_page(page, as_slot(library).get(), settings)
    return _searched(render.thread_reply(result.reply, result.page), result)


def shared_outcome(page: Page, library, settings: Settings, user_id: str | None) -> Outcome:
    """"Post to channel": the preview's answer, recomputed, as a public message crediting `user_id`."""
    result = answer_page(page, as_slot(library).get(), settings)
    return _searched(render.shared(result.reply, page, user_id), result)


def page_outcome(page: Page, library, settings: Settings) -> Outcome:
    """"Next" / "More results": the preview for a later slice."""
    result = answer_page(page, as_slot(library).get(), settings)
    message = render.preview(result.reply, result.page, has_more=result.has_more, more_limit=more_limit(settings))
    return _searched(message, result)


def _searched(message: render.Message, result: Answer) -> Outcome:
    count = result_count(result.reply)
    label = ANSWERED if result.reply.found and count else NOT_FOUND
    return Outcome(message, label, count, result)


def home_outcome(library, settings: Settings | None = None) -> Outcome:
    """The App Home tab (`view`: the dict views.publish takes)."""
    return Outcome(None, PUBLISHED, view=home_view(as_slot(library).get()).to_dict())
