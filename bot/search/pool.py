"""Ranking one query's candidate pool: a quick look at all of them, the full score for the likely ones.

Why two steps: the lexical view (rapidfuzz ``partial_ratio`` of the query against each
candidate, by characters and by sound) costs one C++ ``cdist`` call for the whole pool, but
the conceptual view (where each concept stands, how close and in what order) is Python per
candidate. So every candidate gets the lexical score and its *presence* (the weighted share of
the query's concepts its postings hold), and only the ``FULL_SCORE_COUNT`` best by that quick
look, plus every candidate holding the whole query, get the full score. Unlike the old
12-candidate rerank, the quick look already tells an original from its edited copies (their
lexical scores differ), so a copy cannot crowd the original out of the fully scored set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bot.chars import HAN_RUN_RE
from bot.search.query import Plan
from bot.search.postings import member
from bot.search.rank import (QUOTATION_LEXICAL, SOUND_CREDIT, Entry, Holdings, Scored, by_words, entry_of,
                             lexical_scores, score)

if TYPE_CHECKING:
    from bot.search.index import Index

FULL_SCORE_COUNT = 48  # candidates fully scored besides those holding the whole query
EARLIEST_COUNT = 8  # ...and the earliest candidates of the best quick band (see ``rank``)
ROUGH_SHARE = 0.6  # a candidate scored only by its quick look counts for this share of it
MIN_SCORE = 0.1  # below this a "match" shares little more than a common word with the query
RELATIVE_FLOOR = 0.25  # ...or when it scores below this share of the best match
TIE_BREAK = 0.02  # BM25's say in which candidates of the quick look get the full score
# Full scores this close are equal. Among equals, the passage that holds the query's characters
# as they were typed (same script) comes first, then the one earlier in the library.
EQUAL_SCORES = 0.01
TYPED_CHECKS = 64  # passages holding the query whose own text is read for the typed script (the earliest)


class Pool:
    """The candidates of one query: their numbers, BM25 scores, texts and sounds, read once."""

    def __init__(self, index: "Index", numbers: np.ndarray, bm25: np.ndarray):
        self.index = index
        self.array = np.asarray(numbers, dtype=np.int64)
        self.array_as_postings = self.array.astype(index.postings.docs.dtype)  # membership without casting a row
        self.numbers = self.array.tolist()
        self.bm25 = np.asarray(bm25, dtype=np.float64)
        self.folded = index.folded.many(self.array)
        self.sound = index.sound.many(self.array)
        self.holdings = Holdings(index.postings)
        self.scored: dict[int, Scored] = {}  # full scores by passage number, kept for the highlights of the hits shown
        self.bounded: set[int] = set()  # passage numbers ranked by a bound of their full score, not the score (``rank``)

    def entry(self, i: int) -> Entry:
        return entry_of(self.index, self.numbers[i], self.folded[i], self.sound[i], self.holdings)

    def as_typed(self, plan: Plan, candidates: list[int]) -> set[int]:
        """Which of ``candidates`` (pool positions of passages holding the folded query) hold its
        Han characters as typed, not only after folding the script: read from the passage's own
        text, for these few only. Empty when the query has no Han text or only one candidate."""
        if not plan.typed_han or len(candidates) < 2:
            return set()
        text_of = getattr(self.index.passages, "value", None)
        found = set()
        for i in candidates:
            number = self.numbers[i]
            text = text_of("text", number) if text_of else self.index.passages.get(number).text
            if plan.typed_han in "".join(HAN_RUN_RE.findall(text)):
                found.add(i)
        return found

    def presence(self, plan: Plan) -> np.ndarray:
        """Weighted share of the query's concepts each candidate holds, read off the postings (no text scans)."""
        total = sum(c.weight for c in plan.concepts) or 1.0
        got = np.zeros(len(self.numbers))
        rows = self.index.postings.rows_of([t for c in plan.concepts for t in (*c.terms, *c.sound_terms)])
        for concept in plan.concepts:
            share = concept.weight / total
            holds = self._holding(rows, concept.terms)
            got += share * holds
            if concept.sound_terms:
                credit = share * (1.0 if concept.kind == "pinyin" else SOUND_CREDIT)
                by_sound = self._holding(rows, concept.sound_terms) & ~holds
                got += credit * by_sound
        return got

    def _holding(self, rows: dict[str, np.ndarray], terms: tuple[str, ...]) -> np.ndarray:
        """Which candidates hold any of ``terms`` (``rows``: their postings, a term the library lacks absent)."""
        found = np.zeros(len(self.array), dtype=bool)
        for term in terms:
            row = rows.get(term)
            if row is not None:
                found |= member(row, self.array_as_postings)
        return found


def rank(plan: Plan, pool: Pool, keep: int, exact: int | None = None,
         leaders: np.ndarray | None = None) -> list[tuple[int, float]]:
    """(passage number, score) of the best ``keep`` candidates, best first.

    Fully scored candidates come first; the rest keep a rough estimate from their quick look,
    never above the lowest fully scored, so a long list (for paging) costs little more than a
    short one. Matches far below the best (under ``RELATIVE_FLOOR`` of it, or ``MIN_SCORE``) are left out.

    Equal full scores (within ``EQUAL_SCORES``) are ordered by evidence about the text, not by
    which passage is shorter or which file is described: first a passage holding the query's
    characters as typed (a reader who types Traditional quotes the Traditional printing), then
    the place in the library. Why place: a library grows by adding articles, and a reprint, a
    digest or a later article quoting an earlier one holds the same words as the first printing
    but comes after it; the first printing is the source to cite, and it is also the member a
    near-duplicate group shows (``duplicates``). Near-equal scores must not be broken by BM25:
    its length normalisation prefers the shorter passage, and a copy cut from half of the
    original is shorter. The same order decides which candidates of the quick look get the full
    score: the ``EARLIEST_COUNT`` earliest of its best band always do, so a hundred edited copies
    with higher BM25 never crowd the original out of the fully scored set.

    ``exact``: only the first ``exact`` results (distinct ``leaders``, the near-duplicate group
    of each passage number, when given) need their place and score; see ``_full_scores``. The
    list's length, the scores of the results that follow and their order then rest on bounds.
    """
    if not pool.numbers:
        return []
    lexical = lexical_scores(plan, pool.folded, pool.sound)
    presence = pool.presence(plan)
    if by_words(plan):
        lexical = np.minimum(lexical, presence)  # see ``rank.by_words``
    quick = np.maximum(lexical, presence)
    top = float(pool.bm25.max(initial=0.0)) or 1.0
    order = np.argsort(-(quick + TIE_BREAK * pool.bm25 / top), kind="stable")
    earliest = np.lexsort((pool.array, -_band(quick)))[:EARLIEST_COUNT]
    chosen = set(order[:FULL_SCORE_COUNT].tolist()) | set(earliest.tolist()) | set(np.flatnonzero(lexical >= 1.0).tolist())
    rough = max((float(quick[i]) * ROUGH_SHARE for i in range(len(quick)) if i not in chosen), default=0.0)
    full = _full_scores(plan, pool, chosen, lexical, exact, leaders, rough)
    if not full:
        return []
    best = max(r[0] for r in full)
    whole = sorted((r[1], r[2]) for r in full if r[0] >= 1.0)[:TYPED_CHECKS]  # the earliest holding the query
    typed = pool.as_typed(plan, [i for _n, i in whole])
    full.sort(key=lambda r: (-int(r[0] / EQUAL_SCORES), r[2] not in typed, r[1]))
    floor = max(MIN_SCORE, RELATIVE_FLOOR * best)
    ranked = [(n, raw) for raw, n, _i in full if raw >= floor][:keep]
    ceiling = min(r[0] for r in full)
    for i in order.tolist():
        if len(ranked) >= keep:
            break
        estimate = min(ceiling, float(quick[i]) * ROUGH_SHARE)
        if i not in chosen and estimate >= floor:
            ranked.append((pool.numbers[i], estimate))
    return ranked


BOUND_SLACK = 1e-9  # floating-point room around a full score's bounds
BATCH = 4  # candidates fully scored per step while the first results are not yet settled


def _full_scores(plan: Plan, pool: Pool, chosen: set[int], lexical: np.ndarray, exact: int | None,
                 leaders: np.ndarray | None, rough: float) -> list[tuple[float, int, int]]:
    """(score, passage number, pool position) of the chosen candidates scoring above 0.

    The full score is Python per candidate (where each concept stands, how close, in what
    order). For a quotation typed whole (``Plan.quotation``) it is 0.95 x the quick lexical
    score plus 0.05 x the conceptual share, so its quick look bounds it within 0.05, and
    with ``exact`` only the candidates that can reach the first ``exact`` results are scored:

    - from the highest bound down, until the fully scored ones that stand above every bound
      left (a whole ``EQUAL_SCORES`` band above, so no tie-break can move them) make ``exact``
      distinct results, or until no bound left reaches the floor the scores found set (none of
      those can be a result: on a small library, or for a rare quotation, the page is never
      full, and the rest of the chosen are mostly passages that share a few common words);
    - then the lowest ones, until the lowest full score is known where it caps a rough estimate
      (``rough``: the highest estimate of a candidate not chosen);
    - then those whose bounds straddle the relative floor (whether they are in the list at all).

    Every other candidate keeps its lower bound as its score in the list, behind the settled
    ones: the first ``exact`` results, their scores, which passages the whole list holds and
    the estimates are exactly what scoring all of them gives (``tests/search/test_page_exact.py``).
    """
    bounded = exact is not None and plan.quotation
    found: dict[int, float] = {}
    pending: list[int] = []
    for i in chosen:
        if bounded and (plan.folded not in pool.folded[i]):
            pending.append(i)
        else:
            found[i] = _scored(plan, pool, i, lexical)
    if pending:
        low = np.minimum(QUOTATION_LEXICAL * lexical, 0.99) - BOUND_SLACK
        high = np.minimum(QUOTATION_LEXICAL * lexical + (1 - QUOTATION_LEXICAL), 0.99) + BOUND_SLACK
        pending.sort(key=lambda i: (-high[i], i))
        while (pending and high[pending[0]] >= _floor(found)
               and _settled(found, pool, leaders, int(high[pending[0]] / EQUAL_SCORES)) < exact):
            for i in pending[:BATCH]:
                found[i] = _scored(plan, pool, i, lexical)
            del pending[:BATCH]
        best = max(max(found.values(), default=0.0), max((float(high[i]) for i in pending), default=0.0))
        floor = max(MIN_SCORE, RELATIVE_FLOOR * best)
        pending.sort(key=lambda i: (low[i], i))
        # The lowest full score caps the rough estimates, which are at most ``rough``: it matters
        # only if it may lie below that, and then it must be known exactly.
        lowest = min((v for v in found.values() if v > 0), default=np.inf)
        if rough >= floor:
            while pending and low[pending[0]] < min(rough, lowest):
                i = pending.pop(0)
                found[i] = score_i = _scored(plan, pool, i, lexical)
                if 0 < score_i < lowest:
                    lowest = score_i
        for i in [i for i in pending if low[i] < floor <= high[i]]:
            found[i] = _scored(plan, pool, i, lexical)
        for i in pending:
            if i not in found:
                found[i] = float(low[i])
                pool.bounded.add(pool.numbers[i])
    return [(v, pool.numbers[i], i) for i, v in found.items() if v > 0]


def _scored(plan: Plan, pool: Pool, i: int, lexical: np.ndarray) -> float:
    s = score(plan, pool.entry(i), float(lexical[i]))
    pool.scored[pool.numbers[i]] = s
    return s.score


def _floor(found: dict[int, float]) -> float:
    """The lowest score a result may have, given the full scores ``found`` so far (it can only rise)."""
    return max(MIN_SCORE, RELATIVE_FLOOR * max(found.values(), default=0.0))


def _settled(found: dict[int, float], pool: Pool, leaders: np.ndarray | None, ceiling_band: int) -> int:
    """How many distinct results the full scores above ``ceiling_band`` (and above the floor) make."""
    if not found:
        return 0
    floor = _floor(found)
    numbers = [pool.numbers[i] for i, v in found.items() if v >= floor and int(v / EQUAL_SCORES) > ceiling_band]
    if leaders is None:
        return len(numbers)
    return len(set(leaders[numbers].tolist())) if numbers else 0


def _band(scores: np.ndarray) -> np.ndarray:
    return np.floor(scores / EQUAL_SCORES)
