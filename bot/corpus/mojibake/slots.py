"""Stage 4's decoder: one reading of a run's bytes to characters, by a Viterbi over its slots.

A slot is one original character: the trail byte of one garbage character and the lead byte
of the next. Known bytes spell it out; a byte hidden by a lost or vanished garbage character
leaves several candidates, and the Viterbi lets guessed neighbours agree with each other
(word pairs are cheaper, clashing punctuation is ruled out). `recovery` chooses which readings
of the run to decode.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.corpus.mojibake.model import (
    CLOSING_PUNCTUATION,
    FREE_CANDIDATES,
    INF,
    OPENING_PUNCTUATION,
    PARAGRAPH_END,
    SENTENCE_PUNCTUATION,
    TERMINAL_PUNCTUATION,
    Byte,
    CharModel,
)
from bot.corpus.mojibake.runs import Surroundings

HINT_IGNORED_COST = 10.0  # trusting frequency over a pinyin note needs a clear margin
TONELESS_HINT_COST = 2.0
PUNCT_CLASH_COST = 30.0
NESTED_QUOTE_COST = 8.0  # an “ while another is still open
UNOPENED_QUOTE_COST = 2.0  # a ” with no “ in sight: snippets and quoted paragraphs have those
DROP_TIE_BREAK = 1.0  # keep a valid character the bytes spell out rather than drop it
WORD_MAKING_CANDIDATES = 8  # rarer characters let in because they make a word with a neighbour
FOREIGN_SCRIPT_COST = 6.0  # a guessed simplified character in a traditional document, or back

KNOWN, LOST_LINK, VANISHED_LINK = "known", "lost", "vanished"
NO_FOLLOWERS: frozenset[str] = frozenset()
MAY_CLASH = SENTENCE_PUNCTUATION | OPENING_PUNCTUATION  # ``punctuation_clashes`` is false unless the first is one of these


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


class SlotOptions:
    """The characters each slot may hold, and what each two of them cost side by side; memoised, as
    every variant of a run asks again (a run is decoded once per reading of its noted characters
    and per place a garbage character may have vanished, and the variants share most slots)."""

    def __init__(self, around: Surroundings, model: CharModel) -> None:
        self.around = around
        self.model = model
        self._known: dict[tuple[Slot, str, tuple[str, str]], list[Option]] = {}
        self.start = [Option(around.before[-1:] or PARAGRAPH_END, 0.0, 0.0, False)]
        self.end = [Option(around.after[:1], 0.0, 0.0, False)]
        # keyed by the option lists' ids: every list is kept alive by ``_known`` or ``start``/``end``
        self._costs: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._neighbours: dict[tuple[int, int, str], tuple[np.ndarray, np.ndarray]] = {}
        self._rows: dict[int, Rows] = {}  # an option list's rows and columns in the tables it meets
        self._columns: dict[int, Columns] = {}

    def __call__(self, slot: Slot, next_link: str, neighbours: tuple[str, str]) -> list[Option]:
        key = (slot, next_link, neighbours)
        if key not in self._known:
            self._known[key] = _slot_options(slot, next_link, neighbours, self.around, self.model)
        return self._known[key]

    def costs(self, options: list[Option]) -> tuple[np.ndarray, np.ndarray]:
        """(cost, penalty) of each option, as arrays."""
        found = self._costs.get(id(options))
        if found is None:
            found = self._costs[id(options)] = (np.array([o.cost for o in options], dtype=np.float64),
                                                np.array([o.penalty for o in options], dtype=np.float64))
        return found

    def neighbours(self, before: list[Option], after: list[Option], link: str) -> tuple[np.ndarray, np.ndarray]:
        """``_neighbour_cost`` of every (option before, option after) pair as two tables, (fits,
        clashes), a row per option before. Most pairs neither make a word nor clash: their fit is
        0 (``cost_after`` of a pair ``pair_counts`` does not list is the cost alone), so only the
        listed pairs, and the rows of punctuation, are worked out one by one."""
        key = (id(before), id(after), link)
        found = self._neighbours.get(key)
        if found is None:
            rows = self._rows.get(id(before))
            if rows is None:
                rows = self._rows[id(before)] = _rows(before, self.model)
            columns = self._columns.get(id(after))
            if columns is None:
                columns = self._columns[id(after)] = _columns(after, self.model)
            found = self._neighbours[key] = _neighbour_tables(before, after, link, self.model, rows, columns)
        return found


Rows = list[tuple[int, Option, frozenset[str]]]  # (row, option, the characters that follow it in a word)
Columns = tuple[list[tuple[int, Option]], dict[str, list[int]], list[int]]  # see ``_columns``


def _rows(options: list[Option], model: CharModel) -> Rows:
    """The options with a character, each with the simplified characters that follow it in a word."""
    followers, simplified = model.followers, model.simplified
    return [(row, option, followers.get(simplified.get(option.char, option.char), NO_FOLLOWERS))
            for row, option in enumerate(options) if option.char]


def _columns(options: list[Option], model: CharModel) -> Columns:
    """(the options with a character, by column; their columns by simplified character; the columns
    of closing marks)."""
    seconds = [(column, option) for column, option in enumerate(options) if option.char]
    by_simple: dict[str, list[int]] = {}
    for column, option in seconds:
        by_simple.setdefault(model.simplified.get(option.char, option.char), []).append(column)
    return seconds, by_simple, [column for column, option in seconds if option.char in CLOSING_PUNCTUATION]


def _neighbour_tables(before: list[Option], after: list[Option], link: str, model: CharModel,
                      rows: Rows | None = None, columns: Columns | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``rows`` and ``columns``: ``_rows(before)`` and ``_columns(after)`` when already made (an
    option list meets several others)."""
    fits = np.zeros((len(before), len(after)), dtype=np.float64)
    clashes = np.zeros((len(before), len(after)), dtype=np.float64)
    seconds, columns_by_simple, closing = columns if columns is not None else _columns(after, model)
    after_simples = columns_by_simple.keys()  # iterated by the intersection below: the few options, not the many followers
    for row, first, follows in rows if rows is not None else _rows(before, model):
        # the columns whose pair ``pair_counts`` lists (a word's two characters), and after a stop its
        # closing marks: every other pair fits 0, ``model.fit``'s cost alone
        listed = [c for s in follows.intersection(after_simples) for c in columns_by_simple[s]]
        if first.char in TERMINAL_PUNCTUATION:
            listed.extend(closing)
        for column in listed:
            fits[row, column] = model.fit(first.char, after[column].char)
        if first.char in MAY_CLASH:
            for column, second in seconds:
                if (first.guessed or second.guessed) and model.punctuation_clashes(first.char, second.char):
                    clashes[row, column] = PUNCT_CLASH_COST
    if link != KNOWN:
        apart = ~_garbage_between_fits_table(before, after, link, model)
        fits[apart] = INF
        clashes[apart] = 0.0
    return fits, clashes


def _garbage_between_fits_table(before: list[Option], after: list[Option], link: str, model: CharModel) -> np.ndarray:
    """``_garbage_between_fits`` of every pair, as a boolean table."""
    first_codes = np.array([-1 if option.code is None else option.code for option in before], dtype=np.int64)
    second_codes = np.array([-1 if option.code is None else option.code for option in after], dtype=np.int64)
    coded = (first_codes[:, None] >= 0) & (second_codes[None, :] >= 0)
    garbage = ((first_codes[:, None] & 0xFF) << 8 | second_codes[None, :] >> 8) & 0xFFFF
    table = model.code_table if link == LOST_LINK else model.private_use_table
    if link == LOST_LINK:
        first_empty = np.array([not option.char for option in before])
        second_empty = np.array([not option.char for option in after])
        uncoded = first_empty[:, None] | second_empty[None, :]
    else:
        uncoded = np.zeros(coded.shape, dtype=bool)
    return np.where(coded, table[garbage], uncoded)


def decode_slots(slots: Sequence[Slot], slot_options: SlotOptions) -> tuple[list[str], float] | None:
    """A Viterbi over the slots' options, so that guessed neighbours can agree with each other.

    Returns a character for each slot ("" where it is dropped) and the penalties they earned, or
    None where no characters fit the bytes together.

    Each step is one table, options before x options now, of ``(cost + fit) + clash`` in float64
    (the order the sums were always made in); each option keeps the first cheapest option before
    it (``argmin``), as a scan in order keeping only strictly cheaper ones does. A column with no
    finite cost stays infinite whichever it keeps, and a decode whose best is infinite is None.
    """
    around, model = slot_options.around, slot_options.model
    next_links = [slot.link for slot in slots[1:]] + [KNOWN]
    fixed = [slot_options.start[0].char] + [_fixed_char(slot, model) for slot in slots] + [around.after[:1]]
    layers = [slot_options.start]
    links = []
    for index, (slot, next_link) in enumerate(zip(slots, next_links)):
        neighbours = (fixed[index], fixed[index + 2])
        layers.append(slot_options(slot, next_link, neighbours))
        links.append(slot.link)
    layers.append(slot_options.end)
    links.append(KNOWN)
    cost = np.zeros(1)
    penalty = np.zeros(1)
    pointers = []
    for before, after, link in zip(layers, layers[1:], links):
        fits, clashes = slot_options.neighbours(before, after, link)
        own_cost, own_penalty = slot_options.costs(after)
        total = (cost[:, None] + fits) + clashes
        best = total.argmin(axis=0)
        columns = np.arange(len(after))
        cost = (total[best, columns] + own_cost) + own_penalty
        penalty = (penalty[best] + clashes[best, columns]) + own_penalty
        pointers.append(best)
    if cost[0] == INF:
        return None
    chars = []
    choice = int(pointers[-1][0])  # the last slot's option before the end
    for layer, pointer in zip(reversed(layers[1:-1]), reversed(pointers[:-1])):
        chars.append(layer[choice].char)
        choice = int(pointer[choice])
    chars.reverse()
    return chars, float(penalty[0])


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
    codes = model.codes_for_bytes(slot.lead, slot.trail)
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
        return [code for code in codes if model.can_lead(code & 0xFF)]
    return codes


def _likely_codes(codes: Sequence[int], hint: str | None, neighbours: tuple[str, str], model: CharModel) -> list[int]:
    """The commonest candidates, plus any rarer one that the note reads as or that makes a word with
    a known neighbour."""
    reading = model.codes_read_as(hint, toned=False) if hint else frozenset()
    before, after = neighbours
    # is_word(before, char) or is_word(char, after), by set membership (``CharModel.word_ends``)
    ends, starts = model.word_partners(before, after) if len(before) <= 1 and len(after) <= 1 else (None, None)
    likely = list(codes[:FREE_CANDIDATES])
    word_makers = 0
    for code in codes[FREE_CANDIDATES:]:
        char = model.chars[code]
        if code in reading:
            likely.append(code)
        elif word_makers < WORD_MAKING_CANDIDATES and (
            (simple := model.simplified.get(char, char)) in ends or simple in starts if ends is not None
            else model.is_word(before, char) or model.is_word(char, after)
        ):
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
    if not hint or code in model.codes_read_as(hint):
        return 0.0
    if code in model.codes_read_as(hint, toned=False):
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
    if (first.guessed or second.guessed) and model.punctuation_clashes(first.char, second.char):
        return fit, PUNCT_CLASH_COST
    return fit, 0.0


def _garbage_between_fits(first: Option, second: Option, link: str, model: CharModel) -> bool:
    """A lost garbage character was a valid pair of bytes; a vanished one decoded as private use."""
    if first.code is None or second.code is None:
        return link == LOST_LINK and (not first.char or not second.char)
    garbage = (first.code & 0xFF) << 8 | second.code >> 8
    return garbage in (model.code_cost if link == LOST_LINK else model.private_use_codes)
