"""Peer 2: rapidfuzz alone, ``partial_ratio`` of the folded query against every folded passage.

The simplest thing that tolerates typos and script differences: no index, a full scan in C++.
It is the baseline that shows what the index buys (and what a scan costs as the library grows).
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.corpus.models import Passage
from bot.search.normalise import fold


class RapidfuzzPeer:
    name = "rapidfuzz (partial_ratio scan)"

    def __init__(self, passages: list[Passage]):
        self.passages = passages
        self.folded = [fold(p.text) for p in passages]

    def search(self, text: str, limit: int = 10) -> list[Passage]:
        query = fold(text)
        if not query:
            return []
        hits = process.extract(query, self.folded, scorer=fuzz.partial_ratio, limit=limit)
        return [self.passages[number] for _choice, _score, number in hits]
