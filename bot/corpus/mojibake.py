"""Undo GBK mojibake: stretches that were encoded as gb18030 and decoded again one byte late.

Such a stretch reads as rare characters (谧鲆患墀偪竦...). Each garbage character holds the trail byte
of one original character and the lead byte of the next, so putting the first byte back and decoding
again gives the original. Damage is found, and hidden bytes filled in, by comparing how likely
the readings are under character and word frequencies from jieba's dictionary, so no position or
string of any document is listed here.

The seeds add complications that the model has to absorb:
- a garbage character that could not be rendered became `?`; a pinyin note such as `?cè)` after it
  (its `(` usually went with the lost byte) is the only trace of its reading;
- some garbage characters vanished altogether, leaving two original characters half known;
- full-width punctuation and letters were folded to ASCII, so `!` in a run may be ！ (A3 A1);
- the lone byte that ends a run can swallow the ASCII byte after it: the `<` of `</p>`, a space,
  or the `(` of a pinyin note.
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Repair:
    start: int  # offset of the damaged run in the INPUT text
    end: int
    damaged: str  # the input text of the run
    recovered: str  # what replaced it
    dropped: int  # characters that could not be recovered and were dropped


@dataclass(frozen=True)
class RepairResult:
    text: str
    repairs: tuple[Repair, ...]

    @property
    def dropped(self) -> int:
        return sum(repair.dropped for repair in self.repairs)


# ---------------------------------------------------------------------------------------------
# Constants

TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_SYLLABLE = rf"[a-zü]*[{TONE_MARKS}][a-zü{TONE_MARKS}]*"
PINYIN_NOTE = re.compile(rf"\(({_SYLLABLE})\)")
# After a lost character the note's `(` is usually gone too: the lone byte took it along (`?cè)`).
NOTE_AFTER_LOST = re.compile(rf"\(?({_SYLLABLE})\)")
NOTE_BEFORE = re.compile(rf"\({_SYLLABLE}\)$")
# A closing tag whose `<` the lone byte ending a run swallowed.
BROKEN_CLOSING_TAG = re.compile(r"(?<!<)/[A-Za-z][A-Za-z0-9]*>")

LOST = "?"  # what the damage left where it could not render a garbage character
INF = math.inf
LEAD_BYTES = range(0x81, 0xFF)
TRAIL_BYTES = tuple(range(0x40, 0x7F)) + tuple(range(0x80, 0xFF))
SINGLE_TRAIL_BYTES = range(0x40, 0x7F)  # ASCII bytes that can complete a two-byte character
EURO_BYTE = 0x80  # a lone 0x80 decodes as € in GBK, so € can be a run's last single byte
FULLWIDTH_OFFSET = 0xFEE0  # ！ (U+FF01) is ! (U+0021) plus this
FULLWIDTH_FORMS = range(0xFF01, 0xFF5F)
PRIVATE_USE = range(0xE000, 0xF900)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
PARAGRAPH_END = "\n"
CONTEXT_CHARS = 6  # how much clean text either side of a run the word model reads along
LONGEST_WORD = 6

# Costs are in bits: -log2 of a share of running text.
ASCII_COST = 6.0  # a Latin letter in Chinese running text is ordinary
SYMBOL_COST = 16.0  # ①, ─, € and the like: legitimate but rare in prose
SUSPICIOUS_COST = 15.0  # text far from any character this rare (or other mark) is left alone
NOTE_ON_LOST_COST = 40.0  # a clean `?` cannot carry a pinyin note
SWALLOWED_TAG_COST = 40.0  # a clean character cannot explain the `<` missing after it
RUN_START_COST = 10.0  # a run must buy its way in with far more likely text
LOST_BYTE_COST = 4.0  # the run's last byte vanished without leaving even a `?`
VANISHED_COST = 1.0  # about half of the garbage that decodes as private use vanished
HINT_IGNORED_COST = 10.0  # trusting frequency over a pinyin note needs a clear margin
TONELESS_HINT_COST = 2.0
DUP_MISMATCH_COST = 12.0  # the first garbage byte repeats the last byte of the character before
PAIR_WEIGHT = 0.5  # how far a character's cost follows the one before it rather than its own
PUNCT_CLASH_COST = 30.0
NESTED_QUOTE_COST = 8.0  # an “ while another is still open
UNOPENED_QUOTE_COST = 2.0  # a ” with no “ in sight: snippets and quoted paragraphs have those
CLOSING_AFTER_STOP_FIT = -3.0  # 。” and ？” are how quoted sentences end
MIN_GAIN = 18.0  # accepted runs are this many bits more likely than the damaged text, at least
MIN_GAIN_PER_CELL = 6.0
DROP_TIE_BREAK = 1.0  # keep a valid character the bytes spell out rather than drop it
FREE_CANDIDATES = 24  # how many characters a byte hidden by the damage may stand for
WORD_MAKING_CANDIDATES = 8  # rarer characters let in because they make a word with a neighbour
MAX_HINTED_READINGS = 12  # garbage characters tried for one note, so that notes cannot multiply out
MAX_CHOICES_WITH_VANISHED = 4  # beyond this many readings of noted characters, vanishing tries the best
FOREIGN_SCRIPT_COST = 6.0  # a guessed simplified character in a traditional document, or back
IMPLAUSIBLE_COST = 15.0  # a recovered character this rare must earn its place by forming a word
SUSPICIOUS_WINDOW = 20  # runs are shorter than this, so damage lies this close to its mark

# Share of Chinese running text taken by punctuation, which a word list does not count.
PUNCTUATION_SHARE = {
    "，": 0.05, "。": 0.03, "、": 0.008, "“": 0.006, "”": 0.006, "：": 0.004, "？": 0.003,
    "！": 0.0015, "；": 0.001, "《": 0.001, "》": 0.001, "（": 0.001, "）": 0.001, "—": 0.001,
    "…": 0.0005, "‘": 0.0005, "’": 0.0005, "·": 0.0005,
}  # fmt: skip
SENTENCE_PUNCTUATION = frozenset("，。、：；？！,.:;?!")
TERMINAL_PUNCTUATION = frozenset("。？！.?!")
OPENING_PUNCTUATION = frozenset("“《（‘")
CLOSING_PUNCTUATION = frozenset("”》）’")


# ---------------------------------------------------------------------------------------------
# The language model: character and word frequencies from jieba's dictionary


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
        if frequency and HAN.match(simple):
            return math.log2(self.word_total / frequency)
        return self.unseen_cost if HAN.match(simple) else self.cost_of_text_char(char)


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
    return SYMBOL_COST if not HAN.match(char) else math.log2(total)


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
            grouped.setdefault(_toneless(reading), set()).add(code)
    return {reading: frozenset(codes) for reading, codes in grouped.items()}


def _is_latin(char: str) -> bool:
    return "LATIN" in unicodedata.name(char, "")


def _toneless(reading: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))


def _suspicious_pattern(text_cost: Mapping[str, float]) -> re.Pattern[str]:
    """Rare characters, lost characters with a note, and closing tags without their `<`.

    Accented Latin letters are left out: pinyin notes are full of them."""
    rare = "".join(
        sorted(re.escape(char) for char, cost in text_cost.items() if cost >= SUSPICIOUS_COST and not _is_latin(char))
    )
    return re.compile(rf"[{rare}\ue000-\uf8ff]|\?\(?{_SYLLABLE}\)|{BROKEN_CLOSING_TAG.pattern}")


# ---------------------------------------------------------------------------------------------
# Cells: the text as the damage saw it

Byte = "int | None"  # None where a lost or vanished character hid the byte
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


# ---------------------------------------------------------------------------------------------
# Finding runs: a Viterbi over each stretch, reading every cell either as text or as damage

State = tuple[str, int]  # (kind, index into the cell's pairs or last_bytes)
CLEAN: State = ("clean", 0)
GARBAGE, VANISHED_BEFORE, LAST = "garbage", "vanished", "last"  # vanished: garbage after a lost one


@dataclass(frozen=True)
class RunPlan:
    """A run as the Viterbi read it: the garbage pairs in order and how the run ends."""

    pieces: tuple[tuple[Cell | None, Pair], ...]  # Cell None: a garbage character that vanished
    ending: str  # "single": a last one-byte cell; "ascii": the last trail is ASCII; "lost"
    last_cell: Cell | None  # the one-byte cell of a "single" ending
    last_byte: Byte

    @property
    def cells(self) -> tuple[Cell, ...]:
        cells = tuple(cell for cell, _ in self.pieces if cell is not None)
        return cells + ((self.last_cell,) if self.last_cell else ())


def plan_runs(stretch: Sequence[Cell], model: CharModel) -> list[RunPlan]:
    return list(_runs_from_states(stretch, _viterbi(stretch, model)))


def _viterbi(stretch: Sequence[Cell], model: CharModel) -> list[State]:
    """The cheapest labelling of the stretch; an unlikely character is cheaper read as damage."""
    layers: list[dict[State, tuple[float, State | None]]] = []
    previous: dict[State, tuple[float, State | None]] = {CLEAN: (0.0, None)}
    previous_cell: Cell | None = None
    for cell in stretch:
        current: dict[State, tuple[float, State | None]] = {}
        for state, (cost, _) in previous.items():
            for target, step in _transitions(state, previous_cell, cell, model):
                if cost + step < current.get(target, (INF, None))[0]:
                    current[target] = (cost + step, state)
        layers.append(current)
        previous, previous_cell = current, cell
    final = {state: cost + _ending_cost(state, previous_cell, model) for state, (cost, _) in previous.items()}
    return _backtrack(layers, min(final, key=final.__getitem__))


def _transitions(
    state: State, previous_cell: Cell | None, cell: Cell, model: CharModel
) -> Iterator[tuple[State, float]]:
    """Read as text, a cell costs its own character; read as garbage, it costs the original character
    its lead byte completes, since that is what the text really held."""
    kind, index = state
    if kind not in (GARBAGE, VANISHED_BEFORE):
        yield CLEAN, cell.text_cost
        for pair_index, pair in enumerate(cell.pairs):
            yield (GARBAGE, pair_index), RUN_START_COST + _start_cost(previous_cell, pair, kind)
        return
    trail = previous_cell.pairs[index][1]
    if trail is not None and trail < 0x80:
        yield CLEAN, model.cost_of_text_char(chr(trail)) + cell.text_cost
        return
    for pair_index, (lead, _) in enumerate(cell.pairs):
        yield (GARBAGE, pair_index), _optimistic_cost(trail, lead, model)
        vanished = model.cost_before_vanished.get(trail, INF) if trail is not None else model.cheapest_cost
        vanished += _optimistic_cost(None, lead, model)
        yield (VANISHED_BEFORE, pair_index), vanished + VANISHED_COST
    for byte_index, byte in enumerate(cell.last_bytes):
        yield (LAST, byte_index), _optimistic_cost(trail, byte, model)
    yield CLEAN, _optimistic_cost(trail, None, model) + LOST_BYTE_COST + cell.text_cost


def _start_cost(previous_cell: Cell | None, pair: Pair, previous_kind: str) -> float:
    """A known first garbage character starts with the last byte of the clean character before it."""
    lead = pair[0]
    if lead is None:
        return 0.0
    if previous_kind != CLEAN[0] or previous_cell is None or previous_cell.hint or previous_cell.char == LOST:
        return INF
    before = previous_cell.pairs
    return 0.0 if len(before) == 1 and before[0][1] == lead else INF


def _ending_cost(state: State, last_cell: Cell | None, model: CharModel) -> float:
    kind, index = state
    if kind not in (GARBAGE, VANISHED_BEFORE):
        return 0.0
    trail = last_cell.pairs[index][1]
    if trail is not None and trail < 0x80:
        return model.cost_of_text_char(chr(trail))
    return _optimistic_cost(trail, None, model) + LOST_BYTE_COST


def _optimistic_cost(lead: Byte, trail: Byte, model: CharModel) -> float:
    """The cost of the best character these bytes allow, unknown bytes taking their best value;
    bytes that make no character cost as much as an unseen one, since recovery will drop it."""
    codes = _codes_for_bytes(lead, trail, model)
    return min(model.cost_of_code(codes[0]), model.unseen_cost) if codes else model.unseen_cost


def _codes_for_bytes(lead: Byte, trail: Byte, model: CharModel) -> Sequence[int]:
    """Valid codes with these bytes, cheapest first."""
    if lead is None:
        return model.codes_by_trail.get(trail, ()) if trail is not None else model.cheapest_codes
    if not 0x81 <= lead <= 0xFE:
        return ()
    if trail is None:
        return model.codes_by_lead.get(lead, ())
    code = lead << 8 | trail
    return (code,) if model.cost_of_code(code) < INF else ()


def _backtrack(layers: list[dict[State, tuple[float, State | None]]], state: State) -> list[State]:
    states = []
    for layer in reversed(layers):
        states.append(state)
        state = layer[state][1]
    return states[::-1]


def _runs_from_states(stretch: Sequence[Cell], states: Sequence[State]) -> Iterator[RunPlan]:
    pieces: list[tuple[Cell | None, Pair]] = []
    for cell, (kind, index) in zip(stretch, states):
        if kind == VANISHED_BEFORE:
            pieces.append((None, UNKNOWN_PAIR))
        if kind in (GARBAGE, VANISHED_BEFORE):
            pieces.append((cell, cell.pairs[index]))
        elif pieces:
            last = (cell, cell.last_bytes[index]) if kind == LAST else (None, None)
            yield _plan(pieces, *last)
            pieces = []
    if pieces:
        yield _plan(pieces, None, None)


def _continues(pieces: Sequence[tuple[Cell | None, Pair]]) -> bool:
    """A garbage character whose trail is ASCII ends its run: the next byte is read in step again."""
    trail = pieces[-1][1][1]
    return trail is None or trail >= 0x80


def _plan(pieces: list[tuple[Cell | None, Pair]], last_cell: Cell | None, last_byte: Byte) -> RunPlan:
    if last_cell is not None:
        ending = "single"
    elif not _continues(pieces):
        ending = "ascii"
    else:
        ending = "lost"
    return RunPlan(tuple(pieces), ending, last_cell, last_byte)


# ---------------------------------------------------------------------------------------------
# Recovering a run: fill the hidden bytes from notes, frequency, neighbours and punctuation


@dataclass(frozen=True)
class Surroundings:
    """What the text around a run says about the characters it may hold."""

    before: str  # clean text before the run, pinyin notes left out
    after: str  # clean text after it; PARAGRAPH_END first where the paragraph ends
    dup_byte: Byte  # the byte the first garbage character repeats
    quote_open: bool  # an “ earlier in the paragraph still waits for its ”
    tag_swallowed: bool  # the run's last byte took the `<` of the closing tag after it
    foreign: frozenset[str]  # characters of the other script


KNOWN, LOST_LINK, VANISHED_LINK = "known", "lost", "vanished"


@dataclass(frozen=True)
class Slot:
    """One original character: the trail byte of one garbage character and the lead of the next."""

    lead: Byte
    trail: Byte
    link: str = KNOWN  # how the garbage character before this one survived
    hint: str | None = None  # a note after a run's lone last byte gives this character's reading
    ascii: str | None = None  # the character is a single ASCII byte


@dataclass(frozen=True)
class Option:
    char: str  # "" drops the character
    cost: float  # how likely the character is alone
    penalty: float  # what the notes and quotes say against it
    guessed: bool  # chosen among several, so its neighbours must agree with it
    code: int | None = None


@dataclass(frozen=True)
class Recovery:
    text: str
    cost: float
    dropped: int


Pieces = tuple[tuple["Cell | None", Pair], ...]


def recover_run(plan: RunPlan, around: Surroundings, model: CharModel) -> Recovery:
    """The likeliest original over the readings of noted lost characters, with at most one vanished
    garbage character anywhere inside the run (the run-finding Viterbi is too coarse to see where)."""
    bare = tuple(piece for piece in plan.pieces if piece[0] is not None)
    choices = sorted(_pair_choices(bare, around, model), key=lambda choice: choice[1])
    options = SlotOptions(around, model)
    scored = [(_recover(plan, bare, pairs, penalty, options), pairs, penalty) for pairs, penalty in choices]
    best = min(scored, key=lambda candidate: candidate[0].cost)
    tried = scored if len(scored) <= MAX_CHOICES_WITH_VANISHED else [best]
    for index in _vanishing_points(bare):
        pieces = bare[:index] + ((None, UNKNOWN_PAIR),) + bare[index:]
        for _, pairs, penalty in tried:
            with_vanished = [*pairs[:index], UNKNOWN_PAIR, *pairs[index:]]
            recovery = _recover(plan, pieces, with_vanished, penalty + VANISHED_COST, options, index)
            best = min(best, (recovery, pairs, penalty), key=lambda candidate: candidate[0].cost)
    return best[0]


def _recover(
    plan: RunPlan,
    pieces: Pieces,
    pairs: Sequence[Pair],
    penalty: float,
    options: SlotOptions,
    vanished_at: int | None = None,
) -> Recovery:
    around, model = options.around, options.model
    decoded = _decode_slots(_slots(plan, pieces, pairs), options)
    if decoded is None:
        return Recovery("", INF, 0)
    chars, guess_penalty = decoded
    if vanished_at is not None and not model.is_word(chars[vanished_at - 1], chars[vanished_at]):
        return Recovery("", INF, 0)  # both are guesses: only the word they freely make vouches for them
    text, implausible = _without_implausible("".join(chars), around, model)
    dropped = chars.count("") + implausible
    cost = model.sentence_cost(around.before + text + around.after.lstrip(PARAGRAPH_END))
    return Recovery(text, cost + penalty + guess_penalty + dropped * model.unseen_cost, dropped)


def _without_implausible(text: str, around: Surroundings, model: CharModel) -> tuple[str, int]:
    """Drop rare characters that form a word with neither neighbour: the bytes spell them out, but
    in such a place they are likelier a sign of further damage than the author's text."""
    padded = (around.before[-1:] or PARAGRAPH_END) + text + around.after[:1]
    kept = [
        char
        for before, char, after in zip(padded, padded[1:], padded[2:])
        if not _implausible(before, char, after, model)
    ]
    return "".join(kept), len(text) - len(kept)


def _implausible(before: str, char: str, after: str, model: CharModel) -> bool:
    if not HAN.match(char) or model.cost_of_text_char(char) < IMPLAUSIBLE_COST:
        return False
    return not model.is_word(before, char) and not model.is_word(char, after)


def damaged_cost(cells: Sequence[Cell], around: Surroundings, model: CharModel) -> float:
    """The cost of the run as it stands, by the measure its recoveries are held to."""
    evidence = sum(cell.text_cost - model.cost_of_text_char(cell.char) for cell in cells)
    damaged = "".join(cell.char for cell in cells)
    return model.sentence_cost(around.before + damaged + around.after.lstrip(PARAGRAPH_END)) + evidence


def _vanishing_points(pieces: Pieces) -> Iterator[int]:
    """Where a garbage character may have vanished: not after one whose trail byte is ASCII."""
    for index in range(1, len(pieces)):
        trail = pieces[index - 1][1][1]
        if trail is None or trail >= 0x80:
            yield index


def _pair_choices(pieces: Pieces, around: Surroundings, model: CharModel) -> Iterator[tuple[list[Pair], float]]:
    """Every combination of readings for the lost characters that carry a pinyin note."""
    options = [
        _hinted_options(cell, position == 0, around, model)
        if cell is not None and cell.hint and pair == UNKNOWN_PAIR
        else [(pair, 0.0)]
        for position, (cell, pair) in enumerate(pieces)
    ]
    for combination in itertools.product(*options):
        yield [pair for pair, _ in combination], sum(penalty for _, penalty in combination)


def _hinted_options(cell: Cell, first: bool, around: Surroundings, model: CharModel) -> list[tuple[Pair, float]]:
    """Garbage characters with the note's reading, the likeliest first; or the note ignored."""
    candidates = list(_codes_for_reading(cell.hint, model))
    if first and around.dup_byte is not None:
        repeating = [(code, penalty) for code, penalty in candidates if code >> 8 == around.dup_byte]
        candidates = repeating or [(code, penalty + DUP_MISMATCH_COST) for code, penalty in candidates]
    candidates.sort(key=lambda candidate: candidate[1] + _cost_around_garbage(candidate[0], model))
    readings = [((code >> 8, code & 0xFF), penalty) for code, penalty in candidates[:MAX_HINTED_READINGS]]
    return [(UNKNOWN_PAIR, HINT_IGNORED_COST)] + readings


def _cost_around_garbage(code: int, model: CharModel) -> float:
    """How likely the two original characters a garbage character straddles can be, at best."""
    return _optimistic_cost(None, code >> 8, model) + _optimistic_cost(code & 0xFF, None, model)


def _codes_for_reading(reading: str, model: CharModel) -> Iterator[tuple[int, float]]:
    toned = model.codes_by_reading.get(reading, frozenset())
    toneless = model.codes_by_reading.get(_toneless(reading), frozenset()) - toned
    yield from ((code, 0.0) for code in toned)
    yield from ((code, TONELESS_HINT_COST) for code in toneless)


def _slots(plan: RunPlan, pieces: Pieces, pairs: Sequence[Pair]) -> list[Slot]:
    """Slot i lies between garbage pieces i and i + 1; piece i links it to slot i - 1."""
    links = [KNOWN] + [_link(cell, pair) for (cell, _), pair in zip(pieces[1:], pairs[1:])]
    slots = [Slot(before[1], after[0], link) for before, after, link in zip(pairs, pairs[1:], links)]
    last_trail, last_link = pairs[-1][1], links[-1]
    if plan.ending == "ascii":
        slots.append(Slot(None, None, last_link, ascii=chr(last_trail)))
    elif plan.ending == "single":
        slots.append(Slot(last_trail, plan.last_byte, last_link, hint=plan.last_cell.hint))
    else:
        slots.append(Slot(last_trail, None, last_link))
    return slots


def _link(cell: Cell | None, pair: Pair) -> str:
    if cell is None:
        return VANISHED_LINK
    return LOST_LINK if pair == UNKNOWN_PAIR else KNOWN


Path = tuple[float, float, tuple[Option, ...]]  # (cost, penalty, options)


class SlotOptions:
    """The characters each slot may hold; memoised, as every variant of a run asks again."""

    def __init__(self, around: Surroundings, model: CharModel) -> None:
        self.around = around
        self.model = model
        self._known: dict[tuple[Slot, str, tuple[str, str]], list[Option]] = {}

    def __call__(self, slot: Slot, next_link: str, neighbours: tuple[str, str]) -> list[Option]:
        key = (slot, next_link, neighbours)
        if key not in self._known:
            self._known[key] = _slot_options(slot, next_link, neighbours, self.around, self.model)
        return self._known[key]


def _decode_slots(slots: Sequence[Slot], slot_options: SlotOptions) -> tuple[list[str], float] | None:
    """A Viterbi over the slots' options, so that guessed neighbours can agree with each other.

    Returns a character for each slot ("" where it is dropped) and the penalties they earned, or
    None where no characters fit the bytes together.
    """
    around, model = slot_options.around, slot_options.model
    start = Option(around.before[-1:] or PARAGRAPH_END, 0.0, 0.0, False)
    paths: list[Path] = [(0.0, 0.0, (start,))]
    next_links = [slot.link for slot in slots[1:]] + [KNOWN]
    fixed = [start.char] + [_fixed_char(slot, model) for slot in slots] + [around.after[:1]]
    for index, (slot, next_link) in enumerate(zip(slots, next_links)):
        neighbours = (fixed[index], fixed[index + 2])
        paths = [_extend(paths, slot.link, option, model) for option in slot_options(slot, next_link, neighbours)]
    paths = [_extend(paths, KNOWN, Option(around.after[:1], 0.0, 0.0, False), model)]
    cost, penalty, options = paths[0]
    if cost == INF:
        return None
    return [option.char for option in options[1:-1]], penalty


def _extend(paths: list[Path], link: str, option: Option, model: CharModel) -> Path:
    best: Path = (INF, INF, ())
    for cost, penalty, options in paths:
        fit, clash = _neighbour_cost(options[-1], option, link, model)
        if cost + fit + clash < best[0]:
            best = (cost + fit + clash, penalty + clash, options)
    return best[0] + option.cost + option.penalty, best[1] + option.penalty, best[2] + (option,)


def _fixed_char(slot: Slot, model: CharModel) -> str:
    """The character a slot's bytes spell out, or "" while a byte is unknown."""
    if slot.ascii is not None:
        return slot.ascii
    if slot.lead is None or slot.trail is None:
        return ""
    return model.chars.get(slot.lead << 8 | slot.trail, "")


def _slot_options(
    slot: Slot, next_link: str, neighbours: tuple[str, str], around: Surroundings, model: CharModel
) -> list[Option]:
    if slot.ascii is not None:
        return [Option(slot.ascii, model.cost_of_text_char(slot.ascii), 0.0, False)]
    codes = _codes_for_bytes(slot.lead, slot.trail, model)
    guessed = slot.lead is None or slot.trail is None
    if guessed:
        codes = _likely_codes(_codes_leading_on(codes, next_link, model), slot.hint, neighbours, model)
    options = [Option("", model.unseen_cost + DROP_TIE_BREAK, 0.0, False)]
    for code in codes:
        option = _option(code, slot.hint, guessed, around, model)
        if option.cost < model.unseen_cost or not guessed:
            options.append(option)
    return options


def _codes_leading_on(codes: Sequence[int], next_link: str, model: CharModel) -> Sequence[int]:
    """A character's trail byte leads the garbage after it, so it must be able to lead that garbage."""
    if next_link == VANISHED_LINK:
        return [code for code in codes if code & 0xFF in model.private_use_leads]
    if next_link == LOST_LINK:
        return [code for code in codes if code & 0xFF in LEAD_BYTES]
    return codes


def _likely_codes(codes: Sequence[int], hint: str | None, neighbours: tuple[str, str], model: CharModel) -> list[int]:
    """The commonest candidates, plus any rarer one that the note reads as or that makes a word with
    a known neighbour."""
    reading = model.codes_by_reading.get(_toneless(hint), frozenset()) if hint else frozenset()
    before, after = neighbours
    likely = list(codes[:FREE_CANDIDATES])
    word_makers = 0
    for code in codes[FREE_CANDIDATES:]:
        char = model.chars[code]
        if code in reading:
            likely.append(code)
        elif word_makers < WORD_MAKING_CANDIDATES and (model.is_word(before, char) or model.is_word(char, after)):
            likely.append(code)
            word_makers += 1
    return likely


def _option(code: int, hint: str | None, guessed: bool, around: Surroundings, model: CharModel) -> Option:
    char = model.chars[code]
    penalty = _hint_cost(code, hint, model)
    if guessed and char == "”" and not around.quote_open:
        penalty += UNOPENED_QUOTE_COST
    if guessed and char == "“" and around.quote_open:
        penalty += NESTED_QUOTE_COST
    if guessed and char in around.foreign:
        penalty += FOREIGN_SCRIPT_COST
    return Option(char, model.cost_of_code(code), penalty, guessed, code)


def _hint_cost(code: int, hint: str | None, model: CharModel) -> float:
    if not hint or code in model.codes_by_reading.get(hint, ()):
        return 0.0
    if code in model.codes_by_reading.get(_toneless(hint), ()):
        return TONELESS_HINT_COST
    return HINT_IGNORED_COST


def _neighbour_cost(first: Option, second: Option, link: str, model: CharModel) -> tuple[float, float]:
    """What standing together adds, as (how likely, penalty): word neighbours are cheaper, and bytes
    or punctuation that cannot stand together rule a pair out."""
    if link != KNOWN and not _garbage_between_fits(first, second, link, model):
        return INF, 0.0
    if not first.char or not second.char:
        return 0.0, 0.0
    fit = model.fit(first.char, second.char)
    if (first.guessed or second.guessed) and _punctuation_clashes(first.char, second.char):
        return fit, PUNCT_CLASH_COST
    return fit, 0.0


def _garbage_between_fits(first: Option, second: Option, link: str, model: CharModel) -> bool:
    """A lost garbage character was a valid pair of bytes; a vanished one decoded as private use."""
    if first.code is None or second.code is None:
        return link == LOST_LINK and (not first.char or not second.char)
    garbage = (first.code & 0xFF) << 8 | second.code >> 8
    return garbage in (model.code_cost if link == LOST_LINK else model.private_use_codes)


def _punctuation_clashes(first: str, second: str) -> bool:
    if first in SENTENCE_PUNCTUATION and second in SENTENCE_PUNCTUATION:
        return True
    if first in OPENING_PUNCTUATION and (second in SENTENCE_PUNCTUATION or second == PARAGRAPH_END):
        return True
    return second == PARAGRAPH_END and first in SENTENCE_PUNCTUATION - TERMINAL_PUNCTUATION


# ---------------------------------------------------------------------------------------------
# The whole text


def repair_mojibake(text: str, model: CharModel | None = None) -> RepairResult:
    """Replace every damaged run with the text it was; pass a loaded model to skip the lookup."""
    model = model or load_char_model()
    fold = not any(ord(char) in FULLWIDTH_FORMS for char in text)
    foreign = model.foreign_script(text)
    repairs = []
    for start, end in _suspicious_windows(text, model):
        for stretch in split_cells(text, model, start, end):
            for plan in plan_runs(stretch, model):
                repair = _repair(text, plan, fold, foreign, model)
                if repair is not None:
                    repairs.append(repair)
    return RepairResult(_apply(text, repairs), tuple(repairs))


def find_runs(text: str, model: CharModel | None = None) -> list[Repair]:
    """The damaged runs the text still holds; empty for clean text."""
    return list(repair_mojibake(text, model).repairs)


def _suspicious_windows(text: str, model: CharModel) -> Iterator[tuple[int, int]]:
    """Damage always leaves a rare character or a mark behind; text far from one is clean."""
    window: tuple[int, int] | None = None
    for match in model.suspicious.finditer(text):
        line_start = text.rfind(PARAGRAPH_END, 0, match.start()) + 1
        line_end = text.find(PARAGRAPH_END, match.end())
        start = max(line_start, match.start() - SUSPICIOUS_WINDOW)
        end = min(line_end if line_end >= 0 else len(text), match.end() + SUSPICIOUS_WINDOW)
        if window and start <= window[1]:
            window = (window[0], max(window[1], end))
            continue
        if window:
            yield window
        window = (start, end)
    if window:
        yield window


def _repair(text: str, plan: RunPlan, fold: bool, foreign: frozenset[str], model: CharModel) -> Repair | None:
    """The run's repair, if its recovery reads far likelier than the run itself: a margin per cell
    keeps unlucky clean text, which the Viterbi may read as damage by a hair, untouched."""
    around = _surroundings(text, plan, foreign)
    recovery = recover_run(plan, around, model)
    cells = plan.cells
    gain = damaged_cost(cells, around, model) - recovery.cost
    if gain < max(MIN_GAIN, MIN_GAIN_PER_CELL * len(cells)):
        return None
    recovered = _fold(recovery.text) if fold else recovery.text
    if around.tag_swallowed:
        recovered += "<"
    start, end = cells[0].start, cells[-1].end
    return Repair(start, end, text[start:end], recovered, recovery.dropped)


def _surroundings(text: str, plan: RunPlan, foreign: frozenset[str]) -> Surroundings:
    cells = plan.cells
    start, end = cells[0].start, cells[-1].end
    line_start = text.rfind(PARAGRAPH_END, 0, start) + 1
    line_end = text.find(PARAGRAPH_END, end)
    before = PINYIN_NOTE.sub("", text[max(line_start, start - 3 * CONTEXT_CHARS) : start])[-CONTEXT_CHARS:]
    swallowed = plan.ending != "ascii" and BROKEN_CLOSING_TAG.match(text, end) is not None
    after = PINYIN_NOTE.sub("", text[end : line_end if line_end >= 0 else len(text)][: 3 * CONTEXT_CHARS])
    after = after[:CONTEXT_CHARS] if after and not after.startswith("<") and not swallowed else ""
    paragraph = text[line_start:start]
    return Surroundings(
        before=before,
        after=after or PARAGRAPH_END,
        dup_byte=_dup_byte(text, start),
        quote_open=paragraph.count("“") > paragraph.count("”"),
        tag_swallowed=swallowed,
        foreign=foreign,
    )


def _dup_byte(text: str, start: int) -> Byte:
    """The trail byte of the character just before the run, which the first garbage byte repeats."""
    before = text[start - 1 : start]
    if not before or before == LOST or NOTE_BEFORE.search(text, max(0, start - 12), start):
        return None
    encoded = before.encode("gb18030")
    return encoded[1] if len(encoded) == 2 else None


def _fold(text: str) -> str:
    """Match the document, whose full-width punctuation was folded to ASCII."""
    return "".join(chr(ord(char) - FULLWIDTH_OFFSET) if ord(char) in FULLWIDTH_FORMS else char for char in text)


def _apply(text: str, repairs: Sequence[Repair]) -> str:
    parts, cursor = [], 0
    for repair in sorted(repairs, key=lambda repair: repair.start):
        parts += [text[cursor : repair.start], repair.recovered]
        cursor = repair.end
    parts.append(text[cursor:])
    return "".join(parts)
