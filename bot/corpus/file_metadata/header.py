"""An article's header: the credit lines between its title and its body, read for metadata.

Chinese and English media open an article the same few ways: the title, then short lines of
credits (`来源：江汉商业报  2026-07-08 10:12`, `本报记者 邝思雨 杭州报道`, `原文作者：X  编译：Y`,
`By Jane Doe`, `Jane Doe | Outlet | March 3, 2026`), then the body. A news report may put its
reporter in its first paragraph's dateline instead (`本报讯（记者 訾南星）12月1日，…`), and a
repost may end on a link (`原文链接：https://…`).

A line is a header line only when every credit on it is read (a known label and its value, a
date, a time) and it holds no sentence: the scan stops at the first line that is not, so a body
sentence that mentions 来源 or 记者 is never eaten. The author and reporter labels are
attribution's (`read_credit`): one definition of a byline for both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.corpus import markup
from bot.corpus.attribution.lexicon import Lexicon, alternation
from bot.corpus.blocks import Block
from bot.corpus.file_metadata.credits import URL, Credits, byline_row, merge, read_byline, read_segment
from bot.corpus.file_metadata.labels import HeaderLabels
from bot.corpus.traced import Traced

HEADER_SCAN = 8  # lines at the top where the title and the header stand
TITLE_LINES = 2  # the title (any first line) and a subtitle may stand before the first credit line
TITLE_MAX_CHARS = 60  # a longer subtitle, or one with a sentence in it: the body has begun
TRAILER_SCAN = 2  # lines at the end where a link to the original may stand
MAX_HEADER_CHARS = 120
SENTENCE = re.compile(r"[。！？!?；;]")
# Credits on one line part at two spaces, an ideographic space, a spaced bar or dot, or a
# space before the next label (看板：軟體工作 作者：blueheron77).
CREDIT_SPLIT = re.compile(r"\s{2,}|\u3000+|\s+[|｜·•]\s+|\s(?=[^\s:：/／]{1,6}[:：])")
SPACED_BAR = re.compile(r"\s[|｜]\s")  # Jane Doe | Outlet | March 3, 2026
DATELINE = re.compile(r"^[^。，,（(]{0,24}[（(](?P<credit>[^（）()。]{3,40})[）)]")
DATELINE_TAIL = re.compile(r"\s*\S{0,6}?\d{1,2}日?\s*[电電讯訊]$")


@dataclass(frozen=True)
class HeaderLine:
    text: str  # the line as a reader sees it (markup gone)
    raw: str  # the line as written, links included


@dataclass(frozen=True)
class Header:
    fields: dict[str, str]  # outlet, author, translator, date, url: those the header gives
    lines: frozenset[str]  # the header lines' texts: metadata, never passages


def read_header(lines: list[HeaderLine], labels: HeaderLabels, lex: Lexicon) -> Header:
    """The fields the article's own header gives, and which of its lines are header lines."""
    credits, taken = Credits(), []
    body = None
    seen_credits = False
    for index, line in enumerate(lines[:HEADER_SCAN]):
        found = _read_line(line, labels, lex, unlabelled=index > 0)
        if found is not None:
            seen_credits = True
            merge(credits, found)
            if found.fields():  # a line of credits that fill no field (主播：X) is left as it was
                taken.append(line.text)
        elif not seen_credits and (index == 0 or index < TITLE_LINES and _title_like(line.text)):
            continue  # the title (and a subtitle) before the credits
        else:
            body = index
            break
    if body is not None and not (credits.authors or credits.reporters):
        _read_dateline(lines[body].text, credits, labels, lex)
    start = max(body if body is not None else len(lines), len(lines) - TRAILER_SCAN)
    for line in lines[start:]:
        trailer = _read_line(line, labels, lex)
        if line.text not in taken and trailer is not None and trailer.url:
            taken.append(line.text)  # only a link: a last 来源 line may name where a figure came from
            credits.url = credits.url or trailer.url
    return Header(credits.fields(), frozenset(taken))


def _title_like(text: str) -> bool:
    """A subtitle: short, no sentence inside (a title may end on ？ or ！, never on 。)."""
    return len(text) <= TITLE_MAX_CHARS and not re.search(r"[。；;]|[.!?！？](?=.)", URL.sub("", text))


def _read_line(line: HeaderLine, labels: HeaderLabels, lex: Lexicon, unlabelled: bool = True) -> Credits | None:
    """The credits of one line, or None when it is no header line."""
    text = line.text.strip()
    if not text or len(text) > MAX_HEADER_CHARS or SENTENCE.search(URL.sub("", text)):
        return None
    text = _joined_labels(text, lex)
    segments = [s.strip() for s in CREDIT_SPLIT.split(text) if s and s.strip()]
    found = Credits()
    urls = URL.findall(line.raw)
    unread: list[str] = []
    known = 0
    for segment in segments:
        if read_segment(segment, found, urls, labels, lex, unlabelled):
            known += 1
        else:
            unread.append(segment)
    if unread and SPACED_BAR.search(text) and found.date:
        unread = byline_row(unread, found)  # Jane Doe | Outlet | March 3, 2026
    if known == 0 or any(not re.match(r"^[^\s:：]{1,8}[:：]\s*\S", s) for s in unread):
        return None
    return found


def _joined_labels(text: str, lex: Lexicon) -> str:
    """本刊记者　姜一苇: an ideographic space between a reporter's label and the name joins them."""
    labels = alternation(lex["reporter_labels"] | lex["byline_labels"])
    return re.sub(rf"((?:{labels}))\u3000+(?=\S)", r"\1 ", text)


def _read_dateline(text: str, credits: Credits, labels: HeaderLabels, lex: Lexicon) -> None:
    """本报讯（记者 訾南星）12月1日，…: the reporter named in the first paragraph's dateline."""
    match = DATELINE.match(text)
    if not match:
        return
    credit = DATELINE_TAIL.sub("", match.group("credit")).strip()
    label = re.search(alternation(lex["reporter_labels"] | lex["byline_labels"]), credit)
    if label:
        found = Credits()
        if read_byline(credit[label.start():], found, labels, lex):
            merge(credits, found)


def header_lines(lines: list[Traced]) -> list[HeaderLine]:
    """The document's non-empty lines as a reader sees them (heading marks, quote marks and
    inline markup gone), each with its written form, where a link's address still stands."""
    found = []
    for line in lines:
        raw = line.text.strip()
        if not raw:
            continue
        text = line
        heading = markup.HEADING.match(line.text)
        if heading:
            text = line[heading.start(2):heading.end(2)]
        elif markup.BLOCKQUOTE.match(line.text):
            text = line[markup.BLOCKQUOTE.match(line.text).end():]
        found.append(HeaderLine(markup.inline_markup(text).text.strip(), raw))
    return found


def as_headings(blocks: list[Block], header: Header) -> list[Block]:
    """Header lines are never passages: a short one is a heading, as it always was; a longer one,
    which used to be a paragraph, becomes a "header" block, which is no passage and does not
    become the section heading of the passages after it."""
    return [Block(b.text, "header") if b.kind != "heading" and b.text.text in header.lines else b for b in blocks]
