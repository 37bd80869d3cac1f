"""Stage 1, the character model: how likely characters and words are, and which bytes make which.

Every later stage reasons in bits (-log2 of a share of running text) and in GB18030 byte
pairs; this stage answers both kinds of question and nothing else. The model is built once by
`bot.corpus.mojibake.build.load_char_model` and passed down explicitly.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from bot.chars import is_han

TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
SYLLABLE = rf"[a-zü]*[{TONE_MARKS}][a-zü{TONE_MARKS}]*"
PINYIN_NOTE = re.compile(rf"\(({SYLLABLE})\)")
# A closing tag whose `<` the lone byte ending a run swallowed.
BROKEN_CLOSING_TAG = re.compile(r"(?<!<)/[A-Za-z][A-Za-z0-9]*>")

Byte = "int | None"  # None where a lost or vanished character hid the byte
INF = math.inf
LEAD_BYTES = range(0x81, 0xFF)
TRAIL_BYTES = tuple(range(0x40, 0x7F)) + tuple(range(0x80, 0xFF))
FULLWIDTH_OFFSET = 0xFEE0  # ！ (U+FF01) is ! (U+0021) plus this
FULLWIDTH_FORMS = range(0xFF01, 0xFF5F)
PRIVATE_USE = range(0xE000, 0xF900)
LONGEST_WORD = 6
FREE_CANDIDATES = 24  # how many characters a byte hidden by the damage may stand for

# Costs are in bits: -log2 of a share of running text.
ASCII_COST = 6.0  # a Latin letter in Chinese running text is ordinary
PAIR_WEIGHT = 0.5  # how far a character's cost follows the one before it rather than its own
CLOSING_AFTER_STOP_FIT = -3.0  # 。” and ？” are how quoted sentences end

SENTENCE_PUNCTUATION = frozenset("，。、：；？！,.:;?!")
TERMINAL_PUNCTUATION = frozenset("。？！.?!")
OPENING_PUNCTUATION = frozenset("“《（‘")
CLOSING_PUNCTUATION = frozenset("”》）’")
PARAGRAPH_END = "\n"


@dataclass(frozen=True)
class CharModel:
    """How likely characters and words are, plus the byte look-ups recovery needs.

    Built once by `load_char_model`, because that costs a pass over jieba's dictionary.
    """

    chars: Mapping[int, str]  # lead << 8 | trail -> the character gb18030 decodes it to
    code_cost: Mapping[int, float]  # lead << 8 | trail -> bits; inf where recovery must not land
    text_cost: Mapping[str, float]  # for reading the text as it stands
    unseen_cost: float
    codes_by_lead: Mapping[int, tuple[int, ...]]  # cheapest first
    codes_by_trail: Mapping[int, tuple[int, ...]]  # cheapest first
    cheapest_codes: tuple[int, ...]
    cheapest_cost: float
    private_use_codes: frozenset[int]  # garbage that may vanish without a trace
    private_use_leads: frozenset[int]
    cost_before_vanished: Mapping[int, float]  # lead -> cheapest char whose trail can start such garbage
    codes_by_reading: Mapping[str, frozenset[int]]  # toned and toneless syllables
    simplified: Mapping[str, str]
    char_counts: Mapping[str, int]  # simplified character -> weighted count in jieba's words
    pair_counts: Mapping[str, int]  # two simplified characters -> weighted count inside words
    words: Mapping[str, int]  # jieba's dictionary
    word_total: int
    suspicious: re.Pattern[str]  # a character or mark that only damage explains well
    traditional_only: frozenset[str]
    simplified_only: frozenset[str]
    fits: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    recoveries: dict = field(default_factory=dict, compare=False, repr=False)  # see recovery.recover_run

    @cached_property
    def code_table(self) -> np.ndarray:
        """``code in code_cost`` for every two-byte value, as one boolean array."""
        return _membership(self.code_cost)

    @cached_property
    def followers(self) -> dict[str, frozenset[str]]:
        """For each simplified character, the characters ``pair_counts`` lists right after it: which
        pairs of two option lists stand in a word is then one set intersection per option before,
        not a look-up per pair (``slots._neighbour_tables``). Built once per process (~0.2 s)."""
        grouped: dict[str, set[str]] = {}
        for pair, count in self.pair_counts.items():
            if count and len(pair) == 2:
                grouped.setdefault(pair[0], set()).add(pair[1])
        return {first: frozenset(seconds) for first, seconds in grouped.items()}

    @cached_property
    def word_ends(self) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
        """``is_word`` for one character and each of many: (the characters that end a word of two
        after each character, or a word of one after ""; the characters that start one before each),
        from jieba's words of one and two characters (``slots._likely_codes``)."""
        after: dict[str, set[str]] = {}
        before: dict[str, set[str]] = {}
        for word, frequency in self.words.items():
            if frequency > 0 and 1 <= len(word) <= 2:
                after.setdefault(word[:-1], set()).add(word[-1])
                before.setdefault(word[1:], set()).add(word[0])
        return ({k: frozenset(v) for k, v in after.items()}, {k: frozenset(v) for k, v in before.items()})

    def word_partners(self, before: str, after: str) -> tuple[frozenset[str], frozenset[str]]:
        """(the simplified characters ``char`` with ``is_word(before, char)``, those with
        ``is_word(char, after)``), ``before`` and ``after`` being one character or none."""
        ends_after, starts_before = self.word_ends
        none: frozenset[str] = frozenset()
        return (ends_after.get(self.simplified.get(before, before), none),
                starts_before.get(self.simplified.get(after, after), none))

    @cached_property
    def private_use_table(self) -> np.ndarray:
        """``code in private_use_codes`` for every two-byte value, as one boolean array."""
        return _membership(self.private_use_codes)

    def foreign_script(self, text: str) -> frozenset[str]:
        """Characters of the script the document is not written in, which recovery should avoid."""
        traditional = sum(char in self.traditional_only for char in text)
        simplified = sum(char in self.simplified_only for char in text)
        if traditional > 2 * simplified:
            return self.simplified_only
        return self.traditional_only if simplified > 2 * traditional else frozenset()

    def cost_of_code(self, code: int) -> float:
        return self.code_cost.get(code, INF)

    def cost_of_text_char(self, char: str) -> float:
        if not char.isascii():
            return self.text_cost.get(char, self.unseen_cost)
        if char.isalnum():
            return ASCII_COST
        return self.text_cost.get(chr(ord(char) + FULLWIDTH_OFFSET), ASCII_COST)

    def fit(self, before: str, char: str) -> float:
        """How much cheaper `char` is right after `before` than alone; memoised, recovery asks often."""
        key = before + char
        fit = self.fits.get(key)
        if fit is None:
            fit = self.fits[key] = self.cost_after(before, char) - self.cost_of_text_char(char)
        return fit

    def is_word(self, first: str, second: str) -> bool:
        pair = self.simplified.get(first, first) + self.simplified.get(second, second)
        return self.words.get(pair, 0) > 0

    def cost_after(self, before: str, char: str) -> float:
        """The cost of `char` right after `before`: lower where the two often stand in one word."""
        alone = self.cost_of_text_char(char)
        if before in TERMINAL_PUNCTUATION and char in CLOSING_PUNCTUATION:
            return alone + CLOSING_AFTER_STOP_FIT
        first = self.simplified.get(before, before)
        together = self.pair_counts.get(first + self.simplified.get(char, char), 0)
        if not together:
            return alone
        return -math.log2(PAIR_WEIGHT * together / self.char_counts[first] + (1 - PAIR_WEIGHT) * 2**-alone)

    def sentence_cost(self, text: str) -> float:
        """Bits for the text's likeliest split into dictionary words, as jieba itself would split it."""
        simple = "".join(self.simplified.get(char, char) for char in text)
        best = [0.0] * (len(simple) + 1)
        for start in range(len(simple) - 1, -1, -1):
            cost = self._single_cost(text[start], simple[start]) + best[start + 1]
            for end in range(start + 2, min(len(simple), start + LONGEST_WORD) + 1):
                frequency = self.words.get(simple[start:end])
                if frequency is None:
                    break
                if frequency:
                    cost = min(cost, math.log2(self.word_total / frequency) + best[end])
            best[start] = cost
        return best[0]

    def _single_cost(self, char: str, simple: str) -> float:
        frequency = self.words.get(simple)
        if frequency and is_han(simple):
            return math.log2(self.word_total / frequency)
        return self.unseen_cost if is_han(simple) else self.cost_of_text_char(char)

    def codes_for_bytes(self, lead: Byte, trail: Byte) -> Sequence[int]:
        """Valid codes with these bytes, cheapest first; an unknown byte (None) may be any."""
        if lead is None:
            return self.codes_by_trail.get(trail, ()) if trail is not None else self.cheapest_codes
        if not 0x81 <= lead <= 0xFE:
            return ()
        if trail is None:
            return self.codes_by_lead.get(lead, ())
        code = lead << 8 | trail
        return (code,) if self.cost_of_code(code) < INF else ()

    def optimistic_cost(self, lead: Byte, trail: Byte) -> float:
        """The cost of the best character these bytes allow, unknown bytes taking their best value;
        bytes that make no character cost as much as an unseen one, since recovery will drop it."""
        codes = self.codes_for_bytes(lead, trail)
        return min(self.cost_of_code(codes[0]), self.unseen_cost) if codes else self.unseen_cost

    def codes_read_as(self, reading: str, toned: bool = True) -> frozenset[int]:
        """Codes of the characters with this pinyin reading, with its tone or any tone."""
        return self.codes_by_reading.get(reading if toned else toneless(reading), frozenset())

    @staticmethod
    def can_lead(byte: int) -> bool:
        """True for a byte that can start a two-byte character."""
        return byte in LEAD_BYTES

    @staticmethod
    def punctuation_clashes(first: str, second: str) -> bool:
        """Marks that cannot stand side by side, or before a paragraph's end, in Chinese prose."""
        if first in SENTENCE_PUNCTUATION and second in SENTENCE_PUNCTUATION:
            return True
        if first in OPENING_PUNCTUATION and (second in SENTENCE_PUNCTUATION or second == PARAGRAPH_END):
            return True
        return second == PARAGRAPH_END and first in SENTENCE_PUNCTUATION - TERMINAL_PUNCTUATION

    @staticmethod
    def has_fullwidth(text: str) -> bool:
        return any(ord(char) in FULLWIDTH_FORMS for char in text)

    @staticmethod
    def halfwidth(text: str) -> str:
        """Full-width letters and punctuation folded to ASCII, as the damaged documents have them."""
        return "".join(chr(ord(char) - FULLWIDTH_OFFSET) if ord(char) in FULLWIDTH_FORMS else char for char in text)


def _membership(codes) -> np.ndarray:
    table = np.zeros(1 << 16, dtype=bool)
    table[np.fromiter(codes, dtype=np.int64, count=len(codes))] = True
    return table


def toneless(reading: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))
