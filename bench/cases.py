"""The dev set's cases and how a ranked list is judged, borrowed from ``bot.evaluation``.

Judging through ``bot.evaluation.contains`` and ``Tally`` keeps every figure here comparable
with ``bot eval``: a peer is scored exactly as our bot is. Cases are read from the YAML file
at run time; no case text lives in this code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from bot.corpus.models import Passage
from bot.evaluation import HARD_KINDS, RANK_DEPTH, Tally, contains, load_cases

__all__ = ["HARD_KINDS", "RANK_DEPTH", "contains", "QuoteCase", "StoredPassage", "WhoSaidCase", "judge", "quote_cases", "who_said_cases", "rank_of"]


@dataclass(frozen=True)
class QuoteCase:
    id: str
    kind: str
    query: str
    doc: str
    expect: str


@dataclass(frozen=True)
class StoredPassage:
    """What a peer hands back when it runs without our library: enough for ``contains`` to judge it."""

    doc_id: str
    text: str


@dataclass(frozen=True)
class WhoSaidCase:
    id: str
    kind: str
    query: str
    speakers: tuple[str, ...]  # any of these names (canonical or English) is right


def quote_cases(path: Path) -> list[QuoteCase]:
    return [
        QuoteCase(str(c.get("id", c["query"])), str(c.get("kind", "other")), str(c["query"]), str(c.get("doc", "")), str(c["expect"]))
        for c in load_cases(Path(path)).get("quote") or []
    ]


def who_said_cases(path: Path) -> list[WhoSaidCase]:
    cases = []
    for c in load_cases(Path(path)).get("who_said") or []:
        names = tuple(n for n in (str(c.get("speaker") or ""), str(c.get("speaker_en") or "")) if n)
        cases.append(WhoSaidCase(str(c.get("id", c["query"])), str(c.get("kind", "other")), str(c["query"]), names))
    return cases


def rank_of(passages: Iterable[Passage], case: QuoteCase, *, any_doc: bool = False) -> int | None:
    """1-based rank of the first passage holding the expected text (in the expected doc unless ``any_doc``)."""
    doc = "" if any_doc else case.doc
    for rank, passage in enumerate(passages, 1):
        if rank > RANK_DEPTH:
            return None
        if contains(passage, doc, case.expect):
            return rank
    return None


def judge(ranks: list[tuple[QuoteCase, int | None]]) -> dict:
    """recall@1, recall@3 and MRR overall, for the core kinds, and per kind."""
    kinds: dict[str, Tally] = defaultdict(Tally)
    overall, core = Tally(), Tally()
    for case, rank in ranks:
        for tally in (kinds[case.kind], overall):
            tally.add(rank, case.id)
        if case.kind not in HARD_KINDS:
            core.add(rank, case.id)
    return {
        "overall": overall.figures(),
        "core": core.figures(),
        "kinds": {k: t.figures() for k, t in sorted(kinds.items())},
    }
