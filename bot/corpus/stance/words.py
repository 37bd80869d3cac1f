"""A passage's words: jieba's dictionary cut of the folded text, with offsets and word classes.

Why: the learned stage reads character n-grams, which cross word boundaries (`他們的錢`
gives `們的錢`), so the n-grams that moved it are not what a user can read as a reason; cut
into words, a reason quotes whole words of the passage (``reasons``), and a word is also a
feature the model could read (measured in session 5: no gain; not used). The cut is rjieba's (jieba's
algorithm and dictionary in Rust, ~100x faster than jieba in Python here) with its HMM off, so
the same text always cuts the same way; the lexicon's names of the sides are added to its
dictionary (`闭源` is not in jieba's; the evaluative words are not added, since a phrase such as
`评估做扎实` would swallow the words around it), and the folded text (Simplified) is cut, whose
offsets are the original passage's.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.chars import has_han
from bot.corpus.stance.lexicon import SIDED, Lexicon

# jieba's word classes that carry meaning (nouns, verbs, adjectives, idioms, set phrases,
# abbreviations, English words); particles, pronouns, prepositions, conjunctions, numbers,
# measure words, adverbs and punctuation do not make a reason on their own.
CONTENT_CLASSES = ("n", "v", "a", "l", "i", "j", "z", "eng")


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    content: bool  # a word that carries meaning (CONTENT_CLASSES), of two or more characters (是, 有, 人 alone say nothing)


class Segmenter:
    """jieba's cut with the lexicon's words in its dictionary (one per build: never shared
    between libraries with different lexicons)."""

    def __init__(self, lexicon: Lexicon):
        import rjieba  # only where stance is read (a build), never in a search process

        self._jieba = rjieba.Jieba()
        for word, entries in lexicon.entries.items():
            if has_han(word) and " " not in word and any(e.category in SIDED for e in entries):
                self._jieba.add_word(word, None, "n")

    def words(self, folded: str) -> list[Word]:
        out, at = [], 0
        for text, kind in self._jieba.tag(folded, False):
            end = at + len(text)
            if text.strip():
                out.append(Word(at, end, len(text) >= 2 and kind.startswith(CONTENT_CLASSES)))
            at = end
        return out

    def cut(self, folded: str) -> list[str]:
        return [w for w in self._jieba.cut(folded, False) if w.strip()]


def whole_words(spans: list[tuple[int, int, float]], words: list[Word]) -> list[tuple[int, int, float]]:
    """Each (start, end, weight) span widened to the words it touches, then narrowed to its first
    and last meaningful word; a span with no meaningful word is dropped. Spans that come to
    overlap are merged (their weights added)."""
    out: list[list] = []
    for start, end, weight in sorted(spans):
        touched = [w for w in words if w.start < end and start < w.end]
        meaningful = [w for w in touched if w.content]
        if not meaningful:
            continue
        a, b = meaningful[0].start, meaningful[-1].end
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
            out[-1][2] += weight
        else:
            out.append([a, b, weight])
    return [(a, b, w) for a, b, w in out]
