"""`bot eval`: recall for /quote, top-1 for /who-said, accuracy for stance, overall and per kind;
"not found" for quotations no article holds, and the speaker field of attributed passages.

Extra articles (``bot eval FILE --with-articles DIR``) are loaded together with the library's
seeds into a fresh library, so development articles are measured without copying them into seeds/.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.commands.dispatch import answer
from bot.commands.parse import Request
from bot.commands.results import QUOTE, WHO_SAID
from bot.config import ConfigError, Settings, load_yaml
from bot.corpus.files import article_files
from bot.corpus.models import Corpus, Passage
from bot.search.library import Library
from bot.search.normalise import fold, fold_with_offsets
from bot.evaluation.stance import stance_figures

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
    for section in ("quote", "who_said", "stance", "not_found", "speakers"):
        if not isinstance(data.get(section) or [], list):
            raise ConfigError(path, f"'{section}' must be a list of cases")
    return data


def evaluate(path: Path, library: Library, settings: Settings, *, articles: Path | None = None) -> dict:
    """Every section the file has, on ``library``, or on the seeds plus ``articles`` when given."""
    cases = load_cases(path)
    if articles is not None:
        library = library_with_articles(settings, articles)
    return evaluate_cases(cases, library, settings)


def evaluate_cases(cases: dict, library: Library, settings: Settings) -> dict:
    """The figures for loaded cases (see load_cases) on one library."""
    report = {
        "quote": _quote_figures(cases.get("quote") or [], library, settings),
        "who_said": _who_said_figures(cases.get("who_said") or [], library, settings),
        "stance": _stance_figures(cases.get("stance") or [], library.corpus, settings),
    }
    if cases.get("not_found"):
        report["not_found"] = _not_found_figures(cases["not_found"], library, settings)
    if cases.get("speakers"):
        report["speakers"] = speaker_figures(cases["speakers"], library.corpus)
    return report


def library_with_articles(settings: Settings, articles: Path) -> Library:
    """A library over the seeds plus every article in ``articles`` (built in a temporary folder)."""
    if not articles.is_dir():
        raise ConfigError(articles, "articles folder not found")
    with tempfile.TemporaryDirectory(prefix="bot-eval-") as folder:
        for source in (settings.seeds_dir, articles):
            for file in article_files(source) if source.is_dir() else []:
                shutil.copy2(file, Path(folder) / file.name)
        return Library.load(replace(settings, seeds_dir=Path(folder), cache_dir=None))


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


def _not_found_figures(cases: list[dict], library: Library, settings: Settings) -> dict:
    """Quotations no article holds: right when the bot says it does not have them."""
    rows = []
    for case in cases:
        reply = answer(Request(WHO_SAID, str(case["query"])), library, settings, limit=1)
        rows.append((not reply.found, str(case.get("id", case["query"]))))
    return _accuracy({"not-found": rows})


def same_speaker(found: str | None, gold: str | None, corpus: Corpus) -> bool:
    """Names compared in either script and through the listed aliases (梁文峰 = 梁文鋒)."""
    if not found or not gold:
        return found == gold
    listed = corpus.speaker(found)
    spellings = {found, *(listed.all_names if listed else ())}
    return fold(gold) in {fold(n) for n in spellings}


def speaker_figures(cases: list[dict], corpus: Corpus) -> dict:
    """Each case names a passage (``doc`` and ``expect``, words unique to it) and its gold
    ``speaker`` (null for narration). The passage's ``speaker`` field is right, wrong (another name)
    or missing (no name); ``words`` judges the speaker of the quotation holding ``expect`` instead.
    Cases whose words no passage holds are unfound."""
    field, words, unfound = _tally(), _tally(), []
    for case in cases:
        case_id = str(case.get("id", case["expect"]))
        passage = next((p for p in corpus.passages if contains(p, case.get("doc", ""), str(case["expect"]))), None)
        if passage is None:
            unfound.append(case_id)
            continue
        gold = case.get("speaker")
        _judge(field, passage.speaker, gold, corpus, case_id)
        _judge(words, speaker_of_words(passage, str(case["expect"])), gold, corpus, case_id)
    judged = max(len(cases) - len(unfound), 1)
    shares = {f"{k}_share": round(len(v) / judged, 4) for k, v in field.items()}
    return {
        "cases": len(cases),
        **shares,
        **field,
        "unfound": unfound,
        "words": {f"{k}_share": round(len(v) / judged, 4) for k, v in words.items()},
    }


def _tally() -> dict[str, list[str]]:
    return {"right": [], "wrong": [], "missing": []}


def _judge(tally: dict[str, list[str]], found: str | None, gold: str | None, corpus: Corpus, case_id: str) -> None:
    if same_speaker(found, gold, corpus):
        tally["right"].append(case_id)
    else:
        tally["missing" if not found else "wrong"].append(f"{case_id} ({found or '-'} for {gold or '-'})")


def speaker_of_words(passage: Passage, words: str) -> str | None:
    """The quotation holding most of ``words``; else whoever's quotations cover most of the passage;
    None for narration (the writer's own words are nobody's quotation)."""
    folded, offsets = fold_with_offsets(passage.text)
    wanted = fold(words)
    at = folded.find(wanted) if wanted else -1
    if at >= 0:
        start, end = offsets[at], offsets[at + len(wanted) - 1] + 1
        overlap = {q: min(end, q.end) - max(start, q.start) for q in passage.quotations}
        best = max(overlap, key=overlap.get, default=None)
        if best is not None and overlap[best] > 0:
            return best.speaker
    return max(passage.quotations, key=lambda q: q.end - q.start).speaker if passage.quotations else None


def _stance_figures(cases: list[dict], corpus: Corpus, settings: Settings) -> dict:
    return stance_figures(cases, corpus, contains)  # bot/evaluation/stance.py: `neutral` = in no column


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
    if "not_found" in report:
        f = report["not_found"]["overall"]
        lines.append(f"not found when no article holds it ({f['cases']}): {f['accuracy']:.3f}  missed: {', '.join(f['misses']) or 'none'}")
    if "speakers" in report:
        f = report["speakers"]
        w = f["words"]
        lines.append(
            f"speaker field of quotation passages ({f['cases']}): right {f['right_share']:.3f}  wrong {f['wrong_share']:.3f}  "
            f"missing {f['missing_share']:.3f}  (words not found: {len(f['unfound'])}); speaker of the words: "
            f"right {w['right_share']:.3f}  wrong {w['wrong_share']:.3f}  missing {w['missing_share']:.3f}"
        )
        lines += [f"  wrong: {w}" for w in f["wrong"]] + [f"  missing: {w}" for w in f["missing"]]
    misses = [m for f in (overall, report["who_said"]["overall"], report["stance"]["overall"]) for m in f["misses"]]
    lines.append("not first: " + (", ".join(misses) if misses else "none"))
    return "\n".join(lines)
