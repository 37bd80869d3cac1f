"""Stage 1, building the character model: jieba's word frequencies, GB18030's byte pairs,
pypinyin's readings and OpenCC's two scripts, read once per process."""

from __future__ import annotations

import functools
import logging
import math
import re
import unicodedata
from collections.abc import Mapping

from bot.chars import is_han
from bot.corpus.mojibake.model import (
    BROKEN_CLOSING_TAG,
    FREE_CANDIDATES,
    INF,
    LEAD_BYTES,
    PRIVATE_USE,
    SYLLABLE,
    TRAIL_BYTES,
    CharModel,
    toneless,
)

SYMBOL_COST = 16.0  # ①, ─, € and the like: legitimate but rare in prose
SUSPICIOUS_COST = 15.0  # text far from any character this rare (or other mark) is left alone

# Share of Chinese running text taken by punctuation, which a word list does not count.
PUNCTUATION_SHARE = {
    "，": 0.05, "。": 0.03, "、": 0.008, "“": 0.006, "”": 0.006, "：": 0.004, "？": 0.003,
    "！": 0.0015, "；": 0.001, "《": 0.001, "》": 0.001, "（": 0.001, "）": 0.001, "—": 0.001,
    "…": 0.0005, "‘": 0.0005, "’": 0.0005, "·": 0.0005,
}  # fmt: skip


@functools.lru_cache(maxsize=1)
def load_char_model() -> CharModel:
    """Load once; callers may keep the model and pass it to `repair_mojibake`."""
    words, word_total = _jieba_words()
    counts, pair_counts = _char_and_pair_counts(words)
    total = sum(counts.values())
    chars_by_code = _two_byte_gb18030_chars()
    chars = list(chars_by_code.values())
    simplified = dict(zip(chars, _convert(chars, "t2s")))
    traditional = dict(zip(chars, _convert(chars, "s2t")))
    code_cost = {code: _char_cost(char, simplified[char], counts, total) for code, char in chars_by_code.items()}
    unseen_cost = math.log2(total)
    text_cost = {chars_by_code[code]: min(cost, unseen_cost) for code, cost in code_cost.items()}
    private_use = frozenset(code for code, char in chars_by_code.items() if ord(char) in PRIVATE_USE)
    return CharModel(
        chars=chars_by_code,
        code_cost=code_cost,
        text_cost=text_cost,
        unseen_cost=unseen_cost,
        codes_by_lead=_codes_grouped(code_cost, lambda code: code >> 8),
        codes_by_trail=_codes_grouped(code_cost, lambda code: code & 0xFF),
        cheapest_codes=tuple(sorted(code_cost, key=code_cost.__getitem__)[:FREE_CANDIDATES]),
        cheapest_cost=min(code_cost.values()),
        private_use_codes=private_use,
        private_use_leads=frozenset(code >> 8 for code in private_use),
        cost_before_vanished=_cost_before_vanished(code_cost, private_use),
        codes_by_reading=_codes_by_reading(chars_by_code),
        simplified=simplified,
        char_counts=counts,
        pair_counts=pair_counts,
        words=words,
        word_total=word_total,
        suspicious=_suspicious_pattern(text_cost),
        traditional_only=frozenset(char for char in chars if simplified[char] != char),
        simplified_only=frozenset(char for char in chars if traditional[char] != char),
    )


def _jieba_words() -> tuple[Mapping[str, int], int]:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba.dt.FREQ, jieba.dt.total


def _char_and_pair_counts(words: Mapping[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """Characters and neighbouring pairs inside words, each weighted by the word's frequency."""
    chars: dict[str, int] = {}
    pairs: dict[str, int] = {}
    for word, frequency in words.items():
        if not frequency:
            continue
        for char in word:
            chars[char] = chars.get(char, 0) + frequency
        for index in range(len(word) - 1):
            pair = word[index : index + 2]
            pairs[pair] = pairs.get(pair, 0) + frequency
    return chars, pairs


def _two_byte_gb18030_chars() -> dict[int, str]:
    return {
        lead << 8 | trail: bytes((lead, trail)).decode("gb18030") for lead in LEAD_BYTES for trail in TRAIL_BYTES
    }


def _convert(chars: list[str], config: str) -> list[str]:
    import opencc

    converted = opencc.OpenCC(config).convert("\n".join(chars)).split("\n")
    return converted if len(converted) == len(chars) else chars


def _char_cost(char: str, simple: str, counts: Mapping[str, int], total: int) -> float:
    """Private-use characters cost infinity: they are a mark of damage, never a recovery."""
    if ord(char) in PRIVATE_USE:
        return INF
    share = PUNCTUATION_SHARE.get(char)
    if share:
        return -math.log2(share)
    count = max(counts.get(char, 0), counts.get(simple, 0))
    if count:
        return math.log2(total / count)
    return SYMBOL_COST if not is_han(char) else math.log2(total)


def _codes_grouped(code_cost: Mapping[int, float], key) -> dict[int, tuple[int, ...]]:
    groups: dict[int, list[int]] = {}
    for code in sorted(code_cost, key=code_cost.__getitem__):
        if code_cost[code] < INF:
            groups.setdefault(key(code), []).append(code)
    return {group: tuple(codes) for group, codes in groups.items()}


def _cost_before_vanished(code_cost: Mapping[int, float], private_use: frozenset[int]) -> dict[int, float]:
    vanishing_leads = {code >> 8 for code in private_use}
    cheapest: dict[int, float] = {}
    for code, cost in code_cost.items():
        if code & 0xFF in vanishing_leads and cost < cheapest.get(code >> 8, INF):
            cheapest[code >> 8] = cost
    return cheapest


def _codes_by_reading(chars_by_code: Mapping[int, str]) -> dict[str, frozenset[int]]:
    from pypinyin.pinyin_dict import pinyin_dict

    grouped: dict[str, set[int]] = {}
    for code, char in chars_by_code.items():
        for reading in filter(None, pinyin_dict.get(ord(char), "").split(",")):
            grouped.setdefault(reading, set()).add(code)
            grouped.setdefault(toneless(reading), set()).add(code)
    return {reading: frozenset(codes) for reading, codes in grouped.items()}


def _is_latin(char: str) -> bool:
    return "LATIN" in unicodedata.name(char, "")


def _suspicious_pattern(text_cost: Mapping[str, float]) -> re.Pattern[str]:
    """Rare characters, lost characters with a note, and closing tags without their `<`.

    Accented Latin letters are left out: pinyin notes are full of them."""
    rare = "".join(
        sorted(re.escape(char) for char, cost in text_cost.items() if cost >= SUSPICIOUS_COST and not _is_latin(char))
    )
    return re.compile(rf"[{rare}\ue000-\uf8ff]|\?\(?{SYLLABLE}\)|{BROKEN_CLOSING_TAG.pattern}")
