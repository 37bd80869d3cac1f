"""/quote: the passages that best match what the user remembers, best first, a page at a time."""

from __future__ import annotations

from bot.commands.display import display_script, make_hit
from bot.commands.help import HELP_TEXT
from bot.commands.query import prepare
from bot.commands.results import QUOTE, Reply
from bot.config import Settings
from bot.search.library import Library

NOTHING_TO_SEARCH = "There is nothing to search for in that: type words, a phrase, or pinyin."
NO_MATCH = "No passage in the library matches that. Try fewer or other words, or the other script."
MAX_RESULTS = 1000


def quote(query: str, library: Library, settings: Settings, *, limit: int | None = None, offset: int = 0) -> Reply:
    prepared = prepare(query, settings.max_query_chars)
    if not prepared.searchable:
        return Reply(QUOTE, query, found=False, notes=prepared.notes + (NOTHING_TO_SEARCH,), help_text=HELP_TEXT)
    page = limit if limit is not None else settings.results_per_page
    offset = max(0, offset)
    wanted = offset + max(0, page)
    pool = max(settings.candidate_pool, wanted)  # a large --limit returns everything that matches
    matches = library.index.search(prepared.text, limit=max(MAX_RESULTS, wanted), pool=pool, exact=wanted)
    if not matches:
        return Reply(QUOTE, prepared.text, found=False, notes=prepared.notes + (NO_MATCH,), help_text=HELP_TEXT)
    script = display_script(settings, prepared.text, matches[0].query_script)
    hits = tuple(
        make_hit(library.corpus, m.passage, score=m.score, script=script, highlights=m.highlights, also_in=m.also_in,
                 display_text=m.text_in(script))
        for m in matches[offset:offset + max(0, page)]
    )
    return Reply(QUOTE, prepared.text, results=hits, notes=prepared.notes, offset=offset, total=len(matches))
