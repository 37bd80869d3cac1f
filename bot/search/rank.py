"""Scoring one candidate passage against a query plan, on a 0..1 scale comparable across queries.

Two views of a match, and the better one wins:

- *lexical*: how well the query as typed occurs in the passage, character by character
  (rapidfuzz ``partial_ratio`` on folded text) or sound by sound (the same on sound strings,
  which forgives homophone typos and reads typed pinyin). Whole containment scores 1.
- *conceptual*: the weighted share of the query's concepts the passage holds (any alternative
  of each), discounted when they lie scattered far apart. This is what scattered key words,
  English concepts and names need.

Scores are calibrated so that random overlap stays low: ``partial_ratio`` of unrelated
Chinese text is often 40-60, so the lexical view only counts above that. Folded text keeps
no spaces, so for a query of Latin words the lexical view is capped by the share of its words the
passage really holds (``by_words``): letters inside other words (``raise`` in ``praise``) earn nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np
from rapidfuzz import fuzz, process

from bot.search.query import Plan
from bot.search.terms import word_term

if TYPE_CHECKING:
    from bot.search.index import Index
    from bot.search.postings import Postings

LEXICAL_FLOOR = 0.5  # partial_ratio below this is what unrelated text scores
SOUND_DISCOUNT = 0.95  # a match by sound only is a little less sure than by characters
SOUND_CREDIT = 0.8  # a concept found only by its reading
CLOSENESS_SHARE = 0.3  # how much of a scattered match depends on the words standing close and in order
ORDER_SHARE = 0.35  # of closeness: the words in the order typed (people recall quotations in order)
MAX_OCCURRENCES = 4
QUOTATION_LEXICAL = 0.95  # its say in the score of such a quotation; the words found anywhere only break near-ties


@dataclass(frozen=True)
class Entry:
    """A passage as the ranker sees it: folded text and sound string (same length), and its words."""

    number: int  # position in the index
    folded: str
    sound: str
    holds: Callable[[str], bool]  # does the passage hold this word (a whole Latin word, not a piece of one)?


@dataclass(frozen=True)
class Scored:
    score: float
    lexical: float
    conceptual: float
    spans: tuple[tuple[int, int], ...]  # folded spans of the concepts found


class Holdings:
    """Which passages hold a word, each word's postings row found once per query.

    The ranker asks "does this candidate hold the Latin word?" for every short Latin alternative
    of every candidate it fully scores; finding the row means hashing the term and a search in
    the term keys, so it is done once per word, and each candidate costs one binary search."""

    def __init__(self, postings: "Postings"):
        self.postings = postings
        self.rows: dict[str, np.ndarray] = {}

    def holds(self, word: str, number: int) -> bool:
        row = self.rows.get(word)
        if row is None:
            row = self.rows[word] = self.postings.row(word_term(word))
        at = int(row.searchsorted(row.dtype.type(number)))  # a Python int would cast the whole row to int64
        return at < len(row) and int(row[at]) == number


def entry_of(index: "Index", number: int, folded: str, sound: str, holdings: Holdings | None = None) -> Entry:
    holds = (holdings or Holdings(index.postings)).holds
    return Entry(number, folded, sound, lambda word: holds(word, number))


def score(plan: Plan, entry: Entry, lexical: float | None = None) -> Scored:
    """1.0 when the whole query occurs in the passage; else the better view, nudged by the other, below 1."""
    words = by_words(plan)
    if not plan.pinyin and not words and plan.folded in entry.folded:
        return Scored(1.0, 1.0, 1.0, ())
    coverage, closeness, spans = _coverage(plan, entry)
    if words and coverage >= 1.0 and plan.folded in entry.folded:
        return Scored(1.0, 1.0, 1.0, ())
    if lexical is None:
        lexical = float(lexical_scores(plan, [entry.folded], [entry.sound])[0])
    if words:
        lexical = min(lexical, coverage)  # letters count only as far as the words they spell are there
    shape = 1 - CLOSENESS_SHARE + CLOSENESS_SHARE * closeness
    conceptual = coverage * shape
    if len(plan.chunks) > 1:
        lexical *= shape  # scattered key words: each found, but are they found together, in order?
    if plan.quotation:
        combined = QUOTATION_LEXICAL * lexical + (1 - QUOTATION_LEXICAL) * conceptual
    else:
        combined = 0.85 * max(lexical, conceptual) + 0.15 * min(lexical, conceptual)
    if plan.pinyin:
        combined *= SOUND_DISCOUNT  # typed pinyin names the sounds, not the characters
    return Scored(min(combined, 0.99), lexical, conceptual, spans)


def by_words(plan: Plan) -> bool:
    """Is the query Latin words (English, names), not Chinese or pinyin? Folded text keeps no
    spaces, so its letters match across word borders (``one`` in ``someone``, ``or`` in ``for``):
    for such a query the lexical view counts only as far as the passage holds the query's words
    themselves (``Plan.concepts``, whole words by the postings in ``pool.rank``, found in the text
    here). A query with no concept (stop words only) keeps the letters."""
    return not plan.han and not plan.pinyin and plan.concept_weight > 0


def _calibrate(ratios: np.ndarray) -> np.ndarray:
    return np.maximum(0.0, (ratios / 100.0 - LEXICAL_FLOOR) / (1 - LEXICAL_FLOOR))


def _ratios(query: str, choices: list[str]) -> np.ndarray:
    matrix = process.cdist([query], choices, scorer=fuzz.partial_ratio, score_cutoff=LEXICAL_FLOOR * 100,
                           dtype=np.float32, workers=1)
    return matrix[0].astype(np.float64)


def lexical_scores(plan: Plan, folded: list[str], sound: list[str]) -> np.ndarray:
    """How well the query as typed occurs in each candidate, by characters or by sound (0..1)."""
    if plan.pinyin:
        return _calibrate(_ratios(plan.sound, sound))
    if len(plan.folded) < 2:
        return np.zeros(len(folded))
    if len(plan.chunks) <= 1:
        return _fuzzy(plan.folded, plan.sound, folded, sound)
    total = 0.0
    got = np.zeros(len(folded))
    for chunk, chunk_sound, weight in plan.chunks:
        total += weight
        got += weight * _fuzzy(chunk, chunk_sound, folded, sound)
    return got / total


def _fuzzy(query: str, query_sound: str, folded: list[str], sound: list[str]) -> np.ndarray:
    """One typed stretch against every candidate: whole containment is 1, else the better calibrated ratio.

    Containment is checked first (a C substring search per candidate) and only the others go
    to ``cdist``: a candidate holding the stretch scores 1 whatever its ratios, and at 100x the
    seeds an exact quotation is held by the original and every copy of it in the pool."""
    contained = np.fromiter((query in text for text in folded), dtype=bool, count=len(folded))
    chars = np.ones(len(folded))
    rest = np.flatnonzero(~contained).tolist()
    if not rest:
        return chars
    if len(rest) < len(folded):
        folded, sound = [folded[i] for i in rest], [sound[i] for i in rest]
    found = _calibrate(_ratios(query, folded))
    if query_sound != query:
        found = np.maximum(found, SOUND_DISCOUNT * _calibrate(_ratios(query_sound, sound)))
    chars[rest] = found
    return chars


def _coverage(plan: Plan, entry: Entry) -> tuple[float, float, tuple[tuple[int, int], ...]]:
    """Weighted share of the concepts the passage holds, how close and in order they stand, and
    the first folded spans of each.

    A concept is found by any alternative in the folded text (up to ``MAX_OCCURRENCES``
    places; a short Latin alternative only where the passage holds it as a whole word), else by
    its sound, for ``SOUND_CREDIT`` (typed pinyin is found by sound only, for full credit). One
    loop over the plan's ``finders`` (each concept's alternatives and checks decided once per
    query), no call per concept: this runs for every fully scored candidate of every query."""
    total = plan.concept_weight
    if total <= 0:
        return 0.0, 0.0, ()
    find, find_sound, holds = entry.folded.find, entry.sound.find, entry.holds
    got = 0.0
    groups: list[list[tuple[int, int]]] = []
    for weight, texts, sounds in plan.finders:
        credit = 1.0
        found = [] if texts is None else _occurrences(find, texts, holds)
        if not found:
            if texts is not None:
                credit = SOUND_CREDIT
            found = _occurrences(find_sound, sounds, holds)
            if not found:
                continue
        got += credit * weight
        groups.append(found)
    if len(groups) <= 1:
        closeness = 1.0
    else:
        closeness = (1 - ORDER_SHARE) * _proximity(groups) + ORDER_SHARE * _order(groups)
    spans = tuple(s for group in groups for s in group[:2])
    return got / total, closeness, spans


def _occurrences(find: Callable[..., int], alternatives, holds: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Spans of the first ``MAX_OCCURRENCES`` places of the alternatives (``Finder`` entries) in one text."""
    found: list[tuple[int, int]] = []
    for alt, size, whole_word in alternatives:
        if len(found) >= MAX_OCCURRENCES:
            break
        if whole_word and not holds(alt):
            continue
        start = find(alt)
        while start >= 0:
            found.append((start, start + size))
            if len(found) >= MAX_OCCURRENCES:
                break
            start = find(alt, start + 1)
    return found


def _order(groups: list[list[tuple[int, int]]]) -> float:
    """Share of neighbouring found concepts (in query order) that can stand in that order in the passage."""
    if len(groups) <= 1:
        return 1.0
    ordered = sum(1 for a, b in zip(groups, groups[1:]) if a[0][0] < b[-1][0])
    return ordered / (len(groups) - 1)


def _proximity(groups: list[list[tuple[int, int]]]) -> float:
    """Found concepts' total length over the smallest window holding one occurrence of each (1 = adjacent)."""
    need = len(groups)
    if need <= 1:
        return 1.0
    events = sorted([(s, e, g) for g, spans in enumerate(groups) for s, e in spans])
    counts = [0] * need
    have = 0
    best = None
    left = 0
    for _start, end, g in events:
        if counts[g] == 0:
            have += 1
        counts[g] += 1
        while have == need:
            left_start, left_end, lg = events[left]
            width = (end if end > left_end else left_end) - left_start
            if best is None or width < best:
                best = width
            counts[lg] -= 1
            if counts[lg] == 0:
                have -= 1
            left += 1
    if not best:
        return 1.0
    length = 0
    for spans in groups:
        length += min([e - s for s, e in spans]) if len(spans) > 1 else spans[0][1] - spans[0][0]
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

