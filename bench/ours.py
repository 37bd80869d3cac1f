"""Our bot as the benchmarks see it: the raw index, and the /quote command a Slack user runs.

Both are measured because they answer different questions: ``index.search`` is what the
search layer costs, ``/quote`` adds what a user actually waits for (display script,
attribution, sources, highlights).
"""

from __future__ import annotations

from bot.commands.dispatch import answer
from bot.commands.parse import Request
from bot.commands.results import QUOTE
from bot.config import Settings
from bot.corpus.models import Passage
from bot.search.library import Library


class OursIndex:
    name = "ours: index.search"

    def __init__(self, library: Library, settings: Settings):
        self.library, self.settings = library, settings

    def search(self, text: str, limit: int = 10) -> list[Passage]:
        matches = self.library.index.search(text, limit=limit, pool=self.settings.candidate_pool)
        return [m.passage for m in matches]


class OursQuote:
    name = "ours: /quote"

    def __init__(self, library: Library, settings: Settings):
        self.library, self.settings = library, settings

    def search(self, text: str, limit: int = 10) -> list[Passage]:
        reply = answer(Request(QUOTE, text), self.library, self.settings, limit=limit)
        return [hit.passage for hit in reply.results]
