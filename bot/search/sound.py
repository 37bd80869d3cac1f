"""Sound strings: text with every Han character replaced by one code per toneless syllable.

美圆 and 美元 differ as characters but share the sound string of ``mei yuan``, so comparing sound
strings with rapidfuzz forgives homophone typos, and a typed pinyin query (``yi ming jing ren``)
becomes directly comparable with a passage. One code character per syllable keeps a sound
string exactly as long as its folded text, so positions in one are positions in the other.
"""

from __future__ import annotations

from functools import lru_cache

from bot.search.pinyin import all_readings

# The BMP Private Use Area (6,400 code points for ~430 readings). Folding drops private-use
# characters, so a code never meets a real one; and a BMP code keeps sound strings at 2 bytes a
# character in memory and 3 in a saved library's UTF-8 (an astral code took 4 and made every
# sound string 4 bytes a character).
CODE_BASE = 0xE000


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    readings = all_readings()
    if len(readings) > 0xF8FF - CODE_BASE:
        raise ValueError(f"{len(readings)} readings do not fit the Private Use Area")
    return {reading: chr(CODE_BASE + i) for i, reading in enumerate(readings)}


def code(reading: str) -> str | None:
    """The code character of a toneless syllable, None for a string that is not one."""
    return _codes().get(reading)


def sound_string(folded: str, readings: tuple[str | None, ...] | list[str | None]) -> str:
    """``folded`` with each Han character (one that has a reading) replaced by its syllable's code."""
    table = _codes()
    return "".join(table.get(r, ch) if r else ch for ch, r in zip(folded, readings))


def syllables_sound(syllables: list[str]) -> str:
    table = _codes()
    return "".join(table.get(s, "") for s in syllables)
