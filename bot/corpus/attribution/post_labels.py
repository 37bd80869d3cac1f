"""Labels of posts, pages and written replies: who a comment, a presenter's segment, a credited
statement or a written question and answer belongs to. Read by turns.py, whose turn labels they
extend; these know nothing of the document's flow.

- comments under a post (留言（3）, 💬 评论区, Comments): after the heading, any short label before a
  colon is its commenter; an English "Name, role:" or "Name (author):" is a commenter anywhere;
- a presenter's or the writer's own labels (【UP主置顶评论】, 【口播节选 06:15】, 原po回：);
- a heading crediting a statement (【CTO寄语｜韩嘉树】);
- a lead-in crediting a question to one person and its written answer to another.
"""

from __future__ import annotations

import re

from bot.corpus.attribution.book import SpeakerBook
from bot.corpus.attribution.layout import Layout
from bot.corpus.attribution.lexicon import Lexicon, alternation
from bot.corpus.attribution.names import LATIN_NAME, label_name
from bot.corpus.models import Passage

# An English comment under a post: "Wen Jiaxin, ML engineer: …", "Michelle Zhao (author): …" — a full
# Latin name, then who they are after a comma or in brackets, then a colon.
ENGLISH_COMMENT = re.compile(rf"^\s*(?P<by_comment>)(?P<label>{LATIN_NAME})\s*(?:,\s*(?P<role>[^:\n]{{1,40}}?)|\((?P<note>[^)\n]{{1,30}})\))\s*:\s+")
AUTHOR_NOTES = ("author", "op", "original poster", "作者", "楼主", "原po")


# 以下是梁某议员的提问和某局局长谭某的书面答复：a question and its answer, each credited to one person.
ASKED_AND_ANSWERED = re.compile(
    r"(?P<asker>[^，,。；;：:]{2,40}?)的(?:提问|提問|质询|質詢|询问|詢問|问题|問題)"
    r"(?:和|及|与|與|以及|，|,)(?P<answerer>[^，,。；;：:]{2,40}?)的(?:书面|書面|口头|口頭)?(?:答复|答覆|回答|回复|回覆|答问|答問)"
)


def asked_and_answered(text: str, book: SpeakerBook, lex: Lexicon) -> tuple[str, str] | None:
    """(asker, answerer) when the lead-in credits a question to one person and its answer to another,
    each the last person it names in its part (a legislature's written reply, a hearing's record)."""
    match = ASKED_AND_ANSWERED.search(text)
    if not match:
        return None
    names = Layout.of(text, book, lex).names()
    asker = [m.speaker for m in names if match.start("asker") <= m.start and m.end <= match.end("asker")]
    answerer = [m.speaker for m in names if match.start("answerer") <= m.start and m.end <= match.end("answerer")]
    return (asker[-1], answerer[-1]) if asker and answerer else None


def credited_statement(label: str, lex: Lexicon) -> str | None:
    """CTO寄语｜韩嘉树 / 韩嘉树｜创始人的话: a heading that names a statement (``statement_labels``:
    寄语, 致辞…, or a speech noun) and, across a bar or a slash, the one person who makes it."""
    parts = [p.strip() for p in re.split(r"[｜|／/]", label)]
    if len(parts) != 2:
        return None
    kinds = alternation(lex["statement_labels"] | lex["speech_nouns"] | {"的话", "的話", "自述", "来信", "來信"})
    for statement, who in (parts, parts[::-1]):
        if re.search(rf"(?:{kinds})$", statement) and (name := label_name(who, lex, None, "turn")):
            return name
    return None


def writers_label(label: str, lex: Lexicon) -> bool:
    """原po回 / 楼主 / UP主置顶评论 / 口播节选: a label standing for the writer (``writer_labels``)."""
    return label.strip().casefold().startswith(tuple(w.casefold() for w in lex["writer_labels"]))


COMMENTER = re.compile(r"[^\s，,。！？!?、；;]{1,16}")  # a nickname before a comment's colon (小蜗牛, Ivy Huang is a name)


def comments_start(passages: list[Passage], lex: Lexicon) -> int:
    """The index of the line opening a post's comments (留言（3）, 💬 评论区, Comments), or past the end."""
    heading = re.compile(rf"^\W*(?:{alternation(lex['comment_headings'])})\s*(?:[（(]\d+[)）])?\s*[:：]?\s*$", re.IGNORECASE)
    for index, passage in enumerate(passages):
        if heading.match(passage.text.strip()):
            return index
        if passage.heading and heading.match(passage.heading.strip()):
            return index - 1  # the heading stands above this passage: it is a comment too
    return len(passages)
