"""One matching form for every text, the original kept for display.

Passages and queries are compared in a *folded* form: NFKC (full-width letters and digits
become ASCII), case-folded, Traditional -> Simplified with OpenCC ``tw2sp`` (which also turns
Taiwanese vocabulary such as 軟體/網路/資訊 into 软件/网络/信息, unlike plain ``t2s``), with
everything that is not a letter or a digit dropped (punctuation, spaces, symbols, emoji,
control characters). A query in either script therefore meets a passage in either, and
punctuation or spacing differences never stop a match. ``fold_with_offsets`` keeps, for every
folded character, where it came from, so matches found in folded space can be highlighted in
the original text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bot.chars import HAN_RE, HAN_RUN_RE, TO_SIMPLIFIED, converter

SCRIPTS = ("simplified", "traditional", "original")


_KEPT_RUN = re.compile(r"[^\W_]+")
"""Runs of letters and digits (Unicode categories L and N, exactly ``str.isalnum``: checked over
every code point): they carry meaning; everything else (punctuation, spaces, emoji, controls)
is dropped. One C-level scan per text instead of a Python call per character."""


def _width(text: str) -> tuple[str, list[int]]:
    """NFKC character by character (full-width Ａ -> A, ㈱ -> (株)), so each output character knows its source."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text, list(range(len(text)))
    # Decided once per distinct character: a passage's full-width punctuation (，。：) makes it
    # "not normalised", and a call per character costs more than the rest of the fold.
    changed = {}
    for ch in set(text):
        if not ch.isascii():
            piece = _nfkc_char(ch)
            if piece is not ch:
                changed[ch] = piece
    if all(len(piece) == 1 for piece in changed.values()):
        return text.translate({ord(ch): piece for ch, piece in changed.items()}), list(range(len(text)))
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        piece = changed.get(ch, ch)
        chars.append(piece)
        offsets.extend([i] * len(piece))
    return "".join(chars), offsets


@lru_cache(maxsize=65536)
def _nfkc_char(ch: str) -> str:
    """NFKC of one character, ``ch`` itself (the same object) when it does not change: a shown hit's
    passage is folded again for its highlight offsets, and most of its distinct characters were
    seen by an earlier one (a pure function of one code point; the cache is bounded)."""
    piece = unicodedata.normalize("NFKC", ch)
    return ch if piece == ch else piece


def _case(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Case folding last, as OpenCC may bring capitals back (隨身碟 -> U盘)."""
    folded = text.casefold()
    if len(folded) == len(text):
        return folded, offsets
    chars: list[str] = []
    new_offsets: list[int] = []
    for ch, off in zip(text, offsets):
        piece = ch.casefold()
        chars.append(piece)
        new_offsets.extend([off] * len(piece))
    return "".join(chars), new_offsets


def _to_simplified(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """tw2sp over the whole text; where a phrase conversion changes length (隨身碟 -> U盘), map proportionally."""
    convert = converter(TO_SIMPLIFIED).convert
    out = convert(text)
    if len(out) == len(text):
        return out, offsets
    chars: list[str] = []
    new_offsets: list[int] = []
    start = 0
    for end in _chunk_ends(text):
        chunk = text[start:end]
        converted = convert(chunk) if chunk else chunk
        n_in, n_out = len(chunk), len(converted)
        for j, ch in enumerate(converted):
            chars.append(ch)
            new_offsets.append(offsets[start + min(j * n_in // max(n_out, 1), n_in - 1)])
        start = end
    return "".join(chars), new_offsets


def _chunk_ends(text: str) -> list[int]:
    """Ends of runs of Han / non-Han characters: conversion phrases never cross such a border."""
    ends = []
    for run in HAN_RUN_RE.finditer(text):
        start, end = run.span()
        if start > 0:
            ends.append(start)
        if end < len(text):
            ends.append(end)
    ends.append(len(text))
    return ends


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """The matching form of ``text`` and, for each of its characters, the offset in ``text`` it came from."""
    if not text:
        return "", []
    wide, offsets = _width(text)
    simple, offsets = _to_simplified(wide, offsets)
    lower, offsets = _case(simple, offsets)
    chars = []
    kept: list[int] = []
    for run in _KEPT_RUN.finditer(lower):
        start, end = run.span()
        chars.append(run.group())
        kept.extend(offsets[start:end])
    return "".join(chars), kept


def fold_with_offsets_as(text: str, folded: str) -> tuple[str, list[int]]:
    """``fold_with_offsets(text)``, given what is likely ``fold(text)`` (as the index saved it): mostly
    without the script conversion, the costly step (~30 µs a call, ~0.1 ms for a long passage).

    Traditional -> Simplified only ever swaps a Han character for another in place, or (a phrase
    such as 隨身碟 -> U盘) changes the length of a run of Han characters. So the text folded
    without it gives the same offsets exactly when it is as long as ``folded`` and differs from
    it only at Han characters; otherwise (or if ``folded`` is not this text's) the full fold is made.
    """
    wide, offsets = _width(text)
    lower, offsets = _case(wide, offsets)
    chars: list[str] = []
    kept: list[int] = []
    for run in _KEPT_RUN.finditer(lower):
        start, end = run.span()
        chars.append(run.group())
        kept.extend(offsets[start:end])
    unconverted = "".join(chars)
    if unconverted == folded or (len(unconverted) == len(folded)
                                 and HAN_RE.sub("\0", unconverted) == HAN_RE.sub("\0", folded)):
        return folded, kept
    return fold_with_offsets(text)


def fold(text: str) -> str:
    """The matching form of ``text`` (see the module docstring)."""
    return fold_with_offsets(text)[0]


def to_script(text: str, script: str) -> str:
    """``text`` for display in ``script``, always the same length as ``text``.

    Same length matters: highlights are offsets into the original passage and must still fit
    the displayed text. Whole-text conversion is used when it keeps the length; otherwise each
    run of Han characters is converted on its own and kept only where it keeps its length.
    """
    if script not in ("simplified", "traditional") or not text:
        return text
    convert = converter("t2s" if script == "simplified" else "s2t").convert
    out = convert(text)
    if len(out) == len(text):
        return out
    pieces = []
    start = 0
    for end in _chunk_ends(text):
        chunk = text[start:end]
        converted = convert(chunk)
        pieces.append(converted if len(converted) == len(chunk) else chunk)
        start = end
    return "".join(pieces)


def detect_script(text: str) -> str | None:
    """Which script the Han characters of ``text`` are written in; None if it has none or cannot tell.

    A character that Traditional->Simplified changes is evidence of Traditional, one that
    Simplified->Traditional changes is evidence of Simplified; characters common to both
    scripts (人工智能) say nothing.
    """
    han = "".join(HAN_RUN_RE.findall(text[:5000]))
    if not han:
        return None
    trad = _changed(han, "t2s")
    simp = _changed(han, "s2t")
    if trad > simp:
        return "traditional"
    if simp > trad:
        return "simplified"
    return None


def _changed(han: str, config: str) -> int:
    """How many characters of ``han`` the conversion changes."""
    convert = converter(config).convert
    after = convert(han)
    if len(after) != len(han):
        return sum(1 for ch in han if convert(ch) != ch)
    return sum(1 for a, b in zip(han, after) if a != b)
