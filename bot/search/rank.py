"""Scoring one candidate passage against a query plan, on a 0..1 scale comparable across queries.

Two views of a match, and the better one wins:

- *lexical*: how well the query as typed occurs in the passage, character by character
  (rapidfuzz ``partial_ratio`` on folded text) or sound by sound (the same on sound strings,
  which forgives homophone typos and reads typed pinyin). Whole containment scores 1.
- *conceptual*: the weighted share of the query's concepts the passage holds (any alternative
  of each), discounted when they lie scattered far apart. This is what scattered key words,
  English concepts and names need.

Scores are calibrated so that random overlap stays low: ``partial_ratio`` of unrelated
Chinese text is often 40-60, so the lexical view only counts above that.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.corpus.models import Passage
from bot.search.query import Concept, Plan

LEXICAL_FLOOR = 0.5  # partial_ratio below this is what unrelated text scores
SOUND_DISCOUNT = 0.95  # a match by sound only is a little less sure than by characters
SOUND_CREDIT = 0.8  # a concept found only by its reading
CLOSENESS_SHARE = 0.3  # how much of a scattered match depends on the words standing close and in order
ORDER_SHARE = 0.35  # of closeness: the words in the order typed (people recall quotations in order)
MAX_OCCURRENCES = 4


@dataclass(frozen=True)
class Entry:
    """A passage as the ranker sees it: folded text, offsets back to the original, sound string."""

    passage: Passage
    number: int  # position in the index (the BM25 document number)
    folded: str
    offsets: tuple[int, ...]
    sound: str
    latin: frozenset[str]
    script: str | None = None  # "simplified" / "traditional" as written


@dataclass(frozen=True)
class Scored:
    score: float
    lexical: float
    conceptual: float
    spans: tuple[tuple[int, int], ...]  # folded spans of the concepts found


def score(plan: Plan, entry: Entry) -> Scored:
    """1.0 when the whole query occurs in the passage; else the better view, nudged by the other, below 1."""
    if not plan.pinyin and plan.folded in entry.folded:
        return Scored(1.0, 1.0, 1.0, ())
    lexical = _lexical(plan, entry)
    coverage, closeness, spans = _coverage(plan.concepts, entry)
    shape = 1 - CLOSENESS_SHARE + CLOSENESS_SHARE * closeness
    conceptual = coverage * shape
    if len(plan.chunks) > 1:
        lexical *= shape  # scattered key words: each found, but are they found together, in order?
    best = max(lexical, conceptual)
    combined = 0.85 * best + 0.15 * min(lexical, conceptual)
    if plan.pinyin:
        combined *= SOUND_DISCOUNT  # typed pinyin names the sounds, not the characters
    return Scored(min(combined, 0.99), lexical, conceptual, spans)


def _calibrate(ratio: float) -> float:
    return max(0.0, (ratio / 100.0 - LEXICAL_FLOOR) / (1 - LEXICAL_FLOOR))


def _lexical(plan: Plan, entry: Entry) -> float:
    if plan.pinyin:
        return _calibrate(fuzz.partial_ratio(plan.sound, entry.sound))
    if len(plan.folded) < 2:
        return 0.0
    if len(plan.chunks) <= 1:
        return _fuzzy(plan.folded, plan.sound, entry)
    total = got = 0.0
    for folded, sound, weight in plan.chunks:
        total += weight
        got += weight * _fuzzy(folded, sound, entry)
    return got / total


def _fuzzy(folded: str, sound: str, entry: Entry) -> float:
    """How well one stretch of the query occurs in the passage, by characters or (a bit less sure) by sound."""
    if folded in entry.folded:
        return 1.0
    ratio = fuzz.partial_ratio(folded, entry.folded, score_cutoff=LEXICAL_FLOOR * 100)
    chars = _calibrate(ratio)
    if sound != folded:
        by_sound = fuzz.partial_ratio(sound, entry.sound, score_cutoff=max(ratio, LEXICAL_FLOOR * 100))
        chars = max(chars, SOUND_DISCOUNT * _calibrate(by_sound))
    return chars


def _occurrences(concept: Concept, entry: Entry) -> tuple[float, list[tuple[int, int]]]:
    """Where the concept stands in the passage (folded spans) and how sure the find is."""
    found: list[tuple[int, int]] = []
    if concept.kind == "pinyin":
        return _sound_occurrences(concept, entry, 1.0)
    for alt in concept.alternatives:
        if alt.isascii() and len(alt) < 5 and alt not in entry.latin:
            continue
        start = entry.folded.find(alt)
        while start >= 0 and len(found) < MAX_OCCURRENCES:
            found.append((start, start + len(alt)))
            start = entry.folded.find(alt, start + 1)
    if found:
        return 1.0, found
    return _sound_occurrences(concept, entry, SOUND_CREDIT)


def _sound_occurrences(concept: Concept, entry: Entry, credit: float) -> tuple[float, list[tuple[int, int]]]:
    found: list[tuple[int, int]] = []
    for sound in concept.sounds:
        start = entry.sound.find(sound)
        while start >= 0 and len(found) < MAX_OCCURRENCES:
            found.append((start, start + len(sound)))
            start = entry.sound.find(sound, start + 1)
    return (credit, found) if found else (0.0, found)


def _coverage(concepts: tuple[Concept, ...], entry: Entry) -> tuple[float, float, tuple[tuple[int, int], ...]]:
    total = sum(c.weight for c in concepts)
    if total <= 0:
        return 0.0, 0.0, ()
    got = 0.0
    groups: list[list[tuple[int, int]]] = []
    for concept in concepts:
        credit, spans = _occurrences(concept, entry)
        if credit:
            got += credit * concept.weight
            groups.append(spans)
    closeness = (1 - ORDER_SHARE) * _proximity(groups) + ORDER_SHARE * _order(groups)
    spans = tuple(s for group in groups for s in group[:2])
    return got / total, closeness, spans


def _order(groups: list[list[tuple[int, int]]]) -> float:
    """Share of neighbouring found concepts (in query order) that can stand in that order in the passage."""
    if len(groups) <= 1:
        return 1.0
    ordered = sum(1 for a, b in zip(groups, groups[1:]) if a[0][0] < b[-1][0])
    return ordered / (len(groups) - 1)


def _proximity(groups: list[list[tuple[int, int]]]) -> float:
    """Found concepts' total length over the smallest window holding one occurrence of each (1 = adjacent)."""
    if len(groups) <= 1:
        return 1.0
    events = sorted((s, e, g) for g, spans in enumerate(groups) for s, e in spans)
    need = len(groups)
    counts = [0] * need
    have = 0
    best = None
    left = 0
    for right, (_s, _e, g) in enumerate(events):
        if counts[g] == 0:
            have += 1
        counts[g] += 1
        while have == need:
            width = max(events[right][1], events[left][1]) - events[left][0]
            best = width if best is None else min(best, width)
            lg = events[left][2]
            counts[lg] -= 1
            if counts[lg] == 0:
                have -= 1
            left += 1
    length = sum(min(e - s for s, e in spans) for spans in groups)
    if not best:
        return 1.0
    return min(1.0, length / best)


def merge_spans(spans, limit: int) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans clipped to ``limit``."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(limit, e)) for s, e in spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged

