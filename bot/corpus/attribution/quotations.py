"""Quote marks in a passage, and the masked copy every later stage reads.

Quoted words are blanked out in the masked copy, so a name inside a quotation is never taken for
its speaker and punctuation inside a quotation never ends the sentence around it. Offsets in the
masked copy are offsets in the passage.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.corpus.attribution.lexicon import MASK

CLOSING_QUOTE = {"“": "”", "「": "」", "『": "』"}
# Marks too ambiguous to run to the end when they never close: a lone one is skipped.
STRICT_QUOTE = {'"': '"', "‘": "’"}
SENTENCE_CLOSERS = tuple("。！？!?…")


@dataclass(frozen=True)
class QuoteMark:
    """A pair of quote marks; an opening “ that never closes runs to the end of the passage."""

    open: int
    close: int  # index of the closing mark, or len(text) when it never closes

    @property
    def inner(self) -> tuple[int, int]:
        return self.open + 1, self.close


def find_quotes(text: str) -> list[QuoteMark]:
    """Quote pairs in reading order (“…” 「…」 『…』 ‘…’ and straight "…"); nested marks stay inside."""
    quotes, index = [], 0
    while index < len(text):
        char = text[index]
        if char in CLOSING_QUOTE:
            close = text.find(CLOSING_QUOTE[char], index + 1)
            close = len(text) if close == -1 else close
        elif char in STRICT_QUOTE:
            close = text.find(STRICT_QUOTE[char], index + 1)
            if close == -1:
                index += 1
                continue
        else:
            index += 1
            continue
        quotes.append(QuoteMark(index, close))
        index = close + 1
    return quotes


def masked_text(text: str, quotes: list[QuoteMark]) -> str:
    chars = list(text)
    for quote in quotes:
        for index in range(quote.open, min(quote.close + 1, len(text))):
            chars[index] = MASK
    return "".join(chars)


def ends_sentence(text: str, quote: QuoteMark) -> bool:
    """Whether the quoted words end with a sentence's own punctuation (“…。”)."""
    inner = text[quote.inner[0] : quote.inner[1]].rstrip(' ”」』"’')
    return inner.endswith(SENTENCE_CLOSERS)


def is_quoted_paragraph(text: str) -> bool:
    stripped = text.lstrip()
    return bool(stripped) and (stripped[0] in CLOSING_QUOTE or stripped[0] in STRICT_QUOTE)
