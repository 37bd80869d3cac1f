"""One article's per-article work: its document (read, cleaned, split, attributed) and the
analysis of its passages, the unit a worker process computes and the store saves."""

from __future__ import annotations

from pathlib import Path
from typing import Union

from bot.corpus.loader import ArticleConfig, read_document
from bot.corpus.models import Document, LoadProblem
from bot.search.analysis import Batch, analyse_batch
from bot.search.articles.store import ArticleStore
from bot.search.build import document_script

Entry = tuple[Document, Batch]  # what the store holds for an article
Outcome = Union[Entry, LoadProblem]  # an article is either usable or has a reason it is not


def article_entry(path: Path, config: ArticleConfig, words: tuple[str, ...]) -> Outcome:
    """The document of ``path`` and its passages analysed with a segmenter carrying ``words``."""
    document = read_document(path, config)
    if isinstance(document, LoadProblem):
        return document
    script = document_script(document)
    return document, analyse_batch([(p.text, script) for p in document.passages], words)


def compute_share(share: list[tuple[int, Path, str | None]], config: ArticleConfig, words: tuple[str, ...],
                  store: ArticleStore | None) -> list[tuple[int, Outcome]]:
    """Articles (position, path, key) on one core; each usable one saved under its key as soon as
    it is done, so a build stopped half way keeps what it finished."""
    done = []
    for position, path, key in share:
        outcome = article_entry(path, config, words)
        if store is not None and key is not None and not isinstance(outcome, LoadProblem):
            store.put(key, outcome)
        done.append((position, outcome))
    return done
