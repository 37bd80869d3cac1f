"""`bot corpus` and `bot speakers`: the cleaned corpus, its check, and who was found speaking."""

from __future__ import annotations

import argparse
import json

from bot.cli.library import load_library_corpus
from bot.config import Settings
from bot.corpus.models import Corpus

UNATTRIBUTED_SHOWN = 20  # quotation passages without a speaker listed by `bot corpus --check`


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
