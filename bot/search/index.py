"""The search index: BM25 candidates over words, bigrams and readings, then a fuzzy rerank.

Terms stored per passage (all from the folded text):

- ``w:`` words: jieba words (search mode, so long words also yield their parts) and Latin words;
- ``b:`` bigrams of neighbouring units (Han characters, Latin words), so a segmentation
  difference or a one-character typo still leaves most of a query matching;
- ``p:`` the toneless reading of each word (``kaiyuan``), for typed pinyin;
- ``s:`` bigrams of syllables (``kai|yuan``), for pinyin typed across word borders and for
  homophone typos (美圆/美元 both give ``mei|yuan``).

A query no term of which is indexed (one character, a piece inside a longer word) falls back
to a direct scan. Only the ``pool`` best BM25 candidates are reranked with rapidfuzz (see ``rank``): scanning
every passage with rapidfuzz would not stay within a few milliseconds on a larger library.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

import jieba

from bot.corpus.models import Corpus, Passage
from bot.search.bm25 import BM25
from bot.search.normalise import detect_script, fold_with_offsets, is_han
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
    readings = analysis.readings
    units = analysis.units
    han_units = [u for u in units if u.han]
    terms = ["w:" + word for word in analysis.search_words]
    terms.extend(bigram_term(a, b) for a, b in zip(units, units[1:]))
    pairs = ((readings[a.start], readings[b.start]) for a, b in zip(han_units, han_units[1:]))
    terms.extend("s:" + ra + "|" + rb for ra, rb in pairs if ra and rb)
    for word, start in analysis.words:
        if is_han(word[0]):
            reading = readings[start:start + len(word)]
            if all(reading):
                terms.append("p:" + "".join(reading))
    return Counter(terms)


BM25_SHARE = 0.3  # weight of normalised BM25 in the quick look
FULL_SCORE_COUNT = 12  # candidates that get the full fuzzy score
BM25_KEEP = 5  # the BM25 leaders always get it too
ROUGH_SHARE = 0.6  # a candidate scored only by its quick look counts for this share of it
MIN_SCORE = 0.1  # below this a "match" shares little more than a common word with the query
RELATIVE_FLOOR = 0.25  # ...or when it scores below this share of the best match
TIE_BREAK = 0.02  # BM25's say among near-equal final scores
SCRIPT_TIE_BREAK = 0.01  # among equals, a passage in the script the query was typed in
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
        scripts = {d.doc_id: (d.source.script or "").lower() or None for d in corpus.documents}
        return cls.build_passages(corpus.passages, vocabulary, tokenizer, scripts)

    @classmethod
    def build_passages(
        cls,
        passages: Iterable[Passage],
        vocabulary: Vocabulary,
        tokenizer: jieba.Tokenizer,
        scripts: dict[str, str | None] | None = None,
    ) -> "Index":
        """Index ``passages``; ``scripts`` gives each document's script (else it is detected per passage)."""
        scripts = scripts or {}
        entries: list[Entry] = []
        documents: list[Counter[str]] = []
        lengths: list[int] = []
        pinyin_words: dict[str, set[str]] = {}
        for passage in passages:
            folded, offsets = fold_with_offsets(passage.text)
            analysis = analyse(folded, offsets, tokenizer)
            latin = frozenset(u.text for u in analysis.units if not u.han)
            entries.append(
                Entry(
                    passage,
                    len(entries),
                    folded,
                    tuple(offsets),
                    sound_string(folded, analysis.readings),
                    latin,
                    scripts.get(passage.doc_id) or detect_script(passage.text),
                )
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
            postings=bm25.postings,
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
        """Best passages first, at most ``limit`` and at most ``pool`` (the BM25 candidates reranked).

        [] when the query holds nothing to match (empty, punctuation, emoji, control characters).
        Matches scoring far below the best one (under ``RELATIVE_FLOOR`` of it, or under
        ``MIN_SCORE``) are left out, so the length of a long list means something.
        """
        p = self.plan(query)
        if p is None or limit <= 0:
            return []
        count = max(min(limit, pool), _pool_size(pool, len(p.folded)))
        candidates = self.bm25.top(p.terms, count)
        if not candidates:
            candidates = self._scan(p, count)
        return self._rank(p, [self.entries[n] for n, _ in candidates], [s for _, s in candidates], limit)

    def _scan(self, p: Plan, count: int) -> list[tuple[int, float]]:
        """No index term matched (a single character, a piece of a longer word): look for the concepts directly."""
        found = []
        for entry in self.entries:
            hits = sum(1 for c in p.concepts if any(a in entry.folded for a in c.alternatives))
            if hits:
                found.append((entry.number, float(hits)))
                if len(found) >= count:
                    break
        return found

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
        """Best first: a quick look at every candidate, the full (fuzzy) score for the most promising.

        The rest keep their quick estimate, never above the fully scored ones, so a long result
        list (for paging) costs little more than a short one; matches far below the best are dropped.
        """
        top = max(bm25_scores, default=0.0) or 1.0
        present = self._presence(p)
        looks = sorted(
            ((present.get(e.number, 0.0) + BM25_SHARE * raw / top, n) for n, (e, raw) in enumerate(zip(entries, bm25_scores))),
            reverse=True,
        )
        chosen = {n for _, n in looks[:FULL_SCORE_COUNT]} | set(range(min(len(entries), BM25_KEEP)))
        full: list[tuple[float, int, Scored]] = []
        for n in chosen:
            s = score(p, entries[n])
            if s.score > 0:
                same_script = SCRIPT_TIE_BREAK if p.script and p.script == entries[n].script else 0.0
                full.append((s.score + TIE_BREAK * bm25_scores[n] / top + same_script, n, s))
        full.sort(key=lambda item: item[0], reverse=True)
        if not full:
            return []
        best = full[0][2].score
        floor = max(MIN_SCORE, RELATIVE_FLOOR * best)
        matches = [self._match(p, entries[n], s) for _, n, s in full[:limit] if s.score >= floor]
        ceiling = full[-1][2].score
        for look, n in looks:
            if len(matches) >= limit:
                break
            estimate = min(ceiling, present.get(entries[n].number, 0.0) * ROUGH_SHARE)
            if n in chosen or estimate < floor:
                continue
            matches.append(Match(entries[n].passage, round(estimate, 4), self._concept_highlights(p, entries[n])))
        return matches

    def _match(self, p: Plan, entry: Entry, scored: Scored) -> Match:
        return Match(entry.passage, round(scored.score, 4), self._highlights(p, entry, scored))

    def _concept_highlights(self, p: Plan, entry: Entry) -> tuple[tuple[int, int], ...]:
        """Cheap highlights for matches below the fully scored: the first place of each concept found."""
        spans = []
        for concept in p.concepts:
            for alt in concept.alternatives:
                start = entry.folded.find(alt)
                if start >= 0:
                    spans.append((entry.offsets[start], entry.offsets[start + len(alt) - 1] + 1))
                    break
        return tuple(merge_spans(spans, len(entry.passage.text)))

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
