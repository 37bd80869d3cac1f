"""Who speaks a cue: the subject standing before it (or inside its frame, or after an English verb).

The nearest name or pronoun before the cue in its clause (or, when the clause starts with the cue,
in the clauses before it in the sentence), or the person the sentence opens with; inside a frame
(在X看来), the name inside the frame. A pronoun is resolved by pronouns.py; a group (他们) or the
writer (我们) speaks, but has no name to give. Where the words lie is acts.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.corpus.attribution.book import Mention
from bot.corpus.attribution.cues import Cue
from bot.corpus.attribution.described import role_phrase
from bot.corpus.attribution.english import described_in_english, name_in_apposition
from bot.corpus.attribution.layout import Layout
from bot.corpus.attribution.lexicon import MASK, Lexicon, alternation
from bot.corpus.attribution.names import LATIN_NAME, name_ending_at
from bot.corpus.attribution.people import slot_before_cue
from bot.corpus.attribution.pronouns import resolve_pronoun, role_anaphor

JOINING = ("和", "与", "與", "及", "、", "跟", "同")
ADDRESSEE_MARK = tuple("对對向跟给給问問")  # 王建国对李明说: a name after 对 is spoken to
MAX_OWNED_DOCUMENT = 8  # 葛映雪的研究报告中也指出: from 的 to the verb
ENGLISH_NAME_AFTER = re.compile(rf"\s+({LATIN_NAME})")


@dataclass(frozen=True)
class Subject:
    speaker: str | None  # None: someone unnamed, a group, or the writer — found, but nobody to name
    via_pronoun: bool = False


def subject_before(
    layout: Layout, cue: Cue, floor: int, context: str | None, unnamed: list[int] | None = None
) -> Subject | None:
    """The speaker of a cue: the nearest name or pronoun before it in its clause, or, when the clause
    starts with the cue (扎克伯格则一直在大声疾呼,认为…), in the clauses before it in the sentence,
    or the person the sentence opens with (X结合…，就…提出了：) when nobody else is named in it."""
    clause_start = layout.clause_start(cue.start, floor)
    if unnamed and not [m for m in layout.names() if m.end <= cue.start and m.start > unnamed[-1][0]]:
        context = unnamed[-1][1]  # 他 is the one who spoke last, named by a role (or nobody we can name)
    found = _nearest_subject(layout, cue, clause_start, context)
    if found is None and _connectives_only(layout, clause_start, cue.start):
        found = _nearest_subject(layout, cue, floor, context)
    return found or _sentence_topic(layout, cue, floor, context)


def _sentence_topic(layout: Layout, cue: Cue, floor: int, context: str | None) -> Subject | None:
    """X结合…，就…提出了： / 他带我走进…，指着…说： — a clause without a subject takes the
    person (or the 他/她) the sentence opens with, when nobody else is named in it."""
    people = [m for m in layout.mentions if floor <= m.start and m.end <= cue.start and m.kind != "self"]
    if not people or people[0].kind not in ("name", "pronoun") or len({m.speaker for m in people if m.kind == "name"}) > 1:
        return None
    first = people[0]
    if first.kind == "pronoun":
        if len(people) > 1 or layout.masked[floor : first.start].strip():
            return None  # 他 must open the sentence and be its only person
        return Subject(resolve_pronoun(layout, first.start, context), True)
    opening = layout.masked[floor : first.start]
    if layout.masked[first.end : first.end + 1] in ("的", "和", "与", "與", "、") or sum(c in "，," for c in opening) > 1:
        return None
    if any(m.kind == "group" for m in people):
        return None
    return Subject(first.speaker)


def _nearest_subject(layout: Layout, cue: Cue, start: int, context: str | None) -> Subject | None:
    slot = slot_before_cue(layout.masked, cue.start, layout.lex)
    # mentions inside the adverbs and place before the verb (接受本报访问时) are not its subject
    before = [m for m in layout.mentions if start <= m.start and (m.end <= slot or m.start >= slot and m.kind == "pronoun")]
    for mention in reversed([m for m in before if m.end <= cue.start]):
        if _is_possessive(layout.masked, mention, cue, layout.lex) or layout.masked[mention.start - 1 : mention.start] in ADDRESSEE_MARK:
            continue
        if mention.kind == "self" and _addressed(layout, mention):
            continue  # 一位朋友私信我，说… / 她告诉我们：the writer is spoken to, not speaking
        if mention.end < slot and (named := _name_at_slot(layout, slot, start)):
            return named  # a name nobody found before, standing right at the verb
        if mention.kind == "name":
            return None if _joint(layout, mention, before) else Subject(mention.speaker)
        if mention.kind == "pronoun" and mention.end - mention.start > 1:  # 这位分析师, 这位不愿具名的研究员
            return Subject(role_anaphor(layout, mention, context), True)
        if mention.kind == "pronoun":
            return Subject(resolve_pronoun(layout, mention.start, context), True)
        return Subject(None)  # a group or the writer speaks: nobody to name
    if named := _name_at_slot(layout, slot, start):
        return named
    qi = layout.lex.qi_subject_re.search(layout.masked, start, cue.end)
    if qi and qi.start() < cue.start:
        return Subject(resolve_pronoun(layout, qi.start(), context), True)
    return None


def _connectives_only(layout: Layout, start: int, end: int) -> bool:
    words = rf"(?:{layout.lex.adverbs}|然而|但是|但|不过|不過|另外|此外|例如)"
    return re.match(rf"^[\s{MASK}]*{words}*\s*$", layout.masked[start:end]) is not None


def _addressed(layout: Layout, mention: Mention) -> bool:
    """我/我们 right after a verb that speaks to someone (告诉我, 私信我, 问我): the object."""
    before = layout.masked[max(0, mention.start - 4) : mention.start]
    return re.search(rf"(?:{alternation(layout.lex['addressing_verbs'] | layout.lex['colon_speech_verbs'] | layout.lex['quoting_verbs'])})$", before) is not None


def _joint(layout: Layout, mention: Mention, before: list[Mention]) -> bool:
    """邵博文和柯婉婷都表示: two people speak as one; no single name is right."""
    link = layout.masked[max(0, mention.start - 1) : mention.start]
    return link in JOINING and any(m.kind == "name" and m.end == mention.start - 1 for m in before)


def _name_at_slot(layout: Layout, slot: int, start: int) -> Subject | None:
    name = name_ending_at(layout.masked, slot, layout.lex) if slot > start else None
    if not name or layout.masked[slot - len(name) - 1 : slot - len(name)] in ADDRESSEE_MARK:
        return None
    return Subject(layout.book.lookup(name) or name)


def _is_possessive(masked: str, mention: Mention, cue: Cue, lex: Lexicon) -> bool:
    """扎克伯格的发言人表示: the name owns the speaker. 他的回答: the name owns the words, so it
    speaks; so does what they wrote (葛映雪的报告指出, 她在博客中写道: ``owned_documents``)."""
    if masked[mention.end : mention.end + 1] != "的":
        return False
    owned = masked[mention.end + 1 : cue.start]
    if len(owned) <= MAX_OWNED_DOCUMENT and owned.startswith(tuple(lex["owned_documents"])):
        return False
    return not (cue.noun and cue.start == mention.end + 1)


def frame_subject(layout: Layout, cue: Cue, context: str | None, unnamed: list[tuple[int, str | None]] | None = None) -> Subject | None:
    start, end = cue.frame
    inside = [m for m in layout.mentions if start <= m.start and m.end <= end]
    for mention in reversed(inside):
        if mention.kind == "name":
            return Subject(mention.speaker)
        if mention.kind == "pronoun" and unnamed and not [m for m in layout.names() if unnamed[-1][0] < m.start < mention.start]:
            return Subject(unnamed[-1][1], True)  # 一位…工程师摇头说…。在他看来: the one who spoke last, unnamed
        if mention.kind == "pronoun":
            return Subject(resolve_pronoun(layout, mention.start, context), True)
        return Subject(None)
    name = name_ending_at(layout.masked, end, layout.lex)
    if name:
        return Subject(layout.book.lookup(name) or name)
    if paper := re.fullmatch(r"《(?P<title>[^》]{2,20})》", layout.text[start:end].strip()):
        return Subject(paper.group("title"))  # 据《滨阳商报》报道: the paper
    described = role_phrase(layout.masked, end, layout.lex, start)  # 引了客户那边一位IT负责人的话：
    return Subject(described) if described else None


def name_after(layout: Layout, cue: Cue, context: str | None) -> Subject | None:
    """English puts the speaker after its verb too: "…," said Jim Zemlin / said he."""
    following = [m for m in layout.mentions if cue.end <= m.start <= cue.end + 1]
    if following and following[0].kind == "name":
        return Subject(following[0].speaker)
    if following and following[0].kind == "pronoun":
        return Subject(resolve_pronoun(layout, following[0].start, context), True)
    match = ENGLISH_NAME_AFTER.match(layout.masked, cue.end)
    return Subject(match.group(1)) if match else None


def english_subject(layout: Layout, cue: Cue) -> Subject | None:
    """"An analyst at Harrow Securities said" (as written), "Mara Quill, chief executive of
    Brightfold, said" (the name before the description)."""
    slot = slot_before_cue(layout.masked, cue.start, layout.lex)
    if described := described_in_english(layout.masked, slot, layout.lex):
        return Subject(described)
    if name := name_in_apposition(layout.masked, slot):
        return Subject(layout.book.lookup(name) or name)
    return None
