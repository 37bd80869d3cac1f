"""Markdown exports (Omnivore and the like): keep the words, drop the formatting and the chrome."""

from __future__ import annotations

import re

from bot.corpus.traced import Traced

FRONT_MATTER_FENCE = "---"
IMAGE_LINE = re.compile(r"^\s*(\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)|!\[[^\]]*\]\([^)]*\)?)\s*$")
INLINE_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
STRAY_BOLD = re.compile(r"\*\*")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
TAG_LINE = re.compile(r"^#\w+\s*$")  # "#Omnivore": a tag, not a heading
RULE = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")
BLOCKQUOTE = re.compile(r"^\s*>\s?")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_SEPARATOR = re.compile(r"^\s*\|(\s*:?-{2,}:?\s*\|)+\s*$")
HTML_TAG = re.compile(r"</?(p|br|span|div|em|strong|b|i)\b[^>]*>", re.IGNORECASE)
EXPORT_CHROME = re.compile(
    r"^\s*(\[Read (on Omnivore|Original)\]\([^)]*\)|date_saved:.*|#\s*Full Content:?\s*)$",
    re.IGNORECASE,
)
READ_ORIGINAL = re.compile(r"\[Read Original\]\(([^)]+)\)", re.IGNORECASE)


def inline_markup(text: Traced) -> Traced:
    """Links keep their words, images and bold markers go, stray HTML tags go."""
    text = text.sub(INLINE_IMAGE, "")
    text = text.unwrap(LINK)
    text = text.unwrap(BOLD)
    text = text.sub(STRAY_BOLD, "")
    return text.sub(HTML_TAG, "")


def split_front_matter(lines: list[Traced]) -> tuple[dict[str, str], list[Traced]]:
    """YAML front matter is metadata, never passages; returns its plain key/value pairs."""
    if not lines or lines[0].text.strip() != FRONT_MATTER_FENCE:
        return {}, lines
    for end in range(1, len(lines)):
        if lines[end].text.strip() == FRONT_MATTER_FENCE:
            return _front_matter_fields([line.text for line in lines[1:end]]), lines[end + 1:]
    return {}, lines


def _front_matter_fields(lines: list[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    key = None
    for line in lines:
        match = re.match(r"^([A-Za-z_]+):\s*(.*)$", line)
        if match:
            key, value = match.group(1), match.group(2).strip()
            fields[key] = "" if value in ("|", ">") else value
        elif key and line.strip():
            fields[key] = (fields[key] + " " + line.strip()).strip()
    return fields


def table_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def join_table_row(header: list[str], cells: list[str]) -> str:
    """One passage per row: 'row label — column: cell; column: cell' reads as a sentence would."""
    if not cells:
        return ""
    label, rest = cells[0], cells[1:]
    parts = []
    for name, cell in zip(header[1:], rest):
        if cell:
            parts.append(f"{name}：{cell}" if name else cell)
    body = "；".join(parts)
    return f"{label} — {body}" if label and body else (label or body)
