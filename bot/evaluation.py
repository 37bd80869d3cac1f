"""`bot eval`: recall for /quote, top-1 for /who-said, accuracy for stance, overall and per kind."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot.commands.dispatch import answer
from bot.commands.parse import Request
from bot.commands.results import QUOTE, WHO_SAID
from bot.config import ConfigError, Settings, load_yaml
from bot.corpus.models import Corpus, Passage
from bot.search.library import Library
from bot.search.normalise import fold
from bot.stance_eval import stance_figures

RANK_DEPTH = 10
HARD_KINDS = ("pinyin", "english-concept")  # judged on their own, not in the core quote figure


@dataclass
class Tally:
    """Per-kind sums; figures are computed at the end so kinds and overall share one path."""

    cases: int = 0
    hits_at_1: int = 0
    hits_at_3: int = 0
    reciprocal_ranks: float = 0.0
    failures: list[str] = field(default_factory=list)

    def add(self, rank: int | None, case_id: str) -> None:
        self.cases += 1
        self.hits_at_1 += rank == 1
        self.hits_at_3 += rank is not None and rank <= 3
        self.reciprocal_ranks += 1 / rank if rank else 0.0
        if rank != 1:
            self.failures.append(case_id)

    def figures(self) -> dict:
        n = max(self.cases, 1)
        return {
            "cases": self.cases,
            "recall@1": round(self.hits_at_1 / n, 4),
            "recall@3": round(self.hits_at_3 / n, 4),
            "mrr": round(self.reciprocal_ranks / n, 4),
            "misses": self.failures,
        }


def contains(passage: Passage, doc: str, expect: str) -> bool:
    return passage.doc_id.startswith(str(doc)) and fold(expect) in fold(passage.text)


def load_cases(path: Path) -> dict:
    data = load_yaml(path, required=True)
    for section in ("quote", "who_said", "stance"):
        if not isinstance(data.get(section) or [], list):
            raise ConfigError(path, f"'{section}' must be a list of cases")
    return data


def evaluate(path: Path, library: Library, settings: Settings) -> dict:
    cases = load_cases(path)
    return {
        "quote": _quote_figures(cases.get("quote") or [], library, settings),
        "who_said": _who_said_figures(cases.get("who_said") or [], library, settings),
        "stance": _stance_figures(cases.get("stance") or [], library.corpus, settings),
    }


def _quote_figures(cases: list[dict], library: Library, settings: Settings) -> dict:
    kinds: dict[str, Tally] = defaultdict(Tally)
    overall, core = Tally(), Tally()
    for case in cases:
        reply = answer(Request(QUOTE, str(case["query"])), library, settings, limit=RANK_DEPTH)
        rank = next((i for i, h in enumerate(reply.results, 1) if contains(h.passage, case.get("doc", ""), str(case["expect"]))), None)
        case_id = str(case.get("id", case["query"]))
        for tally in (kinds[case.get("kind", "other")], overall):
            tally.add(rank, case_id)
        if case.get("kind") not in HARD_KINDS:
            core.add(rank, case_id)
    return {
        "overall": overall.figures(),
        "core (all kinds but pinyin, english-concept)": core.figures(),
        "kinds": {k: t.figures() for k, t in sorted(kinds.items())},
    }


def _accuracy(results: dict[str, list[tuple[bool, str]]]) -> dict:
    def figure(rows: list[tuple[bool, str]]) -> dict:
        right = sum(ok for ok, _ in rows)
        return {"cases": len(rows), "accuracy": round(right / max(len(rows), 1), 4), "misses": [c for ok, c in rows if not ok]}

    every = [row for rows in results.values() for row in rows]
    return {"overall": figure(every), "kinds": {k: figure(v) for k, v in sorted(results.items())}}


def _who_said_figures(cases: list[dict], library: Library, settings: Settings) -> dict:
    results: dict[str, list[tuple[bool, str]]] = defaultdict(list)
    for case in cases:
        reply = answer(Request(WHO_SAID, str(case["query"])), library, settings, limit=1)
        expected = {str(case.get("speaker") or ""), str(case.get("speaker_en") or "")} - {""}
        top = reply.results[0] if reply.results else None
        names = {top.speaker, *top.speaker_aliases} if top and top.speaker else set()
        ok = bool(reply.found and names & expected)
        results[case.get("kind", "other")].append((ok, str(case.get("id", case["query"]))))
    return _accuracy(results)


def _stance_figures(cases: list[dict], corpus: Corpus, settings: Settings) -> dict:
    return stance_figures(cases, corpus, contains)  # bot/stance_eval.py: `neutral` = in no column


def format_report(report: dict) -> str:
    """Per-kind tables first, the headline figures last (so `| tail` shows them)."""
    quote = report["quote"]
    lines = ["quote by kind                 cases  recall@1  recall@3  MRR"]
    for kind, f in quote["kinds"].items():
        lines.append(f"  {kind[:27]:<27} {f['cases']:>5}  {f['recall@1']:>8.3f}  {f['recall@3']:>8.3f}  {f['mrr']:.3f}")
    for section, title in (("who_said", "who-said top-1 by kind"), ("stance", "stance accuracy by stance")):
        lines.append(f"{title:<29} cases  accuracy")
        for kind, f in report[section]["kinds"].items():
            lines.append(f"  {kind[:27]:<27} {f['cases']:>5}  {f['accuracy']:>8.3f}")
    core = quote["core (all kinds but pinyin, english-concept)"]
    overall = quote["overall"]
    lines += [
        "",
        f"quote, all kinds but pinyin and english-concept ({core['cases']}): "
        f"recall@1 {core['recall@1']:.3f}  recall@3 {core['recall@3']:.3f}  MRR {core['mrr']:.3f}",
    ]
    for kind in HARD_KINDS:
        f = quote["kinds"].get(kind)
        if f:
            lines.append(f"quote, {kind} ({f['cases']}): recall@1 {f['recall@1']:.3f}  recall@3 {f['recall@3']:.3f}  MRR {f['mrr']:.3f}")
    lines.append(
        f"quote, overall ({overall['cases']}): recall@1 {overall['recall@1']:.3f}  "
        f"recall@3 {overall['recall@3']:.3f}  MRR {overall['mrr']:.3f}"
    )
    for section, title in (("who_said", "who-said top-1"), ("stance", "stance accuracy")):
        f = report[section]["overall"]
        lines.append(f"{title} ({f['cases']}): {f['accuracy']:.3f}")
    misses = [m for f in (overall, report["who_said"]["overall"], report["stance"]["overall"]) for m in f["misses"]]
    lines.append("not first: " + (", ".join(misses) if misses else "none"))
    return "\n".join(lines)
