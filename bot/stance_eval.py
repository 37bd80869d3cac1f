"""Scoring stance cases: accuracy per label (with `neutral` = in no column), and the three goals
of /compare open closed: exactly-right column, wrong column, neutral kept out.

Kept apart from bot/evaluation.py (which calls `stance_figures`) so the stance reader's
figures have one definition, used by `bot eval`, the goal test and docs/STANCE.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from bot.corpus.models import Corpus, Passage

NEUTRAL = "neutral"  # the label of a passage that must stay out of every column
ARGUED = ("open", "closed", "both")
LABELS = ARGUED + (NEUTRAL,)

Matcher = Callable[[Passage, str, str], bool]  # (passage, doc prefix, expected words)


def placed(passage: Passage | None) -> str | None:
    """The column a passage sits in, or None; a passage not found sits nowhere."""
    return passage.stance if passage is not None else None


def judged_cases(cases: list[dict], corpus: Corpus, match: Matcher) -> list[tuple[dict, Passage | None]]:
    passages = corpus.passages
    return [(case, next((p for p in passages if match(p, str(case.get("doc", "")), str(case["expect"]))), None)) for case in cases]


def stance_figures(cases: list[dict], corpus: Corpus, match: Matcher) -> dict:
    """`bot eval`'s stance section: accuracy overall and per label; a missing passage is a miss."""
    results: dict[str, list[tuple[bool, str]]] = defaultdict(list)
    for case, passage in judged_cases(cases, corpus, match):
        label = str(case["stance"])
        want = None if label == NEUTRAL else label
        ok = passage is not None and placed(passage) == want
        results[label].append((ok, str(case.get("id", case["expect"]))))
    every = [row for rows in results.values() for row in rows]
    return {"overall": _figure(every), "kinds": {k: _figure(v) for k, v in sorted(results.items())}}


def _figure(rows: list[tuple[bool, str]]) -> dict:
    right = sum(ok for ok, _ in rows)
    return {"cases": len(rows), "accuracy": round(right / max(len(rows), 1), 4), "misses": [c for ok, c in rows if not ok]}


def goal_figures(cases: list[dict], corpus: Corpus, match: Matcher) -> dict:
    """The issue's goals: exactly-right column and wrong column over argued passages, neutral
    passages kept out, and the same per label; `unfound` lists cases whose passage is missing."""
    per_label: dict[str, dict[str, int]] = {label: {"cases": 0, "right": 0, "wrong": 0, "none": 0} for label in LABELS}
    unfound = []
    for case, passage in judged_cases(cases, corpus, match):
        label = str(case["stance"])
        if label not in per_label:
            continue
        if passage is None:
            unfound.append(str(case.get("id", case["expect"])))
        got = placed(passage)
        row = per_label[label]
        row["cases"] += 1
        want = None if label == NEUTRAL else label
        row["right" if got == want else "none" if got is None else "wrong"] += 1
    argued = [per_label[label] for label in ARGUED]
    n_argued = sum(r["cases"] for r in argued)
    neutral = per_label[NEUTRAL]
    return {
        "argued": n_argued,
        "exactly_right": round(sum(r["right"] for r in argued) / max(n_argued, 1), 4),
        "wrong_column": round(sum(r["wrong"] for r in argued) / max(n_argued, 1), 4),
        "neutral": neutral["cases"],
        "neutral_kept_out": round(neutral["right"] / max(neutral["cases"], 1), 4),
        "per_label": per_label,
        "unfound": unfound,
    }


def format_goals(figures: dict) -> str:
    lines = ["label      cases  right  wrong  none"]
    for label, row in figures["per_label"].items():
        lines.append(f"  {label:<8} {row['cases']:>5}  {row['right']:>5}  {row['wrong']:>5}  {row['none']:>4}")
    lines.append(
        f"exactly-right column {figures['exactly_right']:.3f} ({figures['argued']} argued), "
        f"wrong column {figures['wrong_column']:.3f}, neutral kept out {figures['neutral_kept_out']:.3f} ({figures['neutral']})"
    )
    if figures["unfound"]:
        lines.append("passages not found: " + ", ".join(figures["unfound"]))
    return "\n".join(lines)
