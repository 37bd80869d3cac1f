"""The loaded library: corpus, vocabulary and index, built once per process and shared read-only.

The corpus handed to commands is a ``StoredCorpus``: its passages are rows of the index's
passage table (``bot.search.columns``), made into ``Passage`` objects only when touched.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.corpus.models import Corpus
from bot.search.index import Index
from bot.search.stored import StoredCorpus
from bot.search.vocabulary import Vocabulary


@dataclass(frozen=True)
class Library:
    corpus: Corpus
    vocabulary: Vocabulary
    index: Index

    @classmethod
    def load(cls, settings: Settings, *, workers: int = 1, progress=None) -> "Library":
        """Read seeds and config and build the index; ``workers`` processes clean and analyse in parallel."""
        from bot.corpus.loader import load_corpus  # here: a process that only opens a saved library never imports jieba

        if workers > 1:
            from bot.search.parallel_load import load_corpus_parallel

            corpus = load_corpus_parallel(settings.seeds_dir, settings.config_dir, workers)
        else:
            corpus = load_corpus(settings.seeds_dir, settings.config_dir)
        return cls.from_corpus(corpus, settings, workers=workers, progress=progress)

    @classmethod
    def from_corpus(cls, corpus: Corpus, settings: Settings, *, workers: int = 1, progress=None) -> "Library":
        vocabulary = Vocabulary.load(settings.config_dir, corpus, use_dictionary=False)
        index = Index.build(corpus, vocabulary, workers=workers, progress=progress, dictionary=True)
        return cls(StoredCorpus.of(corpus, index.passages), index.lexicon.vocabulary, index)
