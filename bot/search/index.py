"""The search index: BM25 candidates from flat postings, then the full score for the whole pool.

What it holds (all arrays or buffers, see ``postings``, ``blob``, ``duplicates``): the postings
of the four term kinds (``bot.search.terms``), every passage's folded text and sound string,
its script, whether its document is listed in ``config/corpus.yaml``, and the near-duplicate
groups. Passages themselves come from the corpus table, made only for the hits shown.

A query's candidates are the BM25 leaders plus every passage holding the whole folded query
(found through its rarest bigrams, so an original is never lost among its copies), and the
ranker scores all of them in batch (``bot.search.rank``). A query no term of which is indexed
(one character, a piece inside a longer word) falls back to a direct scan of the folded text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import jieba
import numpy as np

from bot.corpus.models import Corpus, Passage
from bot.search.blob import Blob
from bot.search.duplicates import Groups
from bot.search.postings import Postings
from bot.search.query import Lexicon, Plan, plan
from bot.search.rank import Pool, rank
from bot.search.vocabulary import Vocabulary

LONG_QUERY = 40  # folded chars beyond which the rerank pool shrinks
CONTAINING_MOST = 500  # passages holding the whole query that are always scored


@dataclass(frozen=True)
class Match:
    passage: Passage
    score: float  # 0..1, comparable across queries (1 = the whole query occurs in the passage)
    highlights: tuple[tuple[int, int], ...]  # spans of passage.text that matched, sorted, non-overlapping
    also_in: tuple[str, ...] = ()  # doc ids of other articles holding a near-copy of this passage


def _pool_size(pool: int, query_length: int) -> int:
    """Long queries carry many distinctive terms (BM25 alone ranks them well) but cost more per fuzzy comparison."""
    if query_length <= LONG_QUERY:
        return pool
    return max(20, pool * LONG_QUERY // query_length)


@dataclass(frozen=True)
class Index:
    passages: object  # anything with get(number) -> Passage (the corpus table)
    doc_ids: tuple[np.ndarray, list]  # (code per passage, doc id per code)
    folded: Blob
    sound: Blob
    scripts: np.ndarray  # int8 codes into analysis.SCRIPTS
    listed: np.ndarray  # bool: the passage's document is described in config/corpus.yaml
    postings: Postings
    groups: Groups
    lexicon: Lexicon

    ARRAYS = ("scripts", "listed")

    @property
    def size(self) -> int:
        return len(self.folded)

    @classmethod
    def build(cls, corpus: Corpus, vocabulary: Vocabulary, *, workers: int = 1, progress=None) -> "Index":
        from bot.search.build import build_index

        return build_index(corpus, vocabulary, workers=workers, progress=progress)

    # -- queries
    def plan(self, query: str) -> Plan | None:
        return plan(query, self.lexicon)

    def terms(self, query: str) -> list[str]:
        """The query's matching terms after expansion: its words plus names/glossary/pinyin expansions."""
        p = self.plan(query)
        if p is None:
            return []
        words = [a for c in p.concepts for a in c.alternatives[:1]]
        return list(dict.fromkeys([*words, *p.expansions]))

    def search(self, query: str, *, limit: int = 10, pool: int = 200) -> list[Match]:
        """Best passages first, at most ``limit``, one per near-duplicate group.

        [] when the query holds nothing to match (empty, punctuation, emoji, control characters).
        Matches scoring far below the best one are left out, so the length of a long list means something.
        """
        p = self.plan(query)
        if p is None or limit <= 0:
            return []
        count = max(min(limit, pool), _pool_size(pool, len(p.folded)))
        numbers, bm25 = self.postings.top(p.terms, count)
        containing = self._containing(p)
        if len(containing):
            extra = np.setdiff1d(containing, numbers, assume_unique=True)
            if len(extra):
                numbers = np.concatenate([numbers, extra])
                bm25 = np.concatenate([bm25, self.postings.scores(p.terms)[extra]])
        if not len(numbers):
            numbers = np.array(self._scan(p, count), dtype=np.int64)
            bm25 = np.ones(len(numbers))
        return self._rank(p, numbers, bm25, limit)

    def _containing(self, p: Plan) -> np.ndarray:
        """Passages that hold the whole folded query, via the postings of its rarest Han bigrams."""
        if p.pinyin or len(p.folded) < 2:
            return np.empty(0, dtype=np.int64)
        bigrams = p.bigrams
        if not bigrams:
            return np.empty(0, dtype=np.int64)
        found = self.postings.holding_all(list(bigrams))
        if found is None or not len(found):
            return np.empty(0, dtype=np.int64)
        kept = [int(n) for n in found[: CONTAINING_MOST * 4] if p.folded in self.folded[int(n)]]
        return np.array(kept[:CONTAINING_MOST], dtype=np.int64)

    def _scan(self, p: Plan, count: int) -> list[int]:
        """No index term matched (a single character, a piece of a longer word): look for the concepts directly."""
        found: dict[int, None] = {}
        for concept in p.concepts:
            for alt in concept.alternatives:
                for n in self.folded.find_all(alt, count):
                    found[n] = None
                if len(found) >= count:
                    return list(found)[:count]
        return list(found)

    def search_within(self, query: str, passages: Iterable[Passage], *, limit: int = 10) -> list[Match]:
        """Rank only ``passages`` (e.g. one side of /compare), best first; passages unknown to the index are skipped."""
        p = self.plan(query)
        if p is None or limit <= 0:
            return []
        wanted = {passage.id for passage in passages}
        if not wanted:
            return []
        chosen = [n for n in range(self.size) if self.passages.value("id", n) in wanted]
        totals = self.postings.scores(p.terms)
        numbers = np.array(sorted(chosen, key=lambda n: -totals[n]), dtype=np.int64)
        return self._rank(p, numbers, totals[numbers] if len(numbers) else np.zeros(0), limit, collapse=False)

    def _rank(self, p: Plan, numbers: np.ndarray, bm25: np.ndarray, limit: int, *, collapse: bool = True) -> list[Match]:
        pool = Pool(self, numbers, bm25)
        ranked = rank(p, pool, limit * 3 + 10 if collapse else limit)
        matches: list[Match] = []
        shown: set[int] = set()
        for n, score in ranked:
            leader = int(self.groups.leader[n]) if collapse else n
            if leader in shown:
                continue
            shown.add(leader)
            matches.append(self._match(p, leader, score, collapse))
            if len(matches) >= limit:
                break
        return matches

    def _match(self, p: Plan, number: int, score: float, collapse: bool) -> Match:
        from bot.search.highlight import passage_highlights

        passage = self.passages.get(number)
        also_in: tuple[str, ...] = ()
        if collapse:
            codes, labels = self.doc_ids
            members = self.groups.members_of(number)
            if len(members) > 1:
                own = codes[number]
                others = np.unique(codes[members])
                also_in = tuple(labels[int(c)] for c in others if c != own)
        return Match(passage, round(score, 4), passage_highlights(p, self, number, passage), also_in)
