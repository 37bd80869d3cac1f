"""Stage 2, cells: the text as the damage saw it, one character at a time with the bytes it may hold.

A character of a damaged run is a garbage character (two bytes: the trail of one original
character and the lead of the next), a lost one (`?`, its bytes unknown, perhaps with a pinyin
note after it) or the lone byte that ends the run. A cell lists those readings; run finding
(stage 3) chooses among them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from bot.corpus.mojibake.model import BROKEN_CLOSING_TAG, FULLWIDTH_OFFSET, PINYIN_NOTE, SYLLABLE, Byte, CharModel

LOST = "?"  # what the damage left where it could not render a garbage character
# After a lost character the note's `(` is usually gone too: the lone byte took it along (`?cè)`).
NOTE_AFTER_LOST = re.compile(rf"\(?({SYLLABLE})\)")
NOTE_BEFORE = re.compile(rf"\({SYLLABLE}\)$")
SINGLE_TRAIL_BYTES = range(0x40, 0x7F)  # ASCII bytes that can complete a two-byte character
EURO_BYTE = 0x80  # a lone 0x80 decodes as € in GBK, so € can be a run's last single byte
NOTE_ON_LOST_COST = 40.0  # a clean `?` cannot carry a pinyin note
SWALLOWED_TAG_COST = 40.0  # a clean character cannot explain the `<` missing after it

Pair = tuple[Byte, Byte]  # (lead, trail)
UNKNOWN_PAIR: Pair = (None, None)


@dataclass(frozen=True)
class Cell:
    """One character of the input, with the bytes it could have held if it is damage."""

    start: int
    end: int  # past the pinyin note that follows it, if any
    char: str
    hint: str | None  # the reading a pinyin note after it gives
    pairs: tuple[Pair, ...]  # as a garbage character
    last_bytes: tuple[Byte, ...]  # as the single byte that ends a run
    text_cost: float  # read as ordinary text

    @property
    def lost(self) -> bool:
        """A garbage character the damage could not render: its bytes are unknown."""
        return self.char == LOST


def split_cells(text: str, model: CharModel, start: int = 0, end: int | None = None) -> Iterator[list[Cell]]:
    """Yield maximal stretches of adjacent cells; spaces, newlines and the like break them."""
    end = len(text) if end is None else end
    stretch: list[Cell] = []
    index = start
    while index < end:
        tag = BROKEN_CLOSING_TAG.match(text, index)
        cell = None if tag else _cell_at(text, index, model)
        if cell is None:
            if stretch:
                yield _close_stretch(stretch, index, tag is not None)
                stretch = []
            index = tag.end() if tag else index + 1
            continue
        stretch.append(cell)
        index = cell.end
    if stretch:
        yield stretch


def _close_stretch(stretch: list[Cell], index: int, before_broken_tag: bool) -> list[Cell]:
    """Only a lone byte that swallowed the `<` explains a closing tag without one."""
    if before_broken_tag and stretch[-1].end == index:
        stretch[-1] = replace(stretch[-1], text_cost=stretch[-1].text_cost + SWALLOWED_TAG_COST)
    return stretch


def _cell_at(text: str, index: int, model: CharModel) -> Cell | None:
    char = text[index]
    pairs, last_bytes = _byte_readings(char)
    if not pairs and not last_bytes:
        return None
    note = _note_after(text, index + 1, char)
    end, hint = (note.end(), note.group(1)) if note else (index + 1, None)
    cost = NOTE_ON_LOST_COST if char == LOST and hint else model.cost_of_text_char(char)
    return Cell(index, end, char, hint, pairs, last_bytes, cost)


def _note_after(text: str, index: int, char: str) -> re.Match[str] | None:
    if char == LOST:
        return NOTE_AFTER_LOST.match(text, index)
    return None if char.isascii() else PINYIN_NOTE.match(text, index)


def _byte_readings(char: str) -> tuple[tuple[Pair, ...], tuple[Byte, ...]]:
    """The byte pairs a character may stand for as damage, and the single bytes that may end a run."""
    if char == LOST:
        return (UNKNOWN_PAIR, _fullwidth_pair(char)), (None,)
    if char.isascii():
        if not char.isprintable() or char == " ":
            return (), ()
        single = (ord(char),) if ord(char) in SINGLE_TRAIL_BYTES else ()
        return (_fullwidth_pair(char),), single
    if char == "€":
        return ((0xA2, 0xE3),), (EURO_BYTE,)
    encoded = char.encode("gb18030")
    return (((encoded[0], encoded[1]),), ()) if len(encoded) == 2 else ((), ())


def _fullwidth_pair(char: str) -> Pair:
    encoded = chr(ord(char) + FULLWIDTH_OFFSET).encode("gb18030")
    return encoded[0], encoded[1]


def byte_before(text: str, start: int) -> Byte:
    """The trail byte of the character just before `start`, which a run's first garbage byte repeats."""
    before = text[start - 1 : start]
    if not before or before == LOST or NOTE_BEFORE.search(text, max(0, start - 12), start):
        return None
    encoded = before.encode("gb18030")
    return encoded[1] if len(encoded) == 2 else None


def without_notes(text: str) -> str:
    """The text with its pinyin notes taken out, as the word model should read it."""
    return PINYIN_NOTE.sub("", text)


def swallowed_tag_at(text: str, index: int) -> bool:
    """True where a closing tag starts at `index` without its `<`: a run's lone last byte took it."""
    return BROKEN_CLOSING_TAG.match(text, index) is not None
