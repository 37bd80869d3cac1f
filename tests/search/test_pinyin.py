from __future__ import annotations

from bot.search.english import stem
from bot.search.pinyin import split_syllables, strip_tone, word_readings


def test_split_syllables_without_spaces():
    assert split_syllables("huchenghe") == ["hu", "cheng", "he"]
    assert split_syllables("kaiyuan") == ["kai", "yuan"]


def test_split_syllables_rejects_english():
    assert split_syllables("linux") is None
    assert split_syllables("kubernetes") is None


def test_readings_are_toneless_and_settle_heteronyms_in_words():
    assert word_readings("银行") == ["yin", "hang"]
    assert word_readings("绿色") == ["lv", "se"]
    assert strip_tone("nǚ") == "nv"


def test_stemming_meets_inflections():
    assert stem("licenses") == stem("licensing") == stem("licensed") == stem("license")
    assert stem("businessmen") == stem("businessman")
    assert stem("companies") == stem("company")
