"""The loaded library: corpus, vocabulary and index, built once per process and shared read-only.

The corpus handed to commands is a ``StoredCorpus``: its passages are rows of the index's
passage table (``bot.search.columns``), made into ``Passage`` objects only when touched.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bot.config import Settings
from bot.corpus.models import Corpus
from bot.corpus.stance import Topics, topic_lexicon
from bot.search.index import Index
from bot.search.normalise import fold
from bot.search.stored import StoredCorpus
from bot.search.vocabulary import Vocabulary


@dataclass(frozen=True)
class Library:
    corpus: Corpus
    vocabulary: Vocabulary
    index: Index
    stance: Topics | None = None  # config/stance.yaml's topic words, read once with the library for /compare (None: unreadable)

    @functools.cached_property
    def folded_speaker_names(self) -> frozenset[str]:
        """Every name every speaker goes by, folded (script, width, case): the same for every query,
        so folded once per library, on first use (/who-said tells a name from a quotation with it)."""
        return frozenset(f for speaker in self.corpus.speakers for n in speaker.all_names if (f := fold(n)))

    @classmethod
    def load(cls, settings: Settings, *, workers: int = 1, progress=None) -> "Library":
        """Read seeds and config and build the index; ``workers`` processes clean and analyse in
        parallel. Each article's own work is reused from ``settings.cache_dir`` when nothing it
        depends on changed (``bot.search.articles``)."""
        from bot.search.articles.load import load_articles  # here: a process that only opens a saved library never imports jieba

        loaded = load_articles(settings.seeds_dir, settings.config_dir, settings.cache_dir, workers=workers,
                               progress=progress)
        return cls.from_corpus(loaded.corpus, settings, workers=workers, progress=progress, analysed=loaded.analysed,
                               pending=loaded.pending)

    @classmethod
    def from_corpus(cls, corpus: Corpus, settings: Settings, *, workers: int = 1, progress=None,
                    analysed=None, pending=None) -> "Library":
        """``analysed``: the passages' analyses when already made, one batch per document (see ``Index.build``);
        ``pending``: their cross-document index parts, already started (``bot.search.build.start_index_parts``)."""
        vocabulary = Vocabulary.load(settings.config_dir, corpus, use_dictionary=False)
        index = Index.build(corpus, vocabulary, workers=workers, progress=progress, dictionary=True, analysed=analysed,
                            pending=pending)
        return cls(StoredCorpus.of(corpus, index.passages), index.lexicon.vocabulary, index, topic_lexicon(settings.config_dir))
