"""What a query asks for: its concepts and its weighted index terms, read from its analysis.

One ``Builder`` per query (``query.plan`` makes it) turns the analysed, folded query into:

- *concepts*: the things a good passage should contain, each with alternatives any of which
  will do (a Chinese word; an English name and all its Chinese spellings; an English concept
  and its glossary translations; a run of pinyin and the library's words that read so);
- *terms*: weighted index terms (words, character bigrams, readings) for the BM25 candidate search.

Latin words are read, in this order, as a speaker's name (``Robin Li``), a glossary concept
(``open source``); then, when most of them are neither and they all split into syllables, the
whole query as typed pinyin (``huchenghe``); otherwise each remaining word as a word the library
contains (``Linux``), a CC-CEDICT translation (``papers``), a typo of a library word
(``Kubernets``), and what is left as pinyin if it reads as such.
"""

from __future__ import annotations

import math

import numpy as np

from bot.chars import has_han, is_han
from bot.search.concept_latin import LatinReading
from bot.search.concept_pinyin import PinyinReading
from bot.search.concept_types import MAX_CONCEPTS, W_BIGRAM, W_SOUND, W_WORD, Concept, Lexicon
from bot.search.pinyin import word_readings
from bot.search.sound import sound_string
from bot.search.terms import reading_term, sound_term, word_term
from bot.search.terms import bigram_term as text_bigram
from bot.search.tokenize import Analysis, bigram_term

__all__ = ["Builder", "Concept", "Lexicon"]

COMMON_IDF = 1.3  # a one-character word this common (in ~30% of passages) is not worth a concept


class Builder(LatinReading, PinyinReading):
    """Accumulates concepts and terms; one per plan() call, never shared. Latin words are read by
    ``LatinReading`` (bot/search/concept_latin.py), pinyin by ``PinyinReading`` (concept_pinyin.py)."""

    def __init__(self, lexicon: Lexicon, analysis: Analysis):
        self.lexicon = lexicon
        self.analysis = analysis
        self.concepts: list[Concept] = []
        self.terms: dict[str, float] = {}
        self.expansions: list[str] = []
        self.sound = ""
        self.pinyin_only = False
        self.seen: set[tuple[str, ...]] = set()
        # How many passages hold each word and bigram of the query, looked up in one batch: the
        # builder asks for most of them (IDF weights, "a pair the library never has"), one hash
        # and one binary search each when asked one at a time.
        units = analysis.units
        self.frequencies = lexicon.postings.frequencies(list(dict.fromkeys(
            [word_term(w) for w, _start in analysis.words]
            + [bigram_term(a, b) for a, b in zip(units, units[1:])])))

    def frequency(self, term: str) -> int:
        found = self.frequencies.get(term)
        return self.lexicon.postings.frequency(term) if found is None else found

    # -- terms
    def add_term(self, term: str, weight: float) -> None:
        self.terms[term] = max(self.terms.get(term, 0.0), weight)

    def add_text_terms(self, text: str, weight: float) -> None:
        """Word, bigram and reading terms for one folded alternative (a name, a glossary word)."""
        self.add_term(word_term(text), W_WORD * weight)
        for a, b in zip(text, text[1:]):
            self.add_term(text_bigram(a, b, han=True), W_BIGRAM * weight)

    def idf(self, term: str) -> float:
        """The term's IDF; a term no passage holds counts as the rarest (as ``Lexicon.idf``)."""
        found = self.lexicon.postings.idf_of(self.frequency(term))
        return self.lexicon.max_idf if found is None else found

    def union_idf(self, alternatives) -> float:
        """How rare a concept is: the IDF of the passages holding any of its alternatives (their
        counts summed, an upper bound of the union). The rarest alternative's IDF would let one rare
        synonym (开放源码) weigh a concept most passages hold (开源) as the rarest word of the query.
        A concept no passage holds by any alternative counts as the rarest."""
        postings = self.lexicon.postings
        held = sum(self.frequency(word_term(a)) for a in alternatives)
        found = postings.idf_of(min(held, postings.size))
        return self.lexicon.max_idf if found is None else found

    def english_idf(self, word: str) -> float:
        """A Latin word the library holds mostly in English passages (``big``, ``goes``, a name an
        English article gives) is rare over a library of mostly Chinese passages only because
        English is: it weighs its IDF among the English passages, so it does not outweigh the
        words the query is about and hand the answer to the English article. A word Chinese
        passages use as much (``Linux``, ``Meta``, ``API``) keeps its IDF over the whole library
        (no bound: ``inf``)."""
        postings = self.lexicon.postings
        held = postings.row(word_term(word))
        english = self.lexicon.english_passages
        if not len(held) or not len(english):
            return math.inf
        in_english = int(np.isin(held, english, assume_unique=True).sum())
        if in_english * 2 < len(held):
            return math.inf
        size = max(len(english), len(held))
        return math.log(1 + (size - len(held) + 0.5) / (len(held) + 0.5)) * 1.5

    def concept(self, alternatives, kind: str, position: int, weight: float | None = None) -> None:
        alternatives = tuple(dict.fromkeys(a for a in alternatives if a))
        if not alternatives or alternatives in self.seen or len(self.concepts) >= MAX_CONCEPTS:
            return
        self.seen.add(alternatives)
        if weight is None:
            weight = self.union_idf(alternatives)
        sounds: dict[str, None] = {}
        sound_terms: dict[str, None] = {}
        for a in alternatives:
            if is_han(a[0]) and kind != "latin" and len(a) >= 2:  # one character: too many homophones
                readings = word_readings(a)
                sounds[sound_string(a, readings)] = None
                if all(readings):
                    sound_terms[reading_term("".join(readings))] = None
        terms = tuple(word_term(a) for a in alternatives)
        self.concepts.append(Concept(alternatives, weight, kind, tuple(sounds), terms, tuple(sound_terms), position))

    # -- names
    def add_names(self, offsets: list[int]) -> list[bool]:
        """Speakers the library knows by name, then Chinese names typed as pinyin (``Shen Xiaomo``).

        A pinyin name wins over a known speaker found in only part of it: in ``Peng Zimo`` the
        ``Peng`` of another speaker's English name is a surname, not that speaker."""
        taken = [False] * len(self.analysis.folded)
        runs = self._pinyin_name_runs()
        for hit in self.lexicon.vocabulary.names_in(self.analysis.folded, offsets, self.analysis.units):
            if any(start <= hit.start and hit.end <= end and (start, end) != (hit.start, hit.end)
                   for start, end, _syllables in runs):
                continue
            taken[hit.start:hit.end] = [True] * (hit.end - hit.start)
            self.concept(hit.spellings, "name", hit.start, weight=self.lexicon.max_idf)
            for spelling in hit.spellings:
                self.add_text_terms(spelling, 1.5)
                self.expansions.append(spelling)
        for start, end, syllables in runs:
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                self._pinyin_name(syllables, start)
        return taken

    # -- Chinese
    def add_han_words(self, taken: list[bool]) -> None:
        analysis = self.analysis
        for word, start in analysis.words:
            if not has_han(word) or any(taken[start:start + len(word)]):
                continue
            if len(word) == 1 and len(analysis.words) > 1 and self.idf(word_term(word)) < COMMON_IDF:
                continue  # 的, 是, 在: in a third of all passages, they tell nothing apart and cost time
            self.concept((word,), "han", start)
        for word in analysis.search_words:
            if word and is_han(word[0]):
                self.add_term(word_term(word), W_WORD)
        units = analysis.units
        for a, b in zip(units, units[1:]):
            self.add_term(bigram_term(a, b), W_BIGRAM)
        han_units = [u for u in units if u.han]
        readings = analysis.readings
        for a, b in zip(han_units, han_units[1:]):
            ra, rb = readings[a.start], readings[b.start]
            if ra and rb and not self.frequency(bigram_term(a, b)):
                # a pair of characters the library never has: likely a typo, try it by sound
                self.add_term(sound_term(ra, rb), W_SOUND)
