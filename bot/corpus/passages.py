"""Paragraphs become passages: short enough to quote in Slack, split only where a sentence ends."""

from __future__ import annotations

import re

from bot.corpus.traced import Traced

MAX_PASSAGE_CHARS = 360
TARGET_PASSAGE_CHARS = 240
SENTENCE_BOUNDARY = re.compile(r"(?<=[。！？!?…])[”’」』\"]?")


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence (closing quotes stay with their sentence)."""
    ends = sorted({m.end() for m in SENTENCE_BOUNDARY.finditer(text)})
    return [e for e in ends if 0 < e < len(text)]


def split_long(text: Traced) -> list[Traced]:
    """A very long paragraph is cut at sentence ends into pieces of a readable size."""
    if len(text) <= MAX_PASSAGE_CHARS:
        return [text]
    pieces, start = [], 0
    for end in sentence_ends(text.text):
        if end - start >= TARGET_PASSAGE_CHARS and len(text) - end >= TARGET_PASSAGE_CHARS // 3:
            pieces.append(text[start:end].strip())
            start = end
    pieces.append(text[start:].strip())
    return [p for p in pieces if p.text]
