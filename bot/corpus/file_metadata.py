"""The Source of a document `config/corpus.yaml` does not list: what the file says about itself.

A folder of articles dropped in with ``BOT_SEEDS`` has no config entries, yet replies still need
a title to show. A saved page gives its byline (title, author, date, outlet, URL), a Markdown
export its front matter; failing both, the document's first heading, or else its first line,
is how a reader would name it (not when that line is all the document holds: it would only
repeat the passage, so the title stays unknown).
"""

from __future__ import annotations

from dataclasses import fields

from bot.corpus.blocks import Block
from bot.corpus.models import Source

SOURCE_FIELDS = tuple(f.name for f in fields(Source))
FRONT_MATTER_ALIASES = {"date_published": "date", "published": "date", "site": "outlet", "sitename": "outlet"}
TITLE_MAX_CHARS = 80


def own_source(page: dict[str, str], front_matter: dict[str, str], blocks: list[Block]) -> tuple[Source, str | None]:
    """(Source, where its title came from) from a page's byline, front matter, or the first block."""
    fields: dict[str, str] = {}
    for key, value in front_matter.items():
        name = FRONT_MATTER_ALIASES.get(key.lower(), key.lower())
        if name in SOURCE_FIELDS and value.strip() and name not in fields:
            fields[name] = value.strip().strip("\"'")
    fields.update({name: value for name, value in page.items() if name in SOURCE_FIELDS})
    title_from = None
    if fields.get("title"):
        title_from = "the page's metadata" if "title" in page else "the front matter"
    elif blocks and (blocks[0].kind == "heading" or len(blocks) > 1):  # a lone paragraph names nothing but itself
        first = blocks[0]
        fields["title"] = shortened(first.text.text.strip())
        title_from = "the first heading" if first.kind == "heading" else "the first line"
    return Source(**fields), title_from


def shortened(line: str) -> str:
    """A first line used as a title, cut to a title's length (at a space where the line has them)."""
    if len(line) <= TITLE_MAX_CHARS:
        return line
    cut = line[:TITLE_MAX_CHARS]
    space = cut.rfind(" ")
    return (cut[:space] if space > TITLE_MAX_CHARS // 2 else cut).rstrip(" ,，、;；:：") + "…"
