"""The stance reader: what each passage argues in the open-versus-closed debate, read once at build.

Stages, each depending only on those above it: ``lexicon`` (config/stance.yaml, folded form),
``clauses`` (sentences, clauses and their weights), ``targets`` (which side a clause speaks
of), ``polarity`` (what is said of it), ``verdict`` (open / closed / both / none, score,
reason), ``context`` (headings and speakers). Pure: no search, no Slack; the loader calls
``with_stances`` once, and the verdicts are saved with the library on every passage.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.config import ConfigError
from bot.corpus.models import Document, LoadProblem
from bot.corpus.stance.context import verdicts_in_context
from bot.corpus.stance.lexicon import LEXICON_FILE, STANCES, Lexicon, load_lexicon
from bot.corpus.stance.verdict import Verdict, decide, read_text

__all__ = ["STANCES", "Lexicon", "Verdict", "judge_documents", "judge_text", "load_lexicon", "with_stances"]


def judge_text(text: str, lexicon: Lexicon) -> Verdict:
    """One text on its own, without headings or speakers (what the unit tests and hints use)."""
    return decide(read_text(text, lexicon), text, lexicon.thresholds)


def judge_documents(documents: tuple[Document, ...], lexicon: Lexicon) -> tuple[Document, ...]:
    verdicts = verdicts_in_context(documents, lexicon)
    out = []
    for document in documents:
        passages = tuple(
            replace(p, stance=v.stance, stance_score=v.score if v.stance else 0.0, stance_reason=v.reason if v.stance else None)
            for p in document.passages
            for v in (verdicts[p.id],)
        )
        out.append(replace(document, passages=passages))
    return tuple(out)


def with_stances(documents: tuple[Document, ...], config_dir: Path, problems: list[LoadProblem]) -> tuple[Document, ...]:
    """The loader's one call. No lexicon file: no stances (as with any optional config); a broken
    one is a load problem, and the passages keep no stance."""
    if not (Path(config_dir) / LEXICON_FILE).exists():
        return documents
    try:
        lexicon = load_lexicon(config_dir)
    except ConfigError as exc:
        problems.append(LoadProblem(exc.path, exc.message, exc.line))
        return documents
    return judge_documents(documents, lexicon)
