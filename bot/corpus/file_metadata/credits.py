"""One credit line's parts, read: 来源 with its outlet and date, bylines, translators, links.

A header line's credits are read one at a time (header.py splits the line); each reader fills
the `Credits` found so far and says whether the part was a credit at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.chars import HAN_CLASS
from bot.corpus.attribution.bylines import read_credit
from bot.corpus.attribution.lexicon import Lexicon
from bot.corpus.attribution.names import LATIN_NAME
from bot.corpus.file_metadata.dates import TIME_OF_DAY, find_date
from bot.corpus.file_metadata.labels import HeaderLabels

NAME_SPLIT = re.compile(r"\s+and\s+|\s*&\s*|、|，|,\s*|\s+和\s+|(?<=[^A-Za-z\s])和(?=[^A-Za-z\s])")
HAN_NAME = re.compile(rf"[{HAN_CLASS}][{HAN_CLASS}·・]{{1,5}}")
ISSUE = re.compile(r"(?:(?:19|20)\d\d\s*年\s*)?第\s*[0-9一二三四五六七八九十百千零〇两]+\s*[期号號卷集]")
ISSUE_OR_MONTHLY = re.compile(rf"(?:{ISSUE.pattern}|(?:19|20)\d\d\s*年\s*\d{{1,2}}\s*月\s*[号號刊])\s*$")
BROADCAST = re.compile(r"(?:播出|首播|播放|發布|发布|更新)$")
PARENTHETICAL = re.compile(r"^[（(][^（）()]{1,12}[）)]$")
OUTLET_TRIM = " \t\u3000·•|｜-—–,，:：;；"
URL = re.compile(r"https?://[^\s)）\]>\"'，。]+")


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


def read_segment(
    segment: str, found: Credits, urls: list[str], labels: HeaderLabels, lex: Lexicon, unlabelled: bool = True,
) -> str | None:
    """"field" (a credit read), "credit" (a header credit that fills no field), or None.
    ``unlabelled``: an outlet and its issue without a label count (not on a title's line)."""
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
    if match and (names := _names(match.group("value").split(",")[0])):  # By Jane Doe, Staff Reporter
        found.authors.extend(names)
        return "field"
    if read_byline(segment, found, labels, lex):
        return "field"
    match = labels.label_re("compiler_labels").match(segment)
    if match and (names := _names(match.group("value"))):
        found.compilers.extend(names)
        return "field"
    if labels.label_re("other_credit_labels").match(segment):
        return "credit"
    if _is_bare_date(segment, found):
        return "field"
    if unlabelled and ISSUE_OR_MONTHLY.search(segment) and not re.search(r"[:：]", segment):
        return _read_source(segment, found)  # 《青禾月刊》2027年第4期 / 旅人月刊 2027年12月号, unlabelled
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


def read_byline(segment: str, found: Credits, labels: HeaderLabels, lex: Lexicon) -> bool:
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


def byline_row(unread: list[str], found: Credits) -> list[str]:
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


def merge(credits: Credits, found: Credits) -> None:
    credits.outlet = credits.outlet or found.outlet
    credits.translator = credits.translator or found.translator
    credits.date = credits.date or found.date
    credits.url = credits.url or found.url
    credits.authors.extend(found.authors)
    credits.reporters.extend(found.reporters)
    credits.compilers.extend(found.compilers)
