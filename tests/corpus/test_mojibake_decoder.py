"""The slot decoder's tables and the per-process memo of recoveries change no repair.

``decode_slots`` works a step at a time on tables (options before x options now) and looks up only
the pairs of characters the model lists; the reference below is the plain scan it replaced: for
each option, every path before it tried in order, keeping a strictly cheaper one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.mojibake import load_char_model, recovery, repair_mojibake
from bot.corpus.mojibake.model import INF
from bot.corpus.mojibake.slots import KNOWN, Option, _fixed_char, _neighbour_cost, decode_slots

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
DAMAGED_SEEDS = ("000_de9d05bb3827361c.txt", "002_b1b6fddccfa7d0fa.txt")


def scan_decode(slots, slot_options):
    """The decoder as a scan over paths (cost, penalty, options), one option at a time."""
    around, model = slot_options.around, slot_options.model
    start = Option(around.before[-1:] or "\n", 0.0, 0.0, False)
    paths = [(0.0, 0.0, (start,))]
    next_links = [slot.link for slot in slots[1:]] + [KNOWN]
    fixed = [start.char] + [_fixed_char(slot, model) for slot in slots] + [around.after[:1]]

    def extend(paths, link, option):
        best = (INF, INF, ())
        for cost, penalty, options in paths:
            fit, clash = _neighbour_cost(options[-1], option, link, model)
            if cost + fit + clash < best[0]:
                best = (cost + fit + clash, penalty + clash, options)
        return best[0] + option.cost + option.penalty, best[1] + option.penalty, best[2] + (option,)

    for index, (slot, next_link) in enumerate(zip(slots, next_links)):
        neighbours = (fixed[index], fixed[index + 2])
        paths = [extend(paths, slot.link, option) for option in slot_options(slot, next_link, neighbours)]
    cost, penalty, options = extend(paths, KNOWN, Option(around.after[:1], 0.0, 0.0, False))
    if cost == INF:
        return None
    return [option.char for option in options[1:-1]], penalty


@pytest.fixture(scope="module")
def decoded_runs(monkeypatch_module):
    """Every (slots, options) the repair of the damaged seeds decodes, with the decoder's answer."""
    seen = []

    def recording(slots, slot_options):
        answer = decode_slots(slots, slot_options)
        seen.append((slots, slot_options, answer))
        return answer

    monkeypatch_module.setattr(recovery, "decode_slots", recording)
    model = load_char_model()
    model.recoveries.clear()
    for name in DAMAGED_SEEDS:
        repair_mojibake((SEEDS / name).read_text(encoding="utf-8"), model)
    return seen


@pytest.fixture(scope="module")
def monkeypatch_module():
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


def test_the_table_decoder_answers_as_the_scan_on_every_run_of_the_damaged_seeds(decoded_runs):
    assert len(decoded_runs) > 100
    answered = 0
    for slots, slot_options, answer in decoded_runs:
        expected = scan_decode(slots, slot_options)
        if expected is None:
            assert answer is None
            continue
        answered += 1
        assert answer[0] == expected[0]
        assert answer[1] == expected[1]  # the same sums in the same order: equal, not close
    assert answered > 50  # most decodes find characters that fit


def test_a_run_repeated_elsewhere_is_recovered_once_and_repaired_the_same():
    model = load_char_model()
    damaged = (SEEDS / DAMAGED_SEEDS[0]).read_text(encoding="utf-8").splitlines()
    paragraph = next(line for line in damaged if repair_mojibake(line, model).repairs)
    model.recoveries.clear()
    first = repair_mojibake(paragraph, model)
    remembered = len(model.recoveries)
    assert remembered >= 1
    shifted = repair_mojibake("前言。\n" + paragraph, model)  # the same runs at other offsets
    assert len(model.recoveries) == remembered
    assert shifted.text == "前言。\n" + first.text
    assert [r.start - len("前言。\n") for r in shifted.repairs] == [r.start for r in first.repairs]
    model.recoveries.clear()
    assert repair_mojibake("前言。\n" + paragraph, model).text == shifted.text  # computed afresh: the same


def test_neighbour_tables_hold_every_pair_cost_the_pairwise_rule_gives():
    """The tables find a word's pairs by the model's followers of each character: every pair of two
    option lists (simplified and traditional characters, stops and closing marks, dropped options)
    costs in the table what ``_neighbour_cost`` gives it one pair at a time."""
    from bot.corpus.mojibake.slots import _neighbour_tables

    model = load_char_model()
    chars = ["", "开", "開", "放", "源", "模", "型", "。", "”", "，", "“", "的", "人", "工", "智", "能", "A"]
    before = [Option(c, 1.0, 0.0, n % 2 == 0, None) for n, c in enumerate(chars)]
    after = [Option(c, 1.0, 0.0, n % 3 == 0, None) for n, c in enumerate(reversed(chars))]
    fits, clashes = _neighbour_tables(before, after, KNOWN, model)
    assert (fits != 0).sum() >= 5  # 开放, 開放, 模型, 人工, 。” among them
    for row, first in enumerate(before):
        for column, second in enumerate(after):
            assert (fits[row, column], clashes[row, column]) == _neighbour_cost(first, second, KNOWN, model)


def test_word_partners_are_the_characters_is_word_accepts():
    """``_likely_codes`` asks ``is_word`` of a neighbour and each of ~170 candidates by set
    membership: the sets hold exactly the characters ``is_word`` accepts, on either side, for a
    neighbour in either script or none at all."""
    model = load_char_model()
    candidates = [model.chars[code] for code in model.cheapest_codes] + list("開發源碼型龍")
    for neighbour in ["开", "開", "源", "人", "的", "。", "A", ""]:
        ends, _ = model.word_partners(neighbour, "")
        _, starts = model.word_partners("", neighbour)
        for char in candidates:
            simple = model.simplified.get(char, char)
            assert (simple in ends) == model.is_word(neighbour, char)
            assert (simple in starts) == model.is_word(char, neighbour)
