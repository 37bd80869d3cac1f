"""The search index: BM25 candidates over words, bigrams and readings, then a fuzzy rerank.

Terms stored per passage (all from the folded text):

- ``w:`` words: jieba words (search mode, so long words also yield their parts) and Latin words;
- ``b:`` bigrams of neighbouring units (Han characters, Latin words), so a segmentation
  difference or a one-character typo still leaves most of a query matching;
- ``u:`` single Han characters, for one-character queries;
- ``p:`` the toneless reading of each word (``kaiyuan``), for typed pinyin;
- ``s:`` bigrams of syllables (``kai|yuan``), for pinyin typed across word borders and for
  homophone typos (美圆/美元 both give ``mei|yuan``).

Only the ``pool`` best BM25 candidates are reranked with rapidfuzz (see ``rank``): scanning
every passage with rapidfuzz would not stay within a few milliseconds on a larger library.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

import jieba

from bot.corpus.models import Corpus, Passage
from bot.search.bm25 import BM25
from bot.search.normalise import fold_with_offsets, is_han
from bot.search.query import Lexicon, Plan, plan
from bot.search.rank import SOUND_CREDIT, Entry, Scored, merge_spans, score
from bot.search.sound import sound_string
from bot.search.tokenize import Analysis, analyse, bigram_term, make_tokenizer
from bot.search.vocabulary import Vocabulary


@dataclass(frozen=True)
class Match:
    passage: Passage
    score: float  # 0..1, comparable across queries (1 = the whole query occurs in the passage)
    highlights: tuple[tuple[int, int], ...]  # spans of passage.text that matched, sorted, non-overlapping


def passage_terms(analysis: Analysis) -> Counter[str]:
    """Every index term of one passage, with its count."""
    terms: Counter[str] = Counter()
    for word in analysis.search_words:
        terms["w:" + word] += 1
    units = analysis.units
    for a, b in zip(units, units[1:]):
        terms[bigram_term(a, b)] += 1
    readings = analysis.readings
    han_units = [u for u in units if u.han]
    for u in han_units:
        terms["u:" + u.text] += 1
    for a, b in zip(han_units, han_units[1:]):
        ra, rb = readings[a.start], readings[b.start]
        if ra and rb:
            terms["s:" + ra + "|" + rb] += 1
    for word, start in analysis.words:
        if is_han(word[0]):
            reading = readings[start:start + len(word)]
            if all(reading):
                terms["p:" + "".join(reading)] += 1
    return terms


BM25_SHARE = 0.3  # weight of normalised BM25 in the quick look
FULL_SCORE_COUNT = 30  # candidates that get the full fuzzy score
BM25_KEEP = 10  # the BM25 leaders always get it too
TIE_BREAK = 0.02  # BM25's say among near-equal final scores
LONG_QUERY = 40  # folded chars beyond which the rerank pool shrinks


def _pool_size(pool: int, query_length: int) -> int:
    """Long queries carry many distinctive terms (BM25 alone ranks them well) but cost more per fuzzy comparison."""
    if query_length <= LONG_QUERY:
        return pool
    return max(20, pool * LONG_QUERY // query_length)


@dataclass(frozen=True)
class Index:
    entries: tuple[Entry, ...]
    bm25: BM25
    lexicon: Lexicon

    @classmethod
    def build(cls, corpus: Corpus, vocabulary: Vocabulary) -> "Index":
        tokenizer = make_tokenizer(vocabulary.domain_words)
        return cls.build_passages(corpus.passages, vocabulary, tokenizer)

    @classmethod
    def build_passages(cls, passages: Iterable[Passage], vocabulary: Vocabulary, tokenizer: jieba.Tokenizer) -> "Index":
        entries: list[Entry] = []
        documents: list[Counter[str]] = []
        lengths: list[int] = []
        pinyin_words: dict[str, set[str]] = {}
        for passage in passages:
            folded, offsets = fold_with_offsets(passage.text)
            analysis = analyse(folded, offsets, tokenizer)
            latin = frozenset(u.text for u in analysis.units if not u.han)
            entries.append(
                Entry(passage, len(entries), folded, tuple(offsets), sound_string(folded, analysis.readings), latin)
            )
            terms = passage_terms(analysis)
            documents.append(terms)
            lengths.append(len(analysis.units))
            for word, start in analysis.words:
                reading = analysis.readings[start:start + len(word)]
                if is_han(word[0]) and all(reading):
                    pinyin_words.setdefault("".join(reading), set()).add(word)
        bm25 = BM25.build(documents, lengths)
        latin_words = sorted({t[2:] for t in bm25.postings if t.startswith("w:") and t[2:].isascii()})
        lexicon = Lexicon(
            vocabulary=vocabulary,
            tokenizer=tokenizer,
            latin_words=frozenset(latin_words),
            latin_list=tuple(w for w in latin_words if len(w) >= 3 and not w.isdigit()),
            pinyin_words={k: tuple(sorted(v, key=len, reverse=True)) for k, v in pinyin_words.items()},
            idf={t: v for t, v in bm25.idf.items() if t.startswith("w:")},
            max_idf=max(bm25.idf.values(), default=1.0),
        )
        return cls(tuple(entries), bm25, lexicon)

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
        """Best passages first; [] when the query holds nothing to match."""
        p = self.plan(query)
        if p is None or limit <= 0:
            return []
        candidates = self.bm25.top(p.terms, max(limit, _pool_size(pool, len(p.folded))))
        return self._rank(p, [self.entries[n] for n, _ in candidates], [s for _, s in candidates], limit)

    def search_within(self, query: str, passages: Iterable[Passage], *, limit: int = 10) -> list[Match]:
        """Rank only ``passages`` (e.g. one side of /compare), best first; passages unknown to the index are skipped."""
        p = self.plan(query)
        if p is None or limit <= 0:
            return []
        wanted = {passage.id for passage in passages}
        totals = self.bm25.scores(p.terms)
        chosen = sorted(
            (n for n, e in enumerate(self.entries) if e.passage.id in wanted), key=lambda n: -totals.get(n, 0.0)
        )
        entries = [self.entries[n] for n in chosen]
        return self._rank(p, entries, [totals.get(n, 0.0) for n in chosen], limit)

    def _rank(self, p: Plan, entries: list[Entry], bm25_scores: list[float], limit: int) -> list[Match]:
        """Quick look at every candidate, full (fuzzy) score for the most promising few, best first."""
        top = max(bm25_scores, default=0.0) or 1.0
        present = self._presence(p)
        looks = [
            (present.get(e.number, 0.0) + BM25_SHARE * raw / top, n)
            for n, (e, raw) in enumerate(zip(entries, bm25_scores))
        ]
        keep = max(limit, FULL_SCORE_COUNT)
        chosen = {n for _, n in heapq.nlargest(keep, looks)}
        chosen.update(range(min(len(entries), BM25_KEEP)))  # candidates arrive in BM25 order
        scored: list[tuple[float, Entry, Scored]] = []
        for n in chosen:
            s = score(p, entries[n])
            if s.score <= 0 and bm25_scores[n] <= 0:
                continue
            scored.append((s.score + TIE_BREAK * bm25_scores[n] / top, entries[n], s))
        scored.sort(key=lambda item: item[0], reverse=True)
        return [Match(e.passage, round(sc.score, 4), self._highlights(p, e, sc)) for _, e, sc in scored[:limit]]

    def _presence(self, p: Plan) -> dict[int, float]:
        """Weighted share of the query's concepts each passage holds, read off the postings (no text scans)."""
        total = sum(c.weight for c in p.concepts) or 1.0
        got: dict[int, float] = {}
        postings = self.bm25.postings
        for concept in p.concepts:
            share = concept.weight / total
            holders = {n for term in concept.terms for n, _ in postings.get(term, ())}
            for n in holders:
                got[n] = got.get(n, 0.0) + share
            if concept.sound_terms:
                credit = share * (1.0 if concept.kind == "pinyin" else SOUND_CREDIT)
                for n in {n for term in concept.sound_terms for n, _ in postings.get(term, ())} - holders:
                    got[n] = got.get(n, 0.0) + credit
        return got

    def _highlights(self, p: Plan, entry: Entry, scored: Scored) -> tuple[tuple[int, int], ...]:
        from bot.search.highlight import highlight_spans

        folded_spans = highlight_spans(p, entry, scored)
        spans = []
        for start, end in folded_spans:
            spans.append((entry.offsets[start], entry.offsets[end - 1] + 1))
        return tuple(merge_spans(spans, len(entry.passage.text)))
