"""What the web process knows of a library it does not hold: the figures /healthz gives.

Under `bot serve` the library is opened by the search processes (bot/slack/searching.py), and
each sends its summary back once it has; the web process's LibrarySlot holds that. Under
`bot socket` and in tests the slot holds the Library itself; `summary_of` reads either.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings


@dataclass(frozen=True)
class LibrarySummary:
    """What the web process needs to know about a library it does not hold: /healthz's figures."""

    documents: int
    passages: int
    seeds_dir: str
    problems: tuple[str, ...] = ()

    @classmethod
    def of(cls, library, settings: Settings) -> LibrarySummary:
        corpus = library.corpus
        return cls(len(corpus.documents), len(corpus.passages), str(settings.seeds_dir), tuple(corpus.problems))

    def empty_reason(self) -> str | None:
        """Why this library cannot answer anything, or None if it can."""
        if self.passages:
            return None
        seeds = Path(self.seeds_dir)
        if not seeds.is_dir():
            return f"the library holds no passages: the seeds folder {seeds} does not exist (BOT_SEEDS)"
        return f"the library holds no passages: the seeds folder {seeds} has no article the bot could read"


def summary_of(library, settings: Settings) -> LibrarySummary:
    return library if isinstance(library, LibrarySummary) else LibrarySummary.of(library, settings)
