"""Scoring stance cases: accuracy per label (with `neutral` = in no column), and the three goals
of /compare open closed: exactly-right column, wrong column, neutral kept out.

One module of bot/evaluation/ (whose `bot eval` calls `stance_figures`), so the stance
reader's figures have one definition, used by `bot eval`, `bot stance train`, the goal test and
docs/STANCE.md. Training lives here too (``train_model``): it is measuring plus one fit, and
its figures are the ones the goals are judged on (leave-one-article-out).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from bot.chars import has_han
from bot.config import ConfigError, load_yaml
from bot.corpus.loader import load_documents
from bot.corpus.models import Corpus, Passage
from bot.corpus.stance.learned import LearnedModel, model_to_dict
from bot.corpus.stance.lexicon import load_lexicon
from bot.corpus.stance.train import Options, columns_of, examples_from, nested_rates, probabilities_at, train
from bot.search.normalise import detect_script

NEUTRAL = "neutral"  # the label of a passage that must stay out of every column
ARGUED = ("open", "closed", "both")
LABELS = ARGUED + (NEUTRAL,)

MIN_ARTICLES = 3  # leave-one-article-out needs articles to leave out
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
    """The issue's goals on the library's own verdicts: exactly-right column and wrong column over
    argued passages, neutral passages kept out, and the same per label and per script;
    `unfound` lists cases whose passage is missing (a missing passage sits in no column)."""
    rows, unfound = [], []
    for case, passage in judged_cases(cases, corpus, match):
        label = str(case["stance"])
        if label not in LABELS:
            continue
        if passage is None:
            unfound.append(str(case.get("id", case["expect"])))
        rows.append((label, placed(passage), script_of(passage.text if passage else str(case["expect"]))))
    return dict(figures_of(rows), unfound=unfound)


def script_of(text: str) -> str:
    """"Traditional", "Simplified" or "English", as search detects a script (``detect_script``:
    more characters that only Traditional writes than ones only Simplified writes)."""
    if not has_han(text):
        return "English"
    return "Traditional" if detect_script(text) == "traditional" else "Simplified"


def figures_of(rows: list[tuple[str, str | None, str]]) -> dict:
    """(label, column or None, script) for each case -> the goal figures, per label and per script."""
    per_label: dict[str, dict[str, int]] = {label: {"cases": 0, "right": 0, "wrong": 0, "none": 0} for label in LABELS}
    per_script: dict[str, list] = defaultdict(list)
    for label, got, script in rows:
        row = per_label[label]
        row["cases"] += 1
        want = None if label == NEUTRAL else label
        row["right" if got == want else "none" if got is None else "wrong"] += 1
        per_script[script].append((label, got, script))
    argued = [per_label[label] for label in ARGUED]
    n_argued = sum(r["cases"] for r in argued)
    neutral = per_label[NEUTRAL]
    figures = {
        "argued": n_argued,
        "exactly_right": round(sum(r["right"] for r in argued) / max(n_argued, 1), 4),
        "wrong_column": round(sum(r["wrong"] for r in argued) / max(n_argued, 1), 4),
        "neutral": neutral["cases"],
        "neutral_kept_out": round(neutral["right"] / max(neutral["cases"], 1), 4),
        "per_label": per_label,
    }
    if len({script for _, _, script in rows}) > 1:
        figures["per_script"] = {script: _headline(figures_of(part)) for script, part in sorted(per_script.items())}
    return figures


def _headline(figures: dict) -> dict:
    return {k: figures[k] for k in ("argued", "exactly_right", "wrong_column", "neutral", "neutral_kept_out")}


def labelled_passages(cases: list[dict], corpus: Corpus, match: Matcher) -> tuple[list[tuple[Passage, str, str]], list[str]]:
    """(passage, label, case id) for every case whose passage is in the corpus, and the ids of those that are not."""
    found, unfound = [], []
    for case, passage in judged_cases(cases, corpus, match):
        label, name = str(case["stance"]), str(case.get("id", case["expect"]))
        if label not in LABELS:
            continue
        (found.append((passage, label, name)) if passage is not None else unfound.append(name))
    return found, unfound


def learned_figures(examples, model, held_out) -> dict:
    """The learned reader's goal figures on its labelled examples: leave-one-article-out (each
    article predicted by a model trained on the others) and in-sample (the saved model on the
    passages it was trained on). ``held_out``: the cross-validated probabilities."""
    scripts = [script_of(t) for t in examples.texts]
    labels = [LABELS[i] for i in examples.labels]
    every = list(range(len(labels)))
    in_sample = columns_of(examples, probabilities_at(model, examples, every), model)
    crossed = columns_of(examples, held_out, model)
    return {
        "cross_validated": figures_of(list(zip(labels, crossed, scripts))),
        "in_sample": figures_of(list(zip(labels, in_sample, scripts))),
        "rules_alone": figures_of(list(zip(labels, examples.rules, scripts))),
    }


def format_goals(figures: dict) -> str:
    lines = ["label      cases  right  wrong  none"]
    for label, row in figures["per_label"].items():
        lines.append(f"  {label:<8} {row['cases']:>5}  {row['right']:>5}  {row['wrong']:>5}  {row['none']:>4}")
    lines.append(
        f"exactly-right column {figures['exactly_right']:.3f} ({figures['argued']} argued), "
        f"wrong column {figures['wrong_column']:.3f}, neutral kept out {figures['neutral_kept_out']:.3f} ({figures['neutral']})"
    )
    for script, row in (figures.get("per_script") or {}).items():
        lines.append(
            f"  {script:<11} right {row['exactly_right']:.3f} wrong {row['wrong_column']:.3f} ({row['argued']} argued), "
            f"neutral kept out {row['neutral_kept_out']:.3f} ({row['neutral']})"
        )
    if figures.get("unfound"):
        lines.append("passages not found: " + ", ".join(figures["unfound"]))
    return "\n".join(lines)


@dataclass(frozen=True)
class Training:
    model: LearnedModel
    figures: dict  # learned_figures: cross_validated, in_sample, rules_alone
    unfound: list[str]


def train_model(labels_file: Path, articles: Path, config_dir: Path, match: Matcher, options: Options) -> Training:
    """`bot stance train`: fit the learned stage on the labelled passages of the articles in
    ``articles`` (read with ``config_dir``, alone: no other library), choose its abstain rule on
    leave-one-article-out predictions, and report both figures. ConfigError on unusable input."""
    data = load_yaml(labels_file, required=True)
    cases = data.get("stance")
    if not isinstance(cases, list) or not all(isinstance(c, dict) and {"expect", "stance"} <= set(c) for c in cases):
        raise ConfigError(labels_file, "'stance' must be a list of cases, each with expect: and stance:")
    if not Path(articles).is_dir():
        raise ConfigError(articles, "articles folder not found")
    corpus = load_documents(Path(articles), Path(config_dir))
    lexicon = load_lexicon(Path(config_dir))
    found, unfound = labelled_passages(cases, corpus, match)
    articles_seen = {p.doc_id for p, _, _ in found}
    if len(articles_seen) < MIN_ARTICLES or len({label for _, label, _ in found}) < 2:
        raise ConfigError(labels_file, f"found labelled passages in {len(articles_seen)} article(s): training needs at least {MIN_ARTICLES}, and two labels")
    examples = examples_from(corpus.documents, found, lexicon)
    model, held_out = train(examples, options)
    figures = learned_figures(examples, model, held_out)
    about = {
        "labels": Path(labels_file).name,
        "passages": len(found),
        "articles": len(articles_seen),
        "options": asdict(options),
        "cross_validated": _headline(figures["cross_validated"]),
        "in_sample": _headline(figures["in_sample"]),
        "cross_validated_thresholds_chosen_without_the_article": dict(zip(("exactly_right", "wrong_column", "neutral_kept_out"), (round(x, 4) for x in nested_rates(examples, held_out)))),
    }
    return Training(replace(model, about=about), figures, unfound)


def save_model(model: LearnedModel, path: Path) -> None:
    """Written whole to a temporary file and renamed, so a build never reads half a model. A path
    that exists and is no regular file (a folder, a device such as /dev/null, a pipe) is refused:
    the rename would replace it. ConfigError then, and nothing is written."""
    path = Path(path)
    if path.exists() and not path.is_file():
        raise ConfigError(path, "not a regular file: the model is written to a new file renamed over it; give a file path")
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(model_to_dict(model), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    temporary.replace(path)
