"""Indexing stage two: analysed passages to the index's arrays (postings, texts, groups).

Stage one (``bot.search.analysis``) is per passage and runs on every core given
(``workers``): passages are cut into contiguous batches, one per task, and each worker builds
its own segmenter once. Stage two is whole-library work done once with numpy.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from typing import Any, Callable, Sequence

import numpy as np

from bot.corpus.models import Corpus, Document, Passage
from bot.search.analysis import Batch, analyse_batch
from bot.search.cedict import reverse_dictionary
from bot.search.blob import Blob
from bot.search.columns import Table
from bot.search.display_columns import DisplayColumns
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


class Forked:
    """``function(*args)`` run in a forked process on what this process already holds: the arguments
    are inherited by the fork, not pickled; only the result comes back, through a pipe. Used to run
    cross-document stages beside the one this process is busy with (see ``start_index_parts``)."""

    def __init__(self, function: Callable, *args: Any):
        context = get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_send_result, args=(send, function, args), daemon=True)
        self._process.start()
        send.close()

    def result(self) -> Any:
        try:
            done, value = self._receive.recv()
        except EOFError:
            done, value = False, RuntimeError(f"a build process stopped (exit code {self._process.exitcode})")
        finally:
            self._receive.close()
            self._process.join()
        if not done:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the process if it still runs (the caller failed and will not want the result)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()


def _send_result(send, function: Callable, args: tuple) -> None:
    try:
        outcome = (True, function(*args))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        outcome = (False, exc)
    send.send(outcome)
    send.close()


@dataclass(frozen=True)
class IndexParts:
    """The index's cross-document parts that need the passages' analyses and their attribution
    (who leads a near-duplicate group) but not their stances, so they can be built while the
    stances are judged."""

    postings: Postings
    groups: Groups
    latin_words: list[str]
    pinyin_words: dict[str, set[str]]


def attribution_priority(passages: Sequence[Passage]) -> list[int]:
    """Each passage's claim to lead its near-duplicate group: the attributed member, else the earliest
    (``Groups.build`` breaks ties by order)."""
    return [0 if (p.speaker or p.quotations) else 1 for p in passages]


def index_parts(batches: Sequence[Batch], priority: Sequence[int], progress: Progress | None = None) -> IndexParts:
    if progress:
        progress("postings", 0, 1)
    postings = _postings(list(batches))
    latin_words = sorted(set().union(*(b.latin_words for b in batches)))
    pinyin_words: dict[str, set[str]] = {}
    for b in batches:
        for reading, word in b.readings:
            pinyin_words.setdefault(reading, set()).add(word)
    if progress:
        progress("near-duplicates", 0, 1)
    groups = Groups.build([f for b in batches for f in b.folded], priority)
    return IndexParts(postings, groups, latin_words, pinyin_words)


@dataclass
class PendingParts:
    """``IndexParts`` and the English dictionary being built in forked processes."""

    parts: Forked
    english: Forked

    def result(self) -> tuple[IndexParts, dict]:
        try:
            return self.parts.result(), self.english.result()
        except BaseException:
            self.cancel()
            raise

    def cancel(self) -> None:
        self.parts.cancel()
        self.english.cancel()


def start_index_parts(batches: Sequence[Batch], passages: Sequence[Passage], workers: int) -> PendingParts | None:
    """With more than one core and a process that may fork: the postings, near-duplicate groups and
    English dictionary started in two processes of their own, so they run while this one judges
    stances (which they do not read). None otherwise: ``build_index`` makes them itself."""
    if workers <= 1 or not forks():
        return None
    priority = attribution_priority(passages)
    folded = [f for b in batches for f in b.folded]
    parts = Forked(index_parts, batches, priority)
    try:
        english = Forked(reverse_dictionary, folded)
    except BaseException:
        parts.cancel()
        raise
    return PendingParts(parts, english)


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
                dictionary: bool = False, analysed: Sequence[Batch] | None = None, pending: PendingParts | None = None):
    """The index of ``corpus``; with ``dictionary`` the vocabulary gains the CC-CEDICT words its passages use.
    ``analysed``: stage one already done (``bot.search.articles``), one batch per document, in order;
    ``pending``: the cross-document parts already started on ``analysed`` (``start_index_parts``)."""
    from bot.search.index import Index

    passages: Sequence[Passage] = corpus.passages
    words = tuple(vocabulary.domain_words)
    if analysed is None:
        scripts = [document_script(d) for d in corpus.documents]
        items = [(p.text, script) for d, script in zip(corpus.documents, scripts) for p in d.passages]
        batches = analyse_all(items, words, workers, progress)
    else:
        batches = list(analysed)
    if pending is not None:  # built while the stances were judged (``start_index_parts``)
        if progress:
            progress("postings, near-duplicates, English dictionary", 0, 1)
        parts, english = pending.result()
    else:  # the dictionary in a forked process beside this one where it may fork, else after the rest
        folded = [f for b in batches for f in b.folded]
        beside = Forked(reverse_dictionary, folded) if dictionary and workers > 1 and forks() else None
        try:
            parts = index_parts(batches, attribution_priority(passages), progress)
        except BaseException:
            if beside is not None:
                beside.cancel()
            raise
        if dictionary and progress:
            progress("English dictionary", 0, 1)
        english = beside.result() if beside is not None else reverse_dictionary(folded) if dictionary else None
    if dictionary:
        vocabulary = vocabulary.with_dictionary(english)
    postings, groups, latin_words, pinyin_words = parts.postings, parts.groups, parts.latin_words, parts.pinyin_words
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
        folded=Blob.of(f for b in batches for f in b.folded),
        sound=Blob.of(s for b in batches for s in b.sound),
        scripts=np.array([c for b in batches for c in b.scripts], dtype=np.int8),
        postings=postings,
        groups=groups,
        lexicon=lexicon,
        display=DisplayColumns.build([p.text for p in passages], [f for b in batches for f in b.folded]),
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
