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

from bot.chars import is_han
from bot.search.normalise import detect_script, fold_with_offsets
from bot.search.sound import sound_string
from bot.search.postings import term_hash
from bot.search.terms import WORD, kind_of, reading_term, sound_term, text_of, word_term
from bot.search.tokenize import Analysis, Segmenter, analyse, bigram_term, make_tokenizer

SCRIPTS = (None, "simplified", "traditional")


@dataclass(frozen=True)
class Analysed:
    folded: str
    sound: str
    script: int  # index into SCRIPTS
    terms: dict[str, int]
    length: int  # units (Han characters and Latin words): BM25's document length
    readings: tuple[tuple[str, str], ...]  # (toneless reading, Han word) of each word that has one


def passage_terms(analysis: Analysis) -> Counter[str]:
    """Every index term of one passage, with its count."""
    readings = analysis.readings
    units = analysis.units
    han_units = [u for u in units if u.han]
    terms = [word_term(word) for word in analysis.search_words]
    terms.extend(bigram_term(a, b) for a, b in zip(units, units[1:]))
    pairs = ((readings[a.start], readings[b.start]) for a, b in zip(han_units, han_units[1:]))
    terms.extend(sound_term(ra, rb) for ra, rb in pairs if ra and rb)
    for word, start in analysis.words:
        if is_han(word[0]):
            reading = readings[start:start + len(word)]
            if all(reading):
                terms.append(reading_term("".join(reading)))
    return Counter(terms)


def analyse_passage(text: str, script: str | None, tokenizer: Segmenter) -> Analysed:
    """``script`` is the document's (from corpus.yaml); without it the passage's own is detected."""
    folded, offsets = fold_with_offsets(text)
    analysis = analyse(folded, offsets, tokenizer)
    script = script or detect_script(text)
    words = {}
    for word, start in analysis.words:
        reading = analysis.readings[start:start + len(word)]
        if is_han(word[0]) and all(reading):
            words["".join(reading), word] = None
    return Analysed(
        folded,
        sound_string(folded, analysis.readings),
        SCRIPTS.index(script) if script in SCRIPTS else 0,
        dict(passage_terms(analysis)),
        len(analysis.units),
        tuple(words),
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


@lru_cache(maxsize=2)
def _tokenizer(words: tuple[str, ...]) -> Segmenter:
    return make_tokenizer(words)


def analyse_batch(items: list[tuple[str, str | None]], words: tuple[str, ...]) -> Batch:
    """Analyse (text, script) pairs with a tokenizer carrying ``words``: the unit of work of one core."""
    tokenizer = _tokenizer(words)
    done = [analyse_passage(text, script, tokenizer) for text, script in items]
    hashes: dict[str, int] = {}
    keys: list[int] = []
    counts: list[int] = []
    latin: set[str] = set()
    for a in done:
        for term, count in a.terms.items():
            key = hashes.get(term)
            if key is None:
                key = hashes[term] = term_hash(term)
                if kind_of(term) == WORD and text_of(term).isascii():
                    latin.add(text_of(term))
            keys.append(key)
            counts.append(count)
    return Batch(
        [a.folded for a in done],
        [a.sound for a in done],
        [a.script for a in done],
        [a.length for a in done],
        np.array(keys, dtype=np.uint64),
        np.array(counts, dtype=np.int32),
        np.array([len(a.terms) for a in done], dtype=np.int64),
        latin,
        {pair for a in done for pair in a.readings},
    )
