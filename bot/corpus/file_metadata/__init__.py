"""A document's Source: its config/corpus.yaml entry first, then what the file says about itself.

A pipeline of small stages: ``dates`` (a written date to ISO), ``labels`` (config/headers.yaml),
``header`` (the credit lines under the title), ``own`` (page byline, front matter, header, first
line). ``sources`` below puts them together: an entry in config/corpus.yaml wins field by field,
the file fills the fields the entry leaves empty with what it says about itself (never with a
title guessed from its first line: an entry that leaves the title empty has looked for one).

Attribution reads the Source it always read (the entry, or else the page's byline and front
matter): a byline read from the header is shown as the document's author but never becomes the
narrator of its unquoted words (a reporter's narration is nobody's quotation), and attribution
reads the header's byline lines itself, as it reads any byline.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.corpus.file_metadata.header import Header, HeaderLine, as_headings, header_lines, read_header
from bot.corpus.file_metadata.labels import HeaderLabels, load_header_labels
from bot.corpus.file_metadata.own import FRONT_MATTER, HEADER, PAGE, SOURCE_FIELDS, OwnSource, own_source
from bot.corpus.models import Source

__all__ = [
    "CONFIG", "HEADER", "PAGE", "SOURCE_FIELDS", "DocumentSources", "Header", "HeaderLabels", "HeaderLine",
    "as_headings", "document_sources", "header_lines", "load_header_labels", "own_source", "read_header",
]
CONFIG = "config/corpus.yaml"


@dataclass(frozen=True)
class DocumentSources:
    shown: Source  # what replies show: the entry's fields, the file's in the gaps
    attributed: Source  # what attribution reads: the entry, or else the page's and front matter's fields
    origins: dict[str, str]  # field -> where its value came from (CONFIG, PAGE, FRONT_MATTER, HEADER, a first line)


def document_sources(entry: Source | None, own: OwnSource) -> DocumentSources:
    """Merge a config entry (None: the document has none) with what the file gives."""
    configured = {k: v for k, v in _values(entry).items() if v}
    attributed = entry if entry is not None else own.source(only=(PAGE, FRONT_MATTER, *_TITLE_ORIGINS))
    origins = {k: CONFIG for k in configured}
    values = dict(configured)
    for name, value in own.values.items():
        guessed = own.origins[name] in _TITLE_ORIGINS  # a first line is a guess, not what the file says
        if name not in values and not (entry is not None and guessed):
            values[name], origins[name] = value, own.origins[name]
    read_from_text = tuple(k for k in SOURCE_FIELDS if k in values and values[k] != getattr(attributed, k))
    return DocumentSources(replace(Source(**values), read_from_text=read_from_text), attributed, origins)


_TITLE_ORIGINS = ("the first heading", "the first line")


def _values(source: Source | None) -> dict[str, str | None]:
    return {k: getattr(source, k) for k in SOURCE_FIELDS} if source is not None else {}
