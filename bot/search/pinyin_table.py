"""The toneless reading table the bot reads pinyin from, written once from pypinyin's dictionaries.

Why a file of our own: pypinyin keeps 47k phrases and 42k characters as Python lists and dicts
(~55 MB in every process that imports it), while the bot needs only each character's most
common toneless reading, the ~3,400 phrases whose reading differs from their characters'
(heteronyms: 银行 is yin hang, not yin xing), and the set of every toneless syllable. That fits
in a ~150 KB gzip file that loads in a few milliseconds and costs well under 1 MB, so a search
process never imports pypinyin. ``python -m bot.search.pinyin_table`` rewrites the file from the
installed pypinyin; ``tests/search/test_pinyin_table.py`` checks the file still equals it.

Format (UTF-8, gzip): a ``#`` comment line; ``R`` and every toneless reading, space-separated;
then ``C<hex code point> <reading>`` per character and ``P<phrase> <reading> <reading>…`` per
phrase whose toneless reading is not its characters' readings.
"""

from __future__ import annotations

import gzip
import sys
import unicodedata
from pathlib import Path

TABLE = Path(__file__).with_name("pinyin_readings.txt.gz")


def strip_tone(reading: str) -> str:
    """``lǜ`` -> ``lv``: tone marks dropped, ü written v as on a keyboard."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def table_lines() -> list[str]:
    """The table's lines, from the installed pypinyin (imported here only)."""
    from importlib.metadata import version

    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    readings = set()
    chars: dict[str, str] = {}
    for point, listed in sorted(pinyin_dict.items()):
        alternatives = [strip_tone(r.strip()) for r in listed.split(",")]
        readings.update(alternatives)
        chars[chr(point)] = strip_tone(listed.split(",")[0])
    lines = [f"# toneless readings from pypinyin {version('pypinyin')} (python -m bot.search.pinyin_table)",
             "R " + " ".join(sorted(readings))]
    lines.extend(f"C{ord(ch):x} {reading}" for ch, reading in chars.items())
    for phrase, listed in sorted(phrases_dict.items()):
        if len(listed) != len(phrase) or any(" " in r[0] for r in listed):
            continue
        own = [strip_tone(r[0]) for r in listed]
        if own != [chars.get(ch) for ch in phrase]:
            lines.append(f"P{phrase} " + " ".join(own))
    return lines


def write(path: Path = TABLE) -> int:
    data = ("\n".join(table_lines()) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return path.stat().st_size


if __name__ == "__main__":
    print(f"wrote {TABLE} ({write()} bytes)", file=sys.stderr)
