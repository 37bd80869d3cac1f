"""Toneless pinyin: readings of Chinese words, and splitting a typed pinyin query into syllables.

Two uses. A user may type a quotation as toneless pinyin (``kaiyuan moxing``, ``yi ming
jing ren``); and a Chinese typo is very often a homophone (美圆 for 美元), which has the same
toneless reading. Both are matched by comparing readings instead of characters.

Readings come from pypinyin's dictionaries directly (phrase dictionary first, so heteronyms
read right inside common words, else each character's most common reading): calling
``lazy_pinyin`` per word is ~50 µs, too slow to index every word of the library in under a
second.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin.phrases_dict import phrases_dict
from pypinyin.pinyin_dict import pinyin_dict

# Readings too short or too odd to be typed as a syllable on purpose: they would let almost any
# English word "segment" as pinyin (n, m, ng, hm ...).
_NOT_TYPED = {"n", "m", "ng", "hm", "hng", "ê", "r"}
MAX_SYLLABLE = 6  # zhuang, shuang, chuang


@lru_cache(maxsize=None)
def strip_tone(reading: str) -> str:
    """``lǜ`` -> ``lv``: tone marks dropped, ü written v as on a keyboard."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=None)
def syllables() -> frozenset[str]:
    """Every toneless syllable a user can type (from pypinyin's character dictionary)."""
    return frozenset(s for s in all_readings() if s.isascii() and s.isalpha() and s not in _NOT_TYPED)


@lru_cache(maxsize=1)
def all_readings() -> tuple[str, ...]:
    """Every toneless reading in pypinyin's character dictionary, sorted (stable codes for sound strings)."""
    found = set()
    for readings in set(pinyin_dict.values()):
        for reading in readings.split(","):
            found.add(strip_tone(reading.strip()))
    return tuple(sorted(found))


@lru_cache(maxsize=65536)
def char_reading(ch: str) -> str | None:
    """The most common toneless reading of one Han character, or None if it has none."""
    readings = pinyin_dict.get(ord(ch))
    if not readings:
        return None
    return strip_tone(readings.split(",")[0])


def word_readings(word: str) -> list[str | None]:
    """One toneless reading per character of ``word``; the phrase dictionary settles heteronyms."""
    return list(_word_readings(word))


@lru_cache(maxsize=1 << 17)
def _word_readings(word: str) -> tuple[str | None, ...]:
    """Cached: indexing asks for the same few thousand words hundreds of thousands of times."""
    phrase = phrases_dict.get(word)
    if phrase and len(phrase) == len(word):
        return tuple(strip_tone(r[0]) for r in phrase)
    return tuple(char_reading(ch) for ch in word)


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
