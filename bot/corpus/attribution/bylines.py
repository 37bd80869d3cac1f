"""Bylines: who wrote the article (作者：X, 文｜X) and who reported it (记者 X, 采访：本刊记者 X).

The writer of an opinion piece is the speaker of its first-person narration; the reporter of an
interview asks its questions (记者：…, Q：…). A byline is a short line near the top or the end of
the article; other credits on the same line (编辑｜…, 编译：…, ／台中报道) are cut off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.chars import HAN_CLASS
from bot.corpus.attribution.book import SpeakerBook, fold_name
from bot.corpus.attribution.lexicon import Lexicon, alternation
from bot.corpus.attribution.names import HANDLE, LATIN_NAME, label_name

BYLINE_SCAN = 6  # passages at each end of an article where a byline may stand
MAX_BYLINE_CHARS = 60
# Credits on one line part at two spaces, one ideographic space, a comma, or a space before the
# next label (看板：軟體工作 作者：X; 最後編輯：2026-08-30　作者：X; 原作者：Ingrid Vandermeer　编译：Y).
PEN_NAME = 4  # characters of a columnist's pen name after an author's label (文／石澳散人)
CREDIT_SPLIT = re.compile(r"\s{2,}|\u3000|[，,；;]|\s(?=[^\s:：]{1,5}[:：])")


@dataclass(frozen=True)
class Byline:
    author: str | None = None
    reporter: str | None = None
    opinion: bool = False  # the credit says the piece is the author's view (本报评论员 X, 回答者：X)


def find_byline(texts: list[str], headings: tuple[str, ...], lex: Lexicon, book: SpeakerBook) -> Byline:
    """The first author and reporter credited in the headings or the short lines at either end."""
    author = reporter = None
    opinion = False
    for text in [*headings[:BYLINE_SCAN], *texts[:BYLINE_SCAN], *texts[-BYLINE_SCAN:]]:
        text = _headed_credit(text.strip())
        if len(text) > MAX_BYLINE_CHARS:
            continue
        for credit in CREDIT_SPLIT.split(text):
            kind, name = read_credit(credit, lex)
            name = book.lookup(name) or name if name else None
            if kind == "author" and name and author is None:
                author = name
                opinion = any(word in credit for word in lex["opinion_bylines"])
            elif kind == "reporter" and name and reporter is None:
                reporter = name
    if reporter is None:
        reporter = english_interviewer([*headings[:BYLINE_SCAN], *texts[:BYLINE_SCAN]])
    if author is None:
        lines = [t.strip() for t in [*headings, *texts[-BYLINE_SCAN:]] if 0 < len(t.strip()) <= MAX_BYLINE_CHARS]
        signed = signature(lines, lex)
        author = book.lookup(signed) or signed if signed else None
    return Byline(author, reporter, opinion or opinion_title([*headings[:1], *texts[:1]], lex))


def _headed_credit(text: str) -> str:
    """【摘要】提案人：何承翰（平台组）。本提案建议… — a credit opening the first sentence after a
    section heading in 【】: that sentence, read as a credit line."""
    headed = re.match(r"【[^】]{1,12}】\s*(?P<first>[^。！？!?]{2,60})[。！？!?]", text)
    return headed.group("first") if headed else text


ENGLISH_INTERVIEWER = re.compile(rf"\b(?:[Ii]nterview(?:ed)?|[Qq]uestions(?: put)?) by (?P<name>{LATIN_NAME})")


def english_interviewer(texts: list[str]) -> str | None:
    """"Source: …; interview by Daniel Mercer in Shanghai, edited for length": an English Q&A's
    credit line names who asks, anywhere on a line however long (Q: is theirs)."""
    for text in texts:
        if match := ENGLISH_INTERVIEWER.search(text):
            return match.group("name").strip()
    return None


def opinion_title(titles: list[str], lex: Lexicon) -> bool:
    """專欄．科技茶餐廳｜… / 記者手記／…: a title that opens with a column's or a notebook's name
    (``opinion_titles``) and a separator says the piece is its writer's own view."""
    if not lex["opinion_titles"]:
        return False
    pattern = re.compile(rf"^\s*(?:{alternation(lex['opinion_titles'])})\s*[．.·・|｜/／:：丨\-—]")
    return any(pattern.match(title) for title in titles)


def issuing_body(texts: list[str], headings: tuple[str, ...], lex: Lexicon) -> tuple[str, str] | None:
    """创新科技及数码发展局　二〇二六年十一月: a line near the top that is only a body's name (ending in
    an ``issuing_bodies`` word), perhaps with a date, or the source line of its own website (来源：
    X官方网站), says the body issued the paper; the paper calls itself 本 or 我 + that word's last
    character (本局, 我局, 本会). (局, the body), or None."""
    kinds = alternation(lex["issuing_bodies"])
    numeral = "[0-9〇零一二三四五六七八九十]"
    date = rf"(?:[\s\u3000]+(?:{numeral}{{2,4}}年{numeral}{{0,3}}月?(?:{numeral}{{1,3}}日)?|\d{{4}}-\d{{1,2}}-\d{{1,2}}))?"
    site = r"(?:官方网站|官方網站|官网|官網|网站|網站)?"
    for text in [*headings[:BYLINE_SCAN], *texts[:BYLINE_SCAN]]:
        match = re.fullmatch(rf"\s*(?:来源|來源)?[:：]?\s*(?P<body>[{HAN_CLASS}]{{2,24}}?(?P<kind>{kinds})){site}{date}\s*", text)
        if match and not lex.label_role(match.group("body")):
            return match.group("kind")[-1], match.group("body")
    return None


def source_body(texts: list[str], headings: tuple[str, ...], lex: Lexicon) -> str | None:
    """来源：临渊基础模型研讨组，由十四位专家共同签署: a statement whose source line is a body that
    speaks as one (ending in an ``organisations`` word), alone or before a comma. When the text
    says 我们 throughout, that body is the 我们: a consensus, a joint declaration, a group's letter."""
    for text in [*headings[:BYLINE_SCAN], *texts[:BYLINE_SCAN]]:
        match = re.match(rf"\s*(?:来源|來源)\s*[:：]\s*(?P<body>[{HAN_CLASS}]{{3,24}}?)\s*(?:[，,]|$)", text)
        if match and lex.organisation_end_re.search(match.group("body")) and not lex.label_role(match.group("body")):
            return match.group("body")
    return None


# 来源：小红书 @栗子不加糖 的笔记 / UP主“算力老周”视频页 / Source: LinkedIn post by Zhao Minghui (…):
# a source line crediting a person's own post, by handle or name.
POSTED_BY_HANDLE = re.compile(r"(?:^|\s|[:：]|用户|用戶)@(?P<who>[^\s@:：，,（(）)]{1,20})(?:\s*的|\s|$|(?=[（(]))")
# 译自X用户@nadia_builds（Nadia Brennan，Larchwood AI联合创始人）: the handle's owner, named in brackets
OWNER_IN_BRACKETS = re.compile(r"\s*[（(](?P<owner>[^()（）,，、；;]{2,30})[，,、；;)）]")
POSTED_BY_ENGLISH = re.compile(rf"\b(?:[Pp]ost|[Aa]rticle|[Ee]ssay|[Nn]ewsletter|[Tt]hread|[Bb]log|[Cc]olumn|[Nn]ote|[Ll]etter) by (?P<who>{LATIN_NAME})(?:\s*\((?P<also>{LATIN_NAME})\))?")


def source_poster(texts: list[str], headings: tuple[str, ...], lex: Lexicon) -> tuple[str, str | None] | None:
    """来源：小红书 @栗子不加糖 的笔记 / 来源：哔哩哔哩 UP主“算力老周”视频页 / Source: LinkedIn post by
    Zhao Minghui: the source line of a post copied from a platform names its poster (an @handle, a
    handle after a handle label, or "post by NAME"), who is the writer of its first person; with the
    other name they go by, in brackets after it (post by Zhao Minghui (Michelle Zhao))."""
    labels = alternation(lex["handle_labels"])
    quoted = re.compile(rf"(?:{labels})\s*[“「\"](?P<who>[^”」\"]{{1,20}})[”」\"]")
    for text in [*headings[:BYLINE_SCAN], *texts[:BYLINE_SCAN]]:
        if not re.match(r"\s*(?:来源|來源|[Ss]ource)\s*[:：]", text):
            continue
        for pattern in (POSTED_BY_HANDLE, quoted, POSTED_BY_ENGLISH):
            if match := pattern.search(text):
                owner = OWNER_IN_BRACKETS.match(text, match.end()) if pattern is POSTED_BY_HANDLE else None
                if owner and (name := label_name(owner.group("owner"), lex, None, "byline")):
                    return name, match.group("who").strip()  # the person, with the handle they post as
                return match.group("who").strip(), match.groupdict().get("also")
    return None


def credited_teacher(texts: list[str], headings: tuple[str, ...], lex: Lexicon) -> str | None:
    """执教：溪城第三中学　贺书亭老师: the person a class record credits as its teacher (the last
    name on the credit, a school or a title around it), whose turns are labelled 师：."""
    credits = alternation(lex["teacher_credits"])
    for text in [*headings[:BYLINE_SCAN], *texts[:BYLINE_SCAN]]:
        match = re.search(rf"(?:{credits})\s*[:：]\s*(?P<rest>.+?)(?=\s+\S{{1,6}}[:：]|$)", text)
        if not match:
            continue
        for piece in reversed(CREDIT_SPLIT.split(match.group("rest"))):
            piece = re.sub(rf"(?:{alternation(lex['honorifics'])})$", "", piece.strip())
            if name := label_name(piece, lex, None, "byline") or _bare_name(piece, lex):
                return name
    return None


def signature(lines: list[str], lex: Lexicon) -> str | None:
    """A letter signed by its writer: a short line ending in a role, then a line that is a name
    (嵐谷科技共同創辦人暨執行長 / 賴承恩), or both on one line after a space (an ideographic one
    too: 董事长　汪某)."""
    role_at_end = re.compile(rf"(?:{lex.roles})$")
    for title, name in [*zip(lines, lines[1:]), *(line.rsplit(maxsplit=1) for line in lines if re.search(r"\S\s+\S", line))]:
        if role_at_end.search(title) and not re.search(r"[。！？!?]", title):
            found = label_name(name, lex, None, "byline") or _bare_name(name, lex)
            if found:
                return found
    return None


def author_in_note(texts: list[str], headings: tuple[str, ...], lex: Lexicon) -> str | None:
    """本文作者奥利弗·本特利是…: an editor's note naming the author, in the article's own script. A
    translated piece credits ``原文作者：Oliver Bentley`` and then names the same person in
    Chinese; the Chinese form is the one its readers know and type."""
    notes = alternation(lex["author_notes"])
    name_end = r"(?=[，,。（(是曾现現为為係在])"  # the name stops where the sentence goes on
    han_name = rf"{lex.surname}[{HAN_CLASS}]{{1,2}}{name_end}"
    transliterated = rf"[{HAN_CLASS}]{{1,8}}[·•・][{HAN_CLASS}]{{1,6}}?{name_end}"
    pattern = re.compile(rf"(?:{notes})(?:为|為|是)?\s*(?P<name>{transliterated}|{LATIN_NAME}|{han_name})")
    for text in [*headings[:BYLINE_SCAN], *texts[:BYLINE_SCAN]]:
        match = pattern.search(text)
        if match and not lex.label_role(match.group("name")) and match.group("name") not in lex["not_names"]:
            return match.group("name")
    return None


def named_in_note(writer: str | None, named: str | None, book: SpeakerBook) -> tuple[str | None, SpeakerBook]:
    """The writer, and the book, once an editor's note has named the author: a Latin byline
    (原文作者：Oliver Bentley) and the note's Chinese name (本文作者奥利弗·本特利) are one person,
    known by the Chinese form, the Latin one becoming another spelling of it."""
    if not named or named == writer or (writer is not None and not re.fullmatch(LATIN_NAME, writer)):
        return writer, book
    known = book.lookup(named) or named
    if writer:
        book = book.with_names({fold_name(writer): known}, book.bodies)
    return known, book


def read_credit(credit: str, lex: Lexicon) -> tuple[str | None, str | None]:
    """("author" | "reporter" | None, the name) of one credit: 作者：梁慕华（…）, 文／记者 林佩蓉."""
    authors, reporters = alternation(lex["byline_labels"]), alternation(lex["reporter_labels"])
    own = alternation(lex["own_outlet_words"])
    match = re.match(
        rf"^\s*(?:(?P<label>{authors}|{reporters})(?:\s*[:：／/|｜]\s*|\s+))?(?:{own})?\s*(?P<role>{reporters}|{authors})?\s*"
        rf"(?P<name>[^\s:：／/|｜（(]{{2,24}}(?: [A-Z][a-z]+)*)\s*(?:[（(].*)?(?:[／/].*)?"
        rf"(?:\s+\S{{0,8}}(?:报道|報導|报导|电|電|讯|訊))?$",
        credit,
    )
    if not match or not (match.group("label") or match.group("role")):
        return None, None
    pen_name = PEN_NAME if match.group("label") in lex["byline_labels"] else 3  # 文／石澳散人
    name = label_name(match.group("name"), lex, None, "byline") or _bare_name(match.group("name"), lex, pen_name)
    if name is None and (described := re.search(rf"(?:{lex.roles})\s*(?P<name>[^\s、，,「」“”]{{2,4}})$", match.group("name"))):
        name = label_name(described.group("name"), lex, None, "byline")  # 致词者：资工系杰出校友、「拾光」创办人陶语安
    if name is None and match.group("label") and re.fullmatch(HANDLE, match.group("name").strip()):
        name = match.group("name").strip()  # 作者：blueheron77 (a forum post's author)
    if name is None and match.group("label") in lex["writer_labels"]:
        name = match.group("name").strip()  # 楼主：沉默的瓦片 (a nickname is whatever the user chose)
    if name is None:
        return None, None
    is_reporter = (match.group("role") or match.group("label")) in lex["reporter_labels"]
    return ("reporter" if is_reporter else "author"), name


def _bare_name(text: str, lex: Lexicon, longest: int = 3) -> str | None:
    """作者：骞一舟: after a byline label, two or three Han characters are a name even when their
    surname is one no list holds (the label says it is a person); after an author's label, four
    are a columnist's pen name (文／石澳散人)."""
    text = text.strip()
    if (
        re.fullmatch(f"[{HAN_CLASS}]{{2,{longest}}}", text)
        and not lex.label_role(text)
        and text not in lex["non_person_labels"] | lex["opinion_titles"]  # 记者手记 is no reporter 手记
    ):
        return text
    return None
