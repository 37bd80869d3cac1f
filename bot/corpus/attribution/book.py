"""Whom a passage mentions: the speaker book (every spelling of every known person), the people an
article introduces with the evidence that found them, and mentions by name, pronoun (他/她, 这位…),
group (他们) or the writer (我们, 本报). Finding a name where none is listed is ``names``' job.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from bot.corpus.attribution.lexicon import Lexicon, WordScanner, word_pattern
from bot.corpus.models import Speaker


@dataclass(frozen=True)
class Mention:
    """Someone a stretch of narration refers to: by name, by pronoun, as a group, or the writer."""

    start: int
    end: int
    speaker: str | None
    kind: str  # "name", "pronoun", "group", "self"


@dataclass
class People:
    """People an article introduces: canonical name -> the kinds of evidence that found them."""

    evidence: dict[str, set[str]] = field(default_factory=dict)

    def add(self, name: str | None, how: str) -> None:
        if name:
            self.evidence.setdefault(name, set()).add(how)

    def guessed(self, name: str) -> bool:
        """Found only by a surname and a slot, never tagged a person, titled, or listed."""
        return not self.evidence.get(name, set()) & {"jieba", "role", "listed", "latin", "transliterated"}


@dataclass(frozen=True)
class SpeakerBook:
    """Every spelling of every known speaker, matched longest first, mapped to the canonical name."""

    canonical: dict[str, str]
    pattern: WordScanner | None  # the spellings, longest first (ignoring case; a Latin one stands whole)
    bodies: dict[str, str] = field(default_factory=dict)  # 协会 -> 鲤门数智产业协会: the one body the article means
    surname_labels: dict[str, str] = field(default_factory=dict)  # 侯 -> 侯小川: as a turn label only

    @classmethod
    def of(
        cls, speakers: tuple[Speaker, ...], extra: dict[str, str] | None = None, bodies: dict[str, str] | None = None
    ) -> SpeakerBook:
        canonical: dict[str, str] = {}
        for speaker in speakers:
            for name in speaker.all_names:
                canonical.setdefault(fold_name(name), speaker.name)
        for spelling, name in (extra or {}).items():
            canonical.setdefault(fold_name(spelling), name)
        return cls(canonical, _scanner((), list(canonical)), dict(bodies or {}))

    def with_names(self, extra: dict[str, str], bodies: dict[str, str] | None = None) -> SpeakerBook:
        """``SpeakerBook.of((), {**self.canonical, **extra}, bodies)``: the same book, built on this
        one's compiled spellings (compiling each article's whole book again cost ~10 ms an article)."""
        merged = {**self.canonical, **extra}
        canonical: dict[str, str] = {}
        for spelling, name in merged.items():
            canonical.setdefault(fold_name(spelling), name)
        if self.pattern is None or list(canonical)[: len(self.canonical)] != list(self.canonical):
            return SpeakerBook.of((), merged, bodies)
        added = [s for s in list(canonical)[len(self.canonical):]]
        return SpeakerBook(canonical, _scanner(self.pattern.parts, added), dict(bodies or {}))

    def lookup(self, name: str) -> str | None:
        return self.canonical.get(fold_name(name))

    def mentions(self, masked: str) -> list[Mention]:
        if self.pattern is None:
            return []
        return [Mention(m.start(), m.end(), self.lookup(m.group()), "name") for m in self.pattern.finditer(masked)]


def _scanner(parts: tuple, spellings: list[str]) -> WordScanner | None:
    """``parts`` and a part for ``spellings`` (longest first, as they were given among equals)."""
    if spellings:
        parts = (*parts, _compiled(tuple(sorted(spellings, key=len, reverse=True))))
    return WordScanner(list(parts)) if parts else None


@functools.lru_cache(maxsize=16)
def _compiled(spellings: tuple[str, ...]) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """Spellings as one alternation; the listed speakers' part is compiled once per process, not
    once per article."""
    return re.compile("|".join(word_pattern(s) for s in spellings), re.IGNORECASE), spellings


def fold_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def pronoun_mentions(masked: str, lex: Lexicon, found: list[Mention]) -> list[Mention]:
    """Names already found, plus groups (他们), the writer (我们, 笔者) and persons (他/她, 这位…首席执行官)."""
    found = list(found)
    taken = [(m.start, m.end) for m in found]
    kinds = ((lex.role_anaphor_re, "pronoun"), (lex.group_pronoun_re, "group"), (lex.self_pronoun_re, "self"), (lex.person_pronoun_re, "pronoun"))
    for pattern, kind in kinds:
        for match in pattern.finditer(masked):
            if not any(s < match.end() and match.start() < e for s, e in taken):
                found.append(Mention(match.start(), match.end(), None, kind))
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda m: m.start)
