"""The search vocabulary: the four kinds of index term, defined once for indexing and querying.

A term is its kind's prefix plus its text, so one postings table holds all four kinds and a
query can mix them with different weights:

- ``WORD`` (``w:开源``, ``w:linux``): a jieba word (search mode, so long words also yield their
  parts) or a Latin word;
- ``BIGRAM`` (``b:开源``, ``b:meta|ai``): two neighbouring units, so a segmentation difference
  or a one-character typo still leaves most of a query matching; Latin units keep a ``|``
  between them so ``meta|ai`` never meets the word ``metaai``;
- ``READING`` (``p:kaiyuan``): the toneless reading of one Han word, for typed pinyin;
- ``SOUND`` (``s:kai|yuan``): two neighbouring syllables, for pinyin typed across word borders
  and for homophone typos (美圆/美元 both give ``s:mei|yuan``).

Indexer (``bot.search.index``) and planner (``bot.search.query``) both build terms only through
these functions: a term spelt differently on one side would silently never match.
"""

from __future__ import annotations

WORD = "w:"
BIGRAM = "b:"
READING = "p:"
SOUND = "s:"
KINDS = (WORD, BIGRAM, READING, SOUND)
LATIN_JOIN = "|"


def word_term(word: str) -> str:
    return WORD + word


def bigram_term(first: str, second: str, *, han: bool) -> str:
    """Two neighbouring units: Han characters run together, Latin units keep a separator."""
    return BIGRAM + first + second if han else BIGRAM + first + LATIN_JOIN + second


def reading_term(reading: str) -> str:
    return READING + reading


def sound_term(first: str, second: str) -> str:
    return SOUND + first + LATIN_JOIN + second


def kind_of(term: str) -> str:
    return term[:2]


def text_of(term: str) -> str:
    return term[2:]
