"""The document's flow: what one passage hands to the next while an article is read in order.

Interview turns carry on into the unlabelled paragraphs after them; a lead-in that leaves speech
open (X表示：) hands the next quoted paragraphs to X; a lead-in ending in a colon (X在文章中写道：,
X提出了以下几个论断：) hands on a short unquoted excerpt, a numbered list, or first-person
paragraphs (a letter); a transcript announced as 以下是X…演讲全文 is X's to the end; the person
last named stays the one 他/她/其 refers to across paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.corpus.attribution.book import SpeakerBook
from bot.corpus.attribution.lexicon import COLONS, Lexicon
from bot.corpus.attribution.quotations import find_quotes, is_quoted_paragraph, masked_text
from bot.corpus.attribution.speech import Lead, read_narration, trimmed, merge
from bot.corpus.attribution.turn_labels import Turn
from bot.corpus.attribution.turns import interview_parties
from bot.corpus.models import Passage, Quotation

QUOTED_STATEMENT = 16  # quoted words this long with a comma are a statement, not a term (对谁开、开到什么程度)
VOICE_SHARE = 0.2  # others' words covering this share of a passage make it theirs (a passing remark does not)
MAX_EXCERPT_PASSAGES = 3  # unquoted paragraphs after "X wrote:" taken as X's; beyond, narration
NUMBERED = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[\.、．)）]|^\s*[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]|^\s*第[一二三四五六七八九十\d]{1,3}[，,、：:]")
FIRST_PERSON = re.compile(r"我(?![们們])|\b(?:I|I'[a-z]+|[Mm]e|[Mm]y)\b")  # an English post's writer says I too
READERS = re.compile(r"你|您|大家")  # the writer turning to the readers (今天写这封信，是要向大家说明…)
WRITERS_VOICE = re.compile(r"我|\b(?:I|I'[a-z]+|[Mm]e|[Mm]y|[Ww]e|[Oo]ur|us)\b")  # 我 or 我们: the writer's voice, when deciding an article is written in it
HEADING_OPENS = re.compile(r"^\s*【[^】\n]{2,30}】")  # a passage opening with a heading of its own
BRACKET_LABEL = re.compile(r"^\s*[【\[]([^】\]]{1,8})[】\]]")  # 【编者按】…: a label, as 编者按：… is
DATED_REPORT = re.compile(
    r"^\s*(?:\d{4}年|\d{1,2}月|今年|去年|前年|上月|本月|近日|日前|昨天|昨日|今天|当天|當天|据|據"
    r"|上星期|上周|上週|上个月|上個月|前天|昨晚|前几天|前幾天|上礼拜|上禮拜)"
)
# A note by the editors, not the speaker's or the writer's words: （本文根据现场录音整理）, 本文仅代表作者个人意见.
EDITORIAL_NOTE = re.compile(
    r"^\s*(?:[（(][^（）()]*[）)]\s*[。.]?\s*$"
    r"|(?:本文|本期|本集|本场|本場|本次|本版|以上)[^。！？]{0,30}(?:整理|代表|仅代表|僅代表|持续|持續|欢迎|歡迎|由|根据|根據))"
)


@dataclass(frozen=True)
class Reader:
    """What stays the same for a whole document."""

    book: SpeakerBook
    lex: Lexicon
    narrator: str | None  # whose narration is, when config/corpus.yaml names the author
    reporter: str | None = None  # who asks an interview's questions (a 记者 byline)
    writer: str | None = None  # the author, from corpus.yaml or a 作者： byline: an op-ed's 我
    diary: bool = False  # entries opening with their dates (12月7日（日）晴。): each is the writer's, 我 or not


@dataclass(frozen=True)
class Flow:
    turn: tuple[Turn, Passage] | None = None  # the interview turn in progress and the passage that opened it
    parties: tuple[str | None, str | None] = (None, None)  # (interviewer, interviewee) of a Q/A block
    lead: Lead | None = None  # speech left open by the previous passage
    excerpt: tuple[str, int | None, str] | None = None  # (speaker, passages it may still run, form)
    context: str | None = None  # the person the text was last about, for 他/她/其
    transcript: str | None = None  # a speech transcript's speaker, to the end of its section
    # …or, announced under a 【heading】 of its own (【报告原文摘录】以下为…), to the next 【heading】
    transcript_headed: bool = False


def enter_turn(flow: Flow, passages: list[Passage], index: int, turns: dict[int, Turn], reader: Reader) -> Flow:
    """Start, go on with, or leave an interview turn at this passage."""
    turn, passage = turns.get(index), passages[index]
    if turn is not None and turn.section:
        return replace(flow, turn=None)  # 【教师追问】…: the writer narrates this section
    if turn is None:
        if flow.turn is not None and not _continues_turn(flow.turn, passage):
            return replace(flow, turn=None)
        return flow
    parties = flow.parties
    if turn.role and (flow.turn is None or not flow.turn[0].role):
        before = passages[index - 1] if index else None
        lead_speaker = flow.lead.speaker if flow.lead else None
        parties = interview_parties(before, lead_speaker, _after_block(passages, index, turns), reader.book, reader.lex)
        parties = (parties[0] or reader.reporter, parties[1] or flow.context)
    return replace(flow, turn=(turn, passage), parties=parties, lead=None, excerpt=None, transcript=None)


def read_passage(passage: Passage, previous: Passage | None, flow: Flow, reader: Reader) -> tuple[Passage, Flow]:
    """A passage of narration: its own quotations, plus whatever the previous passage left open."""
    reading = read_narration(passage.text, reader.book, reader.lex, flow.lead, flow.context)
    spans, excerpt = reading.spans, None
    if flow.transcript and flow.transcript_headed and HEADING_OPENS.match(passage.text):
        flow = replace(flow, transcript=None, transcript_headed=False)  # 【解读一：…】 after the excerpt: the writer again
    if flow.transcript and not _is_label_line(passage, reader) and not EDITORIAL_NOTE.match(passage.text):
        spans = fill_gaps(passage.text, spans, flow.transcript, "transcript")
    elif flow.excerpt and previous is not None and _continues_excerpt(passage, previous, flow.excerpt):
        spans = fill_gaps(passage.text, spans, flow.excerpt[0], flow.excerpt[2])
        excerpt = _one_passage_on(flow.excerpt, passage)
    elif flow.lead and flow.lead.ends_with_colon and _is_excerpt(passage):
        form = "list" if _is_list(passage) else "lead-in"
        spans = fill_gaps(passage.text, spans, flow.lead.speaker, form)
        limit = None if passage.kind == "quote" else MAX_EXCERPT_PASSAGES
        excerpt = _one_passage_on((flow.lead.speaker, limit, form), passage)
    announced = None if flow.transcript else _announces_transcript(passage, reader)
    transcript = flow.transcript or announced
    headed = flow.transcript_headed if flow.transcript else bool(announced and HEADING_OPENS.match(passage.text))
    attributed = with_spans(passage, spans, reader.narrator)
    lead = _lead_after(passage, spans, reading.lead, flow.lead)
    return attributed, Flow(lead=lead, excerpt=excerpt, context=reading.last_named, transcript=transcript, transcript_headed=headed)


def first_person(text: str, *, plural: bool = False) -> bool:
    """The writer says 我 in narration (outside quotation marks); with ``plural``, 我们 counts too
    (a 知乎 answer or a team's notes say 我们 more often than 我)."""
    return bool((WRITERS_VOICE if plural else FIRST_PERSON).search(masked_text(text, find_quotes(text))))


def own_narration(passage: Passage) -> str:
    """The passage with everyone's attributed words blanked out."""
    text = passage.text
    return "".join(" " if any(q.start <= i < q.end for q in passage.quotations) else c for i, c in enumerate(text))


def writer_speaks(passage: Passage, reader: Reader) -> Passage:
    """In an op-ed, a paragraph of argument is the writer's words (around anyone it quotes); a title,
    a credit line, a turn, or a dated report of what happened (今年五月，…) without 我 is not."""
    text, spans = passage.text, list(passage.quotations)
    salutation = text.lstrip().startswith(tuple(reader.lex["salutations"]))  # 亲爱的开发者朋友们：
    if (
        not (re.search(r"[。！？!?]|[a-z0-9)][.](?:\s|$)", text) or salutation)  # an English sentence ends in a full stop
        or _is_label_line(passage, reader)
        or text.lstrip().startswith(("（", "("))
        or EDITORIAL_NOTE.match(text)
    ):
        return passage
    if any(q.form == "turn" for q in spans):
        return passage
    said_i = first_person(own_narration(passage)) or READERS.search(masked_text(own_narration(passage), find_quotes(text)))
    if not said_i and (spans or (DATED_REPORT.match(text) and not reader.diary)):
        return passage  # a paragraph reporting others is the writer's only where the writer says 我
    holes = [
        Quotation(q.inner[0], q.inner[1], None)
        for q in find_quotes(text)
        if _someone_elses(text, q, spans) and not _own_words_again(text, q.inner[0], reader.lex)
    ]
    spans = [q for q in fill_gaps(text, spans + holes, reader.writer, "first-person") if q.speaker]
    return with_spans(passage, spans, reader.narrator)


def _own_words_again(text: str, start: int, lex: Lexicon) -> bool:
    """两年前，我在这里发过一句话：“…” / 我当时就说过：“…” — the writer quoting what they once said
    themself: 我 (not 我们) as the subject, then in the same clause a speech verb or noun, handing over
    with a colon; not 他对我说：(spoken to) nor 我听到一句话：(heard)."""
    own = lex.own_words_re.search(text[max(0, start - 40) : start])
    if own is None or own.group("before") in lex["spoken_to_words"]:
        return False  # 他笑着对我说：the writer is spoken to
    return lex.heard_re.search(own.group("between")) is None  # 我在不同场合听到同一句话：someone else's


DIARY_ENTRY = re.compile(r"^\s*(?:\d{1,2}月\d{1,2}日|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*(?:[（(][^）)]{1,4}[）)])?\s*[^\s，,。]{0,3}[。，,\s]")
MIN_DIARY_ENTRIES = 3


def is_diary(passages: list[Passage]) -> bool:
    """12月1日（一）晴。… / 12月2日（二）陰。…: a diary, whose entries open with their date (and perhaps
    the weekday and the weather), at least three of them, and a third of its paragraphs."""
    entries = sum(1 for p in passages if DIARY_ENTRY.match(p.text))
    return entries >= MIN_DIARY_ENTRIES and entries * 3 >= len(passages)


def _someone_elses(text: str, quote, spans: list[Quotation]) -> bool:
    """A full statement in quote marks (a sentence, or long words with a comma) that nobody was found
    to say is still not the writer's own words; a quoted term or phrase (“护城河”, “对谁开、开到什么
    程度”) is part of the writer's sentence."""
    start, end = quote.inner
    words = text[start:end]
    statement = re.search(r"[。！？!?；;]", words) or (re.search(r"[，,]", words) and len(words) >= QUOTED_STATEMENT)
    return bool(statement) and not any(s.start < end and start < s.end for s in spans)


def _announces_transcript(passage: Passage, reader: Reader) -> str | None:
    """以下是X在…上的演讲全文 / 以下为X发言实录: the paragraphs after are X's."""
    lex, text = reader.lex, passage.text
    opener = next((o for o in lex["transcript_openers"] if o in text), None)
    if opener is None or not any(m in text for m in lex["transcript_markers"]):
        return None
    after = text[text.index(opener) :]
    names = reader.book.mentions(after)
    if names:
        return names[0].speaker
    before = {m.speaker for m in reader.book.mentions(text[: text.index(opener)])}
    return before.pop() if len(before) == 1 else None  # 校长X在论坛上作了发言。以下根据现场录音整理


def _is_label_line(passage: Passage, reader: Reader) -> bool:
    match = re.match(rf"^\s*([^{COLONS}]{{1,8}})[{COLONS}]", passage.text) or BRACKET_LABEL.match(passage.text)
    return bool(match and match.group(1).strip() in reader.lex["non_person_labels"] | reader.lex["byline_labels"])


def _is_list(passage: Passage) -> bool:
    return passage.kind == "list-item" or bool(NUMBERED.match(passage.text))


def _one_passage_on(excerpt: tuple[str, int | None, str], passage: Passage) -> tuple[str, int | None, str] | None:
    """The excerpt after one more of its passages: None once it has run out (a blockquote never does)."""
    speaker, left, form = excerpt
    if left is None:
        return excerpt
    return (speaker, left - 1, form) if left > 1 else (speaker, 0, form)


def _after_block(passages: list[Passage], index: int, turns: dict[int, Turn]) -> Passage | None:
    for later in range(index + 1, len(passages)):
        if later not in turns and passages[later].kind != passages[index].kind:
            return passages[later]
    return None


def _continues_turn(current: tuple[Turn, Passage], passage: Passage) -> bool:
    """An unlabelled passage goes on with the turn in the same section (a Q/A turn: same blockquote)."""
    turn, opener = current
    if passage.heading != opener.heading or EDITORIAL_NOTE.match(passage.text):
        return False
    if not turn.carries:  # a reply's label on a line of its own (@user 回复：) holds the one paragraph after it
        return passage.number == opener.number + 1 and not opener.text[turn.label_end :].strip()
    return passage.kind == "quote" if opener.kind == "quote" else True


def _is_excerpt(passage: Passage) -> bool:
    """After "X…文章:" ends a paragraph, a blockquote, a list or an unquoted paragraph is what it announces
    (quoted paragraphs inherit the lead-in by themselves)."""
    if passage.kind == "quote":
        return True
    return not is_quoted_paragraph(passage.text) and not passage.text.rstrip().endswith(tuple(COLONS))


def _continues_excerpt(passage: Passage, previous: Passage, excerpt: tuple[str, int | None, str]) -> bool:
    """An excerpt runs on through passages like the previous one in the same section, until a new
    lead-in: a blockquote to its end, a numbered list to its last item, first-person paragraphs while
    they say 我, other plain paragraphs only a few (see MAX_EXCERPT_PASSAGES)."""
    if passage.heading != previous.heading or is_quoted_paragraph(passage.text):
        return False
    if passage.text.rstrip().endswith(tuple(COLONS)):
        return False
    if excerpt[2] == "list":
        return _is_list(passage)
    if passage.kind != previous.kind:
        return False
    left = excerpt[1]
    return left is None or left > 0 or bool(FIRST_PERSON.search(passage.text))


def fill_gaps(text: str, spans: list[Quotation], speaker: str, form: str, start: int = 0) -> list[Quotation]:
    """Everything in the passage from ``start`` not already someone else's words is ``speaker``'s."""
    filled, cursor = [], start
    for span in sorted(spans, key=lambda q: q.start):
        if span.start > cursor:
            filled.extend(_gap(text, cursor, span.start, speaker, form))
        filled.append(span)
        cursor = max(cursor, span.end)
    filled.extend(_gap(text, cursor, len(text), speaker, form))
    return merge(filled)


def _gap(text: str, start: int, end: int, speaker: str, form: str) -> list[Quotation]:
    start, end = trimmed(text, start, end)
    if not re.search(r"\w", text[start:end]):
        return []
    return [Quotation(start, end, speaker, form=form)]


def _lead_after(passage: Passage, spans: list[Quotation], own: Lead | None, previous: Lead | None) -> Lead | None:
    """What stays open for the next passage: this passage's own open speech, else a chain of
    quoted paragraphs inheriting the same lead-in (“…” / “…” after 他的回答:)."""
    if own is not None:
        return own
    if previous and spans and spans[-1].speaker == previous.speaker and not passage.text[spans[-1].end :].strip(" \t\u3000。！？!?；;，,、：:…”」』\"’)）"):
        return Lead(previous.speaker, ends_with_colon=False)
    return None


def with_spans(passage: Passage, spans: list[Quotation], narrator: str | None) -> Passage:
    """The passage with these quotations, and the speaker they make it (``passage_speaker``)."""
    return replace(passage, speaker=passage_speaker(passage.text, spans, narrator), quotations=tuple(spans))


def passage_speaker(text: str, spans: list[Quotation], narrator: str | None) -> str | None:
    """Whose words the passage carries: whoever others' quotations cover most, once they cover a fifth
    of it (less is a passing remark in the writer's narration), else the writer's own first person,
    else the narrator (or nobody)."""
    share: dict[str, int] = {}
    for span in spans:
        if span.speaker and span.form != "first-person":
            share[span.speaker] = share.get(span.speaker, 0) + span.end - span.start
    total = sum(1 for c in text if not c.isspace()) or 1
    if share and max(share.values()) / total >= VOICE_SHARE:
        return max(share.items(), key=lambda item: item[1])[0]
    writer = next((q.speaker for q in spans if q.speaker and q.form == "first-person"), None)
    return writer or narrator


def main_speaker(text: str, spans: list[Quotation] | tuple[Quotation, ...], narrator: str | None) -> str | None:
    """The passage's speaker: whoever's words cover most of it, when that is at least half; else the narrator."""
    total = sum(1 for c in text if not c.isspace())
    if not spans or not total:
        return narrator
    share: dict[str | None, int] = {}
    for span in spans:
        share[span.speaker] = share.get(span.speaker, 0) + sum(1 for c in text[span.start : span.end] if not c.isspace())
    speaker, covered = max(share.items(), key=lambda item: item[1])
    return speaker if covered / total >= 0.5 else narrator
