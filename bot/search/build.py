"""Indexing stage two: analysed passages to the index's arrays (postings, texts, groups).

Stage one (``bot.search.analysis``) is per passage and runs on every core given
(``workers``): passages are cut into contiguous batches, one per task, and each worker builds
its own segmenter once. Stage two is whole-library work done once with numpy.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from typing import Callable, Sequence

import numpy as np

from bot.corpus.models import Corpus, Document, Passage
from bot.search.analysis import Batch, analyse_batch
from bot.search.cedict import reverse_dictionary
from bot.search.blob import Blob
from bot.search.columns import Table
from bot.search.duplicates import Groups
from bot.search.postings import Postings
from bot.search.query import Lexicon
from bot.search.normalise import detect_script
from bot.search.tokenize import make_tokenizer
from bot.search.vocabulary import Vocabulary

BATCH = 400  # passages per task: big enough to amortise the pickling, small enough to balance two cores
Progress = Callable[[str, int, int], None]  # (stage, done, total)


def default_workers() -> int:
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8))


def forks() -> bool:
    """Whether ``process_pool`` forks: when this process has one thread (fast: nothing re-imported,
    and what this process loaded is shared), else it spawns, since forking while other threads hold
    locks (a server loading in the background) can leave a child waiting forever on a lock nobody
    will release."""
    return threading.active_count() == 1 and "fork" in get_all_start_methods()


def process_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes, forked or spawned (see ``forks``)."""
    return ProcessPoolExecutor(workers, mp_context=get_context("fork" if forks() else "spawn"))


def analyse_all(items: list[tuple[str, str | None]], words: tuple[str, ...], workers: int,
                progress: Progress | None) -> list[Batch]:
    """Stage one over every passage, in order: one task per ``BATCH`` passages, on ``workers`` processes."""
    chunks = [items[i:i + BATCH] for i in range(0, len(items), BATCH)]
    done: list[Batch] = []
    finished = 0
    if workers <= 1 or len(chunks) <= 1:
        results = (analyse_batch(chunk, words) for chunk in chunks)
        for batch in results:
            done.append(batch)
            finished += len(batch.folded)
            if progress:
                progress("analyse passages", finished, len(items))
        return done
    with process_pool(min(workers, len(chunks))) as pool:
        for batch in pool.map(analyse_batch, chunks, [words] * len(chunks)):
            done.append(batch)
            finished += len(batch.folded)
            if progress:
                progress("analyse passages", finished, len(items))
    return done


def document_script(document: Document) -> str | None:
    """A document's script: from corpus.yaml, else detected once on its opening text (not per passage)."""
    script = (document.source.script or "").lower() or None
    if script is None:
        sample, size = [], 0
        for p in document.passages:
            sample.append(p.text)
            size += len(p.text)
            if size > 2000:
                break
        script = detect_script("".join(sample))
    return script


def build_index(corpus: Corpus, vocabulary: Vocabulary, *, workers: int = 1, progress: Progress | None = None,
                dictionary: bool = False, analysed: Sequence[Batch] | None = None):
    """The index of ``corpus``; with ``dictionary`` the vocabulary gains the CC-CEDICT words its passages use.
    ``analysed``: stage one already done (``bot.search.articles``), one batch per document, in order."""
    from bot.search.index import Index

    passages: Sequence[Passage] = corpus.passages
    words = tuple(vocabulary.domain_words)
    if analysed is None:
        scripts = [document_script(d) for d in corpus.documents]
        items = [(p.text, script) for d, script in zip(corpus.documents, scripts) for p in d.passages]
        batches = analyse_all(items, words, workers, progress)
    else:
        batches = list(analysed)
    folded = [f for b in batches for f in b.folded]
    english = None
    if dictionary:  # on a core of its own while this process builds postings and groups
        helper = process_pool(1) if workers > 1 else None
        english = helper.submit(reverse_dictionary, folded) if helper else None
        if helper is None:
            if progress:
                progress("English dictionary", 0, 1)
            vocabulary = vocabulary.with_dictionary(reverse_dictionary(folded))
    if progress:
        progress("postings", 0, 1)
    postings = _postings(batches)
    latin_words = sorted(set().union(*(b.latin_words for b in batches)))
    pinyin_words: dict[str, set[str]] = {}
    for b in batches:
        for reading, word in b.readings:
            pinyin_words.setdefault(reading, set()).add(word)
    if progress:
        progress("near-duplicates", 0, 1)
    # a group is led by its attributed member, else its earliest (Groups.build breaks ties by order)
    priority = [0 if (p.speaker or p.quotations) else 1 for p in passages]
    groups = Groups.build(folded, priority)
    if english is not None:
        if progress:
            progress("English dictionary", 0, 1)
        vocabulary = vocabulary.with_dictionary(english.result())
        helper.shutdown()
    lexicon = Lexicon(
        vocabulary=vocabulary,
        tokenizer=make_tokenizer(words),
        latin_words=frozenset(latin_words),
        latin_list=tuple(w for w in latin_words if len(w) >= 3 and not w.isdigit()),
        pinyin_words={k: tuple(sorted(v, key=lambda w: (-len(w), w))) for k, v in sorted(pinyin_words.items())},
        postings=postings,
    )
    table = Table.of(Passage, list(passages))
    counts = [len(d.passages) for d in corpus.documents]
    return Index(
        passages=table,
        documents=np.repeat(np.arange(len(counts), dtype=np.int32), counts),
        doc_ids=tuple(d.doc_id for d in corpus.documents),
        folded=Blob.of(folded),
        sound=Blob.of(s for b in batches for s in b.sound),
        scripts=np.array([c for b in batches for c in b.scripts], dtype=np.int8),
        postings=postings,
        groups=groups,
        lexicon=lexicon,
    )


def _postings(batches: list[Batch]) -> Postings:
    """One (term hash, passage, count) row per distinct term of each passage, straight from the batches."""
    if not batches:
        return Postings.build(np.empty(0, np.uint64), np.empty(0, np.int32), np.empty(0, np.int32), np.empty(0))
    per_passage = np.concatenate([b.terms_per_passage for b in batches])
    docs = np.repeat(np.arange(len(per_passage), dtype=np.int32), per_passage)
    lengths = np.array([n for b in batches for n in b.lengths], dtype=np.float64)
    return Postings.build(np.concatenate([b.hashes for b in batches]), docs,
                          np.concatenate([b.counts for b in batches]), lengths)
