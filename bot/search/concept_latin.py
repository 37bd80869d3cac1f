"""Reading Latin words: figures, English phrases of the glossary and CC-CEDICT, words the library
holds, typos of them, and what is left as pinyin (``PinyinReading``).

A mixin of ``concepts.Builder``: it adds concepts and terms through the builder's own methods."""

from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.search.concept_types import W_LATIN
from bot.search.english import (STOP_WORDS, PhraseSource, chinese_numeral, clock_mark, find_phrases, read_number,
                                split_clock, translate_word)
from bot.search.sound import syllables_sound
from bot.search.terms import word_term
from bot.search.tokenize import Unit
from bot.search.vocabulary import MAX_PHRASE_WORDS

MIN_FUZZY_LENGTH = 5  # shorter Latin words are too easy to "correct" into something else
INFLECTED = ("ing", "ed")  # an English word's own ending (hanging, doubled): not a typo of a name
LONG_WORD = 7  # a typo in a word this long may be two edits (a transposition counts as one); shorter, one
NUMBER_WEIGHT = 0.6  # of the rarest word's weight, at most: a figure helps, but 三 is in many passages


class LatinReading:
    """Latin words of a query, for ``concepts.Builder``."""

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
