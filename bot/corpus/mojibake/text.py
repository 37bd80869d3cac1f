"""Stage 5, the whole text: look near each mark of damage, repair the runs found there, and
apply the repairs, recording where each run stood in the input."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.corpus.mojibake.model import PARAGRAPH_END, CharModel
from bot.corpus.mojibake.recovery import Repair, repairs_in

SUSPICIOUS_WINDOW = 20  # runs are shorter than this, so damage lies this close to its mark


@dataclass(frozen=True)
class RepairResult:
    text: str
    repairs: tuple[Repair, ...]

    @property
    def dropped(self) -> int:
        return sum(repair.dropped for repair in self.repairs)


def repair_text(text: str, model: CharModel) -> RepairResult:
    """Replace every damaged run with the text it was."""
    fold = not model.has_fullwidth(text)
    foreign = model.foreign_script(text)
    repairs = []
    for start, end in _suspicious_windows(text, model):
        repairs += repairs_in(text, start, end, fold, foreign, model)
    return RepairResult(_apply(text, repairs), tuple(repairs))


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


def _apply(text: str, repairs: Sequence[Repair]) -> str:
    parts, cursor = [], 0
    for repair in sorted(repairs, key=lambda repair: repair.start):
        parts += [text[cursor : repair.start], repair.recovered]
        cursor = repair.end
    parts.append(text[cursor:])
    return "".join(parts)
