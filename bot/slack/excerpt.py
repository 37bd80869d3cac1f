"""Cutting a passage to fit a Slack text limit at a sentence end, keeping the matched words in view.

A quotation bot that cuts mid-sentence misquotes. So a long passage is cut after the last
sentence end that fits, with an ellipsis; and when the words that matched lie beyond the cut, the
window starts at the sentence that holds them (with a leading ellipsis) rather than at the top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.punctuation import SENTENCE_END as PUNCTUATION_SENTENCE_END
from bot.slack.limits import slack_len

ELLIPSIS = "…"
# A sentence ends where bot.punctuation says, or at a line break.
SENTENCE_END = re.compile(rf"{PUNCTUATION_SENTENCE_END}|\n")
# Do not cut so early that most of the room is wasted: below this share of the window, a space
# or a hard cut is better than a sentence end.
MIN_SENTENCE_SHARE = 0.4


@dataclass(frozen=True)
class Window:
    start: int
    end: int
    text_length: int

    @property
    def cut_before(self) -> bool:
        return self.start > 0

    @property
    def cut_after(self) -> bool:
        return self.end < self.text_length


def window(text: str, limit: int, focus: tuple[int, int] | None = None) -> Window:
    """The stretch of `text` (at most `limit` characters) to show, ending at a sentence end."""
    length = len(text)
    limit = max(1, limit)
    if length <= limit:
        return Window(0, length, length)
    start = 0
    if focus is not None:  # a span from elsewhere: never trust it to lie inside this text
        low, high = sorted((max(0, min(focus[0], length)), max(0, min(focus[1], length))))
        focus = (low, high)
    if focus is not None and focus[1] > limit - 1:
        start = _sentence_start(text, focus[0])
        if focus[1] - start > limit - 1:
            start = max(0, min(focus[0], length - limit))
    room = limit - (1 if start > 0 else 0) - 1  # leave room for the ellipses
    end = _cut(text, start, start + max(1, room))
    return Window(start, end, length)


def _sentence_start(text: str, position: int) -> int:
    start = 0
    for match in SENTENCE_END.finditer(text, 0, position):
        start = match.end()
    while start < position and text[start].isspace():
        start += 1
    return start


def _cut(text: str, start: int, hard_end: int) -> int:
    hard_end = min(hard_end, len(text))
    if hard_end >= len(text):
        return len(text)
    best = None
    for match in SENTENCE_END.finditer(text, start, hard_end):
        best = match.end()
    if best is not None and best - start >= MIN_SENTENCE_SHARE * (hard_end - start):
        return best
    space = text.rfind(" ", start, hard_end)
    if space > start + MIN_SENTENCE_SHARE * (hard_end - start):
        return space
    end = hard_end
    if end < len(text) and 0xDC00 <= ord(text[end]) <= 0xDFFF:
        end -= 1  # never split a surrogate pair (defensive: Python strs hold code points)
    return end


def shown(text: str, win: Window) -> str:
    """The text of a window with its ellipses (for plain-text fallbacks)."""
    body = text[win.start:win.end].strip()
    return (ELLIPSIS if win.cut_before else "") + body + (ELLIPSIS if win.cut_after else "")


def shorten(text: str, limit: int) -> str:
    """Plain text cut to `limit` characters as Slack counts them (UTF-16 units: an emoji is two)
    at a sentence end (or word), with an ellipsis."""
    text = text or ""
    if slack_len(text) <= limit:
        return text
    room = limit
    while True:
        out = shown(text, window(text, room))
        if slack_len(out) <= limit or room <= 1:
            return out
        room = max(1, room - (slack_len(out) - limit))
