"""The `bot` command line: its subcommands, their options and help, and errors as JSON under --json."""

from __future__ import annotations

import argparse
import sys

from bot.cli.ask import cmd_ask
from bot.cli.corpus import cmd_corpus, cmd_speakers
from bot.cli.errors import fail
from bot.cli.help import (
    ASK_HELP,
    CORPUS_HELP,
    DESCRIPTION,
    ENVIRONMENT,
    EVAL_HELP,
    INDEX_HELP,
    LIBRARY_ENV,
    SERVE_ENV,
    SERVE_HELP,
    SOCKET_ENV,
    SOCKET_HELP,
)
from bot.cli.maintain import cmd_eval, cmd_index, cmd_stance
from bot.cli.servers import cmd_serve, cmd_socket
from bot.corpus.stance.train import Options


def build_parser(json_errors: bool = False) -> argparse.ArgumentParser:
    """`json_errors`: the command line holds --json, so a bad argument is reported as JSON."""
    parser = JsonErrorParser(prog="bot", description=DESCRIPTION, epilog=ENVIRONMENT, formatter_class=Layout,
                             json_errors=json_errors)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=JsonErrorParser)
    corpus = sub.add_parser("corpus", json_errors=json_errors, help="list every passage of the cleaned corpus, or check it",
                            description=CORPUS_HELP, epilog=LIBRARY_ENV, formatter_class=Layout)
    corpus.add_argument("--json", action="store_true", help="JSON Lines, one passage per line")
    corpus.add_argument("--check", action="store_true", help="one line per document; exit 1 and list problems if any failed")
    corpus.set_defaults(handler=cmd_corpus)
    ask_parser = sub.add_parser("ask", json_errors=json_errors, help="answer one line as Slack would (or '-' for one per stdin line)",
                                description=ASK_HELP, epilog=LIBRARY_ENV, formatter_class=Layout)
    ask_parser.add_argument("text", metavar="TEXT", help="e.g. '/quote 护城河', 'who said 智商税', 'compare open closed', or -")
    ask_parser.add_argument("--json", action="store_true", help="one JSON object per answer; errors too, as {\"error\": …}")
    ask_parser.add_argument("--limit", type=_positive_int, default=None, metavar="N",
                            help="at most N results, N >= 1 (per side for compare); default: config/settings.yaml")
    ask_parser.set_defaults(handler=cmd_ask)
    speakers_parser = sub.add_parser("speakers", json_errors=json_errors,
                                     help="every speaker found, with passage counts, forms and guessed names",
                                     description="Every speaker attribution found in the library: how many passages, "
                                                 "by which forms (turn label, speech verb, byline …), and which names were only guessed.",
                                     epilog=LIBRARY_ENV, formatter_class=Layout)
    speakers_parser.add_argument("--json", action="store_true", help="one JSON array of speakers")
    speakers_parser.set_defaults(handler=cmd_speakers)
    eval_parser = sub.add_parser("eval", json_errors=json_errors, help="recall, MRR and accuracy on an evaluation file",
                                 description=EVAL_HELP, epilog=LIBRARY_ENV, formatter_class=Layout)
    eval_parser.add_argument("file", metavar="FILE", help="a YAML file in the format of shared/eval/dev.yaml")
    eval_parser.add_argument("--json", action="store_true", help="the whole report as one JSON object (figures per kind included)")
    eval_parser.add_argument(
        "--with-articles", metavar="DIR", help="also load the articles in DIR with the seeds (development articles)"
    )
    eval_parser.set_defaults(handler=cmd_eval)
    index_parser = sub.add_parser("index", json_errors=json_errors, help="build the saved library (a deploy's build step) or show its state",
                                  description=INDEX_HELP, epilog=LIBRARY_ENV, formatter_class=Layout)
    index_parser.add_argument("action", nargs="?", choices=("build", "info"), help="build: build and save it; info: is the saved one current?")
    index_parser.add_argument("--json", action="store_true", help="info as one JSON object")
    index_parser.add_argument("--quiet", action="store_true", help="no progress bar")
    index_parser.set_defaults(handler=cmd_index, usage=index_parser.format_help())
    serve_parser = sub.add_parser("serve", json_errors=json_errors, help="the production Slack HTTP server", description=SERVE_HELP,
                                  epilog=SERVE_ENV, formatter_class=Layout)
    serve_parser.set_defaults(handler=cmd_serve)
    socket_parser = sub.add_parser("socket", json_errors=json_errors, help="Slack Socket Mode, for development", description=SOCKET_HELP,
                                   epilog=SOCKET_ENV, formatter_class=Layout)
    socket_parser.set_defaults(handler=cmd_socket)
    stance_parser = sub.add_parser("stance", json_errors=json_errors, help="train the stance reader's model on your labelled passages",
                                   description="Fit the stance reader's model (config/stance_model.json) on labelled passages of your own articles,\n"
                                               "and print its figures: leave-one-article-out, in-sample, and the rules alone.\n"
                                               "Never label the library's seeds or an evaluation set. See docs/STANCE.md.",
                                   formatter_class=Layout)
    stance_parser.add_argument("action", choices=("train",), help="train: fit config/stance_model.json and print its figures")
    stance_parser.add_argument("labels", metavar="LABELS", help="a YAML file with a stance: list (like tests/dev_articles/stance.yaml)")
    stance_parser.add_argument("--articles", metavar="DIR", help="the labelled articles (default: the folder 'articles' beside LABELS)")
    stance_parser.add_argument("--out", metavar="FILE", help="where to write the model (default: stance_model.json in the config folder)")
    stance_parser.add_argument("--c", type=float, default=Options.c, help="inverse regularisation strength (default %(default)s)")
    stance_parser.add_argument("--signal-weight", type=float, default=Options.signal_weight,
                               help="weight of the rules' signals beside the n-grams (default %(default)s)")
    stance_parser.set_defaults(handler=cmd_stance)
    return parser


class Layout(argparse.RawDescriptionHelpFormatter):
    """Descriptions and epilogs keep their own line breaks (examples, the variables' table)."""


class JsonErrorParser(argparse.ArgumentParser):
    """With --json on the command line, a bad argument is a JSON object on stdout, exit 2."""

    def __init__(self, *args, json_errors: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.json_errors = json_errors

    def error(self, message: str):
        if self.json_errors:
            sys.exit(fail(True, f"{self.prog}: {message}"))
        super().error(message)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value
