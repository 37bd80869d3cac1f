"""Whom a pronoun means: 他/她/其, and a role pointing back (这位分析师).

The person named last before it in the passage, else the one the text was last about; but someone
brought in unnamed since then (一位…的分析員卻不以為然。她說), a quoted handle (网友叫“X”，他留言说),
the sentence's subject over a name it owns (林教授曾是赖明谦的导师。她认为), and after someone
remembering (詹若溪记得他说) another person.
"""

from __future__ import annotations

import re

import jieba

from bot.corpus.attribution.book import Mention
from bot.corpus.attribution.described import anaphor_phrase, introduced_before, introduced_subject
from bot.corpus.attribution.handles import introduced_handle
from bot.corpus.attribution.layout import Layout
from bot.corpus.attribution.lexicon import alternation


def role_anaphor(layout: Layout, mention: Mention, context: str | None) -> str | None:
    """After 一位香港券商的分析师 (someone the passage brought in unnamed since anyone was last named),
    这位分析师 is them, and 这位不愿具名的研究员 is them as it describes them; else the role stands for
    the person named last (这位…的联合创始人, as 他)."""
    since = max((m.end for m in layout.names() if m.end <= mention.start), default=0)
    words = layout.masked[mention.start : mention.end]
    pointer = re.match(alternation(layout.lex["role_anaphors"]), words)
    role = words[pointer.end() :] if pointer and words[pointer.end() :] in layout.lex.person_role_words else None
    introduced = (role and introduced_before(layout, mention.start, since, role)) or introduced_before(layout, mention.start, since)
    if introduced is None:
        return resolve_pronoun(layout, mention.start, context)
    return anaphor_phrase(layout, mention.start, mention.end) or introduced


def resolve_pronoun(layout: Layout, index: int, context: str | None) -> str | None:
    """他/她/其 is the last person named before it in the passage, else the one the text was last about;
    but someone brought in unnamed as a sentence's subject since then (一位…的分析員卻不以為然。她說), or
    by a quoted handle (网友叫“X”，他留言说), is them. Right after someone remembering or hearing
    (``hearing_verbs``: 詹若溪记得他说), 他 is another: the one named before them."""
    named = [m for m in layout.names() if m.end <= index]
    if named and re.fullmatch(rf"\s*(?:{alternation(layout.lex['hearing_verbs'])})\s*", layout.masked[named[-1].end : index]):
        named = [m for m in named if m.speaker != named[-1].speaker]  # 詹若溪记得他说: 他 is someone else
        context = named[-1].speaker if named else None
    named = _subject_over_owner(layout, named, index)
    if unnamed := introduced_subject(layout, index, named[-1].end if named else 0):
        return unnamed
    if handle := introduced_handle(layout, index, named[-1].end if named else 0):
        return handle  # 有个网友叫“阿蛮不蛮”，他留言说
    if relative := _family_member(layout, named[-1].end if named else 0, index):
        return relative  # 打电话给老爸，他在彰化做了三十年螺丝。……他说：
    return named[-1].speaker if named else context


def _family_member(layout: Layout, since: int, index: int) -> str | None:
    """老爸, 我妈, 你妈妈 (``family_titles``' words of two characters or more, perhaps after 我/你) brought
    in since anyone was last named, in the sentence of the pronoun or the one before: 他/她 is them,
    as written."""
    floor = max(since, layout.sentence_of(layout.sentence_of(index)[0] - 1)[0] if layout.sentence_of(index)[0] else 0)
    stretch = layout.masked[floor:index]
    found = [m for m in layout.lex.family_word_re.finditer(stretch) if _whole_word(stretch, m, layout)]
    return found[-1].group() if found else None


def _whole_word(text: str, match: re.Match[str], layout: Layout) -> bool:
    """老爸 in 打电话给老爸, not 外公 in 对外公开: jieba cuts the word out whole."""
    start, end = match.span("word")
    offset = 0
    for token in jieba.cut(layout.lex.simplified(text)):
        if offset == start:
            return offset + len(token) == end
        offset += len(token)
        if offset > start:
            return False
    return False


def _subject_over_owner(layout: Layout, named: list[Mention], index: int) -> list[Mention]:
    """林教授曾是赖明谦的指导老师。她认为… — a name standing before 的 (owning what follows) in the
    sentence before the pronoun is no antecedent when that sentence's subject, named earlier in it,
    is someone else: 她 is the subject."""
    if len(named) < 2 or layout.masked[named[-1].end : named[-1].end + 1] != "的":
        return named
    start, _end = layout.sentence_of(named[-1].start)
    subjects = [m for m in named[:-1] if m.start >= start and m.speaker != named[-1].speaker and layout.masked[m.end : m.end + 1] != "的"]
    return named[:-1] if subjects else named
