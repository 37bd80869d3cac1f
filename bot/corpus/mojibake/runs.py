"""Stage 3, finding runs: a Viterbi over each stretch of cells, reading every cell either as text
or as damage, then what the text around each run says about it.

A run must buy its way in: read as damage, a cell costs the original character its bytes make,
so only stretches far likelier as damage than as written become runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.corpus.mojibake.cells import UNKNOWN_PAIR, Cell, Pair, byte_before, split_cells, swallowed_tag_at, without_notes
from bot.corpus.mojibake.model import INF, PARAGRAPH_END, Byte, CharModel

__all__ = ["UNKNOWN_PAIR", "VANISHED_COST", "Cell", "Pair", "RunPlan", "Surroundings", "plan_runs", "runs_in"]

RUN_START_COST = 10.0  # a run must buy its way in with far more likely text
LOST_BYTE_COST = 4.0  # the run's last byte vanished without leaving even a `?`
VANISHED_COST = 1.0  # about half of the garbage that decodes as private use vanished
CONTEXT_CHARS = 6  # how much clean text either side of a run the word model reads along

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
        yield (GARBAGE, pair_index), model.optimistic_cost(trail, lead)
        vanished = model.cost_before_vanished.get(trail, INF) if trail is not None else model.cheapest_cost
        vanished += model.optimistic_cost(None, lead)
        yield (VANISHED_BEFORE, pair_index), vanished + VANISHED_COST
    for byte_index, byte in enumerate(cell.last_bytes):
        yield (LAST, byte_index), model.optimistic_cost(trail, byte)
    yield CLEAN, model.optimistic_cost(trail, None) + LOST_BYTE_COST + cell.text_cost


def _start_cost(previous_cell: Cell | None, pair: Pair, previous_kind: str) -> float:
    """A known first garbage character starts with the last byte of the clean character before it."""
    lead = pair[0]
    if lead is None:
        return 0.0
    if previous_kind != CLEAN[0] or previous_cell is None or previous_cell.hint or previous_cell.lost:
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
    return model.optimistic_cost(trail, None) + LOST_BYTE_COST


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


@dataclass(frozen=True)
class Surroundings:
    """What the text around a run says about the characters it may hold."""

    before: str  # clean text before the run, pinyin notes left out
    after: str  # clean text after it; PARAGRAPH_END first where the paragraph ends
    dup_byte: Byte  # the byte the first garbage character repeats
    quote_open: bool  # an “ earlier in the paragraph still waits for its ”
    tag_swallowed: bool  # the run's last byte took the `<` of the closing tag after it
    foreign: frozenset[str]  # characters of the other script


def runs_in(
    text: str, start: int, end: int, foreign: frozenset[str], model: CharModel
) -> Iterator[tuple[RunPlan, Surroundings]]:
    """Every run between `start` and `end`, in text order, with its surroundings."""
    for stretch in split_cells(text, model, start, end):
        for plan in plan_runs(stretch, model):
            yield plan, surroundings(text, plan, foreign)


def surroundings(text: str, plan: RunPlan, foreign: frozenset[str]) -> Surroundings:
    cells = plan.cells
    start, end = cells[0].start, cells[-1].end
    line_start = text.rfind(PARAGRAPH_END, 0, start) + 1
    line_end = text.find(PARAGRAPH_END, end)
    before = without_notes(text[max(line_start, start - 3 * CONTEXT_CHARS) : start])[-CONTEXT_CHARS:]
    swallowed = plan.ending != "ascii" and swallowed_tag_at(text, end)
    after = without_notes(text[end : line_end if line_end >= 0 else len(text)][: 3 * CONTEXT_CHARS])
    after = after[:CONTEXT_CHARS] if after and not after.startswith("<") and not swallowed else ""
    paragraph = text[line_start:start]
    return Surroundings(
        before=before,
        after=after or PARAGRAPH_END,
        dup_byte=byte_before(text, start),
        quote_open=paragraph.count("“") > paragraph.count("”"),
        tag_swallowed=swallowed,
        foreign=foreign,
    )
