"""Where one /quote's time goes, stage by stage: the tail of the latency beside its median.

``StageClock`` wraps the stages of a search (the plan, BM25, the pool, the quick look, the full
scores, the shown hits' records, highlights and display) with timers of this thread's CPU time,
for as long as it is open, and restores them after: the code measured is the code that runs,
with one timer call around each stage. Each stage's time is its own (the time of the stages it
calls is taken out), so the stages add up to the whole query. Used by
``bench/search_latency.py --held-out KIND SCALE --stages``.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Callable

import bot.commands.quote as quote_module
import bot.search.index as index_module
import bot.search.pool as pool_module
from bot.search.postings import Postings

STAGES = (
    ("plan", "the query plan: fold, segment, readings, concepts, terms"),
    ("bm25", "BM25 of every passage (one bincount over the terms' postings)"),
    ("top", "the pool's BM25 leaders"),
    ("containing", "passages holding the whole folded query"),
    ("pool", "the pool's folded texts and sounds, decoded"),
    ("lexical", "rapidfuzz partial_ratio over the pool, by characters and by sound"),
    ("presence", "the share of the concepts each candidate's postings hold"),
    ("full", "full scores of the chosen candidates"),
    ("rank", "the rest of the ranking: choosing, ordering, the estimates"),
    ("matches", "one match per near-duplicate group, leaders' scores"),
    ("passage", "the shown hits' Passage records"),
    ("highlights", "the shown hits' highlight offsets"),
    ("hit", "the shown hits' display text, speaker and source"),
    ("other", "everything else: the command, the reply"),
)
NAMES = tuple(name for name, _ in STAGES)


@dataclass
class Timed:
    kind: str
    query: str
    total: float  # ms
    stages: dict[str, float]  # ms, each stage's own time
    scored: int  # candidates fully scored
    pooled: int  # candidates in the pool


@dataclass
class StageClock:
    """Timers around the stages while open (``with StageClock() as clock``)."""

    spent: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    _stack: list[float] = field(default_factory=list)  # time spent in the stages called by each open stage
    _restore: list[tuple[object, str, object]] = field(default_factory=list)

    def _timed(self, name: str, function: Callable) -> Callable:
        def timed(*args, **kwargs):
            self._stack.append(0.0)
            started = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.thread_time() - started
                inner = self._stack.pop()
                self.spent[name] = self.spent.get(name, 0.0) + elapsed - inner
                if self._stack:
                    self._stack[-1] += elapsed
        return timed

    def _wrap(self, owner: object, attribute: str, name: str) -> None:
        original = owner.__dict__[attribute] if isinstance(owner, type) else getattr(owner, attribute)
        self._restore.append((owner, attribute, original))
        if isinstance(original, property):
            setattr(owner, attribute, property(self._timed(name, original.fget)))
        else:
            setattr(owner, attribute, self._timed(name, original))

    def __enter__(self) -> "StageClock":
        self._wrap(index_module, "plan", "plan")
        self._wrap(Postings, "scores", "bm25")
        self._wrap(index_module, "best", "top")
        self._wrap(index_module.Index, "_containing", "containing")
        self._wrap(pool_module.Pool, "__init__", "pool")
        self._wrap(pool_module, "lexical_scores", "lexical")
        self._wrap(pool_module.Pool, "presence", "presence")
        self._wrap(pool_module, "_full_scores", "full")
        self._wrap(index_module, "rank", "rank")
        self._wrap(index_module.Index, "_rank", "matches")
        self._wrap(index_module.Match, "passage", "passage")
        self._wrap(index_module.Match, "highlights", "highlights")
        self._wrap(quote_module, "make_hit", "hit")
        scored = pool_module._scored
        self._restore.append((pool_module, "_scored", scored))

        def counted(plan, pool, i, lexical):
            self.counts["scored"] = self.counts.get("scored", 0) + 1
            self.counts["pooled"] = len(pool.numbers)
            return scored(plan, pool, i, lexical)

        pool_module._scored = counted
        return self

    def __exit__(self, *exc) -> None:
        for owner, attribute, original in reversed(self._restore):
            setattr(owner, attribute, original)
        self._restore.clear()

    def one(self, kind: str, query: str, run: Callable[[str], object]) -> Timed:
        self.spent.clear()
        self.counts.clear()
        self._stack.append(0.0)
        started = time.thread_time()
        run(query)
        total = time.thread_time() - started
        self._stack.pop()
        stages = {name: self.spent.get(name, 0.0) * 1000 for name in NAMES if name != "other"}
        stages["other"] = total * 1000 - sum(stages.values())
        return Timed(kind, query, total * 1000, stages, self.counts.get("scored", 0), self.counts.get("pooled", 0))

    def best_of(self, passes: int, cases: list[tuple[str, str]], run: Callable[[str], object]) -> list[Timed]:
        """Each case's fastest of ``passes`` runs (the passes alternate over the cases)."""
        best: list[Timed | None] = [None] * len(cases)
        for _ in range(passes):
            for k, (kind, query) in enumerate(cases):
                timed = self.one(kind, query, run)
                if best[k] is None or timed.total < best[k].total:
                    best[k] = timed
        return [t for t in best if t is not None]


def _mean_row(label: str, rows: list[Timed]) -> str:
    cells = " ".join(f"{statistics.mean(r.stages[n] for r in rows):6.2f}" for n in NAMES)
    return (f"{label:<22} {statistics.mean(r.total for r in rows):6.2f} {cells} "
            f"{statistics.mean(r.scored for r in rows):5.1f} {statistics.mean(r.pooled for r in rows):5.0f}")


def report(timed: list[Timed]) -> str:
    """The slowest 5 % case by case, then means: the slowest 5 %, the middle 10 %, each kind, all."""
    ordered = sorted(timed, key=lambda t: -t.total)
    tail = ordered[:max(1, len(ordered) // 20)]
    middle = ordered[len(ordered) * 45 // 100:max(len(ordered) * 55 // 100, len(ordered) * 45 // 100 + 1)]
    lines = [f"{'':<22} {'total':>6} " + " ".join(f"{n[:6]:>6}" for n in NAMES) + " scored  pool"]
    for t in tail:
        lines.append(f"{t.kind:<22} {t.total:6.2f} " + " ".join(f"{t.stages[n]:6.2f}" for n in NAMES)
                     + f" {t.scored:5d} {t.pooled:5d}  {t.query[:24]}")
    lines.append(_mean_row("slowest 5 %", tail))
    lines.append(_mean_row("middle 10 %", middle))
    for kind in sorted({t.kind for t in timed}):
        lines.append(_mean_row(kind, [t for t in timed if t.kind == kind]))
    lines.append(_mean_row("all", timed))
    lines.append("stages: " + "; ".join(f"{name}: {what}" for name, what in STAGES))
    return "\n".join(lines)
