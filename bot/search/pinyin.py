"""Toneless pinyin: readings of Chinese words, and splitting a typed pinyin query into syllables.

Two uses. A user may type a quotation as toneless pinyin (``kaiyuan moxing``, ``yi ming
jing ren``); and a Chinese typo is very often a homophone (美圆 for 美元), which has the same
toneless reading. Both are matched by comparing readings instead of characters.

Readings come from the bot's own table of pypinyin's readings (``bot.search.pinyin_table``:
each character's most common reading, and the phrases that read otherwise, so heteronyms read
right inside common words), loaded once per process on first use: importing pypinyin itself
costs a process ~55 MB and calling ``lazy_pinyin`` per word ~50 µs.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache

from bot.search.pinyin_table import TABLE, strip_tone

# Readings too short or too odd to be typed as a syllable on purpose: they would let almost any
# English word "segment" as pinyin (n, m, ng, hm ...).
_NOT_TYPED = {"n", "m", "ng", "hm", "hng", "ê", "r"}
MAX_SYLLABLE = 6  # zhuang, shuang, chuang


@dataclass(frozen=True)
class Readings:
    """The reading table: every toneless reading; per character, one code (1 + its reading's
    number in ``all``) in one string indexed by code point from ``first`` (~400 KB, where a dict
    of 42k characters took ~7 MB in every process); the phrases that read otherwise."""

    all: tuple[str, ...]
    first: int
    codes: str
    phrases: dict[str, tuple[str, ...]]

    def of(self, ch: str) -> str | None:
        at = ord(ch) - self.first
        code = ord(self.codes[at]) if 0 <= at < len(self.codes) else 0
        return self.all[code - 1] if code else None


@lru_cache(maxsize=1)
def readings_table() -> Readings:
    """The table file, parsed (a few ms)."""
    every: tuple[str, ...] = ()
    chars: dict[int, str] = {}
    phrases: dict[str, tuple[str, ...]] = {}
    for line in gzip.decompress(TABLE.read_bytes()).decode("utf-8").splitlines():
        tag, rest = line[:1], line[1:]
        if tag == "C":
            point, _, reading = rest.partition(" ")
            chars[int(point, 16)] = reading
        elif tag == "P":
            phrase, *parts = rest.split(" ")
            phrases[phrase] = tuple(parts)
        elif tag == "R":
            every = tuple(rest.split())
    number = {reading: n + 1 for n, reading in enumerate(every)}
    first = min(chars, default=0)
    codes = ["\0"] * (max(chars, default=-1) - first + 1)
    for point, reading in chars.items():
        codes[point - first] = chr(number[reading]) if reading else "\0"
    return Readings(every, first, "".join(codes), phrases)


@lru_cache(maxsize=None)
def syllables() -> frozenset[str]:
    """Every toneless syllable a user can type (from pypinyin's character dictionary)."""
    return frozenset(s for s in all_readings() if s.isascii() and s.isalpha() and s not in _NOT_TYPED)


def all_readings() -> tuple[str, ...]:
    """Every toneless reading in pypinyin's character dictionary, sorted (stable codes for sound strings)."""
    return readings_table().all


def char_reading(ch: str) -> str | None:
    """The most common toneless reading of one Han character, or None if it has none."""
    return readings_table().of(ch)


def word_readings(word: str) -> list[str | None]:
    """One toneless reading per character of ``word``; the phrase table settles heteronyms."""
    return list(_word_readings(word))


@lru_cache(maxsize=1 << 17)
def _word_readings(word: str) -> tuple[str | None, ...]:
    """Cached: indexing asks for the same few thousand words hundreds of thousands of times."""
    table = readings_table()
    phrase = table.phrases.get(word)
    if phrase is not None and len(phrase) == len(word):
        return phrase
    return tuple(table.of(ch) for ch in word)


_TONE_NUMBERED = re.compile(r"(?:[a-z]+[0-5]?)+")


def typed_pinyin(word: str) -> str | None:
    """Letters of a word typed as pinyin, tone marks (kāi) or tone numbers (kai1) removed; None if it can't be."""
    plain = strip_tone(word.replace("u:", "v"))
    if plain.isascii() and plain.isalpha():
        return plain
    if _TONE_NUMBERED.fullmatch(plain):
        return "".join(ch for ch in plain if ch.isalpha())
    return None


def split_syllables(letters: str) -> list[str] | None:
    """``huchenghe`` -> ``[hu, cheng, he]``; None if the letters are not a run of pinyin syllables.

    Dynamic programming for the split with the fewest syllables (``xian`` stays one syllable,
    as typists mean it far more often than xi'an); an apostrophe or a space in the query has
    already split it where the user wanted.
    """
    table = syllables()
    n = len(letters)
    if n == 0 or n > 400:
        return None
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for size in range(1, min(MAX_SYLLABLE, end) + 1):
            prev = best[end - size]
            piece = letters[end - size:end]
            if prev is not None and piece in table:
                candidate = prev + [piece]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best[n]
