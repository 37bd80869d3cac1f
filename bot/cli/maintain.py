"""`bot eval`, `bot stance train` and `bot index`: the figures, the stance model and the saved library."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli.errors import EXIT_USAGE, fail
from bot.cli.library import load_library
from bot.config import ConfigError, Settings
from bot.corpus.stance.train import Options


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
