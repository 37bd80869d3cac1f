"""One entry point for every front end: a typed line in, a Reply out, never an exception for bad input."""

from __future__ import annotations

from bot.commands.compare import compare
from bot.commands.help import help_reply
from bot.commands.parse import Request, parse_line, request_for
from bot.commands.quote import quote
from bot.commands.results import COMPARE, HELP, QUOTE, WHO_SAID, Reply
from bot.commands.who_said import who_said
from bot.commands.words import load_command_words
from bot.config import Settings
from bot.search.library import Library

HANDLERS = {QUOTE: quote, WHO_SAID: who_said, COMPARE: compare}


def answer(request: Request, library: Library, settings: Settings, *, limit: int | None = None, offset: int = 0) -> Reply:
    if request.command == HELP:
        return help_reply()
    return HANDLERS[request.command](request.query, library, settings, limit=limit, offset=offset)


def ask(text: str, library: Library, settings: Settings, *, limit: int | None = None, offset: int = 0) -> Reply:
    """parse_line raises UsageError for a malformed line; the caller decides how to show it."""
    return answer(parse_line(text, load_command_words(settings.config_dir)), library, settings, limit=limit, offset=offset)


__all__ = ["Request", "answer", "ask", "parse_line", "request_for"]
