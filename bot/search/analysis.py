"""Indexing stage one: each passage's text to what the index stores about it.

Pure and per passage, so it can run on several cores (``bot.search.build``): the folded text,
the sound string, the script the passage is written in, its index terms with counts, its
length in units, and the toneless readings of its Han words (for typed pinyin). The jieba
tokenizer is passed in; ``analyse_batch`` builds one per worker from the domain words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import jieba

from bot.chars import is_han
from bot.search.normalise import detect_script, fold_with_offsets
from bot.search.sound import sound_string
from bot.search.terms import reading_term, sound_term, word_term
from bot.search.tokenize import Analysis, analyse, bigram_term, make_tokenizer

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


def analyse_passage(text: str, script: str | None, tokenizer: jieba.Tokenizer) -> Analysed:
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


@lru_cache(maxsize=2)
def _tokenizer(words: tuple[str, ...]) -> jieba.Tokenizer:
    return make_tokenizer(words)


def analyse_batch(items: list[tuple[str, str | None]], words: tuple[str, ...]) -> list[Analysed]:
    """Analyse (text, script) pairs with a tokenizer carrying ``words``: the unit of work of one core."""
    tokenizer = _tokenizer(words)
    return [analyse_passage(text, script, tokenizer) for text, script in items]
