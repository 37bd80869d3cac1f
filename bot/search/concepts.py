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
from dataclasses import dataclass

import numpy as np

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.chars import has_han, is_han
from bot.search.english import (ENGLISH_MARKERS, STOP_WORDS, PhraseSource, chinese_numeral, clock_mark, find_phrases, read_number,
                                split_clock, translate_word)
from bot.search.pinyin import split_syllables, typed_pinyin, word_readings
from bot.search.postings import Postings
from bot.search.sound import sound_string, syllables_sound
from bot.search.terms import reading_term, sound_term, word_term
from bot.search.terms import bigram_term as text_bigram
from bot.search.tokenize import Analysis, Segmenter, Unit, bigram_term
from bot.search.vocabulary import MAX_PHRASE_WORDS, Vocabulary

MAX_PINYIN_WORDS = 8  # syllables in one pinyin span looked up as a word
MAX_CONCEPTS = 64  # a pasted paragraph has more words than any quotation needs to be found
COMMON_IDF = 1.3  # a one-character word this common (in ~30% of passages) is not worth a concept
MIN_FUZZY_LENGTH = 5  # shorter Latin words are too easy to "correct" into something else
INFLECTED = ("ing", "ed")  # an English word's own ending (hanging, doubled): not a typo of a name
LONG_WORD = 7  # a typo in a word this long may be two edits (a transposition counts as one); shorter, one

# BM25 weights per term kind: Latin words are rare in Chinese text and say a lot.
W_WORD, W_LATIN, W_BIGRAM, W_SOUND, W_PINYIN = 1.0, 1.5, 0.6, 0.25, 1.2
NUMBER_WEIGHT = 0.6  # of the rarest word's weight, at most: a figure helps, but 三 is in many passages



@dataclass(frozen=True)
class Concept:
    alternatives: tuple[str, ...]  # folded; any one present satisfies the concept
    weight: float
    kind: str  # "han" | "latin" | "name" | "glossary" | "dictionary" | "pinyin" | "number"
    sounds: tuple[str, ...] = ()  # sound strings of Han alternatives, for homophone typos
    terms: tuple[str, ...] = ()  # index terms whose postings say "holds the concept" (w:...)
    sound_terms: tuple[str, ...] = ()  # index terms whose postings say "holds it by sound" (p:...)
    position: int = 0  # where it was typed in the query: concepts are kept in typing order



@dataclass(frozen=True)
class Lexicon:
    """What the index knows that planning needs: its vocabularies and term statistics."""

    vocabulary: Vocabulary
    tokenizer: Segmenter
    latin_words: frozenset[str]
    latin_list: tuple[str, ...]
    pinyin_words: dict[str, tuple[str, ...]]  # concatenated toneless reading -> words of the library
    postings: Postings  # the index's postings: how many passages hold a term, if any

    @property
    def max_idf(self) -> float:
        return self.postings.max_idf

    def idf(self, term: str) -> float:
        """The term's IDF; a term no passage holds counts as the rarest."""
        found = self.postings.idf(term)
        return self.max_idf if found is None else found



class Builder:
    """Accumulates concepts and terms; one per plan() call, never shared."""

    def __init__(self, lexicon: Lexicon, analysis: Analysis):
        self.lexicon = lexicon
        self.analysis = analysis
        self.concepts: list[Concept] = []
        self.terms: dict[str, float] = {}
        self.expansions: list[str] = []
        self.sound = ""
        self.pinyin_only = False
        self.seen: set[tuple[str, ...]] = set()
        self.english_passages: np.ndarray | None = None  # passages written in English (``english_idf``)
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
        if self.english_passages is None:  # once per query: a query may hold several such words
            self.english_passages = postings.holders([word_term(w) for w in ENGLISH_MARKERS])
        english = self.english_passages
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

    def _pinyin_name_runs(self) -> list[tuple[int, int, list[str]]]:
        """Runs of 2-3 Latin words typed apart that read as a Chinese name in pinyin: a surname of
        one syllable first or last (``Shen Xiaomo``, ``Xiaomo Shen``, ``Min Ruo Hua``), 2-4
        syllables in all, each pair of neighbouring syllables one the library holds by sound, and
        not every word an English word (``Long Tan``... stays English when the library says so)."""
        if self.pinyin_query():
            return []  # a query all in pinyin is read as pinyin whole (``_pinyin``)
        units = self.analysis.units
        found: list[tuple[int, int, list[str]]] = []
        i = 0
        while i < len(units):
            for size in (3, 2):
                run = units[i:i + size]
                syllables = self._name_syllables(run) if len(run) == size else None
                if syllables:
                    found.append((run[0].start, run[-1].start + len(run[-1].text), syllables))
                    i += size
                    break
            else:
                i += 1
        return found

    def pinyin_query(self) -> bool:
        """No Chinese, every word reads as pinyin and at most half are English words: ``add_latin``
        reads such a query as pinyin whole. ``Zhao Qiming license`` splits into syllables too
        (li-cen-se), but ``license`` and ``Zhao`` are words of the library and the glossary, so it
        is a name beside an English word, as ``add_latin`` will read it."""
        units = self.analysis.units
        if any(u.han for u in units) or not all(
                (letters := typed_pinyin(u.text)) and split_syllables(letters) for u in units):
            return False
        return sum(1 for u in units if self._english_word(u.text)) * 2 <= len(units)

    def _english_word(self, word: str) -> bool:
        vocabulary = self.lexicon.vocabulary
        return (word in self.lexicon.latin_words or bool(translate_word(word, vocabulary.concepts_for))
                or bool(translate_word(word, vocabulary.dictionary_for)))

    def _name_syllables(self, run) -> list[str] | None:
        if any(u.han or u.text in STOP_WORDS or not u.text.isalpha() for u in run):
            return None
        split = []
        for u in run:
            letters = typed_pinyin(u.text)
            parts = split_syllables(letters) if letters else None
            if not parts or len(parts) > 2:
                return None
            split.append(parts)
        syllables = [s for parts in split for s in parts]
        if not 2 <= len(syllables) <= 4 or (len(split[0]) != 1 and len(split[-1]) != 1):
            return None
        if all(self._english_word(u.text) for u in run):
            return None
        if not all(self.frequency(sound_term(a, b)) for a, b in zip(syllables, syllables[1:])):
            return None
        return syllables

    def _pinyin_name(self, syllables: list[str], position: int) -> None:
        """A name typed in pinyin, found by sound (the segmenter seldom keeps a new name whole), as
        heavy as a known speaker's name: beside a topic word, it is what the user remembers."""
        key = "".join(syllables)
        words = tuple(w for w in self.lexicon.pinyin_words.get(key, ()) if len(w) == len(syllables))
        pairs = tuple(sound_term(a, b) for a, b in zip(syllables, syllables[1:]))
        if len(self.concepts) < MAX_CONCEPTS:
            self.concepts.append(Concept(words or (key,), self.lexicon.max_idf, "pinyin",
                                         (syllables_sound(syllables),), tuple(word_term(w) for w in words),
                                         pairs, position))
        for term in pairs:
            self.add_term(term, W_PINYIN)
        if words:
            self.add_term(reading_term(key), W_PINYIN * len(syllables))
            self.expansions.extend(words[:3])

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

    # -- Latin
    def add_latin(self, taken: list[bool]) -> None:
        words = [u for u in self.analysis.units if not u.han and not any(taken[u.start:u.start + len(u.text)])]
        if not words:
            return
        lexicon = self.lexicon
        used = [False] * len(words)
        vocabulary = lexicon.vocabulary
        glossary = PhraseSource("glossary", vocabulary.concepts_for)
        before = (len(self.concepts), dict(self.terms), len(self.expansions))
        self._numbers(words, used)
        self._phrases(words, used, (glossary, PhraseSource("dictionary", vocabulary.dictionary_for, min_words=2)))
        known = sum(1 for w, u in zip(words, used) if u or w.text in lexicon.latin_words)
        no_han = not any(u.han for u in self.analysis.units)
        if no_han and known * 2 <= len(words):
            syllables, positions = self._syllables(words)
            if len(syllables) >= 2:
                # read as pinyin whole: the English read into a syllable (yuan -> 元) goes
                self._undo(*before)
                self.pinyin_only = True
                self.sound = syllables_sound(syllables)
                self._pinyin(syllables, positions)
                return
        only_stop_words = all(w.text in STOP_WORDS for w in words)
        for k, word in enumerate(words):
            if not used[k] and word.text in STOP_WORDS and not only_stop_words:
                used[k] = True
            elif not used[k] and word.text in lexicon.latin_words:
                used[k] = self._latin_word(word.text, word.start)
        self._phrases(words, used, (PhraseSource("dictionary", vocabulary.dictionary_for),))
        pending: list[Unit] = []
        for word, is_used in zip(words, used):
            if is_used:
                continue
            if self._latin_word(word.text, word.start):
                self._flush_pinyin(pending)
                pending = []
            else:
                pending.append(word)
        self._flush_pinyin(pending)

    def _phrases(self, words: list[Unit], used: list[bool], sources: tuple[PhraseSource, ...]) -> None:
        """English phrases (longest first, see ``english.find_phrases``): one concept each, Chinese or English."""
        for match in find_phrases([w.text for w in words], used, sources, MAX_PHRASE_WORDS):
            chinese, span = match.translations, words[match.start:match.start + match.size]
            english = "".join(w.text for w in span)
            self.concept((*chinese, english), match.kind, span[0].start, weight=self._glossary_weight(chinese))
            for term in chinese:
                self.add_text_terms(term, 1.0 / max(1, len(chinese)) ** 0.5)
                self.expansions.append(term)
            for latin in {w.text for w in span} | {english}:  # "hugging face" is also written "HuggingFace"
                if latin in self.lexicon.latin_words:
                    self.add_term(word_term(latin), W_LATIN)

    def _undo(self, concepts: int, terms: dict[str, float], expansions: int) -> None:
        """Forget the concepts, terms and expansions added since the counts given."""
        del self.concepts[concepts:]
        del self.expansions[expansions:]
        self.terms = terms
        self.seen = {c.alternatives for c in self.concepts}

    def _numbers(self, words: list[Unit], used: list[bool]) -> None:
        """Figures typed in English or digits (``forty-eight thousand``, ``100k``, ``300``): one
        concept each, held by the Chinese numeral (四万八千), the digits or the English as typed.
        A lone ``one`` is left alone: it is a pronoun as often as a figure."""
        texts = [w.text for w in words]
        k = 0
        while k < len(words):
            clock = split_clock(texts[k])
            found = None if used[k] else (int(clock[0]), 1) if clock else read_number(texts, k)
            if found is None or any(used[k:k + found[1]]) or (found[1] == 1 and texts[k] == "one"):
                k += 1
                continue
            value, size = found
            chinese = chinese_numeral(value)
            hour: tuple[str, ...] = ()
            mark = 0 if clock else clock_mark(texts, k + size)
            if clock or mark:  # 3 a.m. is 三点 (凌晨三点, 半夜三点): the hour, then the figure alone
                hour = (chinese + "点", f"{value}点")
            alternatives = (*hour, chinese, *(("两",) if value == 2 else ()), str(value), "".join(texts[k:k + size]))
            size += mark
            weight = min(self._glossary_weight((chinese,)), self.lexicon.max_idf * NUMBER_WEIGHT)
            self.concept(alternatives, "number", words[k].start, weight=weight)
            if len(chinese) > 1:
                self.add_text_terms(chinese, 0.5)
            self.add_term(word_term(str(value)), W_LATIN * 0.5)
            used[k:k + size] = [True] * size
            k += size

    def _glossary_weight(self, chinese: tuple[str, ...]) -> float:
        return self.union_idf(chinese)

    def _latin_word(self, word: str, position: int) -> bool:
        """Handle one Latin word as a library word, a typo of one, or a dictionary word."""
        lexicon = self.lexicon
        if word in lexicon.latin_words:
            # an English word the library holds may also stand for its Chinese translation (moat / 护城河)
            translations = translate_word(word, lexicon.vocabulary.dictionary_for) if len(word) >= 3 else ()
            # An everyday word (it has a Chinese translation) weighs what its translation weighs, as a
            # glossary word does: its IDF over a library of mostly Chinese passages only says how few
            # passages are English, and would make `keep` or `start` outweigh the query's real words.
            weight = self.idf(word_term(word)) * 1.5
            if translations:
                weight = min(weight, self._glossary_weight(translations))
            else:
                weight = min(weight, self.english_idf(word))
            self.concept((word, *translations), "latin", position, weight=weight)
            self.add_term(word_term(word), W_LATIN)
            for term in translations:
                self.add_text_terms(term, 0.5 / max(1, len(translations)) ** 0.5)
            return True
        if word in STOP_WORDS:
            return True
        if len(word) >= MIN_FUZZY_LENGTH and lexicon.latin_list and not word.endswith(INFLECTED):
            edits = 2 if len(word) >= LONG_WORD else 1  # "treat" is not a typo of "react": two edits
            found = process.extractOne(word, lexicon.latin_list, scorer=OSA.distance, score_cutoff=edits)
            if found and found[0][0] == word[0]:  # a typist gets the first letter right: eight is not fight
                corrected = found[0]
                self.concept((corrected,), "latin", position, weight=self.idf(word_term(corrected)) * 1.5)
                self.add_term(word_term(corrected), W_LATIN)
                self.expansions.append(corrected)
                return True
        if word.isdigit():
            self.concept((word,), "latin", position, weight=1.0)
            return True
        return False

    def _syllables(self, words: list[Unit]) -> tuple[list[str], list[int]]:
        """The words as pinyin syllables, with the query position of each; ([], []) if they are not pinyin."""
        syllables: list[str] = []
        positions: list[int] = []
        for w in words:
            letters = typed_pinyin(w.text)
            split = split_syllables(letters) if letters else None
            if split is None:
                return [], []
            syllables.extend(split)
            positions.extend([w.start] * len(split))
        return syllables, positions

    def _flush_pinyin(self, pending: list[Unit]) -> None:
        """Unknown Latin words: pinyin if they read as syllables, else a concept nothing will hold."""
        if not pending:
            return
        syllables, positions = self._syllables(pending)
        if len(syllables) >= 2:
            self._pinyin(syllables, positions)
            return
        for w in pending:
            self.concept((w.text,), "latin", w.start, weight=self.lexicon.max_idf * 0.5)

    def _pinyin(self, syllables: list[str], positions: list[int]) -> None:
        """Concepts from typed pinyin: the longest runs of syllables that read as words of the library,
        else pairs of syllables matched by sound alone (part of a longer word, or a word the
        segmenter cut differently)."""
        for a, b in zip(syllables, syllables[1:]):
            self.add_term(sound_term(a, b), 1.0)
        pinyin_words = self.lexicon.pinyin_words
        i = 0
        while i < len(syllables):
            for j in range(min(len(syllables), i + MAX_PINYIN_WORDS), i + 1, -1):
                key = "".join(syllables[i:j])
                words = pinyin_words.get(key)
                if words:
                    self._sound_concept(syllables[i:j], words[:40], positions[i], (reading_term(key),))
                    self.add_term(reading_term(key), W_PINYIN * (j - i) / 2)
                    self.expansions.extend(words[:3])
                    i = j
                    break
            else:
                pair = syllables[i:i + 2]
                self._sound_concept(pair, (), positions[i], (sound_term(*pair),) if len(pair) == 2 else ())
                i += 2

    def _sound_concept(self, syllables: list[str], words, position: int, sound_terms: tuple[str, ...]) -> None:
        if len(self.concepts) >= MAX_CONCEPTS:
            return
        sound = syllables_sound(syllables)
        alternatives = tuple(words) or ("".join(syllables),)
        terms = tuple(word_term(w) for w in words)
        weight = float(len(syllables))
        self.concepts.append(Concept(alternatives, weight, "pinyin", (sound,), terms, sound_terms, position))
