"""The parts of a query plan's concepts that every reading of a query shares: what a concept is,
what the index tells planning (``Lexicon``), and the BM25 weight of each kind of term."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from bot.search.english import ENGLISH_MARKERS
from bot.search.postings import Postings
from bot.search.terms import word_term
from bot.search.tokenize import Segmenter
from bot.search.vocabulary import Vocabulary

MAX_CONCEPTS = 64  # a pasted paragraph has more words than any quotation needs to be found

# BM25 weights per term kind: Latin words are rare in Chinese text and say a lot.
W_WORD, W_LATIN, W_BIGRAM, W_SOUND, W_PINYIN = 1.0, 1.5, 0.6, 0.25, 1.2


@dataclass(frozen=True)
class Concept:
    alternatives: tuple[str, ...]  # folded; any one present satisfies the concept
    weight: float
    kind: str  # "han" | "latin" | "name" | "glossary" | "dictionary" | "pinyin" | "number"
    sounds: tuple[str, ...] = ()  # sound strings of Han alternatives, for homophone typos
    terms: tuple[str, ...] = ()  # index terms whose postings say "holds the concept" (w:...)
    sound_terms: tuple[str, ...] = ()  # index terms whose postings say "holds it by sound" (p:...)
    position: int = 0  # where it was typed in the query: concepts are kept in typing order



@dataclass(frozen=True)
class Lexicon:
    """What the index knows that planning needs: its vocabularies and term statistics."""

    vocabulary: Vocabulary
    tokenizer: Segmenter
    latin_words: frozenset[str]
    latin_list: tuple[str, ...]
    pinyin_words: dict[str, tuple[str, ...]]  # concatenated toneless reading -> words of the library
    postings: Postings  # the index's postings: how many passages hold a term, if any

    @property
    def max_idf(self) -> float:
        return self.postings.max_idf

    @functools.cached_property
    def english_passages(self) -> np.ndarray:
        """Sorted numbers of the passages written in English (holding any of ``ENGLISH_MARKERS``):
        the same for every query, so found once per library, on first use."""
        return self.postings.holders([word_term(w) for w in ENGLISH_MARKERS])

    def idf(self, term: str) -> float:
        """The term's IDF; a term no passage holds counts as the rarest."""
        found = self.postings.idf(term)
        return self.max_idf if found is None else found
