"""Which stretches of a passage to bold: computed only for the few matches shown, never the pool."""

from __future__ import annotations

from rapidfuzz import fuzz

from bot.search.query import Plan
from bot.search.rank import Entry, Scored

MIN_ALIGNMENT = 60.0  # below this the "best aligned stretch" is not worth bolding


def highlight_spans(plan: Plan, entry: Entry, scored: Scored) -> list[tuple[int, int]]:
    """Folded spans: every occurrence of the whole query, else its best fuzzy alignment plus the concepts found."""
    spans: list[tuple[int, int]] = []
    if not plan.pinyin and plan.folded and plan.folded in entry.folded:
        start = entry.folded.find(plan.folded)
        while start >= 0:
            spans.append((start, start + len(plan.folded)))
            start = entry.folded.find(plan.folded, start + len(plan.folded))
        return spans
    if scored.lexical >= scored.conceptual and len(plan.folded) >= 2:
        needle, haystack = (plan.sound, entry.sound) if plan.pinyin else (plan.folded, entry.folded)
        alignment = fuzz.partial_ratio_alignment(needle, haystack)
        if plan.han and not plan.pinyin:
            by_sound = fuzz.partial_ratio_alignment(plan.sound, entry.sound)
            if by_sound is not None and (alignment is None or by_sound.score > alignment.score):
                alignment = by_sound
        if alignment is not None and alignment.score >= MIN_ALIGNMENT:
            start, end = alignment.dest_start, alignment.dest_end
            if len(needle) > len(haystack):
                start, end = 0, len(haystack)
            if end > start:
                spans.append((start, end))
                return spans
    spans.extend(scored.spans)
    return spans
