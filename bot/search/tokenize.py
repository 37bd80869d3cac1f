"""Cutting folded text into the pieces the index stores: units, words, bigrams and readings.

Folded text has no spaces or punctuation, so word borders between Latin words (``jim zemlin``
folds to ``jimzemlin``) are recovered from the offsets: where folding dropped something
between two characters, there is a *gap*. Units are single Han characters and gap-free runs
of other letters/digits (``linux``, ``gpt``, ``4``). Chinese words come from a private
``jieba.Tokenizer`` that carries the domain vocabulary as its user dictionary.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple

import jieba

from bot.chars import HAN_CLASS, is_han
from bot.search import terms
from bot.search.pinyin import word_readings


@lru_cache(maxsize=1)
def _base_dictionary() -> tuple[dict[str, int], int]:
    """jieba's default dictionary, loaded once per process (about a second) and never changed.

    Every Segmenter copies it before adding its own words, so two libraries (or tests) with
    different vocabularies never see each other's words.
    """
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer.FREQ, tokenizer.total


def make_tokenizer(words: Iterable[str]) -> jieba.Tokenizer:
    """A jieba tokenizer of its own, with ``words`` (already folded) in its user dictionary."""
    freq, total = _base_dictionary()
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ = dict(freq)
    tokenizer.total = total
    tokenizer.initialized = True
    for word in words:
        if word and any(is_han(ch) for ch in word):
            tokenizer.add_word(word)
    return tokenizer


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


def parts_of(word: str, freq: dict[str, int]) -> list[str]:
    """The dictionary words of two and three characters inside a longer word (jieba's search mode)."""
    parts = []
    for size in (2, 3):
        if len(word) > size:
            for i in range(len(word) - size + 1):
                gram = word[i:i + size]
                if freq.get(gram):
                    parts.append(gram)
    return parts


def analyse(folded: str, offsets: list[int], tokenizer: jieba.Tokenizer) -> Analysis:
    gap_list = gaps(offsets)
    units = units_of(folded, offsets, gap_list)
    words: list[tuple[str, int]] = [(u.text, u.start) for u in units if not u.han]
    search_words: list[str] = [u.text for u in units if not u.han]
    readings: list[str | None] = [None] * len(folded)
    for start, end in han_runs(folded, offsets, gap_list):
        position = start
        for word in tokenizer.cut(folded[start:end], HMM=False):
            words.append((word, position))
            for k, reading in enumerate(word_readings(word)):
                readings[position + k] = reading
            position += len(word)
            search_words.extend(parts_of(word, tokenizer.FREQ))
            search_words.append(word)
    words.sort(key=lambda w: w[1])
    return Analysis(folded, tuple(units), tuple(words), tuple(search_words), tuple(readings))
