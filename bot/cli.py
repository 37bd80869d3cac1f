"""`bot …`: the library offline in a terminal, the evaluation, and the Slack servers."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from bot.config import ConfigError, Settings
from bot.corpus.loader import load_corpus
from bot.corpus.models import Corpus

EXIT_USAGE = 2


def settings_from_env() -> Settings:
    seeds = os.environ.get("BOT_SEEDS")
    config = os.environ.get("BOT_CONFIG")
    return Settings.load(Path(config) if config else None, Path(seeds) if seeds else None)


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
            f"{document.repaired_runs} damaged runs repaired, {document.dropped_chars} characters unrecoverable"
        )
    for problem in corpus.problems:
        print(f"problem: {problem}")
    return 1 if corpus.problems else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    corpus = sub.add_parser("corpus", help="list every passage of the cleaned corpus")
    corpus.add_argument("--json", action="store_true", help="JSON Lines, one passage per line")
    corpus.add_argument("--check", action="store_true", help="exit 1 and list problems if any document failed")
    corpus.set_defaults(handler=cmd_corpus)
    return parser


def main(argv: list[str] | None = None) -> int:
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
