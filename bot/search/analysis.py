"""Indexing stage one: each passage's text to what the index stores about it.

Pure and per passage, so it can run on several cores (``bot.search.build``): the folded text,
the sound string, the script the passage is written in, its index terms with counts, its
length in units, and the toneless readings of its Han words (for typed pinyin). The segmenter
is passed in; ``analyse_batch`` builds one per worker from the domain words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from bot.search.normalise import detect_script, fold_with_offsets
from bot.search.sound import sound_string
from bot.search.postings import term_hash
from bot.search.terms import WORD, kind_of, reading_term, sound_term, text_of, word_term
from bot.search.terms import bigram_term as text_bigram
from bot.search.tokenize import Analysis, Segmenter, analyse, make_tokenizer

SCRIPTS = (None, "simplified", "traditional")


@dataclass(frozen=True)
class Analysed:
    folded: str
    sound: str
    script: int  # index into SCRIPTS
    terms: dict[str, int]
    length: int  # units (Han characters and Latin words): BM25's document length
    readings: tuple[tuple[str, str], ...]  # (toneless reading, Han word) of each word that has one


def han_word_readings(analysis: Analysis) -> list[tuple[str, str]]:
    """(toneless reading, word) of each Han word whose every character has a reading, in text order:
    worked out once per passage for both its reading terms and its typed-pinyin table (the
    segmenter joins each distinct word's reading once: ``Segmenter.word_facts``)."""
    return list(analysis.han_readings)


def passage_terms(analysis: Analysis, han_words: list[tuple[str, str]] | None = None) -> Counter[str]:
    """Every index term of one passage, with its count; ``han_words``: ``han_word_readings(analysis)``
    when already made."""
    readings = analysis.readings
    units = analysis.units
    han_units = [u for u in units if u.han]
    terms = [word_term(word) for word in analysis.search_words]
    terms.extend(text_bigram(a.text, b.text, han=a.han and b.han) for a, b in zip(units, units[1:]))
    pairs = ((readings[a.start], readings[b.start]) for a, b in zip(han_units, han_units[1:]))
    terms.extend(sound_term(ra, rb) for ra, rb in pairs if ra and rb)
    terms.extend(reading_term(reading) for reading, _word in (han_word_readings(analysis) if han_words is None else han_words))
    return Counter(terms)


def analyse_passage(text: str, script: str | None, tokenizer: Segmenter) -> Analysed:
    """``script`` is the document's (from corpus.yaml); without it the passage's own is detected."""
    folded, offsets = fold_with_offsets(text)
    analysis = analyse(folded, offsets, tokenizer)
    script = script or detect_script(text)
    han_words = han_word_readings(analysis)
    return Analysed(
        folded,
        sound_string(folded, analysis.readings),
        SCRIPTS.index(script) if script in SCRIPTS else 0,
        dict(passage_terms(analysis, han_words)),
        len(analysis.units),
        tuple(dict.fromkeys(han_words)),
    )


@dataclass(frozen=True)
class Batch:
    """Analysed passages as the parent process needs them: small to send back from a worker.

    Terms travel as 64-bit hashes (``postings.term_hash``) with counts, not as strings: the
    parent then builds the postings with numpy alone.
    """

    folded: list[str]
    sound: list[str]
    scripts: list[int]
    lengths: list[int]
    hashes: np.ndarray  # uint64, one per distinct term of each passage, passage by passage
    counts: np.ndarray  # int32, the term's count in its passage
    terms_per_passage: np.ndarray  # int64
    latin_words: set[str]
    readings: set[tuple[str, str]]


class TermKeys:
    """Each index term's 64-bit hash, and whether it is a Latin word, worked out once per process:
    a library's articles share most of their terms (87 thousand distinct among 446 thousand
    per-article terms at 10x the seeds), so hashing them per article would hash most of them again."""

    KEPT = 1 << 19  # terms remembered at most; past it the memory is given back and filling starts again

    def __init__(self) -> None:
        self.hashes: dict[str, int] = {}
        self.latin: set[str] = set()  # the terms among ``hashes`` that are Latin words

    def learn(self, terms: set[str]) -> None:
        """Hash the terms not yet known."""
        new = terms.difference(self.hashes)
        if len(self.hashes) + len(new) > self.KEPT:
            self.hashes.clear()
            self.latin.clear()
            new = terms
        for term in new:
            self.hashes[term] = term_hash(term)
            if kind_of(term) == WORD and text_of(term).isascii():
                self.latin.add(term)


@lru_cache(maxsize=2)
def _tokenizer(words: tuple[str, ...]) -> Segmenter:
    return make_tokenizer(words)


@lru_cache(maxsize=1)
def _term_keys() -> TermKeys:
    return TermKeys()


def analyse_batch(items: list[tuple[str, str | None]], words: tuple[str, ...]) -> Batch:
    """Analyse (text, script) pairs with a tokenizer carrying ``words``: the unit of work of one core."""
    tokenizer = _tokenizer(words)
    done = [analyse_passage(text, script, tokenizer) for text, script in items]
    distinct: set[str] = set()
    for a in done:
        distinct.update(a.terms)
    term_keys = _term_keys()
    term_keys.learn(distinct)
    hashes = term_keys.hashes
    keys: list[int] = []
    counts: list[int] = []
    for a in done:
        keys.extend(map(hashes.__getitem__, a.terms))
        counts.extend(a.terms.values())
    return Batch(
        [a.folded for a in done],
        [a.sound for a in done],
        [a.script for a in done],
        [a.length for a in done],
        np.array(keys, dtype=np.uint64),
        np.array(counts, dtype=np.int32),
        np.array([len(a.terms) for a in done], dtype=np.int64),
        {text_of(term) for term in distinct & term_keys.latin},
        {pair for a in done for pair in a.readings},
    )
