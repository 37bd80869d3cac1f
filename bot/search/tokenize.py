"""Cutting folded text into the pieces the index stores: units, words, bigrams and readings.

Folded text has no spaces or punctuation, so word borders between Latin words (``jim zemlin``
folds to ``jimzemlin``) are recovered from the offsets: where folding dropped something
between two characters, there is a *gap*. Units are single Han characters and gap-free runs
of other letters/digits (``linux``, ``gpt``, ``4``). Chinese words come from a private
``Segmenter`` that carries the domain vocabulary as its user dictionary.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Iterable, NamedTuple

from bot.chars import HAN_CLASS, has_han, is_han
from bot.search import terms
from bot.search.pinyin import word_readings


class Segmenter:
    """Chinese word segmentation with the library's domain words, the same at indexing and querying.

    rjieba (jieba-rs, jieba's algorithm and dictionary in Rust) with HMM off: on the 100x
    synthetic library its cut agrees with jieba's on 99.8 % of Han runs (the rest are a few
    dictionary entries such as 多少钱 that jieba's Python dictionary has and rjieba's lacks), its
    word checks agree on every sub-word tried, and it cuts ~10x faster and loads in a fraction of
    jieba's ~1 s. Agreement matters less than consistency: index and queries both cut with this
    class, so a word is always cut the same way on both sides. jieba itself stays where its
    part-of-speech tags are needed (attribution).

    Each instance has its own dictionary: two libraries never see each other's words. It also
    remembers, per distinct word it has cut, the word's readings and the dictionary words inside
    it (``word_facts``): a library of any size uses a vocabulary of some tens of thousands of
    words hundreds of thousands of times, so these are worked out once per word, not per use.
    """

    FACTS_KEPT = 1 << 18  # words remembered at most (a long-running server meets new query words)

    def __init__(self, words: Iterable[str] = ()):
        self._jieba = rjieba_class()()
        self.words = tuple(w for w in words if w and has_han(w))
        for word in self.words:
            self._jieba.add_word(word, None, None)
        self._facts: dict[str, tuple[tuple[str | None, ...], tuple[str, ...], str | None]] = {}

    def cut(self, text: str) -> list[str]:
        return self._jieba.cut(text, False)

    def is_word(self, text: str) -> bool:
        return self._jieba.has_word(text)

    def word_facts(self, word: str) -> tuple[tuple[str | None, ...], tuple[str, ...], str | None]:
        """(one toneless reading per character of ``word``, its dictionary words of two and three
        characters as ``parts_of`` gives them, its whole reading when every character has one and it
        is a Han word), worked out once per distinct word."""
        facts = self._facts.get(word)
        if facts is None:
            if len(self._facts) >= self.FACTS_KEPT:
                self._facts.clear()
            readings = tuple(word_readings(word))
            whole = "".join(readings) if word and is_han(word[0]) and all(readings) else None
            facts = self._facts[word] = (readings, tuple(parts_of(word, self.is_word)), whole)
        return facts

    def __reduce__(self):  # pickled as its word list; the Rust dictionary is rebuilt
        return (Segmenter, (self.words,))


@lru_cache(maxsize=1)
def rjieba_class():
    """rjieba's ``Jieba`` class, loaded from its compiled module without running the package's
    ``__init__``, which builds a default dictionary at import (~30 MB and ~0.3 s per process)
    that the bot never uses: every Segmenter has a dictionary of its own. Falls back to the
    ordinary import if the package's layout ever changes."""
    import importlib.machinery
    import importlib.util
    import sys
    from pathlib import Path

    loaded = sys.modules.get("rjieba")
    if loaded is not None:
        return loaded.Jieba
    try:
        spec = importlib.util.find_spec("rjieba")
        [binary] = Path(spec.origin).parent.glob("rjieba*.so")
        loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", str(binary))
        module = importlib.util.module_from_spec(importlib.util.spec_from_file_location("rjieba.rjieba", binary, loader=loader))
        loader.exec_module(module)
        return module.Jieba
    except (ImportError, ValueError, AttributeError, TypeError):
        import rjieba

        return rjieba.Jieba


def make_tokenizer(words: Iterable[str]) -> Segmenter:
    """A segmenter with ``words`` (already folded) in its user dictionary, one per word list in a
    process: its dictionary is rjieba's whole default one (~30 MB, ~0.15 s to load) plus the words,
    so the search processes of ``bot serve`` take the one their forkserver made
    (``bot.search.cache.warm``) instead of each loading its own. Only libraries with the very same
    words share one, and its cut never changes once it is made."""
    return _segmenter(tuple(words))


@lru_cache(maxsize=2)
def _segmenter(words: tuple[str, ...]) -> Segmenter:
    return Segmenter(words)


class Unit(NamedTuple):
    """One Han character or one gap-free run of other letters/digits, at ``start`` in folded text."""

    text: str
    start: int
    han: bool


@dataclass(frozen=True)
class Analysis:
    """Everything the index and the ranker need to know about one folded text."""

    folded: str
    units: tuple[Unit, ...]
    words: tuple[tuple[str, int], ...]  # (word, folded start): jieba words (default mode) and Latin words
    search_words: tuple[str, ...]  # jieba's search mode adds the shorter words inside long ones
    readings: tuple[str | None, ...]  # toneless reading per folded character (None for non-Han)
    han_readings: tuple[tuple[str, str], ...] = ()  # (whole reading, word) of each Han word that has one, in order


def bigram_term(a: Unit, b: Unit) -> str:
    """The index term for two neighbouring units (see ``bot.search.terms``)."""
    return terms.bigram_term(a.text, b.text, han=a.han and b.han)


_PIECES = re.compile(f"[{HAN_CLASS}]+|[^{HAN_CLASS}]+")


def gaps(offsets: list[int]) -> list[int]:
    """Folded positions i such that folding dropped something (space, punctuation) between i and i+1."""
    return [i for i in range(len(offsets) - 1) if offsets[i + 1] - offsets[i] > 1]


def _split_at_gaps(start: int, end: int, gap_list: list[int]) -> list[tuple[int, int]]:
    pieces = []
    i = bisect.bisect_left(gap_list, start)
    while i < len(gap_list) and gap_list[i] < end - 1:
        pieces.append((start, gap_list[i] + 1))
        start = gap_list[i] + 1
        i += 1
    pieces.append((start, end))
    return pieces


def units_of(folded: str, offsets: list[int], gap_list: list[int] | None = None) -> list[Unit]:
    if gap_list is None:
        gap_list = gaps(offsets)
    units: list[Unit] = []
    for m in _PIECES.finditer(folded):
        start, end = m.span()
        if is_han(folded[start]):
            units.extend(Unit(ch, start + k, True) for k, ch in enumerate(m.group()))
        else:
            units.extend(Unit(folded[s:e], s, False) for s, e in _split_at_gaps(start, end, gap_list))
    return units


def han_runs(folded: str, offsets: list[int], gap_list: list[int] | None = None) -> list[tuple[int, int]]:
    """Gap-free runs of Han characters: the stretches jieba cuts (it never sees across a comma)."""
    if gap_list is None:
        gap_list = gaps(offsets)
    runs = []
    for m in _PIECES.finditer(folded):
        if is_han(folded[m.start()]):
            runs.extend(_split_at_gaps(m.start(), m.end(), gap_list))
    return runs


def parts_of(word: str, is_word) -> list[str]:
    """The dictionary words of two and three characters inside a longer word (jieba's search mode)."""
    parts = []
    for size in (2, 3):
        if len(word) > size:
            for i in range(len(word) - size + 1):
                gram = word[i:i + size]
                if is_word(gram):
                    parts.append(gram)
    return parts


def analyse(folded: str, offsets: list[int], tokenizer: Segmenter) -> Analysis:
    gap_list = gaps(offsets)
    units = units_of(folded, offsets, gap_list)
    words: list[tuple[str, int]] = [(u.text, u.start) for u in units if not u.han]
    search_words: list[str] = [u.text for u in units if not u.han]
    readings: list[str | None] = [None] * len(folded)
    han_readings: list[tuple[str, str]] = []
    for start, end in han_runs(folded, offsets, gap_list):
        position = start
        for word in tokenizer.cut(folded[start:end]):
            words.append((word, position))
            word_reading, parts, whole = tokenizer.word_facts(word)
            readings[position:position + len(word)] = word_reading
            if whole is not None:
                han_readings.append((whole, word))
            position += len(word)
            search_words.extend(parts)
            search_words.append(word)
    words.sort(key=lambda w: w[1])
    return Analysis(folded, tuple(units), tuple(words), tuple(search_words), tuple(readings), tuple(han_readings))
