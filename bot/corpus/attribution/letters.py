"""Writers who introduce themselves: 我是花莲一所国中的资讯老师温家瑜。

Readers' letters, a page of short contributions, a guest post without a byline: each section (the
passages under one heading) is written by someone who says who they are, in the first person,
near its start. Their 我 in that section is theirs, as a byline's author speaks an op-ed's 我. The
name must stand at the end of the introduction (我是一名家长，也是一名系统工程师，赖明德。), right
after a role or a comma, or right after 我叫, and begin with a surname; a role alone (我是一名老师)
names nobody.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import groupby

from bot.chars import HAN_CLASS
from bot.corpus.attribution.flow import Reader, first_person, own_narration, writer_speaks
from bot.corpus.attribution.lexicon import DASH, Lexicon, alternation
from bot.corpus.attribution.names import label_name, person_tokens
from bot.corpus.models import Passage

INTRO_REACH = 40  # characters from 我是 to the name's end
# A paragraph signed at its end with a dash and a name (……谁也替代不了谁。——韩亦舟).
SIGNATURE = re.compile(rf"[。！？!?…”」]\s*{DASH}\s*(?P<who>[^\s。，,！？!?—（(]{{2,16}})\s*(?:[，,、（(][^。！？!?]{{0,30}})?$")


def introduced_writer(text: str, lex: Lexicon) -> str | None:
    """The name a passage's writer gives themself, if it introduces them (see the module)."""
    opener = re.compile(rf"(?:{alternation(lex['self_introductions'])})")
    name_end = re.compile(rf"(?P<name>{lex.surname}[{HAN_CLASS}]{{1,2}})(?=[。，,；;！!])")
    role_end = re.compile(rf"(?:{lex.roles})$")
    for found in opener.finditer(text):
        window = text[found.end() : found.end() + INTRO_REACH]
        parts = re.split(r"[。！？!?；;\n“”「」]", window)
        ends_here = len(parts) > 1 or found.end() + len(window) == len(text)  # not cut off mid-word
        sentence = parts[0] + ("。" if ends_here else "")
        for at in range(len(sentence)):
            match = name_end.match(sentence, at)
            if not match:
                continue
            intro, name = sentence[:at], match.group("name")
            if intro and not intro.endswith(("，", ",")) and not role_end.search(intro):
                continue
            if lex.label_role(name) or name in lex["not_names"] or name in lex["non_person_labels"]:
                continue
            return name
    return None


def heading_writer(heading: str | None, lex: Lexicon) -> str | None:
    """前言　课题组负责人邬某 / 第三章　风险与挑战（执笔：庞某）: a report's section heading that
    ends with who wrote the section — a name (perhaps after a role) set apart by a space, or a
    byline word and a name in brackets."""
    if not heading:
        return None
    credited = re.search(rf"[（(](?:{alternation(lex['byline_labels'])})\s*[：:]\s*(?P<who>[^（()）]{{2,20}})[)）]\s*$", heading)
    if credited:
        return label_name(credited.group("who"), lex, None, "turn")
    parts = re.split(r"[\s\u3000]+", heading.strip())
    title = " ".join(parts[:-1])
    if len(parts) < 2 or re.search(r"[：:/／|｜]|[A-Za-z]$", title) or title in lex["byline_labels"] | lex["reporter_labels"]:
        return None  # 文 / 某某, 编辑：Mia Tan: a byline, not a section's credit
    return label_name(parts[-1], lex, None, "turn")


def letter_relations(heading: str | None, lex: Lexicon) -> tuple[str, str] | None:
    """【第一封】父親致女兒，三月四日 / 女兒覆父親: the relations of a letter's writer and reader its
    heading gives (writer first), perhaps after a bracketed number."""
    if not heading:
        return None
    titles = lex.family_title_map
    relation = alternation(titles)
    match = re.match(
        rf"\s*(?:【[^】]{{1,12}}】|第\S{{1,4}}[封信])?\s*(?P<writer>{relation})\s*(?:{alternation(lex['letter_verbs'])})\s*(?P<reader>{relation})(?:[\s，,。：:（(]|$)",
        heading,
    )
    return (titles[match.group("writer")], titles[match.group("reader")]) if match else None


def family_members(passages: list[Passage], lex: Lexicon, book) -> dict[str, str]:
    """Relation -> person, for the letters a family wrote each other: a name right after the word for
    the relation (女兒區嘉欣), and then the writer whose letters the book is of: the one other person
    named in the sentence that brings that relation in (退休工程師區永康，與…的女兒區嘉欣)."""
    titles = lex.family_title_map
    relation = alternation(titles)
    members: dict[str, str] = {}
    for passage in passages:
        for sentence in re.split(r"[。！？!?]", passage.text):
            for match in re.finditer(rf"(?P<title>{relation})(?P<name>{lex.surname}[{HAN_CLASS}]{{1,2}})", sentence):
                name = label_name(match.group("name"), lex, None, "turn")
                if not name or titles[match.group("title")] in members:
                    continue
                members[titles[match.group("title")]] = book.lookup(name) or name
                named = {m.speaker for m in book.mentions(sentence) if m.kind == "name"}
                named |= {book.lookup(n) or n for _s, _e, n in person_tokens(sentence[: match.start()], lex)}
                member = members[titles[match.group("title")]]
                others = named - {member}
                if len(others) > 1:  # 柏林 tagged as a name too: a family shares a surname more often than not
                    others = {n for n in others if n[:1] == member[:1]}
                if len(others) == 1:
                    members.setdefault("", others.pop())  # the other party, whatever the heading calls them
    return members


def section_writers(passages: list[Passage], reader: Reader) -> list[Passage]:
    """Each heading's section whose passages name nobody else as the speaker of their first person:
    the writer its heading credits (a name, or a family relation in a letter's heading: 父親致女兒),
    or the self-introduced writer from their introduction on, until the next one introduces themself
    (letters printed one after another under one heading)."""
    out: list[Passage] = []
    members = family_members(passages, reader.lex, reader.book) if any(letter_relations(p.heading, reader.lex) for p in passages) else {}
    for heading, group in groupby(passages, key=lambda p: p.heading):
        credited = heading_writer(heading, reader.lex)
        if not credited and (relations := letter_relations(heading, reader.lex)):
            credited = members.get(relations[0]) or (members.get("") if relations[1] in members else None)
        writer = reader.book.lookup(credited) or credited if credited else None
        for passage in group:
            if not passage.speaker and (introduced := introduced_writer(own_narration(passage), reader.lex)):
                writer = reader.book.lookup(introduced) or introduced  # the next letter begins
            if writer and not passage.speaker and first_person(own_narration(passage), plural=True):
                passage = writer_speaks(passage, replace(reader, writer=writer))
            out.append(passage)
    return out


def signed_passages(passages: list[Passage], reader: Reader) -> list[Passage]:
    """【主播碎碎念】录完这期，我最大的感受是…。——韩亦舟: a paragraph that nobody speaks, signed at its
    end with a dash and a name, is that person's (around anyone it quotes), like an op-ed's."""
    out = []
    for passage in passages:
        signed = SIGNATURE.search(passage.text) if not passage.speaker else None
        name = label_name(signed.group("who"), reader.lex, None, "byline") if signed else None
        if name:
            passage = writer_speaks(passage, replace(reader, writer=reader.book.lookup(name) or name))
        out.append(passage)
    return out
