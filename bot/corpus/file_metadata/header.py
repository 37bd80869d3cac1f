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
from dataclasses import dataclass, field

from bot.chars import HAN_CLASS
from bot.corpus import markup
from bot.corpus.attribution.bylines import read_credit
from bot.corpus.attribution.lexicon import Lexicon, alternation
from bot.corpus.attribution.names import LATIN_NAME
from bot.corpus.blocks import Block
from bot.corpus.file_metadata.dates import TIME_OF_DAY, find_date
from bot.corpus.file_metadata.labels import HeaderLabels
from bot.corpus.traced import Traced

HEADER_SCAN = 8  # lines at the top where the title and the header stand
TITLE_LINES = 2  # the title (any first line) and a subtitle may stand before the first credit line
TITLE_MAX_CHARS = 60  # a longer subtitle, or one with a sentence in it: the body has begun
TRAILER_SCAN = 2  # lines at the end where a link to the original may stand
MAX_HEADER_CHARS = 120
URL = re.compile(r"https?://[^\s)）\]>\"'，。]+")
SENTENCE = re.compile(r"[。！？!?；;]")
# Credits on one line part at two spaces, an ideographic space, a spaced bar or dot, or a
# space before the next label (看板：軟體工作 作者：blueheron77).
CREDIT_SPLIT = re.compile(r"\s{2,}|\u3000+|\s+[|｜·•]\s+|\s(?=[^\s:：/／]{1,6}[:：])")
SPACED_BAR = re.compile(r"\s[|｜]\s")
NAME_SPLIT = re.compile(r"\s+and\s+|\s*&\s*|、|，|,\s*|\s+和\s+|(?<=[^A-Za-z\s])和(?=[^A-Za-z\s])")
HAN_NAME = re.compile(rf"[{HAN_CLASS}][{HAN_CLASS}·・]{{1,5}}")
ISSUE = re.compile(r"(?:(?:19|20)\d\d\s*年\s*)?第\s*[0-9一二三四五六七八九十百千零〇两]+\s*[期号號卷集]")
BROADCAST = re.compile(r"(?:播出|首播|播放|發布|发布|更新)$")
PARENTHETICAL = re.compile(r"^[（(][^（）()]{1,12}[）)]$")
OUTLET_TRIM = " \t\u3000·•|｜-—–,，:：;；"
DATELINE = re.compile(r"^[^。，,（(]{0,24}[（(](?P<credit>[^（）()。]{3,40})[）)]")
DATELINE_TAIL = re.compile(r"\s*\S{0,6}?\d{1,2}日?\s*[电電讯訊]$")
FIELDS = ("outlet", "author", "translator", "date", "url")


@dataclass
class Credits:
    """What the header lines said so far; the first value of a field wins."""

    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    reporters: list[str] = field(default_factory=list)
    compilers: list[str] = field(default_factory=list)
    translator: str | None = None
    date: str | None = None
    url: str | None = None

    def fields(self) -> dict[str, str]:
        author = self.authors or self.reporters or self.compilers
        values = {
            "outlet": self.outlet,
            "author": ", ".join(dict.fromkeys(author)) if author else None,
            "translator": self.translator,
            "date": self.date,
            "url": self.url,
        }
        return {k: v for k, v in values.items() if v}


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
        found = _read_line(line, labels, lex)
        if found is not None:
            seen_credits = True
            _merge(credits, found)
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


def _read_line(line: HeaderLine, labels: HeaderLabels, lex: Lexicon) -> Credits | None:
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
        if _read_segment(segment, found, urls, labels, lex):
            known += 1
        else:
            unread.append(segment)
    if unread and SPACED_BAR.search(text) and found.date:
        unread = _byline_row(unread, found)  # Jane Doe | Outlet | March 3, 2026
    if known == 0 or any(not re.match(r"^[^\s:：]{1,8}[:：]\s*\S", s) for s in unread):
        return None
    return found


def _joined_labels(text: str, lex: Lexicon) -> str:
    """本刊记者　姜一苇: an ideographic space between a reporter's label and the name joins them."""
    labels = alternation(lex["reporter_labels"] | lex["byline_labels"])
    return re.sub(rf"((?:{labels}))\u3000+(?=\S)", r"\1 ", text)


def _read_segment(segment: str, found: Credits, urls: list[str], labels: HeaderLabels, lex: Lexicon) -> str | None:
    """"field" (a credit read), "credit" (a header credit that fills no field), or None."""
    match = labels.label_re("link_labels").match(segment)
    if match and (URL.search(match.group("value")) or (urls and not match.group("value").strip())):
        found.url = found.url or (URL.search(match.group("value")) or URL.search(urls[0])).group(0)
        return "field"
    match = labels.label_re("source_labels").match(segment)
    if match:
        return _read_source(match.group("value"), found)
    match = labels.label_re("date_labels").match(segment)
    if match and find_date(match.group("value")):
        found.date = found.date or find_date(match.group("value")).iso
        return "field"
    match = labels.label_re("translator_labels").match(segment)
    if match and (names := _names(match.group("value"))):
        found.translator = found.translator or ", ".join(names)
        return "field"
    match = labels.label_re("english_byline_labels").match(segment)
    if match and (names := _names(match.group("value"))):
        found.authors.extend(names)
        return "field"
    if _read_byline(segment, found, labels, lex):
        return "field"
    match = labels.label_re("compiler_labels").match(segment)
    if match and (names := _names(match.group("value"))):
        found.compilers.extend(names)
        return "field"
    if labels.label_re("other_credit_labels").match(segment):
        return "credit"
    if _is_bare_date(segment, found):
        return "field"
    return None


def _read_source(value: str, found: Credits) -> str | None:
    """来源：江汉商业报  2026-07-08 / 來源：《星野周刊》第412期 / Source: https://…"""
    value = value.strip()
    url = URL.search(value)
    if url and not value.replace(url.group(0), "").strip(OUTLET_TRIM):
        found.url = found.url or url.group(0)
        return "field"
    date = find_date(value)
    if date:
        found.date = found.date or date.iso
        value = value[:date.start] + " " + value[date.end:]
    outlet = ISSUE.sub(" ", value)
    outlet = re.split(r"[，,]", outlet)[0]  # 北埔地方法院公開筆錄，經本報摘錄整理: the rest says what was done to it
    outlet = re.sub(r"\s+", " ", outlet).strip(OUTLET_TRIM)
    if re.fullmatch(r"《[^《》]+》", outlet):
        outlet = outlet[1:-1]
    if outlet:
        found.outlet = found.outlet or outlet
    return "field" if outlet or date else None


def _read_byline(segment: str, found: Credits, labels: HeaderLabels, lex: Lexicon) -> bool:
    """记者 X / 本报记者 X 杭州报道 / 文／X / 记者 X Y (two reporters) / 本社记者 X 实习生 Y."""
    words = segment.split(" ")
    for end in range(len(words), 0, -1):
        kind, name = read_credit(" ".join(words[:end]), lex)
        if kind is None:
            continue
        rest = words[end:]
        others = _co_credited(rest, labels)
        if others is None:
            return False
        (found.authors if kind == "author" else found.reporters).extend([name, *others])
        return True
    return False


def _co_credited(words: list[str], labels: HeaderLabels) -> list[str] | None:
    """After a byline's name, more names (记者 岑望 居思雨) or another credit (实习生 谷小满);
    None when the words are anything else."""
    names, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif labels.label_re("other_credit_labels").match(word + " x"):
            skip = True  # the label's own name follows
        elif HAN_NAME.fullmatch(word) and len(word) <= 4:
            names.append(word)
        else:
            return None
    return names


def _names(value: str) -> list[str]:
    """The people a credit names: 冉书瑶 / Marcus Liang and 钟雨桐 / 周品妤（…）."""
    value = re.sub(r"[（(][^）)]*[）)]?", "", value).strip()
    names = []
    for part in NAME_SPLIT.split(value):
        part = part.strip()
        if re.fullmatch(LATIN_NAME, part) or (HAN_NAME.fullmatch(part) and len(part) <= 6):
            names.append(part)
        elif part:
            return []  # not a list of names: a sentence, a description
    return names


def _is_bare_date(segment: str, found: Credits) -> bool:
    """2026-07-08 10:12 / 2026年11月26日（香港） / 19:30 播出 on a credit line."""
    date = find_date(segment)
    rest = segment
    if date:
        rest = segment[:date.start] + segment[date.end:]
    rest = rest.strip()
    time = TIME_OF_DAY.match(rest)
    if time:
        rest = rest[time.end():].strip()
    rest = BROADCAST.sub("", rest).strip()
    if rest and not PARENTHETICAL.match(rest):
        return False
    if not date and not time:
        return False
    if date:
        found.date = found.date or date.iso
    return True


def _byline_row(unread: list[str], found: Credits) -> list[str]:
    """A bar-separated byline row: its Latin name is the author, the other part the outlet."""
    left = []
    for part in unread:
        if re.fullmatch(LATIN_NAME, part) and not found.authors:
            found.authors.append(part)
        elif not found.outlet:
            found.outlet = part
        else:
            left.append(part)
    return left


def _read_dateline(text: str, credits: Credits, labels: HeaderLabels, lex: Lexicon) -> None:
    """本报讯（记者 訾南星）12月1日，…: the reporter named in the first paragraph's dateline."""
    match = DATELINE.match(text)
    if not match:
        return
    credit = DATELINE_TAIL.sub("", match.group("credit")).strip()
    label = re.search(alternation(lex["reporter_labels"] | lex["byline_labels"]), credit)
    if label:
        found = Credits()
        if _read_byline(credit[label.start():], found, labels, lex):
            _merge(credits, found)


def _merge(credits: Credits, found: Credits) -> None:
    credits.outlet = credits.outlet or found.outlet
    credits.translator = credits.translator or found.translator
    credits.date = credits.date or found.date
    credits.url = credits.url or found.url
    credits.authors.extend(found.authors)
    credits.reporters.extend(found.reporters)
    credits.compilers.extend(found.compilers)


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
