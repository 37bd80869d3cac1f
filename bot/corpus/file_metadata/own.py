"""What the file says about itself: a page's byline, front matter, the header, the first line.

A folder of articles dropped in with ``BOT_SEEDS`` has no config entries, yet replies still need
a title, an outlet, an author and a date to show. A saved page gives its byline (title, author,
date, outlet, URL), a Markdown export its front matter, and most articles a header under their
title (see header.py); failing all, the document's first heading, or else its first line, is how
a reader would name it (not when that line is all the document holds: it would only repeat the
passage, so the title stays unknown). A header line is never the title.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from bot.corpus.blocks import Block
from bot.corpus.models import Source

SOURCE_FIELDS = tuple(f.name for f in fields(Source) if f.name != "read_from_text")
FRONT_MATTER_ALIASES = {"date_published": "date", "published": "date", "site": "outlet", "sitename": "outlet"}
TITLE_MAX_CHARS = 80
PAGE, FRONT_MATTER, HEADER = "the page's metadata", "the front matter", "the header"


@dataclass(frozen=True)
class OwnSource:
    """The fields the file gives and where each came from (PAGE, FRONT_MATTER, HEADER, or the
    first heading / line for a title)."""

    values: dict[str, str]
    origins: dict[str, str]

    def source(self, only: tuple[str, ...] | None = None) -> Source:
        """The Source of these fields (of those whose origin is in ``only``, when given)."""
        return Source(**{k: v for k, v in self.values.items() if only is None or self.origins[k] in only})

    @property
    def title_from(self) -> str | None:
        return self.origins.get("title")


def own_source(
    page: dict[str, str], front_matter: dict[str, str], blocks: list[Block], header: dict[str, str] | None = None,
    header_lines: frozenset[str] = frozenset(),
) -> OwnSource:
    """The page's byline first, then the front matter, then the header; a title from the first
    block that is not a header line when none of them gives one."""
    values: dict[str, str] = {}
    origins: dict[str, str] = {}

    def add(name: str, value: str, origin: str) -> None:
        if name in SOURCE_FIELDS and value and name not in values:
            values[name], origins[name] = value, origin

    for name, value in page.items():
        add(name, value, PAGE)
    for key, value in front_matter.items():
        add(FRONT_MATTER_ALIASES.get(key.lower(), key.lower()), value.strip().strip("\"'"), FRONT_MATTER)
    for name, value in (header or {}).items():
        add(name, value, HEADER)
    if "title" not in values:
        titles = [b for b in blocks if b.text.text not in header_lines]
        if titles and (titles[0].kind == "heading" or len(blocks) > 1):  # a lone paragraph names nothing but itself
            first = titles[0]
            add("title", shortened(first.text.text.strip()), "the first heading" if first.kind == "heading" else "the first line")
    return OwnSource(values, origins)


def shortened(line: str) -> str:
    """A first line used as a title, cut to a title's length (at a space where the line has them)."""
    if len(line) <= TITLE_MAX_CHARS:
        return line
    cut = line[:TITLE_MAX_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > TITLE_MAX_CHARS // 2 else cut).rstrip(" ,，、;；:：") + "…"
