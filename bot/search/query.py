"""From what the user typed to what the index looks for: a query plan.

A plan has two parts:

- *concepts*: the things a good passage should contain, each with alternatives any of which
  will do. The ranker measures how many concepts a passage holds and how close together.
- *terms*: weighted index terms (words, character bigrams, readings) for the BM25 candidate
  search, which only has to put the right passage in the pool, not rank it.

This module folds and analyses the query, cuts it into the stretches typed apart, and keeps
what the ranker decides once per query (``Plan``); which concepts and terms a query holds
(names, Chinese words, English, pinyin) is ``bot.search.concepts``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from bot.chars import HAN_RUN_RE
from bot.search.concepts import Builder, Concept, Lexicon
from bot.search.normalise import detect_script, fold_with_offsets
from bot.search.sound import sound_string
from bot.search.terms import bigram_term as text_bigram
from bot.search.tokenize import analyse, gaps

__all__ = ["Concept", "Finder", "Lexicon", "Plan", "plan"]

MAX_RAW_CHARS = 2000  # callers cut at ~300; this only keeps a pasted book from costing seconds
MAX_FOLDED_CHARS = 300
CHUNK_FLOOR = 0.3  # weight of a typed stretch with no concept in it (stop words)

ELISION = re.compile(r"[…⋯]|\.\.\.|。。。")  # marks of words left out of a quotation


QUOTATION_CHARS = 8  # a stretch of Chinese this long, typed whole, is a quotation rather than key words
SHORT_LATIN = 5  # a Latin alternative shorter than this is found only where the passage holds it as a word

Finder = tuple[float, "tuple[tuple[str, int, bool], ...] | None", tuple[tuple[str, int, bool], ...]]
"""One concept as the ranker looks for it: (weight, its text alternatives, or None when it is
found by sound only (typed pinyin), its sound alternatives); each alternative with its length
and "only where the passage holds it as a whole word" (a short Latin word: ``ai`` inside
``said`` is not the word; never for a sound)."""


@dataclass(frozen=True)
class Plan:
    folded: str
    sound: str  # sound string of the query (for pinyin queries: the typed syllables)
    concepts: tuple[Concept, ...]
    terms: dict[str, float]
    pinyin: bool = False  # the query is (mostly) typed pinyin
    han: bool = False  # the query has Chinese characters
    expansions: tuple[str, ...] = field(default=())  # terms added by names/glossary/pinyin, for display
    chunks: tuple[tuple[str, str, float], ...] = ()  # (folded, sound, weight) of each stretch typed apart
    script: str | None = None  # the script the query was typed in, to prefer passages in it among equals
    bigrams: tuple[str, ...] = ()  # bigram terms of neighbouring Han characters: all held by a passage holding the query
    typed_han: str = ""  # the query's Han characters as typed (unfolded): does a passage hold them in this script?
    complete: bool = True  # the plan read the whole query (none of it was cut for length)

    @cached_property
    def quotation(self) -> bool:
        """Is the query one typed stretch of Chinese (a quotation, maybe with a typo)? Then the
        lexical view leads the score (``rank.score``): it reads the characters in the order typed,
        while the conceptual view counts words wherever they stand, so a passage that happens to
        hold a mistyped character near the right words (an edited reprint, another paragraph)
        could outscore the passage the quotation was taken from. Scattered key words, names,
        English and pinyin keep the better view. The ranker also bounds a quotation's full score
        by its quick look (``pool._full_scores``): one definition for both."""
        return (not self.pinyin and self.han and len(self.chunks) == 1 and len(self.folded) >= QUOTATION_CHARS
                and all(c.kind == "han" for c in self.concepts))

    @cached_property
    def concept_weight(self) -> float:
        """The concepts' total weight: what a passage holding all of them has (``rank._coverage``)."""
        return sum(c.weight for c in self.concepts)

    @cached_property
    def finders(self) -> tuple[Finder, ...]:
        """The concepts as the ranker looks for them in a candidate's text, decided once per query
        rather than once per candidate: see ``Finder``."""
        return tuple(
            (c.weight,
             None if c.kind == "pinyin" else tuple((a, len(a), a.isascii() and len(a) < SHORT_LATIN) for a in c.alternatives),
             tuple((a, len(a), False) for a in c.sounds))
            for c in self.concepts)



def plan(query: str, lexicon: Lexicon) -> Plan | None:
    """The plan for ``query``; None when nothing in it can match (empty, punctuation, emoji)."""
    raw = query[:MAX_RAW_CHARS]
    folded, offsets = fold_with_offsets(raw)
    complete = len(raw) == len(query) and len(folded) <= MAX_FOLDED_CHARS
    folded, offsets = folded[:MAX_FOLDED_CHARS], offsets[:MAX_FOLDED_CHARS]
    if not folded:
        return None
    analysis = analyse(folded, offsets, lexicon.tokenizer)
    builder = Builder(lexicon, analysis)
    taken = builder.add_names(offsets)
    builder.add_han_words(taken)
    builder.add_latin(taken)
    has_han = any(u.han for u in analysis.units)
    sound = sound_string(folded, analysis.readings)
    concepts = tuple(sorted(builder.concepts, key=lambda c: c.position))
    chunks = tuple(
        (folded[a:b], sound[a:b], sum(c.weight for c in concepts if a <= c.position < b) or CHUNK_FLOOR)
        for a, b in _chunks(raw, offsets)
    )
    return Plan(
        folded=folded,
        sound=builder.sound or sound,
        concepts=concepts,
        terms=builder.terms,
        pinyin=builder.pinyin_only,
        han=has_han,
        expansions=tuple(dict.fromkeys(builder.expansions)),
        chunks=chunks,
        script=detect_script(raw) if has_han else None,
        typed_han="".join(HAN_RUN_RE.findall(raw)) if has_han else "",
        complete=complete,
        bigrams=tuple(dict.fromkeys(
            text_bigram(a.text, b.text, han=True)
            for a, b in zip(analysis.units, analysis.units[1:]) if a.han and b.han
        )),
    )


def _chunks(text: str, offsets: list[int]) -> list[tuple[int, int]]:
    """Folded spans the user typed apart with spaces (scattered key words) or with an ellipsis
    (a quotation with words left out: its start and its end need not stand side by side).

    Other punctuation does not split: a quotation keeps its commas (自由复制、修改和再利用).
    """
    spans = []
    start = 0
    for i in gaps(offsets):
        between = text[offsets[i] + 1:offsets[i + 1]]
        if any(ch.isspace() for ch in between) or ELISION.search(between):
            spans.append((start, i + 1))
            start = i + 1
    spans.append((start, len(offsets)))
    return spans
