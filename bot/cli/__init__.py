"""`bot …`: the library offline in a terminal, the evaluation, and the Slack servers."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from bot.commands.dispatch import answer, ask, parse_line
from bot.commands.results import UsageError
from bot.commands.words import load_command_words
from bot.config import ConfigError, Settings, settings_from_env
from bot.corpus.models import Corpus
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
from bot.corpus.stance.train import Options
from bot.cli.render_text import Terminal, render

EXIT_USAGE = 2
UNATTRIBUTED_SHOWN = 20  # quotation passages without a speaker listed by `bot corpus --check`


def load_library_corpus(settings: Settings) -> Corpus:
    from bot.corpus.loader import load_corpus  # here, not at the top: reading articles loads attribution and
    # jieba's tagger (0.6 s), which `bot ask` on a saved library, `bot --help` and every usage error never need

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
    from bot.corpus.speaker_report import unattributed_quotations  # attribution's: see load_library_corpus

    for document in corpus.documents:
        print(
            f"ok {document.doc_id}: {len(document.passages)} passages, {len(document.headings)} headings, "
            f"damaged runs repaired: {document.repaired_runs}, characters unrecoverable (dropped): {document.dropped_chars}"
        )
        if document.reading:
            print(f"   read as {document.reading.summary()}")
    unattributed = unattributed_quotations(corpus)
    total = sum(1 for p in corpus.passages if p.quotations)
    print(f"quotation passages without a speaker: {len(unattributed)} of {total}; see `bot speakers`")
    for passage in unattributed[:UNATTRIBUTED_SHOWN]:
        print(f"  no speaker: [{passage.id}] {passage.text[:60]}")
    for problem in corpus.problems:
        print(f"problem: {problem}")
    return 1 if corpus.problems else 0


def cmd_speakers(args: argparse.Namespace, settings: Settings) -> int:
    """Every speaker attribution found, with passage counts, forms, and guessed names."""
    from bot.corpus.speaker_report import format_rows, speaker_rows  # attribution's: see load_library_corpus

    rows = speaker_rows(load_library_corpus(settings))
    if args.json:
        print(json.dumps([r.as_json() for r in rows], ensure_ascii=False))
    else:
        print(format_rows(rows))
    return 0


def load_library(settings: Settings):
    """The saved library when it matches the seeds, config and code (see `bot index build`).

    A seeds folder that is missing or holds no article gets one warning, not one per problem:
    every answer will then be empty, and the user should know why before reading it.
    """
    from bot.search.cache import load_library as load_saved_library

    library = load_saved_library(settings)
    folder = str(settings.seeds_dir)
    problems = list(library.corpus.problems)
    if not library.corpus.documents:
        missing = not Path(folder).is_dir()
        problems = [p for p in problems if not str(p).startswith(folder + ":")]
        why = "not found" if missing else "holds no article the bot can read (.txt, .md, .html)"
        problems.insert(0, f"the seeds folder {folder} {why}: the library is empty (set BOT_SEEDS to a folder of articles)")
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    return library


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


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from bot.evaluation import evaluate, format_report

    library = load_library(settings)
    try:
        articles = Path(args.with_articles) if args.with_articles else None
        report = evaluate(Path(args.file), library, settings, articles=articles)
    except ConfigError as exc:
        return fail(args.json, str(exc))
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_report(report))
    return 0


def cmd_stance(args: argparse.Namespace, settings: Settings) -> int:
    from bot.corpus.stance import MODEL_FILE
    from bot.evaluation import contains
    from bot.evaluation.stance import format_goals, save_model, train_model

    labels = Path(args.labels)
    articles = Path(args.articles) if args.articles else labels.parent / "articles"
    out = Path(args.out) if args.out else Path(settings.config_dir) / MODEL_FILE
    try:
        trained = train_model(labels, articles, settings.config_dir, contains, Options(c=args.c, signal_weight=args.signal_weight))
    except ConfigError as exc:
        return fail(False, str(exc))
    for name in ("cross_validated", "in_sample", "rules_alone"):
        print(f"{name.replace('_', ' ')}:\n{format_goals(trained.figures[name])}\n")
    if trained.unfound:
        print("labelled passages not found: " + ", ".join(trained.unfound), file=sys.stderr)
    try:
        save_model(trained.model, out)
    except ConfigError as exc:
        return fail(False, str(exc))
    model = trained.model
    how = f"after the rules (veto below {model.veto})" if model.rules_first else "with the rules' scores among its inputs"
    needs = ", ".join(f"{c} {t:g}" for c, t in zip(("open", "closed", "both"), model.thresholds))
    honest = model.about.get("cross_validated_thresholds_chosen_without_the_article") if model.about else None
    if honest:
        print("cross validated, thresholds chosen without each article: " + ", ".join(f"{k.replace('_', ' ')} {v:.3f}" for k, v in honest.items()))
    print(f"places a passage at probability {needs} or more, {how}; wrote {out}")
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


def fail(as_json: bool, message: str) -> int:
    """An error: one line on stderr, and with --json also `{"error": …}` on stdout; exit status 2."""
    if as_json:
        print(json.dumps({"error": message}, ensure_ascii=False), flush=True)
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


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
