"""The search index: BM25 candidates from flat postings, then the full score for the whole pool.

What it holds (all arrays or buffers, see ``postings``, ``blob``, ``duplicates``): the postings
of the four term kinds (``bot.search.terms``), every passage's folded text and sound string,
its script and the near-duplicate
groups. Passages themselves come from the corpus table, made only for the hits shown.

A query's candidates are the BM25 leaders plus every passage holding the whole folded query
(found through its rarest bigrams, so an original is never lost among its copies), and the
ranker scores all of them in batch (``bot.search.rank``). A query no term of which is indexed
(one character, a piece inside a longer word) falls back to a direct scan of the folded text.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import EllipsisType
from typing import Iterable

import numpy as np

from bot.chars import is_han
from bot.corpus.models import Corpus, Passage
from bot.search.blob import Blob
from bot.search.display_columns import DisplayColumns
from bot.search.duplicates import Groups
from bot.search.normalise import to_script
from bot.search.postings import Postings, best
from bot.search.query import QUOTATION_CHARS, Lexicon, Plan, plan
from bot.search.pool import EQUAL_SCORES, Pool, rank
from bot.search.rank import Scored, entry_of, score
from bot.search.terms import bigram_term as text_bigram
from bot.search.vocabulary import Vocabulary

LONG_QUERY = 40  # folded chars beyond which the rerank pool shrinks
CONTAINING_MOST = 500  # passages holding the whole query that are always scored
HALF_MOST = 32  # passages holding one half of a mistyped quotation added to the pool, per half (the earliest)
GROUP_MARGIN = EQUAL_SCORES  # a group's leader stands for a better-scoring member only this close to it


class Match:
    """One result. ``passage``, ``highlights`` and ``also_in`` are made when first read: /quote asks
    for up to 1,000 matches to count them but shows three, and only those three pay for a
    ``Passage`` object, the highlight alignment and the look at their near-duplicate group."""

    __slots__ = ("score", "_index", "_plan", "_number", "_grouped", "_scored", "_passage", "_highlights", "_also_in")

    def __init__(self, index: "Index", plan: Plan, number: int, score: float, grouped: bool = True,
                 scored: Scored | None = None):
        self.score = score  # 0..1, comparable across queries (1 = the whole query occurs in the passage)
        self._index, self._plan, self._number, self._grouped = index, plan, number, grouped
        self._scored = scored  # the ranker's full score of this passage, if it made one: the highlights reuse it
        self._passage: Passage | None = None
        self._highlights: tuple[tuple[int, int], ...] | None = None
        self._also_in: tuple[str, ...] | None = None

    @property
    def number(self) -> int:
        """The passage's position in the index."""
        return self._number

    @property
    def query_script(self) -> str | None | EllipsisType:
        """The script the query's Han characters are written in (``normalise.detect_script``), as
        the plan found it; ``...`` when the plan saw only part of the query (a very long one)."""
        return self._plan.script if self._plan.complete else ...

    @property
    def also_in(self) -> tuple[str, ...]:
        """Doc ids of other articles holding a near-copy of this passage (none when ranked without grouping)."""
        if self._also_in is None:
            self._also_in = self._index.also_in(self._number) if self._grouped else ()
        return self._also_in

    @property
    def passage(self) -> Passage:
        if self._passage is None:
            self._passage = self._index.passages.get(self._number)
        return self._passage

    @property
    def highlights(self) -> tuple[tuple[int, int], ...]:
        """Spans of passage.text that matched, sorted, non-overlapping."""
        if self._highlights is None:
            from bot.search.highlight import passage_highlights

            self._highlights = passage_highlights(self._plan, self._index, self._number, self.passage, self._scored)
        return self._highlights

    def text_in(self, script: str) -> str:
        """The passage's text shown in ``script`` (``normalise.to_script``): read from the saved
        display columns when the library has them, else converted now."""
        display = self._index.display
        if display is None:
            return to_script(self.passage.text, script)
        return display.text_in(self._number, script, self.passage.text)

    def __repr__(self) -> str:
        return f"Match({self.passage.id!r}, score={self.score}, also_in={len(self.also_in)})"


def _pool_size(pool: int, query_length: int) -> int:
    """Long queries carry many distinctive terms (BM25 alone ranks them well) but cost more per fuzzy comparison."""
    if query_length <= LONG_QUERY:
        return pool
    return max(20, pool * LONG_QUERY // query_length)


@dataclass(frozen=True)
class Index:
    passages: object  # anything with get(number) -> Passage (the corpus table)
    documents: np.ndarray  # int32: the number of each passage's document
    doc_ids: tuple[str, ...]  # doc id of each document number
    folded: Blob
    sound: Blob
    scripts: np.ndarray  # int8 codes into analysis.SCRIPTS
    postings: Postings
    groups: Groups
    lexicon: Lexicon
    display: DisplayColumns | None = None  # saved offsets and display texts of each passage (None: computed per hit)

    ARRAYS = ("scripts", "documents")

    @property
    def size(self) -> int:
        return len(self.folded)

    @classmethod
    def build(cls, corpus: Corpus, vocabulary: Vocabulary, *, workers: int = 1, progress=None,
              dictionary: bool = False, analysed=None, pending=None) -> "Index":
        """See ``bot.search.build.build_index``; ``lexicon.vocabulary`` is the vocabulary to use afterwards."""
        from bot.search.build import build_index

        return build_index(corpus, vocabulary, workers=workers, progress=progress, dictionary=dictionary,
                           analysed=analysed, pending=pending)

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

    def search(self, query: str, *, limit: int = 10, pool: int = 200, exact: int | None = None) -> list[Match]:
        """Best passages first, at most ``limit``, one per near-duplicate group.

        [] when the query holds nothing to match (empty, punctuation, emoji, control characters).
        Matches scoring far below the best one are left out, so the length of a long list means something.
        ``exact``: only the first ``exact`` matches will be shown (/quote asks for up to 1,000 to
        count them and shows a page): they, and which passages the list holds, are exactly as
        without it; the order and scores of the rest may rest on bounds of their scores (``pool.rank``).
        """
        p = self.plan(query)
        if p is None or limit <= 0:
            return []
        count = max(min(limit, pool), _pool_size(pool, len(p.folded)))
        totals = self.postings.scores(p.terms)
        numbers, bm25 = best(totals, count)
        containing = self._containing(p)
        if not len(containing) and p.han and not p.pinyin and len(p.chunks) == 1 and len(p.folded) >= QUOTATION_CHARS:
            containing = self._holding_a_half(p)  # a quotation (maybe with a Latin word in it) held by no passage whole
        if len(containing):
            extra = np.setdiff1d(containing, numbers, assume_unique=True)
            if len(extra):
                numbers = np.concatenate([numbers, extra])
                bm25 = np.concatenate([bm25, totals[extra]])
        if not len(numbers):
            numbers = np.array(self._scan(p, count), dtype=np.int64)
            bm25 = np.ones(len(numbers))
        return self._rank(p, numbers, bm25, limit, exact=exact)

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

    def _holding_a_half(self, p: Plan) -> np.ndarray:
        """Passages holding the first or the second half of a quotation typed whole that no passage
        holds whole (a typo, a word remembered wrong): a quotation mistyped in one half is still
        held, half of it as typed, by the passage it comes from. Found like ``_containing``, in
        library order, so the original comes before its later reprints and edited copies and
        enters the pool whatever their BM25 does; without this a typo's candidates rest on BM25
        depth alone (``candidate_pool``)."""
        half = len(p.folded) // 2
        found: list[np.ndarray] = []
        for piece in (p.folded[:half], p.folded[half:]):
            bigrams = list(dict.fromkeys(text_bigram(a, b, han=True) for a, b in zip(piece, piece[1:])
                                         if is_han(a) and is_han(b)))
            holding = self.postings.holding_all(bigrams) if bigrams else None
            if holding is None or not len(holding):
                continue
            kept = [int(n) for n in holding[: HALF_MOST * 4] if piece in self.folded[int(n)]]
            found.append(np.array(kept[:HALF_MOST], dtype=np.int64))
        if not found:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(found))

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
        chosen = sorted(set(self.numbers_of(passages)))
        if not chosen:
            return []
        totals = self.postings.scores(p.terms)
        numbers = np.array(sorted(chosen, key=lambda n: -totals[n]), dtype=np.int64)
        return self._rank(p, numbers, totals[numbers] if len(numbers) else np.zeros(0), limit, collapse=False)

    def numbers_of(self, passages: Iterable[Passage]) -> list[int]:
        """Index numbers of ``passages`` (found by document and position, checked by id); unknown ones are skipped."""
        document_numbers = {doc_id: d for d, doc_id in enumerate(self.doc_ids)}
        firsts = np.searchsorted(self.documents, np.arange(len(self.doc_ids), dtype=self.documents.dtype))
        found = []
        for passage in passages:
            d = document_numbers.get(passage.doc_id)
            if d is None:
                continue
            n = int(firsts[d]) + passage.number
            if 0 <= n < self.size and self.documents[n] == d and self.passages.value("id", n) == passage.id:
                found.append(n)
        return found

    def _rank(self, p: Plan, numbers: np.ndarray, bm25: np.ndarray, limit: int, *, collapse: bool = True,
              exact: int | None = None) -> list[Match]:
        """Ranked matches, one per near-duplicate group, in the order of each group's best member.

        The group shows its leader (the attributed, else the earliest member) when the leader's
        own score is within ``GROUP_MARGIN`` of the best member's, else the best member itself:
        a reply never shows a passage that does not match as well as what was found. The margin
        is the ranker's own ``EQUAL_SCORES``: a leader that matches visibly worse (a copy whose
        edit falls inside the quotation, while the member holds it whole) is not "the same" for
        this query, and showing it would put a passage that lacks the user's words above one
        that has them.
        """
        pool = Pool(self, numbers, bm25)
        exact = None if exact is None else max(1, min(exact, limit))
        ranked = rank(p, pool, limit * 3 + 10 if collapse else limit, exact, self.groups.leader if collapse else None)
        scores = dict(ranked)
        matches: list[Match] = []
        shown: set[int] = set()
        ranked_numbers = [n for n, _found in ranked]
        leaders = self.groups.leader[ranked_numbers].tolist() if collapse and ranked else ranked_numbers
        for (n, found), leader in zip(ranked, leaders):
            if leader in shown:
                continue
            shown.add(leader)
            shown_number, shown_score = n, found
            if leader != n and (exact is None or len(matches) < exact):  # past the page shown: counted only
                own = scores.get(leader)
                if own is None or leader in pool.bounded:
                    scored = score(p, entry_of(self, leader, self.folded[leader], self.sound[leader], pool.holdings))
                    pool.scored[leader] = scored
                    own = scored.score
                if own >= found - GROUP_MARGIN:
                    shown_number, shown_score = leader, own
            matches.append(Match(self, p, shown_number, round(shown_score, 4), collapse, pool.scored.get(shown_number)))
            if len(matches) >= limit:
                break
        return matches

    def also_in(self, number: int) -> tuple[str, ...]:
        """Doc ids of the other articles that hold a member of ``number``'s near-duplicate group."""
        members = self.groups.members_of(int(self.groups.leader[number]))
        if len(members) <= 1:
            return ()
        own = int(self.documents[number])
        others = sorted(set(self.documents[members].tolist()))  # a group is a few passages: no np.unique
        return tuple(self.doc_ids[d] for d in others if d != own)
