"""`bot …`: the library offline in a terminal, the evaluation, and the Slack servers.

One module per idea: arguments.py (the command line), ask.py, corpus.py, maintain.py (eval, stance,
index) and servers.py (each subcommand's runner), library.py (loading what they read), errors.py
(how a mistake is reported), help.py and render_text.py (the words and the terminal's layout).
"""

from __future__ import annotations

import logging
import sys

from bot.cli.arguments import build_parser
from bot.cli.errors import EXIT_USAGE, fail
from bot.cli.library import load_library, load_library_corpus
from bot.config import ConfigError, settings_from_env

__all__ = ["EXIT_USAGE", "build_parser", "fail", "load_library", "load_library_corpus", "main", "settings_from_env"]


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("jieba").setLevel(logging.WARNING)  # its "Building prefix dict" chatter is not ours to show
    argv = sys.argv[1:] if argv is None else list(argv)
    as_json = "--json" in argv
    parser = build_parser(json_errors=as_json)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.command == "index" and not args.action:
        print(args.usage, file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = settings_from_env()
    except ConfigError as exc:
        return fail(as_json, str(exc))
    try:
        return args.handler(args, settings)
    except BrokenPipeError:
        return 0
