"""A passage prepared for reading: its quotes, the masked copy, its sentences and who it mentions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from bot.corpus.attribution.book import Mention, SpeakerBook, pronoun_mentions
from bot.corpus.attribution.cues import Cue, find_cues
from bot.corpus.attribution.lexicon import CLAUSE_BREAK, SENTENCE_END, Lexicon
from bot.corpus.attribution.quotations import QuoteMark, ends_sentence, find_quotes, masked_text


@dataclass(frozen=True)
class Layout:
    text: str
    quotes: list[QuoteMark]
    masked: str
    sentence_ends: list[int]  # offsets just after each sentence
    mentions: list[Mention]
    lex: Lexicon
    book: SpeakerBook

    @classmethod
    def of(cls, text: str, book: SpeakerBook, lex: Lexicon) -> Layout:
        quotes = find_quotes(text)
        masked = masked_text(text, quotes)
        ends = {i + 1 for i, c in enumerate(masked) if c in SENTENCE_END}
        ends |= {q.close + 1 for q in quotes if q.close < len(text) and ends_sentence(text, q)}
        ends.add(len(text))
        mentions = pronoun_mentions(masked, lex, book.mentions(masked))
        return cls(text, quotes, masked, sorted(ends), mentions, lex, book)

    def sentence_of(self, index: int) -> tuple[int, int]:
        start = 0
        for end in self.sentence_ends:
            if index < end:
                return start, end
            start = end
        return start, len(self.text)

    def clause_start(self, index: int, floor: int) -> int:
        for position in range(index - 1, floor - 1, -1):
            if self.masked[position] in CLAUSE_BREAK:
                return position + 1
        return floor

    @cached_property
    def cues(self) -> tuple[Cue, ...]:
        """The speech cues of the masked text, found once however many quotes ask."""
        return tuple(find_cues(self.masked, self.lex))

    def names(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "name"]
