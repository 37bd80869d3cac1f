"""A publication date as a header writes it, to ISO: 2026-11-19, or 2026-11 for a month alone.

Headers write dates as `2026-11-19 10:12`, `2026/11/19`, `2026.11.19`, `2026年11月19日`,
`2026年12月号` (a monthly's issue: a month), `March 3, 2026`, `3 March 2026`, `Nov. 14, 2026`.
An issue number (`2026年第10期`, `第412期`) names an issue, not a day, and is no date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")),
        start=1,
    )
    for name in names
}
MONTH = r"(?P<month_name>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
NOT_DIGIT_BEFORE, NOT_DIGIT_AFTER = r"(?<![0-9０-９])", r"(?![0-9０-９])"
DAY_FORMS = (
    re.compile(rf"{NOT_DIGIT_BEFORE}(?P<year>(?:19|20)\d\d)\s*(?:[-/.]|年)\s*(?P<month>\d{{1,2}})\s*(?:[-/.]|月)\s*(?P<day>\d{{1,2}}){NOT_DIGIT_AFTER}\s*日?"),
    re.compile(rf"\b{MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH}\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
)
MONTH_FORMS = (
    re.compile(rf"{NOT_DIGIT_BEFORE}(?P<year>(?:19|20)\d\d)\s*年\s*(?P<month>\d{{1,2}})\s*月(?!\s*\d)\s*[号號刊]?"),
    re.compile(rf"\b{MONTH}\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
)
TIME_OF_DAY = re.compile(r"^\s*(?:[01]?\d|2[0-3])[:：][0-5]\d(?:[:：][0-5]\d)?")


@dataclass(frozen=True)
class FoundDate:
    iso: str  # 2026-11-19, or 2026-11 for a month
    start: int  # where the written date stands in the text (with a time of day right after it)
    end: int


def find_date(text: str) -> FoundDate | None:
    """The first date written in ``text`` (a whole day before a month alone), or None."""
    for forms, whole_day in ((DAY_FORMS, True), (MONTH_FORMS, False)):
        for form in forms:
            for match in form.finditer(text):
                iso = _iso(match, whole_day)
                if iso:
                    end = match.end()
                    time = TIME_OF_DAY.match(text, end)
                    return FoundDate(iso, match.start(), time.end() if time else end)
    return None


def _iso(match: re.Match[str], whole_day: bool) -> str | None:
    groups = match.groupdict()
    year = int(groups["year"])
    month = MONTHS[groups["month_name"].lower()] if groups.get("month_name") else int(groups["month"])
    try:
        if whole_day:
            return date(year, month, int(groups["day"])).isoformat()
        return date(year, month, 1).isoformat()[:7]
    except ValueError:  # 2026-13-40 is no date
        return None
