"""What a command answers, as plain values that the CLI and Slack renderers both draw from."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.corpus.models import Passage, Source

QUOTE = "quote"
WHO_SAID = "who-said"
COMPARE = "compare"
HELP = "help"
COMMANDS = (QUOTE, WHO_SAID, COMPARE, HELP)


@dataclass(frozen=True)
class Hit:
    """One passage in an answer, already shown in the script the reader asked for."""

    passage: Passage
    score: float  # 0..1, higher is better
    display_text: str  # passage text in the display script (same length as passage.text)
    speaker: str | None
    speaker_aliases: tuple[str, ...] = ()
    speaker_role: str | None = None
    source: Source = field(default_factory=Source)
    highlights: tuple[tuple[int, int], ...] = ()  # matched stretches of display_text
    quotation: tuple[int, int] | None = None  # the exact quotation span (who-said proof)
    stance: str | None = None  # "open", "closed", "both" for /compare open closed
    also_in: tuple[str, ...] = ()  # doc ids of other articles holding a near-copy of this passage

    @property
    def quotation_text(self) -> str | None:
        if self.quotation is None:
            return None
        start, end = self.quotation
        return self.display_text[start:end]

    def as_json(self) -> dict:
        data = {
            "passage_id": self.passage.id,
            "doc_id": self.passage.doc_id,
            "text": self.passage.text,
            "display_text": self.display_text,
            "speaker": self.speaker,
            "speaker_aliases": list(self.speaker_aliases),
            "speaker_role": self.speaker_role,
            "source": self.source.as_dict(),
            "score": round(self.score, 4),
            "highlights": [list(h) for h in self.highlights],
            "also_in": list(self.also_in),
        }
        if self.quotation is not None:
            data["quotation"] = self.quotation_text
        if self.stance is not None:
            data["stance"] = self.stance
        return data


@dataclass(frozen=True)
class Side:
    """One column of /compare."""

    label: str
    results: tuple[Hit, ...]
    title: str | None = None  # what the column is about, e.g. "for open-source AI"

    def as_json(self, limit: int | None = None) -> dict:
        results = self.results if limit is None else self.results[:limit]
        return {"label": self.label, "title": self.title, "results": [h.as_json() for h in results]}


@dataclass(frozen=True)
class Reply:
    """The whole answer to one line a user typed."""

    command: str  # one of COMMANDS
    query: str
    results: tuple[Hit, ...] = ()
    sides: tuple[Side, ...] = ()
    notes: tuple[str, ...] = ()  # things the user should know: "query was cut to 300 characters"
    found: bool = True  # False: the library holds nothing that matches well enough
    confidence: float | None = None  # who-said: how sure the first result is
    offset: int = 0  # where this page starts among all matches
    total: int = 0  # how many matches there are in all
    help_text: str | None = None

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.results) < self.total

    def as_json(self, limit: int | None = None) -> dict:
        results = self.results if limit is None else self.results[:limit]
        data = {
            "command": self.command,
            "query": self.query,
            "results": [h.as_json() for h in results],
            "sides": [s.as_json(limit) for s in self.sides],
            "found": self.found,
            "notes": list(self.notes),
            "offset": self.offset,
            "total": self.total,
        }
        if self.confidence is not None:
            data["confidence"] = round(self.confidence, 4)
        if self.help_text is not None:
            data["help"] = self.help_text
        return data


class UsageError(ValueError):
    """A line that is not a command we know, or lacks what the command needs; says what to type."""
