"""Bylines: who wrote the article (作者：X, 文｜X) and who reported it (记者 X, 采访：本刊记者 X).

The writer of an opinion piece is the speaker of its first-person narration; the reporter of an
interview asks its questions (记者：…, Q：…). A byline is a short line near the top or the end of
the article; other credits on the same line (编辑｜…, 编译：…, ／台中报道) are cut off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.chars import HAN_CLASS
from bot.corpus.attribution.lexicon import Lexicon, alternation
from bot.corpus.attribution.names import SpeakerBook, label_name

BYLINE_SCAN = 6  # passages at each end of an article where a byline may stand
MAX_BYLINE_CHARS = 60
CREDIT_SPLIT = re.compile(r"\s{2,}|[，,；;]")


@dataclass(frozen=True)
class Byline:
    author: str | None = None
    reporter: str | None = None


def find_byline(texts: list[str], headings: tuple[str, ...], lex: Lexicon, book: SpeakerBook) -> Byline:
    """The first author and reporter credited in the headings or the short lines at either end."""
    author = reporter = None
    for text in [*headings[:BYLINE_SCAN], *texts[:BYLINE_SCAN], *texts[-BYLINE_SCAN:]]:
        text = text.strip()
        if len(text) > MAX_BYLINE_CHARS:
            continue
        for credit in CREDIT_SPLIT.split(text):
            kind, name = read_credit(credit, lex)
            name = book.lookup(name) or name if name else None
            if kind == "author" and name and author is None:
                author = name
            elif kind == "reporter" and name and reporter is None:
                reporter = name
    return Byline(author, reporter)


def read_credit(credit: str, lex: Lexicon) -> tuple[str | None, str | None]:
    """("author" | "reporter" | None, the name) of one credit: 作者：梁慕华（…）, 文／记者 林佩蓉."""
    authors, reporters = alternation(lex["byline_labels"]), alternation(lex["reporter_labels"])
    own = alternation(lex["own_outlet_words"])
    match = re.match(
        rf"^\s*(?:(?P<label>{authors}|{reporters})(?:\s*[:：／/|｜]\s*|\s+))?(?:{own})?\s*(?P<role>{reporters})?\s*"
        rf"(?P<name>[^\s:：／/|｜（(]{{2,24}}(?: [A-Z][a-z]+)*)\s*(?:[（(].*)?(?:[／/].*)?"
        rf"(?:\s+\S{{0,8}}(?:报道|報導|报导|电|電|讯|訊))?$",
        credit,
    )
    if not match or not (match.group("label") or match.group("role")):
        return None, None
    name = label_name(match.group("name"), lex, None, "byline") or _bare_name(match.group("name"), lex)
    if name is None:
        return None, None
    is_reporter = match.group("role") or (match.group("label") in lex["reporter_labels"])
    return ("reporter" if is_reporter else "author"), name


def _bare_name(text: str, lex: Lexicon) -> str | None:
    """作者：骞一舟: after a byline label, two or three Han characters are a name even when their
    surname is one no list holds (the label says it is a person)."""
    text = text.strip()
    if re.fullmatch(f"[{HAN_CLASS}]{{2,3}}", text) and not lex.label_role(text) and text not in lex["non_person_labels"]:
        return text
    return None
