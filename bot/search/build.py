"""Indexing stage two: analysed passages to the index's arrays (postings, texts, groups).

Stage one (``bot.search.analysis``) is per passage and runs on every core given
(``workers``): passages are cut into contiguous batches, one per task, and each worker builds
its own jieba tokenizer once. Stage two is whole-library work done once with numpy.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Callable, Sequence

import numpy as np

from bot.corpus.models import Corpus, Document, Passage
from bot.search.analysis import Analysed, analyse_batch
from bot.search.blob import Blob
from bot.search.columns import Table
from bot.search.duplicates import Groups
from bot.search.postings import Postings
from bot.search.query import Lexicon
from bot.search.terms import WORD, kind_of, text_of
from bot.search.tokenize import make_tokenizer
from bot.search.vocabulary import Vocabulary

BATCH = 400  # passages per task: big enough to amortise the pickling, small enough to balance two cores
Progress = Callable[[str, int, int], None]  # (stage, done, total)


def default_workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8))


def is_listed(document: Document) -> bool:
    """Described in config/corpus.yaml: a known source, preferred among equals and as a group's leader."""
    source = document.source
    return any((source.title, source.outlet, source.author, source.url, source.date))


def analyse_all(items: list[tuple[str, str | None]], words: tuple[str, ...], workers: int,
                progress: Progress | None) -> list[Analysed]:
    batches = [items[i:i + BATCH] for i in range(0, len(items), BATCH)]
    done: list[Analysed] = []
    if workers <= 1 or len(batches) <= 1:
        for batch in batches:
            done.extend(analyse_batch(batch, words))
            if progress:
                progress("analyse passages", len(done), len(items))
        return done
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        for result in pool.map(analyse_batch, batches, [words] * len(batches)):
            done.extend(result)
            if progress:
                progress("analyse passages", len(done), len(items))
    return done


def build_index(corpus: Corpus, vocabulary: Vocabulary, *, workers: int = 1, progress: Progress | None = None):
    from bot.search.index import Index

    passages: Sequence[Passage] = corpus.passages
    listed_docs = {d.doc_id: is_listed(d) for d in corpus.documents}
    scripts = {d.doc_id: (d.source.script or "").lower() or None for d in corpus.documents}
    words = tuple(vocabulary.domain_words)
    analysed = analyse_all([(p.text, scripts.get(p.doc_id)) for p in passages], words, workers, progress)
    if progress:
        progress("postings", 0, 1)
    postings, latin_words = _postings(analysed)
    pinyin_words: dict[str, set[str]] = {}
    for a in analysed:
        for reading, word in a.readings:
            pinyin_words.setdefault(reading, set()).add(word)
    lexicon = Lexicon(
        vocabulary=vocabulary,
        tokenizer=make_tokenizer(words),
        latin_words=frozenset(latin_words),
        latin_list=tuple(w for w in latin_words if len(w) >= 3 and not w.isdigit()),
        pinyin_words={k: tuple(sorted(v, key=len, reverse=True)) for k, v in pinyin_words.items()},
        postings=postings,
    )
    listed = np.array([listed_docs.get(p.doc_id, False) for p in passages], dtype=np.bool_)
    if progress:
        progress("near-duplicates", 0, 1)
    priority = [(0 if listed[n] else 2) + (0 if (p.speaker or p.quotations) else 1) for n, p in enumerate(passages)]
    folded = [a.folded for a in analysed]
    groups = Groups.build(folded, priority)
    table = Table.of(Passage, list(passages))
    codes = table.codes("doc_id") or (np.zeros(len(passages), dtype=np.int32), [""])
    return Index(
        passages=table,
        doc_ids=codes,
        folded=Blob.of(folded),
        sound=Blob.of(a.sound for a in analysed),
        scripts=np.array([a.script for a in analysed], dtype=np.int8),
        listed=listed,
        postings=postings,
        groups=groups,
        lexicon=lexicon,
    )


def _postings(analysed: list[Analysed]) -> tuple[Postings, list[str]]:
    """Term ids in order of first sight; one (term, passage, count) row per distinct term of a passage."""
    ids: dict[str, int] = {}
    term_ids: list[int] = []
    counts: list[int] = []
    per_passage = np.zeros(len(analysed), dtype=np.int64)
    setdefault = ids.setdefault
    for n, a in enumerate(analysed):
        per_passage[n] = len(a.terms)
        for term, count in a.terms.items():
            term_ids.append(setdefault(term, len(ids)))
            counts.append(count)
    vocabulary = list(ids)
    docs = np.repeat(np.arange(len(analysed), dtype=np.int32), per_passage)
    lengths = np.array([a.length for a in analysed], dtype=np.float64)
    postings = Postings.build(np.array(term_ids, dtype=np.int64), docs, np.array(counts, dtype=np.int32),
                              vocabulary, lengths)
    latin = sorted(text_of(t) for t in vocabulary if kind_of(t) == WORD and text_of(t).isascii())
    return postings, latin
