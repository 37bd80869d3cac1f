"""The bundled reading table is exactly what pypinyin's dictionaries give (regenerate it with
``python -m bot.search.pinyin_table`` when pypinyin changes), and readings read from it are the
ones pypinyin's own dictionaries give, heteronym phrases included."""

import gzip

from pypinyin.phrases_dict import phrases_dict
from pypinyin.pinyin_dict import pinyin_dict

from bot.search import pinyin
from bot.search.pinyin_table import TABLE, strip_tone, table_lines


def test_the_bundled_table_is_current():
    bundled = gzip.decompress(TABLE.read_bytes()).decode("utf-8").splitlines()
    assert bundled == table_lines()


def reference(word: str) -> tuple[str | None, ...]:
    """The readings straight from pypinyin's dictionaries: phrase first, else each character's first."""
    phrase = phrases_dict.get(word)
    if phrase and len(phrase) == len(word):
        return tuple(strip_tone(r[0]) for r in phrase)
    return tuple(strip_tone(pinyin_dict[ord(c)].split(",")[0]) if ord(c) in pinyin_dict else None for c in word)


def test_readings_match_pypinyin_for_every_phrase_and_character():
    words = list(phrases_dict) + [chr(point) for point in pinyin_dict] + ["银行家", "开源模型", "abc", "〇一"]
    assert [tuple(pinyin.word_readings(w)) for w in words] == [reference(w) for w in words]
    assert pinyin.word_readings("银行") == ["yin", "hang"] and pinyin.word_readings("行走") == ["xing", "zou"]


def test_every_reading_and_syllable():
    expected = sorted({strip_tone(r.strip()) for v in pinyin_dict.values() for r in v.split(",")})
    assert list(pinyin.all_readings()) == expected
    assert {"zhuang", "lv", "a"} <= pinyin.syllables() and "ng" not in pinyin.syllables()
