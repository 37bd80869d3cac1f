"""Acts of speech: a cue, who spoke it, and where the words it introduces may lie.

Who stands before a cue is subjects.py's (and whom a pronoun means, pronouns.py's); here each cue
of a passage becomes an act: its speaker, the reported words after it (to the sentence end, or on
sentence by sentence after a colon), and how far after it a quotation it introduces may open.
Someone unnamed who speaks (一位负责产业政策的官员称) is remembered, so a later 他 is them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.chars import HAN_CLASS
from bot.corpus.attribution.cues import Cue, find_cues, reported_start
from bot.corpus.attribution.described import described_speaker
from bot.corpus.attribution.handles import quoted_handle
from bot.corpus.attribution.layout import Layout
from bot.corpus.attribution.lexicon import COLONS, MASK, alternation
from bot.corpus.attribution.names import person_tokens
from bot.corpus.attribution.people import SAID_THE_WORDS, slot_before_cue
from bot.corpus.attribution.subjects import Subject, english_subject, frame_subject, name_after, subject_before

REPORTED_AFTER_TERM = 6  # words after a quoted term that make it part of reported speech
QUOTE_WINDOW = 30  # a quote opening this close after a speech verb is what the verb introduces
QUOTING_VERB_REACH = 8  # a quoting-only verb introduces a quotation opening this close after it
# …and after an English verb, which takes more letters for as many words ("tells other founders the
# free model is "…"")
ENGLISH_QUOTE_WINDOW = 80


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


def find_acts(layout: Layout, context: str | None) -> list[Act]:
    acts = []
    lex = layout.lex
    unnamed: list[tuple[int, str | None]] = []  # where someone unnamed spoke (一位官员称): a later 他 is them
    for cue in layout.cues:
        sentence_start, sentence_end = layout.sentence_of(cue.start)
        if cue.frame is not None and _speaker_inside(layout, cue, sentence_end):
            continue  # 据《临江商报》报道，X在内部信中写道：“…” — the words are X's, the paper only reports them
        if cue.frame is not None:
            subject = frame_subject(layout, cue, context, unnamed)
        elif cue.word.lower() in lex["english_verbs"] and (english := english_subject(layout, cue)):
            subject = english
        else:
            subject = subject_before(layout, cue, sentence_start, context, unnamed)
            if cue.noun and (subject is None or subject.via_pronoun) and (phrase := _described_said(layout, cue)):
                subject = Subject(phrase)  # 她经手的纠纷里，当事企业负责人反复说的一句话是：not her words
            if subject is None and cue.word in lex["own_words_nouns"] and (role := _bare_role_quoted(layout, cue)):
                subject = Subject(role)  # 老板原话：“…” — the boss the writer means, as written
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
            subject = name_after(layout, cue, context)
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


def _bare_role_quoted(layout: Layout, cue: Cue) -> str | None:
    """老板原话：“…” / 教授的原话是：“…” — someone's exact words (``own_words_nouns``) after a bare role
    opening its clause: the one person the writer means by it (my boss), as written, though a bare
    role speaking (专家表示) names nobody."""
    if not re.match(r"\s*(?:是|为|為)?\s*[：:]", layout.masked[cue.end :]):
        return None
    clause = re.split(r"[，,。！？!?；;：:\s]", layout.masked[: cue.start])[-1]
    role = re.fullmatch(rf"(?P<role>{layout.lex.roles}|{alternation(layout.lex['honorifics'])})的?", clause)
    return role.group("role") if role else None


def _described_said(layout: Layout, cue: Cue) -> str | None:
    """当事企业负责人反复说的一句话是：“…” — a speech noun after 说的, whose speaker is known only by a
    role: the role phrase before 说的, as written (a name there is found as any name: people.py)."""
    said = SAID_THE_WORDS.search(layout.masked, max(0, cue.start - 4), cue.start)
    return described_speaker(layout, slot_before_cue(layout.masked, said.start(), layout.lex)) if said else None
