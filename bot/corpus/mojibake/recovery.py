"""Stage 4, recovering a run: fill the bytes the damage hid from notes, frequency, neighbours and
punctuation, and keep the recovery only where it reads far likelier than the run as it stands.

Each original character of a run (a slot) is the trail byte of one garbage character and the
lead byte of the next. Known bytes spell it out; a byte hidden by a lost or vanished garbage
character is guessed by a second Viterbi over the slots, so guessed neighbours agree.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.chars import is_han
from bot.corpus.mojibake.model import INF, PARAGRAPH_END, CharModel
from bot.corpus.mojibake.runs import UNKNOWN_PAIR, VANISHED_COST, Cell, Pair, RunPlan, Surroundings, runs_in
from bot.corpus.mojibake.slots import (
    HINT_IGNORED_COST,
    KNOWN,
    LOST_LINK,
    TONELESS_HINT_COST,
    VANISHED_LINK,
    Slot,
    SlotOptions,
    decode_slots,
)

DUP_MISMATCH_COST = 12.0  # the first garbage byte repeats the last byte of the character before
MIN_GAIN = 18.0  # accepted runs are this many bits more likely than the damaged text, at least
MIN_GAIN_PER_CELL = 6.0
MAX_HINTED_READINGS = 12  # garbage characters tried for one note, so that notes cannot multiply out
MAX_CHOICES_WITH_VANISHED = 4  # beyond this many readings of noted characters, vanishing tries the best
IMPLAUSIBLE_COST = 15.0  # a recovered character this rare must earn its place by forming a word


@dataclass(frozen=True)
class Repair:
    start: int  # offset of the damaged run in the INPUT text
    end: int
    damaged: str  # the input text of the run
    recovered: str  # what replaced it
    dropped: int  # characters that could not be recovered and were dropped


def repairs_in(text: str, start: int, end: int, fold: bool, foreign: frozenset[str], model: CharModel) -> list[Repair]:
    """The repairs of the runs between `start` and `end`; `fold`: write full-width marks as ASCII."""
    repairs = []
    for plan, around in runs_in(text, start, end, foreign, model):
        repair = _repair(text, plan, around, fold, model)
        if repair is not None:
            repairs.append(repair)
    return repairs


def _repair(text: str, plan: RunPlan, around: Surroundings, fold: bool, model: CharModel) -> Repair | None:
    """The run's repair, if its recovery reads far likelier than the run itself: a margin per cell
    keeps unlucky clean text, which the Viterbi may read as damage by a hair, untouched."""
    recovery = recover_run(plan, around, model)
    cells = plan.cells
    gain = damaged_cost(cells, around, model) - recovery.cost
    if gain < max(MIN_GAIN, MIN_GAIN_PER_CELL * len(cells)):
        return None
    recovered = model.halfwidth(recovery.text) if fold else recovery.text
    if around.tag_swallowed:
        recovered += "<"
    start, end = cells[0].start, cells[-1].end
    return Repair(start, end, text[start:end], recovered, recovery.dropped)



@dataclass(frozen=True)
class Recovery:
    text: str
    cost: float
    dropped: int


Pieces = tuple[tuple["Cell | None", Pair], ...]


RECOVERIES_KEPT = 1 << 14  # runs remembered per process at most; past it the memory is given back


def recover_run(plan: RunPlan, around: Surroundings, model: CharModel) -> Recovery:
    """The likeliest original over the readings of noted lost characters, with at most one vanished
    garbage character anywhere inside the run (the run-finding Viterbi is too coarse to see where).

    Remembered per process by what it reads: the run's cells without their offsets, and the text
    around it. Damage repeats (a copied or syndicated paragraph carries the same damaged run, in
    the same words around it), and the decoder is most of a repair."""
    key = (plan_content(plan), around)
    found = model.recoveries.get(key)
    if found is None:
        if len(model.recoveries) >= RECOVERIES_KEPT:
            model.recoveries.clear()
        found = model.recoveries[key] = _recover_run(plan, around, model)
    return found


def plan_content(plan: RunPlan) -> tuple:
    """Everything of a run a recovery reads: each piece's cell and pair, the ending; no offsets."""
    return (tuple((_cell_content(cell), pair) for cell, pair in plan.pieces), plan.ending,
            _cell_content(plan.last_cell), plan.last_byte)


def _cell_content(cell: Cell | None) -> tuple | None:
    if cell is None:
        return None
    return (cell.char, cell.hint, cell.pairs, cell.last_bytes, cell.text_cost)


def _recover_run(plan: RunPlan, around: Surroundings, model: CharModel) -> Recovery:
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
    decoded = decode_slots(_slots(plan, pieces, pairs), options)
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
    if not is_han(char) or model.cost_of_text_char(char) < IMPLAUSIBLE_COST:
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
    return model.optimistic_cost(None, code >> 8) + model.optimistic_cost(code & 0xFF, None)


def _codes_for_reading(reading: str, model: CharModel) -> Iterator[tuple[int, float]]:
    toned = model.codes_read_as(reading)
    toneless = model.codes_read_as(reading, toned=False) - toned
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
