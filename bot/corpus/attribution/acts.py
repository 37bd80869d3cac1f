"""Acts of speech: a cue, who spoke it, and where the words it introduces may lie.

The speaker of a cue is the nearest name or pronoun before it in its clause (or, when the clause
starts with the cue, in the clauses before it in the sentence); inside a frame (在X看来), the name
inside the frame. A pronoun (他/她/其) is the person named last, never a speaker of its own; a
group (他们) or the writer (我们) speaks, but has no name to give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.chars import HAN_CLASS
from bot.corpus.attribution.book import Mention
from bot.corpus.attribution.cues import Cue, find_cues, reported_start
from bot.corpus.attribution.described import anaphor_phrase, described_speaker, introduced_before, introduced_subject, role_phrase
from bot.corpus.attribution.english import described_in_english, name_in_apposition
from bot.corpus.attribution.handles import introduced_handle, quoted_handle
from bot.corpus.attribution.layout import Layout
from bot.corpus.attribution.lexicon import COLONS, MASK, Lexicon, alternation
from bot.corpus.attribution.names import LATIN_NAME, name_ending_at, person_tokens
from bot.corpus.attribution.people import SAID_THE_WORDS, slot_before_cue

REPORTED_AFTER_TERM = 6  # words after a quoted term that make it part of reported speech
QUOTE_WINDOW = 30  # a quote opening this close after a speech verb is what the verb introduces
QUOTING_VERB_REACH = 8  # a quoting-only verb introduces a quotation opening this close after it
# …and after an English verb, which takes more letters for as many words ("tells other founders the
# free model is "…"")
ENGLISH_QUOTE_WINDOW = 80
JOINING = ("和", "与", "與", "及", "、", "跟", "同")
ADDRESSEE_MARK = tuple("对對向跟给給问問")  # 王建国对李明说: a name after 对 is spoken to
MAX_OWNED_DOCUMENT = 8  # 葛映雪的研究报告中也指出: from 的 to the verb
ENGLISH_NAME_AFTER = re.compile(rf"\s+({LATIN_NAME})")


@dataclass(frozen=True)
class Act:
    cue: Cue
    speaker: str | None
    sentence_end: int
    reported: tuple[int, int] | None  # unquoted words, from after the cue to the sentence end
    opens_quotes_until: int  # quotes opening before this offset are introduced by the cue
    named_after: bool = False  # the speaker stands after the verb ("…," said Ek)
    via_pronoun: bool = False

    def quoting_only(self, layout: Layout) -> bool:
        return not self.cue.noun and self.cue.word in layout.lex["quoting_verbs"]

    @property
    def form(self) -> str:
        if self.cue.frame is not None:
            return "frame"
        if self.cue.noun:
            return "speech-noun"
        return "pronoun" if self.via_pronoun else "verb"


@dataclass(frozen=True)
class Subject:
    speaker: str | None  # None: someone unnamed, a group, or the writer — found, but nobody to name
    via_pronoun: bool = False


def find_acts(layout: Layout, context: str | None) -> list[Act]:
    acts = []
    lex = layout.lex
    unnamed: list[tuple[int, str | None]] = []  # where someone unnamed spoke (一位官员称): a later 他 is them
    for cue in layout.cues:
        sentence_start, sentence_end = layout.sentence_of(cue.start)
        if cue.frame is not None and _speaker_inside(layout, cue, sentence_end):
            continue  # 据《临江商报》报道，X在内部信中写道：“…” — the words are X's, the paper only reports them
        if cue.frame is not None:
            subject = _frame_subject(layout, cue, context, unnamed)
        elif cue.word.lower() in lex["english_verbs"] and (english := _english_subject(layout, cue)):
            subject = english
        else:
            subject = subject_before(layout, cue, sentence_start, context, unnamed)
            if cue.noun and (subject is None or subject.via_pronoun) and (phrase := _described_said(layout, cue)):
                subject = Subject(phrase)  # 她经手的纠纷里，当事企业负责人反复说的一句话是：not her words
            if subject is None and not cue.noun and (handle := quoted_handle(layout, slot_before_cue(layout.masked, cue.start, lex), cue.end)):
                subject = Subject(handle)  # 帳號「夜貓工程師」說：a user by the handle in quote marks
            elif subject is None and not cue.noun and (phrase := described_speaker(layout, slot_before_cue(layout.masked, cue.start, lex))):
                subject = Subject(phrase)  # 一位香港券商的分析师认为: known only by a role, as written
                unnamed.append((cue.start, phrase))
            elif subject is None and _unnamed_speaker(layout, cue):
                unnamed.append((cue.start, None))
                continue
        named_after = subject is None and cue.word.lower() in lex["english_verbs"]
        if named_after:
            subject = _name_after(layout, cue, context)
        if subject is None:
            continue
        start = reported_start(layout.masked, cue, lex)
        reported = None
        if start is not None and start < sentence_end and _reports_words(layout, start, sentence_end):
            reported = (start, _colon_reach(layout, cue, start, sentence_end))
        elif cue.word.lower() in lex["english_verbs"]:
            reported = _english_reported(layout, cue, sentence_start, sentence_end, named_after)
        quoting = cue.word in lex["quoting_verbs"] and not cue.noun
        reach = QUOTING_VERB_REACH if quoting else ENGLISH_QUOTE_WINDOW if _english_subject_at_verb(layout, cue) else QUOTE_WINDOW
        window = min(sentence_end, cue.end + reach)
        acts.append(Act(cue, subject.speaker, sentence_end, reported, window, named_after, subject.via_pronoun))
    return acts


def _english_subject_at_verb(layout: Layout, cue: Cue) -> bool:
    """"She now tells…", "Mara Quill added…": an English verb whose subject (a capitalised name or
    pronoun, perhaps one adverb) stands right before it, not one found further back ("declined to
    comment on Lanxin, but said…" is someone else's verb)."""
    if cue.word.lower() not in layout.lex["english_verbs"]:
        return False
    before = layout.masked[max(0, cue.start - 40) : cue.start]
    return re.search(r"\b[A-Z][\w.'\-]*\s+(?:[a-z]+ly\s+|now\s+|also\s+|then\s+|later\s+)?$", before) is not None


def _speaker_inside(layout: Layout, cue: Cue, sentence_end: int) -> bool:
    """A source frame (据X报道, 据X介绍) whose sentence goes on to someone named (or known by a role)
    and a speech verb of their own: that person speaks inside the report, and the words are theirs."""
    names = [m for m in layout.names() if cue.end < m.start < sentence_end]
    return any(
        c.frame is None
        and not c.noun
        and cue.end < c.start < sentence_end
        and (any(m.end <= c.start for m in names) or described_speaker(layout, slot_before_cue(layout.masked, c.start, layout.lex)))
        for c in layout.cues
    )


def _english_subject(layout: Layout, cue: Cue) -> Subject | None:
    """"An analyst at Harrow Securities said" (as written), "Mara Quill, chief executive of
    Brightfold, said" (the name before the description)."""
    slot = slot_before_cue(layout.masked, cue.start, layout.lex)
    if described := described_in_english(layout.masked, slot, layout.lex):
        return Subject(described)
    if name := name_in_apposition(layout.masked, slot):
        return Subject(layout.book.lookup(name) or name)
    return None


def _colon_reach(layout: Layout, cue: Cue, start: int, sentence_end: int) -> int:
    """X回复：…。…。 — words a colon opens run on, sentence by sentence, to the end of the passage,
    until a sentence names someone (known, or a person jieba tags), quotes, or has a speech verb."""
    if not layout.masked[cue.end : start].strip().endswith(tuple(COLONS)):
        return sentence_end
    end = sentence_end
    for next_end in layout.sentence_ends:
        if next_end <= end:
            continue
        sentence = layout.masked[end:next_end]
        if MASK in sentence or any(end <= m.start < next_end and m.kind == "name" for m in layout.mentions):
            break
        if find_cues(sentence, layout.lex) or person_tokens(sentence, layout.lex):
            break  # someone else speaks, or the text turns to another person (版主郑可欣随后…)
        end = next_end
    return end


def _english_reported(layout: Layout, cue: Cue, start: int, end: int, named_after: bool) -> tuple[int, int] | None:
    """Open models are catching up, said Raman. / Raman said that the gap is closing."""
    masked = layout.masked
    if named_after:
        before = masked[start : cue.start].rstrip()
        if before.endswith(",") and MASK not in before and len(before.split()) >= 3:
            return start, start + len(before) - 1  # up to the comma before "said"
        return None
    after = re.match(r"\s+(?:that\s+|:\s*)", masked[cue.end :])
    if after and MASK not in masked[cue.end + after.end() : end]:
        return cue.end + after.end(), end
    return None


def _reports_words(layout: Layout, start: int, end: int) -> bool:
    """Unquoted words follow the cue; a quoted term opening them (据X介绍，“云杉”的训练…) is
    part of them, a whole quotation (X说：“…”) is not."""
    if layout.masked[start : start + 1] != MASK:
        return True
    quote = next((q for q in layout.quotes if q.open == start), None)
    rest = layout.masked[quote.close + 1 : end] if quote and quote.close < len(layout.text) else ""
    return len(rest.strip(" 。！？!?；;，,、：:…")) >= REPORTED_AFTER_TERM


def _frame_subject(layout: Layout, cue: Cue, context: str | None, unnamed: list[tuple[int, str | None]] | None = None) -> Subject | None:
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


def _name_after(layout: Layout, cue: Cue, context: str | None) -> Subject | None:
    """English puts the speaker after its verb too: "…," said Jim Zemlin / said he."""
    following = [m for m in layout.mentions if cue.end <= m.start <= cue.end + 1]
    if following and following[0].kind == "name":
        return Subject(following[0].speaker)
    if following and following[0].kind == "pronoun":
        return Subject(resolve_pronoun(layout, following[0].start, context), True)
    match = ENGLISH_NAME_AFTER.match(layout.masked, cue.end)
    return Subject(match.group(1)) if match else None


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


def _unnamed_speaker(layout: Layout, cue: Cue) -> bool:
    """一位负责产业政策的官员称: someone speaks who has no name (their words are nobody's)."""
    if cue.noun or cue.frame is not None:
        return False
    slot = slot_before_cue(layout.masked, cue.start, layout.lex)
    ends = tuple(layout.lex["unnamed_person_ends"])
    if layout.masked[max(0, slot - 8) : slot].endswith(ends):
        return True
    return _unconfirmed_name_after_role(layout, slot)


def _unconfirmed_name_after_role(layout: Layout, slot: int) -> bool:
    """秘书长过立新警告说, where 过立新 is no name we can confirm (过 is mostly a verb): someone
    speaks, and a later 他 is them, never the person named in an earlier paragraph."""
    before = layout.masked[max(0, slot - 16) : slot]
    return re.search(rf"(?:{layout.lex.roles})[{HAN_CLASS}]{{2,3}}$", before) is not None


def _connectives_only(layout: Layout, start: int, end: int) -> bool:
    words = rf"(?:{layout.lex.adverbs}|然而|但是|但|不过|不過|另外|此外|例如)"
    return re.match(rf"^[\s{MASK}]*{words}*\s*$", layout.masked[start:end]) is not None


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
            return Subject(_role_anaphor(layout, mention, context), True)
        if mention.kind == "pronoun":
            return Subject(resolve_pronoun(layout, mention.start, context), True)
        return Subject(None)  # a group or the writer speaks: nobody to name
    if named := _name_at_slot(layout, slot, start):
        return named
    qi = layout.lex.qi_subject_re.search(layout.masked, start, cue.end)
    if qi and qi.start() < cue.start:
        return Subject(resolve_pronoun(layout, qi.start(), context), True)
    return None


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


def _described_said(layout: Layout, cue: Cue) -> str | None:
    """当事企业负责人反复说的一句话是：“…” — a speech noun after 说的, whose speaker is known only by a
    role: the role phrase before 说的, as written (a name there is found as any name: people.py)."""
    said = SAID_THE_WORDS.search(layout.masked, max(0, cue.start - 4), cue.start)
    return described_speaker(layout, slot_before_cue(layout.masked, said.start(), layout.lex)) if said else None


def _is_possessive(masked: str, mention: Mention, cue: Cue, lex: Lexicon) -> bool:
    """扎克伯格的发言人表示: the name owns the speaker. 他的回答: the name owns the words, so it
    speaks; so does what they wrote (葛映雪的报告指出, 她在博客中写道: ``owned_documents``)."""
    if masked[mention.end : mention.end + 1] != "的":
        return False
    owned = masked[mention.end + 1 : cue.start]
    if len(owned) <= MAX_OWNED_DOCUMENT and owned.startswith(tuple(lex["owned_documents"])):
        return False
    return not (cue.noun and cue.start == mention.end + 1)


def _role_anaphor(layout: Layout, mention: Mention, context: str | None) -> str | None:
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
    return named[-1].speaker if named else context


def _subject_over_owner(layout: Layout, named: list[Mention], index: int) -> list[Mention]:
    """林教授曾是赖明谦的指导老师。她认为… — a name standing before 的 (owning what follows) in the
    sentence before the pronoun is no antecedent when that sentence's subject, named earlier in it,
    is someone else: 她 is the subject."""
    if len(named) < 2 or layout.masked[named[-1].end : named[-1].end + 1] != "的":
        return named
    start, _end = layout.sentence_of(named[-1].start)
    subjects = [m for m in named[:-1] if m.start >= start and m.speaker != named[-1].speaker and layout.masked[m.end : m.end + 1] != "的"]
    return named[:-1] if subjects else named
