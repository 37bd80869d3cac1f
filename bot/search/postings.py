"""BM25 over flat arrays: the inverted index as CSR, cheap to hold, to save and to map.

Why this shape: at 100x the seeds the old postings (a dict of lists of tuples) held ~1M Python
objects per 10k passages and made memory, start-up and the p99 grow with the library. Here a
term is a 64-bit hash (``keys``, sorted), its postings a slice ``starts[i]:starts[i+1]`` of two
flat arrays (int32 passage numbers ascending, float16 BM25 contributions). A query hashes its
few dozen terms, finds them with one ``searchsorted`` and sums their slices with ``bincount``.
No term strings are kept: the planner only asks "how many passages hold this term" and "which".

Term hashes are the first 8 bytes of BLAKE2b (stable across processes, unlike ``hash``),
computed where the passages are analysed, so term strings never cross between processes. Two
terms with one hash would share postings: harmless for candidate generation, and at a million
terms the chance is about 3e-8.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import numpy as np

K1 = 1.2
B = 0.75


def term_hash(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little")


_query_term_hash = lru_cache(maxsize=1 << 16)(term_hash)
"""``term_hash`` remembered, for lookups: one query hashes its terms three or four times (planning,
BM25, the quick look, the containment check), and terms recur across queries. (The build hashes
each distinct term once by itself.)"""


def term_hashes(terms: Iterable[str]) -> np.ndarray:
    return np.fromiter((_query_term_hash(t) for t in terms), dtype=np.uint64)


def member(row: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """Which of ``numbers`` the sorted ``row`` holds: a binary search each, O(len(numbers) log len(row)),
    where ``np.isin`` would sort both (a common word's row at 100x holds thousands of passages)."""
    if not len(row):
        return np.zeros(len(numbers), dtype=bool)
    if numbers.dtype != row.dtype:  # else numpy casts the whole row (thousands of entries) to the wider type
        numbers = numbers.astype(row.dtype)
    at = np.minimum(np.searchsorted(row, numbers), len(row) - 1)
    return row[at] == numbers


def best(totals: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``count`` best of ``totals`` (BM25 of every passage, ``Postings.scores``) as in ``Postings.top``."""
    chosen = _leaders(totals, count)
    order = np.lexsort((chosen, -totals[chosen]))[:count]
    chosen = chosen[order]
    return chosen, totals[chosen]


SAMPLE_STEP = 16  # every 16th score estimates where the best ``count`` begin (see ``_leaders``)


def _leaders(totals: np.ndarray, count: int) -> np.ndarray:
    """Passage numbers (ascending) of every score above 0 that is at least the ``count``-th best:
    the best ``count`` and any tied with the last of them.

    Why not ``argpartition`` over all positive scores: at 100x the seeds common bigrams and
    readings give ~80 % of passages a score, and selecting among ~30k costs ~0.3 ms a query.
    A strided sample's ``count // SAMPLE_STEP``-th best, lowered a little, is almost always
    below the true ``count``-th best; one comparison over the whole array then leaves a few
    hundred, and if fewer than ``count`` are left the threshold was too high and every positive
    score is kept (the same result, slower)."""
    if count <= 0:
        return np.empty(0, dtype=np.int64)
    sample = totals[::SAMPLE_STEP]
    rank = count // SAMPLE_STEP + 8  # margin: the sample's spread around its own rank
    if len(sample) > 4 * rank:
        threshold = np.partition(sample, len(sample) - rank)[len(sample) - rank]
        if threshold > 0:
            found = np.flatnonzero(totals >= threshold)
            if len(found) >= count:
                kth = np.partition(totals[found], len(found) - count)[len(found) - count]
                return found[totals[found] >= kth]
    found = np.flatnonzero(totals > 0)
    if len(found) > count:
        kth = np.partition(totals[found], len(found) - count)[len(found) - count]
        found = found[totals[found] >= kth]
    return found


@dataclass(frozen=True)
class Postings:
    keys: np.ndarray  # uint64, sorted: one per term
    starts: np.ndarray  # int64, len(keys) + 1
    docs: np.ndarray  # int32 passage numbers, ascending within a term
    weights: np.ndarray  # float16 BM25 contribution of the term in that passage (3 significant digits
    # are plenty to choose candidates, and halve the largest array of the index)
    size: int  # passages

    ARRAYS = ("keys", "starts", "docs", "weights")

    @classmethod
    def build(cls, hashes: np.ndarray, doc_ids: np.ndarray, counts: np.ndarray, lengths: np.ndarray) -> "Postings":
        """From one row per (term hash, passage, count), rows in passage order."""
        size = len(lengths)
        keys, row_terms = np.unique(hashes, return_inverse=True)
        order = np.argsort(row_terms, kind="stable")  # stable: passages stay ascending within a term
        row_terms, docs, tf = row_terms[order], doc_ids[order].astype(np.int32), counts[order].astype(np.float64)
        df = np.bincount(row_terms, minlength=len(keys))
        starts = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(df, out=starts[1:])
        idf = np.log(1 + (size - df + 0.5) / (df + 0.5))
        avg = float(lengths.mean()) if size else 1.0
        norm = K1 * (1 - B + B * lengths[docs] / (avg or 1.0))
        weights = (idf[row_terms] * tf * (K1 + 1) / (tf + norm)).astype(np.float16)
        return cls(keys.astype(np.uint64), starts, docs, weights, size)

    # -- lookups
    def _slots(self, terms: list[str]) -> np.ndarray:
        """Index in ``keys`` of each term, -1 for a term the library never has."""
        if not terms or not len(self.keys):
            return np.full(len(terms), -1, dtype=np.int64)
        hashes = term_hashes(terms)
        slots = np.searchsorted(self.keys, hashes)
        slots = np.minimum(slots, len(self.keys) - 1)
        return np.where(self.keys[slots] == hashes, slots, -1)

    def frequency(self, term: str) -> int:
        slot = int(self._slots([term])[0])
        return 0 if slot < 0 else int(self.starts[slot + 1] - self.starts[slot])

    def frequencies(self, terms: list[str]) -> dict[str, int]:
        """How many passages hold each of ``terms`` (0 for a term the library never has), in one lookup."""
        slots = self._slots(terms)
        known = slots >= 0
        counts = np.zeros(len(terms), dtype=np.int64)
        counts[known] = self.starts[slots[known] + 1] - self.starts[slots[known]]
        return dict(zip(terms, counts.tolist()))

    def idf_of(self, df: int) -> float | None:
        """The IDF of a term ``df`` passages hold; None for a term none holds."""
        return None if df == 0 else math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def __contains__(self, term: str) -> bool:
        return self.frequency(term) > 0

    def idf(self, term: str) -> float | None:
        return self.idf_of(self.frequency(term))

    @property
    def max_idf(self) -> float:
        return math.log(1 + (self.size - 0.5) / 1.5) if self.size else 1.0

    def rows(self, terms: list[str]) -> list[np.ndarray]:
        """The sorted passage numbers holding each of ``terms`` that the library has (unknown terms are left out)."""
        return [self.docs[self.starts[s]:self.starts[s + 1]] for s in self._slots(terms) if s >= 0]

    def rows_of(self, terms: list[str]) -> dict[str, np.ndarray]:
        """The sorted passage numbers holding each of ``terms`` the library has, by term, in one lookup."""
        terms = list(dict.fromkeys(terms))
        return {t: self.docs[self.starts[s]:self.starts[s + 1]] for t, s in zip(terms, self._slots(terms).tolist()) if s >= 0}

    def row(self, term: str) -> np.ndarray:
        """The sorted passage numbers holding ``term`` (empty when no passage does)."""
        found = self.rows([term])
        return found[0] if found else self.docs[:0]

    def holders(self, terms: list[str]) -> np.ndarray:
        """Sorted passage numbers holding any of ``terms``."""
        parts = self.rows(terms)
        if not parts:
            return np.empty(0, dtype=np.int32)
        return parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))

    def holding_all(self, terms: list[str], most: int = 3) -> np.ndarray | None:
        """Passages holding every one of the ``most`` rarest of ``terms``; None if one term is unknown."""
        slots = self._slots(terms)
        if not len(slots) or (slots < 0).any():
            return None
        lengths = self.starts[slots + 1] - self.starts[slots]
        chosen = slots[np.argsort(lengths, kind="stable")[:most]]
        found = self.docs[self.starts[chosen[0]]:self.starts[chosen[0] + 1]]
        for s in chosen[1:]:
            found = np.intersect1d(found, self.docs[self.starts[s]:self.starts[s + 1]], assume_unique=True)
        return found

    def holds(self, term: str, number: int) -> bool:
        return bool(member(self.row(term), np.array([number], dtype=self.docs.dtype))[0])

    def scores(self, weighted_terms: dict[str, float]) -> np.ndarray:
        """BM25 of every passage (float64, one per passage) for the weighted query terms."""
        terms = list(weighted_terms)
        slots = self._slots(terms)
        docs, weights = [], []
        for term, slot in zip(terms, slots):
            if slot >= 0:
                a, b = self.starts[slot], self.starts[slot + 1]
                docs.append(self.docs[a:b])
                weights.append(np.multiply(self.weights[a:b], np.float32(weighted_terms[term]), dtype=np.float32))
        if not docs:
            return np.zeros(self.size)
        return np.bincount(np.concatenate(docs), weights=np.concatenate(weights), minlength=self.size)

    def top(self, weighted_terms: dict[str, float], count: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``count`` best passages (numbers, scores), best first; only passages scoring above 0.
        Equal scores go by passage number (the earlier first), at the cut as well as within it."""
        return best(self.scores(weighted_terms), count)

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: getattr(self, name) for name in self.ARRAYS}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], size: int) -> "Postings":
        return cls(*(arrays[name] for name in cls.ARRAYS), size)
