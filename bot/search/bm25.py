"""An inverted index scored with BM25: cheap candidate generation before the fuzzy rerank.

Each term's per-passage contribution is computed once at build time, so a query only adds up
precomputed floats along its terms' postings (a few thousand additions for a typical query).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass

K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class BM25:
    postings: dict[str, list[tuple[int, float]]]  # term -> [(passage number, contribution), ...], never changed
    idf: dict[str, float]
    size: int

    @classmethod
    def build(cls, documents: list[Counter[str]], lengths: list[int]) -> "BM25":
        size = len(documents)
        avg = (sum(lengths) / size) if size else 1.0
        df: Counter[str] = Counter()
        for terms in documents:
            df.update(terms.keys())
        log = math.log
        idf = {t: log(1 + (size - n + 0.5) / (n + 0.5)) for t, n in df.items()}
        lists: dict[str, list[tuple[int, float]]] = {t: [] for t in df}
        k1_plus = K1 + 1
        for number, (terms, length) in enumerate(zip(documents, lengths)):
            norm = K1 * (1 - B + B * length / (avg or 1.0))
            for term, tf in terms.items():
                lists[term].append((number, idf[term] * tf * k1_plus / (tf + norm)))
        return cls(lists, idf, size)

    def scores(self, weighted_terms: dict[str, float]) -> dict[int, float]:
        totals = [0.0] * self.size
        postings = self.postings
        for term, weight in weighted_terms.items():
            for number, contribution in postings.get(term, ()):
                totals[number] += weight * contribution
        return {n: s for n, s in enumerate(totals) if s}

    def top(self, weighted_terms: dict[str, float], count: int) -> list[tuple[int, float]]:
        totals = self.scores(weighted_terms)
        return heapq.nlargest(count, totals.items(), key=lambda item: item[1])

    def document_frequency(self, term: str) -> int:
        return len(self.postings.get(term, ()))
