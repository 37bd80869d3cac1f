"""From a cleaned document's lines to typed blocks: paragraphs, headings, table rows, list items."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.corpus import chrome, markup
from bot.corpus.traced import Traced

SENTENCE_END = "。！？!?…:："
TRAILING_CLOSERS = "”’」』\"')）]】 "
HEADING_MAX_CHARS = 30
LIST_MARKER = re.compile(r"^\s*(?:[•·\-\*]|\d{1,2}[.、)])\s+")


@dataclass(frozen=True)
class Block:
    text: Traced
    kind: str  # "paragraph", "heading", "caption", "table-row", "list-item", "quote", "header" (file_metadata)


def looks_like_heading(text: str) -> bool:
    """Short lines that end without a sentence mark are section titles or captions, not speech."""
    return 0 < len(text) <= HEADING_MAX_CHARS and not _ends_sentence(text)


def _ends_sentence(text: str) -> bool:
    return text.rstrip(TRAILING_CLOSERS).endswith(tuple(SENTENCE_END))


def split_lines(text: Traced) -> list[Traced]:
    lines, start = [], 0
    for index, char in enumerate(text.text):
        if char == "\n":
            lines.append(text[start:index])
            start = index + 1
    lines.append(text[start:])
    return [line[:-1] if line.text.endswith("\r") else line for line in lines]


def blocks_of(lines: list[Traced]) -> list[Block]:
    """Walk the lines once; tables and image captions need to know what came just before."""
    blocks: list[Block] = []
    table_header: list[str] | None = None
    after_image = False
    for line in lines:
        raw = line.text.strip()
        if not raw:
            table_header = None
            continue
        if _is_furniture(raw):
            continue
        if markup.IMAGE_LINE.match(raw):
            after_image = True
            continue
        if markup.TABLE_ROW.match(raw):
            table_header = _table_line(line, table_header, blocks)
            continue
        table_header = None
        block = _block_of(line)
        if block is None:
            continue
        if after_image and block.kind in ("paragraph", "heading") and not _ends_sentence(block.text.text):
            block = Block(block.text, "caption")  # describes an image: neither speech nor a section
        after_image = False
        blocks.append(block)
    return blocks


def _is_furniture(raw: str) -> bool:
    return bool(
        chrome.is_chrome(raw)
        or markup.EXPORT_CHROME.match(raw)
        or markup.RULE.match(raw)
        or markup.TAG_LINE.match(raw)
        or chrome.is_bio_line(raw)
    )


def _table_line(line: Traced, header: list[str] | None, blocks: list[Block]) -> list[str] | None:
    raw = line.text.strip()
    if markup.TABLE_SEPARATOR.match(raw):
        return header
    cells = [markup.inline_markup(Traced.of(c)).text.strip() for c in markup.table_cells(raw)]
    if header is None:
        return cells
    joined = markup.join_table_row(header, cells)
    if joined:
        anchor = line.strip()
        blocks.append(Block(Traced(joined, (anchor.origins[0],) * (len(joined) - 1) + (anchor.origins[-1],)), "table-row"))
    return header


def _block_of(line: Traced) -> Block | None:
    kind = "paragraph"
    heading = markup.HEADING.match(line.text)
    if heading:
        kind = "heading"
        line = line[heading.start(2):heading.end(2)]
    elif markup.BLOCKQUOTE.match(line.text):
        kind = "quote"
        line = line[markup.BLOCKQUOTE.match(line.text).end():]
    elif LIST_MARKER.match(line.text):
        kind = "list-item"
        line = line[LIST_MARKER.match(line.text).end():]
    text = markup.inline_markup(line).strip()
    if not text.text or not re.search(r"\w", text.text):
        return None
    if kind == "paragraph" and looks_like_heading(text.text):
        kind = "heading"
    return Block(text, kind)
