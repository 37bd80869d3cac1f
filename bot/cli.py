"""`bot …`: the library offline in a terminal, the evaluation, and the Slack servers."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from bot.commands.dispatch import ask
from bot.commands.results import UsageError
from bot.config import DEFAULT_CACHE_DIR, ConfigError, Settings
from bot.corpus.loader import load_corpus
from bot.corpus.models import Corpus
from bot.corpus.speaker_report import format_rows, speaker_rows, unattributed_quotations
from bot.render_text import render

EXIT_USAGE = 2
UNATTRIBUTED_SHOWN = 20  # quotation passages without a speaker listed by `bot corpus --check`


def settings_from_env() -> Settings:
    """BOT_SEEDS and BOT_CONFIG replace seeds/ and config/; BOT_CACHE_DIR=off disables the saved library."""
    seeds = os.environ.get("BOT_SEEDS")
    config = os.environ.get("BOT_CONFIG")
    cache = os.environ.get("BOT_CACHE_DIR", str(DEFAULT_CACHE_DIR))
    return Settings.load(
        Path(config) if config else None,
        Path(seeds) if seeds else None,
        None if cache.lower() in ("", "off", "none", "0") else Path(cache),
    )


def load_library_corpus(settings: Settings) -> Corpus:
    corpus = load_corpus(settings.seeds_dir, settings.config_dir)
    for problem in corpus.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return corpus


def cmd_corpus(args: argparse.Namespace, settings: Settings) -> int:
    corpus = load_library_corpus(settings)
    if args.check:
        return _check_corpus(corpus)
    for passage in corpus.passages:
        if args.json:
            record = {
                "passage_id": passage.id,
                "doc_id": passage.doc_id,
                "text": passage.text,
                "speaker": passage.speaker,
                "kind": passage.kind,
                "heading": passage.heading,
                "raw_span": list(passage.raw_span),
                "quotations": [
                    {"start": q.start, "end": q.end, "speaker": q.speaker, "text": q.text_of(passage.text)}
                    for q in passage.quotations
                ],
            }
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(f"[{passage.id}] {passage.speaker or '(unknown)'}: {passage.text}")
    return 0


def _check_corpus(corpus: Corpus) -> int:
    for document in corpus.documents:
        print(
            f"ok {document.doc_id}: {len(document.passages)} passages, {len(document.headings)} headings, "
            f"damaged runs repaired: {document.repaired_runs}, characters unrecoverable (dropped): {document.dropped_chars}"
        )
    unattributed = unattributed_quotations(corpus)
    total = sum(1 for p in corpus.passages if p.quotations)
    print(f"quotation passages without a speaker: {len(unattributed)} (attributed: {total}); see `bot speakers`")
    for passage in unattributed[:UNATTRIBUTED_SHOWN]:
        print(f"  no speaker: [{passage.id}] {passage.text[:60]}")
    for problem in corpus.problems:
        print(f"problem: {problem}")
    return 1 if corpus.problems else 0


def cmd_speakers(args: argparse.Namespace, settings: Settings) -> int:
    """Every speaker attribution found, with passage counts, forms, and guessed names."""
    rows = speaker_rows(load_library_corpus(settings))
    if args.json:
        print(json.dumps([r.as_json() for r in rows], ensure_ascii=False))
    else:
        print(format_rows(rows))
    return 0


def load_library(settings: Settings):
    """The saved library when it matches the seeds, config and code (see `bot index build`)."""
    from bot.search.cache import load_library as load_saved_library

    library = load_saved_library(settings)
    for problem in library.corpus.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return library


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.text == "-":
        return _ask_stream(args, settings)
    library = load_library(settings)
    try:
        reply = ask(args.text, library, settings, limit=args.limit)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(reply.as_json(args.limit), ensure_ascii=False))
    else:
        print(render(reply))
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
            output = reply.as_json(args.limit) if args.json else render(reply)
        print(json.dumps(output, ensure_ascii=False) if args.json else output, flush=True)
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.evaluation import evaluate, format_report

    library = load_library(settings)
    try:
        articles = Path(args.with_articles) if args.with_articles else None
        report = evaluate(Path(args.file), library, settings, articles=articles)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_report(report))
    return 0


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from bot.search import cache

    if args.action == "info":
        data = cache.info(settings)
        if args.json:
            print(json.dumps(data, ensure_ascii=False))
        else:
            for name, value in data.items():
                print(f"{name}: {value}")
        return 0 if data["state"] == "fresh" else 1
    try:
        report = cache.build(settings, progress=not args.quiet)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for problem in report.problems:
        print(f"problem: {problem}", file=sys.stderr)
    if report.problems:
        print("not saved: the corpus has problems (see `bot corpus --check`)", file=sys.stderr)
        return 1
    timing = ", ".join(f"{name} {value:.1f} s" for name, value in report.seconds.items())
    print(
        f"saved {report.path} ({report.bytes / 1e6:.1f} MB, key {report.key}): "
        f"{report.documents} documents, {report.passages} passages; {timing}"
    )
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.slack.server import serve

    return serve(settings, os.environ)


def cmd_socket(args: argparse.Namespace, settings: Settings) -> int:
    from bot.slack.server import socket

    return socket(settings, os.environ)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    corpus = sub.add_parser("corpus", help="list every passage of the cleaned corpus")
    corpus.add_argument("--json", action="store_true", help="JSON Lines, one passage per line")
    corpus.add_argument("--check", action="store_true", help="exit 1 and list problems if any document failed")
    corpus.set_defaults(handler=cmd_corpus)
    ask_parser = sub.add_parser("ask", help="answer one line as Slack would (or '-' for one per stdin line)")
    ask_parser.add_argument("text", help="e.g. '/quote 护城河', 'who said 智商税', 'compare open closed', or -")
    ask_parser.add_argument("--json", action="store_true", help="one JSON object per answer")
    ask_parser.add_argument("--limit", type=_positive_int, default=None, help="cap the results (per side for compare)")
    ask_parser.set_defaults(handler=cmd_ask)
    speakers_parser = sub.add_parser("speakers", help="every speaker found, with passage counts, forms and guessed names")
    speakers_parser.add_argument("--json", action="store_true")
    speakers_parser.set_defaults(handler=cmd_speakers)
    eval_parser = sub.add_parser("eval", help="recall and accuracy on an evaluation file")
    eval_parser.add_argument("file", help="a YAML file in the format of shared/eval/dev.yaml")
    eval_parser.add_argument("--json", action="store_true")
    eval_parser.add_argument(
        "--with-articles", metavar="DIR", help="also load the articles in DIR with the seeds (development articles)"
    )
    eval_parser.set_defaults(handler=cmd_eval)
    index_parser = sub.add_parser("index", help="build the saved library (a deploy's build step) or show its state")
    index_parser.add_argument("action", choices=("build", "info"))
    index_parser.add_argument("--json", action="store_true", help="info as one JSON object")
    index_parser.add_argument("--quiet", action="store_true", help="no progress bar")
    index_parser.set_defaults(handler=cmd_index)
    serve_parser = sub.add_parser(
        "serve", help="the production Slack HTTP server (PORT, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL)"
    )
    serve_parser.set_defaults(handler=cmd_serve)
    socket_parser = sub.add_parser("socket", help="Slack Socket Mode for development (SLACK_APP_TOKEN, SLACK_BOT_TOKEN)")
    socket_parser.set_defaults(handler=cmd_socket)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("jieba").setLevel(logging.WARNING)  # its "Building prefix dict" chatter is not ours to show
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        settings = settings_from_env()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return args.handler(args, settings)
    except BrokenPipeError:
        return 0
