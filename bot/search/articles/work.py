"""One article's per-article work: its document (read, cleaned, split, attributed) and the
analysis of its passages, the unit a worker process computes and the store saves."""

from __future__ import annotations

from pathlib import Path
from typing import Union

import jieba

from bot.corpus.attribution.postag import tagger
from bot.corpus.loader import ArticleConfig, read_document
from bot.corpus.mojibake import load_char_model
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


def warm_up(words: tuple[str, ...]) -> None:
    """Build in this process what every article's work loads once per process (the mojibake
    character model, jieba's dictionary and tagger, the segmenter), so worker processes forked
    afterwards share them instead of each building its own (~3 CPU s each)."""
    load_char_model()
    tagger()
    jieba.dt.check_initialized()
    analyse_batch([], words)  # builds and keeps the segmenter for ``words``


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
