"""The loaded library: corpus, vocabulary and index, built once per process and shared read-only."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.corpus.loader import load_corpus
from bot.corpus.models import Corpus
from bot.search.index import Index
from bot.search.vocabulary import Vocabulary


@dataclass(frozen=True)
class Library:
    corpus: Corpus
    vocabulary: Vocabulary
    index: Index

    @classmethod
    def load(cls, settings: Settings) -> "Library":
        """Read seeds and config and build the index (a second or two, most of it jieba's dictionary)."""
        corpus = load_corpus(settings.seeds_dir, settings.config_dir)
        return cls.from_corpus(corpus, settings)

    @classmethod
    def from_corpus(cls, corpus: Corpus, settings: Settings) -> "Library":
        vocabulary = Vocabulary.load(settings.config_dir, corpus)
        return cls(corpus, vocabulary, Index.build(corpus, vocabulary))
