"""Peer 2: rapidfuzz alone, ``partial_ratio`` of the folded query against every folded passage.

The simplest thing that tolerates typos and script differences: no index, a full scan in C++.
It is the baseline that shows what the index buys (and what a scan costs as the library grows).
``save`` writes the doc ids, texts and folded texts as one pickle, which ``open`` reads in a
fresh process (its restart).
"""

from __future__ import annotations

import pickle
from pathlib import Path

from rapidfuzz import fuzz, process

from bench.cases import StoredPassage
from bot.corpus.models import Passage
from bot.search.normalise import fold


class RapidfuzzPeer:
    name = "rapidfuzz (partial_ratio scan)"

    def __init__(self, passages: list[Passage]):
        self.passages = passages
        self.folded = [fold(p.text) for p in passages]

    def save(self, path: Path) -> int:
        """Write what a restart needs; its size in bytes."""
        records = [(p.doc_id, p.text) for p in self.passages]
        with Path(path).open("wb") as handle:
            pickle.dump((records, self.folded), handle, protocol=pickle.HIGHEST_PROTOCOL)
        return Path(path).stat().st_size

    @classmethod
    def open(cls, path: Path) -> "RapidfuzzPeer":
        with Path(path).open("rb") as handle:
            records, folded = pickle.load(handle)
        peer = cls.__new__(cls)
        peer.passages = [StoredPassage(doc_id, text) for doc_id, text in records]
        peer.folded = folded
        return peer

    def search(self, text: str, limit: int = 10) -> list[Passage]:
        query = fold(text)
        if not query:
            return []
        hits = process.extract(query, self.folded, scorer=fuzz.partial_ratio, limit=limit)
        return [self.passages[number] for _choice, _score, number in hits]
