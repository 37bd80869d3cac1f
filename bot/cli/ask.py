"""`bot ask`: one line (or one per stdin line) answered as Slack would, as text or the JSON of CONTRACT.md."""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli.errors import fail
from bot.cli.library import load_library
from bot.cli.render_text import Terminal, render
from bot.commands.dispatch import answer, ask, parse_line
from bot.commands.results import UsageError
from bot.commands.words import load_command_words
from bot.config import Settings


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.text == "-":
        return _ask_stream(args, settings)
    try:  # a line that says nothing the bot can do is told so before the library is loaded
        request = parse_line(args.text, load_command_words(settings.config_dir))
    except UsageError as exc:
        return fail(args.json, str(exc))
    library = load_library(settings)
    try:
        reply = answer(request, library, settings, limit=args.limit)
    except UsageError as exc:
        return fail(args.json, str(exc))
    if args.json:
        print(json.dumps(reply.as_json(args.limit), ensure_ascii=False))
    else:
        print(render(reply, Terminal.of(sys.stdout)))
    return 0


def _ask_stream(args: argparse.Namespace, settings: Settings) -> int:
    """Many queries, one index load: one answer (or error object) per input line, in order."""
    library = load_library(settings)
    for line in sys.stdin:
        line = line.rstrip("\n")
        try:
            reply = ask(line, library, settings, limit=args.limit)
        except UsageError as exc:
            output = {"error": str(exc)} if args.json else f"error: {exc}"
        else:
            output = reply.as_json(args.limit) if args.json else render(reply, Terminal.of(sys.stdout))
        print(json.dumps(output, ensure_ascii=False) if args.json else output, flush=True)
    return 0
