"""Reading typed pinyin: a Chinese name typed in pinyin beside other words (``Shen Xiaomo``), and
a run of syllables read as the library's words that sound so, else as pairs matched by sound.

A mixin of ``concepts.Builder``: it adds concepts and terms through the builder's own methods."""

from __future__ import annotations

from bot.search.concept_types import MAX_CONCEPTS, W_PINYIN, Concept
from bot.search.english import STOP_WORDS, translate_word
from bot.search.pinyin import split_syllables, typed_pinyin
from bot.search.sound import syllables_sound
from bot.search.terms import reading_term, sound_term, word_term
from bot.search.tokenize import Unit

MAX_PINYIN_WORDS = 8  # syllables in one pinyin span looked up as a word


class PinyinReading:
    """Pinyin names and pinyin runs, for ``concepts.Builder``."""

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
