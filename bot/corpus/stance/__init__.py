"""The stance reader: what each passage argues in the open-versus-closed debate, read once at build.

Stages, each depending only on those above it: ``lexicon`` (config/stance.yaml, folded form),
``clauses`` (sentences, clauses and their weights), ``asides`` (an interviewer's turns and small
talk, which no stage reads as argument), ``words`` (a passage's words, for readable reasons), ``targets`` (which side a clause speaks
of), ``polarity`` (what is said of it), ``verdict`` (open / closed / both / none, score,
reason), ``context`` (headings and speakers), ``features`` (n-grams and the rules' signals),
``learned`` (a saved softmax model, config/stance_model.json, applied with numpy), ``columns``
(rules and model together); ``train`` fits the model (scikit-learn, only when training). Pure: no search, no Slack; the loader calls
``with_stances`` once, and the verdicts are saved with the library on every passage.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.config import ConfigError
from bot.corpus.models import Document, LoadProblem
from bot.corpus.stance.columns import learned_verdicts
from bot.corpus.stance.context import OwnReadings, joined, read_alone, read_in_context
from bot.corpus.stance.learned import MODEL_FILE, LearnedModel, load_model
from bot.corpus.stance.lexicon import LEXICON_FILE, STANCES, Lexicon, Topics, load_lexicon, load_topics
from bot.corpus.stance.verdict import Verdict, decide, read_text

__all__ = ["MODEL_FILE", "STANCES", "LearnedModel", "Lexicon", "OwnReadings", "Verdict", "joined", "judge_documents", "judge_text",
           "Topics", "load_lexicon", "load_model", "load_topics", "read_alone", "topic_lexicon", "with_stances"]


def judge_text(text: str, lexicon: Lexicon) -> Verdict:
    """One text on its own, without headings or speakers (what the unit tests and hints use)."""
    return decide(read_text(text, lexicon), text, lexicon.thresholds)


def judge_documents(documents: tuple[Document, ...], lexicon: Lexicon, model: LearnedModel | None = None,
                    alone: OwnReadings | None = None) -> tuple[Document, ...]:
    """Every passage's verdict: the rules in context, then (with a model) rules and model together.
    ``alone``: ``read_alone`` of these documents with this lexicon, already computed (per article)."""
    view = read_in_context(documents, lexicon, alone)
    verdicts = view.final if model is None else learned_verdicts(documents, view, lexicon, model)
    out = []
    for document in documents:
        passages = tuple(
            replace(p, stance=v.stance, stance_score=v.score if v.stance else 0.0, stance_reason=v.reason if v.stance else None)
            for p in document.passages
            for v in (verdicts[p.id],)
        )
        out.append(replace(document, passages=passages))
    return tuple(out)


def with_stances(documents: tuple[Document, ...], config_dir: Path, problems: list[LoadProblem],
                 alone: OwnReadings | None = None) -> tuple[Document, ...]:
    """The loader's one call (``alone``: see ``judge_documents``; read with this folder's lexicon). No lexicon file: no stances (as with any optional config); a broken
    one is a load problem, and the passages keep no stance. No model file: the rules alone; a
    broken one is a load problem, and the rules alone decide."""
    if not (Path(config_dir) / LEXICON_FILE).exists():
        return documents
    try:
        lexicon = load_lexicon(config_dir)
    except ConfigError as exc:
        problems.append(LoadProblem(exc.path, exc.message, exc.line))
        return documents
    try:
        model = load_model(config_dir)
    except ConfigError as exc:
        problems.append(LoadProblem(exc.path, exc.message, exc.line))
        model = None
    return judge_documents(documents, lexicon, model, alone)


def topic_lexicon(config_dir: Path) -> Topics | None:
    """What a library keeps for /compare: the topic words (开源, open source, 閉源…), read once
    with the library and passed with it, and nothing else of the lexicon (the word table and
    the asides serve only a build); None when the file is missing or broken (the load problem
    is reported by ``with_stances``, and `bot serve` refuses to start with it)."""
    if not (Path(config_dir) / LEXICON_FILE).exists():
        return None
    try:
        return load_topics(config_dir)
    except ConfigError:
        return None
