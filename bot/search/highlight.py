"""Which stretches of a passage to bold: computed only for the matches shown, never the whole pool."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from bot.corpus.models import Passage
from bot.search.normalise import fold_with_offsets_as
from bot.search.query import Plan
from bot.search.rank import Entry, Scored, entry_of, merge_spans, score

if TYPE_CHECKING:
    from bot.search.index import Index

MIN_ALIGNMENT = 70.0  # below this the "best aligned stretch" is not worth bolding


def passage_highlights(plan: Plan, index: "Index", number: int, passage: Passage,
                       scored: Scored | None = None) -> tuple[tuple[int, int], ...]:
    """Spans of ``passage.text`` to bold, mapped from folded text by the offsets the build saved
    (``display_columns``), or, for a library saved without them, computed here for this hit.

    ``scored`` is the ranker's full score of the passage, reused when the passage folds to the
    text the index holds (always, unless the index was built by other code): scoring it again
    costs two fuzzy comparisons and a pass over the query's concepts."""
    held = index.folded[number]
    saved = index.display.offsets_of(number) if index.display is not None else None
    if saved is not None:  # the build saved where each folded character came from: no fold per hit
        folded, offsets = held, saved
    else:
        folded, offsets = fold_with_offsets_as(passage.text, held)
    sound = index.sound[number]
    entry = entry_of(index, number, folded, sound)
    if len(entry.sound) != len(folded):  # never expected: the index folds the same text the same way
        entry = entry_of(index, number, folded, folded)
    if scored is None or entry.folded != held or entry.sound != sound:
        scored = score(plan, entry)
    spans = [(int(offsets[start]), int(offsets[end - 1]) + 1) for start, end in highlight_spans(plan, entry, scored)
             if 0 <= start < end <= len(offsets)]
    return tuple(merge_spans(spans, len(passage.text)))


def highlight_spans(plan: Plan, entry: Entry, scored: Scored) -> list[tuple[int, int]]:
    """Folded spans to bold.

    - the whole query, wherever it occurs;
    - a query typed as one stretch (a quotation, maybe with typos, or pinyin): its best
      alignment, by characters or by sound;
    - scattered key words, English concepts, names: each typed stretch found as it is, and
      the first places of the concepts found.
    """
    folded = entry.folded
    if not plan.pinyin and plan.folded in folded:
        return _all_occurrences(plan.folded, folded)
    if len(plan.chunks) <= 1:
        span = _alignment(plan, entry)
        if span:
            return [span]
        return list(scored.spans)
    spans = list(scored.spans)
    for chunk, _sound, _weight in plan.chunks:
        if len(chunk) >= 2:
            start = folded.find(chunk)
            if start >= 0:
                spans.append((start, start + len(chunk)))
    return spans


def _all_occurrences(needle: str, haystack: str) -> list[tuple[int, int]]:
    spans = []
    start = haystack.find(needle)
    while start >= 0:
        spans.append((start, start + len(needle)))
        start = haystack.find(needle, start + len(needle))
    return spans


def _alignment(plan: Plan, entry: Entry) -> tuple[int, int] | None:
    """The stretch of the passage that best matches the query, by characters or (typos, pinyin) by sound."""
    if len(plan.folded) < 2:
        return None
    candidates = []
    if not plan.pinyin:
        candidates.append(fuzz.partial_ratio_alignment(plan.folded, entry.folded, score_cutoff=MIN_ALIGNMENT))
    if plan.pinyin or plan.han:
        candidates.append(fuzz.partial_ratio_alignment(plan.sound, entry.sound, score_cutoff=MIN_ALIGNMENT))
    found = [c for c in candidates if c is not None]
    if not found:
        return None
    best = max(found, key=lambda c: c.score)
    if len(plan.sound if plan.pinyin else plan.folded) > len(entry.folded):
        return (0, len(entry.folded))  # the query is longer than the passage: all of it matched
    return (best.dest_start, best.dest_end) if best.dest_end > best.dest_start else None
