"""What a Han character is, defined once for every layer (corpus cleaning, attribution, search).

The range covers the CJK Unified Ideographs (basic block and extension A), the compatibility
ideographs and the supplementary planes (extensions B onwards), so rare names and old forms
count as Han wherever the bot asks.
"""

from __future__ import annotations

import functools
import re

import opencc

HAN_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
"""The Han blocks as (first, last) code points, the commonest first: the one list both forms below
are made from."""

HAN_CLASS = "".join(f"{chr(first)}-{chr(last)}" for first, last in HAN_RANGES)
"""The Han ranges as the inside of a regular-expression character class: ``f"[{HAN_CLASS}]"``."""

HAN_RE = re.compile(f"[{HAN_CLASS}]")
HAN_RUN_RE = re.compile(f"[{HAN_CLASS}]+")

TO_SIMPLIFIED = "tw2sp"
"""The OpenCC conversion every matching form folds Traditional to Simplified with (search's
``normalise.fold``, the stance reader's ``Lexicon.fold``): ``tw2sp`` also turns Taiwanese words
into the mainland's (軟體 -> 软件, 網路 -> 网络, 伺服器 -> 服务器), which plain ``t2s`` leaves as
软体, 网路, 伺服器, so a word written once in Simplified meets both."""

SCRIPT_CONVERSIONS = ("s2t", "s2tw", "s2hk", "t2s")
"""The OpenCC conversions a listed word is also spelled by (Traditional, Taiwan, Hong Kong,
Simplified), so a word list written once in either script matches both: attribution's lexicon,
the header labels and the command words all use this one tuple."""


def is_han(ch: str) -> bool:
    """True for one CJK ideograph (any block of ``HAN_RANGES``); compares code points, which is
    quicker than a regular expression for the per-character loops that call it."""
    code = ord(ch)
    for first, last in HAN_RANGES:
        if first <= code <= last:
            return True
    return False


def has_han(text: str) -> bool:
    """True when the text holds at least one Han character."""
    return HAN_RE.search(text) is not None


@functools.lru_cache(maxsize=None)
def converter(conversion: str) -> opencc.OpenCC:
    """The process's one OpenCC converter for ``conversion`` (``tw2sp``, ``s2t``…).

    A converter holds its C++ dictionaries (several MB each) and is stateless once built, so every
    layer asks here instead of building its own: search's folding, the lexicons' spellings, the
    command words. Built before `bot serve`'s search processes fork (bot/search/preload.py), the
    pages are shared by all of them instead of copied into each."""
    return opencc.OpenCC(conversion)


def script_spellings(word: str) -> set[str]:
    """The word as written and as each of SCRIPT_CONVERSIONS spells it: how a listed word written
    once in either script comes to match both."""
    return {word, *(converter(c).convert(word) for c in SCRIPT_CONVERSIONS)}

