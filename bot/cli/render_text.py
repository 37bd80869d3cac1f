"""A Reply as a person reads it in a terminal: the passage, then who said it and where.

Lines are broken where Unicode's line-breaking rules (UAX #14, through uniseg) allow, measured in
terminal cells: a Chinese character takes two columns, a break may fall between two Chinese
characters but never inside a Latin word, and no line starts with a closing mark such as `，` or
`”`. On a terminal the matched words are bold and the metadata dim (rich decides: it knows
whether the output is a terminal, how wide it is, and honours `NO_COLOR` and `TERM=dumb`); piped,
the same text comes out plain, without escape codes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from uniseg.wrap import tt_wrap

from bot.commands.display import Shown, quote_marks, shown
from bot.commands.results import COMPARE, HELP, WHO_SAID, Hit, Reply

BOLD = Style(bold=True)
DIM = Style(dim=True)
BOLD_DIM = Style(bold=True, dim=True)
PIPED_WIDTH = 80  # what a file or a pipe gets: wide enough to read, narrow enough to diff
MIN_WIDTH = 20
INDENT = "   "

Span = tuple[int, int, Style]


@dataclass(frozen=True)
class Terminal:
    """Where the reply goes: how many columns, and whether bold and dim may be used."""

    width: int = PIPED_WIDTH
    styled: bool = False

    @classmethod
    def of(cls, stream: TextIO | None = None) -> Terminal:
        console = Console(file=stream or sys.stdout)
        if not console.is_terminal:
            return cls(PIPED_WIDTH, False)
        styled = not console.no_color and not console.is_dumb_terminal
        return cls(max(MIN_WIDTH, console.width), styled)


def render(reply: Reply, terminal: Terminal = Terminal()) -> str:
    out = Writer(terminal)
    if reply.command == HELP:
        for note in reply.notes:
            out.paragraph(note)
        out.verbatim(reply.help_text or "")
        return out.text()
    for note in reply.notes:
        out.paragraph(note, style=DIM)
    if reply.command == WHO_SAID and reply.results:
        out.paragraph(_verdict(reply))
    for side in reply.sides:
        name = side.title or side.label
        title = f"== {name} ({side.label}) ==" if side.label and side.label != name else f"== {name} =="
        out.paragraph(title, [(0, len(title), BOLD)])
        for number, hit in enumerate(side.results, 1):
            _hit(out, hit, number)
        if not side.results:
            out.paragraph("(nothing in the library · 没有找到)", style=DIM, first=INDENT, rest=INDENT)
    for number, hit in enumerate(reply.results, reply.offset + 1):
        _hit(out, hit, number)
    if reply.has_more and reply.command != COMPARE:
        out.paragraph(f"… {reply.total - reply.offset - len(reply.results)} more (use --limit)", style=DIM)
    if not reply.found and reply.help_text and not reply.results:
        out.blank()
        out.verbatim(reply.help_text)
    return out.text()


def _verdict(reply: Reply) -> str:
    top = shown(reply.results[0])
    confidence = f"{(reply.confidence or 0):.0%}"
    if reply.found:
        return f"{top.speaker} said it (confidence {confidence}):"
    return f"The nearest candidates (best confidence {confidence}):"


def _hit(out: Writer, hit: Hit, number: int) -> None:
    view = shown(hit)
    if view.quotation_text:  # who-said: the exact words are the answer
        words, spans = view.quotation_text.strip(), []
    else:
        words, spans = view.text.strip(), _shifted(view.bold, len(view.text) - len(view.text.lstrip()))
    opening, closing = quote_marks(words)
    text = opening + words + closing
    first = f"{number}. "
    out.paragraph(text, [(s + len(opening), e + len(opening), BOLD) for s, e in spans],
                  first=first, rest=" " * cell_len(first))
    line, line_spans = attribution(view, hit)
    out.paragraph(line, line_spans, style=DIM, first=INDENT, rest=INDENT)


def attribution(view: Shown, hit: Hit) -> tuple[str, list[Span]]:
    """— Speaker (role) · Title · Outlet · by Author · date · also in N other articles [id], then
    why the passage sits on its /compare side, then the article's URL."""
    who = view.speaker or "unknown speaker · 未注明说话人"
    line = "— " + who
    spans: list[Span] = [(2, len(line), BOLD_DIM)] if view.speaker else []
    if view.role:
        line += f" ({view.role})"
    where = [view.title, view.outlet, view.author and view.author != view.speaker and f"by {view.author}",
             view.translator and f"translated by {view.translator}", view.date]
    for part in where:
        if part:
            line += f" · {part}"
    if view.also_in:
        line += f" · also in {view.also_in} other {'article' if view.also_in == 1 else 'articles'}"
    line += f" [{hit.passage.id}]"
    if view.stance_reason:
        line += f"\nwhy · 理由: {view.stance_reason}"
    if view.url:  # a line of its own, so that a terminal can open it whole
        line += f"\n{view.url}"
    return line, spans


def _shifted(spans, by: int) -> list[tuple[int, int]]:
    return [(max(0, s - by), max(0, e - by)) for s, e in spans if e - by > 0]


class Writer:
    """Paragraphs wrapped to the terminal's width, styled only when the terminal takes styles."""

    def __init__(self, terminal: Terminal):
        self.terminal = terminal
        self.lines: list[str] = []

    def paragraph(self, text: str, spans: list[Span] | None = None, *, style: Style | None = None,
                  first: str = "", rest: str = "") -> None:
        spans = list(spans or [])
        if style is not None:
            spans.insert(0, (0, len(text), style))
        text = text.replace("\t", " ")
        start = 0
        for number, hard_line in enumerate(text.split("\n")):
            prefix = first if number == 0 else rest
            for piece_start, piece_end in wrap_points(hard_line, self.terminal.width - cell_len(rest), start):
                self.lines.append(prefix + self._styled(text, piece_start, piece_end, spans))
                prefix = rest
            start += len(hard_line) + 1

    def verbatim(self, text: str) -> None:
        """Text laid out by hand (the help): each of its lines wrapped on its own."""
        for line in text.split("\n"):
            indent = line[: len(line) - len(line.lstrip(" "))]
            if not line.strip():
                self.blank()
            else:
                self.paragraph(line.strip(), first=indent, rest=indent + "  ")

    def blank(self) -> None:
        self.lines.append("")

    def text(self) -> str:
        return "\n".join(self.lines).strip("\n")

    def _styled(self, text: str, start: int, end: int, spans: list[Span]) -> str:
        if not self.terminal.styled:
            return text[start:end]
        cuts = sorted({start, end, *(max(start, min(end, p)) for s, e, _ in spans for p in (s, e))})
        out = []
        for a, b in zip(cuts, cuts[1:]):
            style = Style.combine([st for s, e, st in spans if s <= a and b <= e] or [Style()])
            piece = text[a:b]
            out.append(style.render(piece) if style else piece)
        return "".join(out)


def wrap_points(line: str, width: int, offset: int = 0) -> list[tuple[int, int]]:
    """The (start, end) of each wrapped line of `line` (offsets plus `offset`), spaces at the
    break dropped, none wider than `width` cells: UAX #14 breaks, a word wider than the whole
    line (a long URL) cut by cells as a last resort."""
    width = max(MIN_WIDTH // 2, width)
    points: list[tuple[int, int]] = []
    position = 0
    for piece in tt_wrap(line, width) if line else [""]:
        start, end = position, position + len(piece)
        position = end
        while start < end and line[start] == " " and points:
            start += 1
        while end > start and line[end - 1] == " ":
            end -= 1
        while cell_len(line[start:end]) > width:
            cut = start + 1
            while cut < end and cell_len(line[start:cut + 1]) <= width:
                cut += 1
            points.append((offset + start, offset + cut))
            start = cut
        if end > start or not points:
            points.append((offset + start, offset + end))
    return points
