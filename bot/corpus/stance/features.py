"""What the learned stage sees of each passage: its character n-grams and the rules' signals.

Why these: an argument made without evaluative words still has a shape in its characters
(`门开着的`, `交给社区`, `两边搭着用`), which character n-grams of the folded text catch in either
script; and the rules already know targets, negation, concessions, headings and speakers, so
their scores go in beside the n-grams instead of being thrown away. Everything here is numpy,
computed for the whole library at once (the 100x library's ~50k passages in about a second).

N-grams are keyed as integers (up to three code points of 21 bits each in one int64), so a
model's vocabulary is a sorted array and matching is one ``searchsorted``; a passage's offsets
are kept, so the words that decided a verdict can be quoted from the passage itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from bot.corpus.models import Document, Passage
from bot.corpus.stance.context import RuleView
from bot.corpus.stance.lexicon import SIDES
from bot.corpus.stance.polarity import BOTH_SIDE

NGRAM_SIZES = (1, 2, 3)
CODE_BITS = 21  # every Unicode code point fits in 21 bits; three fit in one int64
SEPARATOR = 0  # between passages; never inside a passage's text (NUL is cleaned away)
DIGITS = re.compile(r"[0-9]")
STANCE_SCORES = ("open", "closed", BOTH_SIDE)

# The rules' signals, one column each, in this order (a saved model names them, so a model
# trained with other signals is refused rather than misread).
SIGNALS = (
    *(f"own_{s}" for s in STANCE_SCORES),  # the passage's own words, as the rules score them
    *(f"context_{s}" for s in STANCE_SCORES),  # with its heading, title and speaker
    *(f"rules_say_{s}" for s in STANCE_SCORES),  # the rules' verdict
    *(f"praise_{s}" for s in SIDES),
    *(f"blame_{s}" for s in SIDES),
    "names_open",
    "names_closed",
    "names_no_side_but_section",  # names no side, its heading does
    "scopes",
    *(f"heading_{s}" for s in STANCE_SCORES),  # the verdict of the heading over it
    "heading_names_open",
    "heading_names_closed",
    *(f"title_{s}" for s in STANCE_SCORES),  # the verdict of the document's title
    *(f"speaker_{s}" for s in STANCE_SCORES),  # the speaker's other passages, as the rules score them
    *(f"document_{s}" for s in STANCE_SCORES),  # the other passages of the document
    *(f"neighbours_{s}" for s in STANCE_SCORES),  # the passages just before and after
    "length",
    "question",
    "has_speaker",
    "quotation",
    *(f"construction_{s}" for s in STANCE_SCORES),  # what its constructions argue (limit, labour, comparison, concession…)
)


@dataclass(frozen=True)
class NgramTable:
    """Every n-gram occurrence of a list of texts: its key, which text, and where it starts."""

    keys: np.ndarray  # int64
    rows: np.ndarray  # int32: index of the text
    starts: np.ndarray  # int32: offset in that text
    sizes: np.ndarray  # int8: n


def featurised(text: str) -> str:
    """The folded text as n-grams see it: digits are one digit (a figure is a figure)."""
    return DIGITS.sub("0", text)


def ngram_table(folded: list[str]) -> NgramTable:
    """All 1-3-grams of all texts, vectorised: the texts joined with a separator, and n-grams
    that would cross it dropped."""
    joined = "\0".join(featurised(t).replace("\0", " ") for t in folded)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = np.fromiter((len(t) for t in folded), dtype=np.int64, count=len(folded))
    row_of = np.repeat(np.arange(len(folded), dtype=np.int32), lengths + 1)[: len(codes)]
    first = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])) if len(folded) else np.zeros(0, dtype=np.int64)
    start_of = np.arange(len(codes), dtype=np.int64) - np.repeat(first, lengths + 1)[: len(codes)]
    keys, rows, starts, sizes = [], [], [], []
    for n in NGRAM_SIZES:
        if len(codes) < n:
            continue
        span = len(codes) - n + 1
        key = np.zeros(span, dtype=np.int64)
        clean = np.ones(span, dtype=bool)
        for k in range(n):
            part = codes[k : k + span]
            key = (key << CODE_BITS) | part
            clean &= part != SEPARATOR
        keys.append(key[clean])
        rows.append(row_of[:span][clean])
        starts.append(start_of[:span][clean].astype(np.int32))
        sizes.append(np.full(int(clean.sum()), n, dtype=np.int8))
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return NgramTable(empty, empty.astype(np.int32), empty.astype(np.int32), empty.astype(np.int8))
    return NgramTable(np.concatenate(keys), np.concatenate(rows), np.concatenate(starts), np.concatenate(sizes))


def ngram_text(key: int) -> str:
    """The n-gram a key stands for (for a model file a person can read)."""
    chars = []
    while key:
        chars.append(chr(key & ((1 << CODE_BITS) - 1)))
        key >>= CODE_BITS
    return "".join(reversed(chars))


def ngram_key(text: str) -> int:
    key = 0
    for ch in text:
        key = (key << CODE_BITS) | ord(ch)
    return key


def present(table: NgramTable, vocabulary: np.ndarray, n_rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which vocabulary n-grams each text holds, once each: (rows, columns, values), values
    scaled so each text's n-gram vector has length 1 (a long passage is not louder)."""
    if len(vocabulary) == 0 or len(table.keys) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    place = np.searchsorted(vocabulary, table.keys)
    place[place == len(vocabulary)] = 0
    known = vocabulary[place] == table.keys
    pairs = np.unique(table.rows[known].astype(np.int64) * len(vocabulary) + place[known])
    rows, columns = pairs // len(vocabulary), pairs % len(vocabulary)
    counts = np.bincount(rows, minlength=n_rows)
    values = 1.0 / np.sqrt(np.maximum(counts[rows], 1))
    return rows, columns, values


def _log(x: float) -> float:
    return float(np.log1p(max(x, 0.0)))


def _scores(verdict) -> list[float]:
    return [_log(verdict.scores.get(s, 0.0)) if verdict is not None else 0.0 for s in STANCE_SCORES]


def _said(verdict) -> list[float]:
    return [1.0 if verdict is not None and verdict.stance == s else 0.0 for s in STANCE_SCORES]


def signals(documents: tuple[Document, ...], view: RuleView) -> np.ndarray:
    """The rules' signals for every passage of ``documents``, in library order, one row each."""
    raw_own = {pid: [max(v.scores.get(s, 0.0), 0.0) for s in STANCE_SCORES] for pid, v in view.own.items()}
    by_speaker: dict[str, np.ndarray] = {}
    for document in documents:
        for passage in document.passages:
            if passage.speaker:
                by_speaker[passage.speaker] = by_speaker.get(passage.speaker, np.zeros(3)) + raw_own[passage.id]
    rows = []
    for document in documents:
        own_rows = np.array([raw_own[p.id] for p in document.passages]).reshape(-1, 3)
        whole = own_rows.sum(axis=0)
        title = view.titles.get(document.doc_id)
        title_heading = view.headings.get(title) if title else None
        for i, passage in enumerate(document.passages):
            rows.append(_row(passage, view, own_rows, i, whole, by_speaker, title_heading))
    return np.array(rows, dtype=np.float64).reshape(-1, len(SIGNALS))


def _row(passage: Passage, view: RuleView, own_rows: np.ndarray, i: int, whole: np.ndarray, by_speaker, title_heading) -> list[float]:
    reading, own, final = view.readings[passage.id], view.own[passage.id], view.final[passage.id]
    evidence = reading.evidence
    praise = [_log(sum(e.value for e in evidence if e.side == s and e.value > 0)) for s in SIDES]
    blame = [_log(-sum(e.value for e in evidence if e.side == s and e.value < 0)) for s in SIDES]
    heading = view.headings.get(passage.heading or "")
    speaker = (by_speaker[passage.speaker] - own_rows[i]) if passage.speaker else np.zeros(3)
    others = whole - own_rows[i]
    around = own_rows[max(i - 1, 0) : i + 2].sum(axis=0) - own_rows[i]
    text = passage.text
    return [
        *_scores(own),
        *_scores(final),
        *_said(final),
        *praise,
        *blame,
        float("open" in reading.sides and not reading.from_section),
        float("closed" in reading.sides and not reading.from_section),
        float(reading.from_section),
        min(reading.scopes, 3) / 3,
        *_said(heading.verdict if heading else None),
        float(heading is not None and "open" in heading.sides),
        float(heading is not None and "closed" in heading.sides),
        *_said(title_heading.verdict if title_heading else None),
        *(np.log1p(speaker)).tolist(),
        *(np.log1p(others)).tolist(),
        *(np.log1p(around)).tolist(),
        float(np.log1p(len(text)) / 6),
        float("?" in text or "？" in text),
        float(passage.speaker is not None),
        float(any(q in text for q in "“「『\"")),
        *_constructed(evidence),
    ]


def _constructed(evidence) -> list[float]:
    """For each column, the evidence carried by a construction (``Evidence.construction``): said
    for a side, or against the other, or "both"."""
    built = [e for e in evidence if e.construction]
    for_side = [sum(e.value for e in built if e.side == s and e.value > 0) - sum(e.value for e in built if e.side == o and e.value < 0)
                for s, o in (SIDES, SIDES[::-1])]
    return [*(_log(x) for x in for_side), _log(sum(e.value for e in built if e.side == BOTH_SIDE))]
