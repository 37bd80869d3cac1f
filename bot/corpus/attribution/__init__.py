"""Who speaks in each passage, and which of its words are quotations by whom.

A pipeline, one module per stage, each using only the ones listed before it:

- ``lexicon``: config/attribution.yaml, the words speech is read by, in both scripts;
- ``quotations``: quote marks and the masked copy (quoted words blanked out);
- ``cues``: speech verbs, nouns and frames (在X看来) in narration;
- ``book``, ``names``, ``english`` and ``people``: the listed speakers, how a name is found where a
  speaker stands, and the people the article itself introduces;
- ``layout``, ``acts``, ``speech``: one passage's acts of speech, quotations and reported words
  (with ``described`` and ``handles``: speakers known by a role, an organisation, a quoted handle);
- ``turns``: interview turns (any name, Q/A, 记者/主持人), at a line start or inline;
- ``flow``: the document read in order (lead-ins, excerpts, lists, transcripts, pronouns).

Evidence, strongest first: interview turns; speech tied to a cue with a speaker before it (or a
tag after it); a lead-in left open; everything else is narration, the author's (from
``Source.author`` or a byline in the text) or nobody's. No name is better than a wrong one: a cue
whose speaker cannot be found gives no quotation, and a pronoun is never a speaker.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.chars import HAN_CLASS
from bot.corpus.attribution.chats import chat_senders, email_senders, narrated
from bot.corpus.attribution.bylines import BYLINE_SCAN, source_body, source_poster, author_in_note, credited_teacher, find_byline, issuing_body, named_in_note
from bot.corpus.attribution.letters import section_writers, signed_passages
from bot.corpus.attribution.flow import (
    Flow,
    is_diary,
    Reader,
    enter_turn,
    fill_gaps,
    first_person,
    main_speaker,
    own_narration,
    read_passage,
    writer_speaks,
)
from bot.corpus.attribution.lexicon import Lexicon, alternation, load_lexicon
from bot.corpus.attribution.book import People, SpeakerBook, fold_name
from bot.corpus.attribution.people import discover
from bot.corpus.attribution.quotations import find_quotes
from bot.corpus.attribution.speech import read_narration
from bot.corpus.attribution.turn_labels import Turn
from bot.corpus.attribution.turns import BRACKET_TURN, find_turn_labels, inline_turns
from bot.corpus.models import Passage, Quotation, Source, Speaker

__all__ = ["attribute", "find_quotes", "load_lexicon", "Lexicon"]

POSTER_NICKNAME = re.compile(rf"[老小阿][{HAN_CLASS}]$")  # the nickname ending a poster's handle (算力老周)
OPINION_FIRST_PERSON = 2  # paragraphs saying 我 (or 我们) that make an authored article an op-ed…
OPINION_SHARE = 0.25  # …when they are at least this share of its paragraphs


def attribute(
    passages: list[Passage],
    source: Source,
    speakers: tuple[Speaker, ...],
    lexicon: Lexicon | None = None,
    headings: tuple[str, ...] = (),
) -> list[Passage]:
    """Fill ``speaker`` and ``quotations`` for one document's passages, given in reading order;
    ``headings`` (title, credit lines) may hold the byline."""
    lex = lexicon or load_lexicon()
    people, book = discover([p.text for p in passages], lex, SpeakerBook.of(speakers), headings)
    surname_labels = book.surname_labels  # kept through the book's rebuilds below
    byline = find_byline([p.text for p in passages], headings, lex, book)
    writer = source.author or byline.author
    if not source.author:
        writer, book = named_in_note(writer, author_in_note([p.text for p in passages], headings, lex), book)
    if issuer := issuing_body([p.text for p in passages], headings, lex):  # 本局, 我局: the body that issued the paper
        aliases = {fold_name(own + issuer[0]): issuer[1] for own in ("本", "我")}
        book = SpeakerBook.of((), {**book.canonical, **aliases}, book.bodies)
    if writer and (nickname := _writers_nickname(writer, [*headings, *(p.text for p in passages[:BYLINE_SCAN])])):
        book = SpeakerBook.of((), {**book.canonical, fold_name(nickname): writer}, book.bodies)  # 作者：陈哲宇（阿哲）
    if poster := source_poster([p.text for p in passages], headings, lex):  # post by Zhao Minghui (Michelle Zhao)
        poster, also = poster[0], poster[1]
        if not also and (nickname := POSTER_NICKNAME.search(poster)) and len(poster) > len(nickname.group()):
            also = nickname.group()  # 算力老周, later 老周
        book = SpeakerBook.of((), {**book.canonical, fold_name(also): poster}, book.bodies) if also else book
    book = replace(book, surname_labels=surname_labels)
    reader = Reader(book, lex, source.author, byline.reporter, writer, is_diary(passages))
    teacher = credited_teacher([p.text for p in passages], headings, lex)
    turns = find_turn_labels(passages, book, lex, writer or poster, teacher)
    flow, result = Flow(), []
    for index, passage in enumerate(passages):
        flow = enter_turn(flow, passages, index, turns, reader)
        if flow.turn is not None:
            attributed = _read_turn(passage, index, turns, flow, reader)
            if attributed is not None:
                result.append(attributed[0])
                flow = replace(flow, context=attributed[1])
                continue
            flow = replace(flow, turn=None)  # “李四表示,‘…’” between turns: the writer reports again
        attributed, flow = read_passage(passage, passages[index - 1] if index else None, flow, reader)
        result.append(attributed)
    if not writer and byline.reporter and (byline.opinion or _is_opinion(result, plural=False)):
        writer = byline.reporter  # 记者手记: a reporter who writes 我 throughout is the piece's voice
        reader = replace(reader, writer=writer)
    if not writer and poster and _is_opinion(result, plural=False):
        writer = book.lookup(poster) or poster  # 来源：小红书 @X 的笔记: the poster is the post's 我
        reader = replace(reader, writer=writer)
    if not writer and (body := source_body([p.text for p in passages], headings, lex)) and _is_opinion(result):
        writer = body  # 来源：X研讨组，由…共同签署: the body is the statement's 我们
        reader = replace(reader, writer=writer)
    if writer and (byline.opinion or _is_opinion(result)):
        result = [writer_speaks(p, reader) for p in result]
    elif writer and _from_a_column([*headings, *(p.text for p in passages[:BYLINE_SCAN])], lex):
        # 来源：《港湾晚报》副刊专栏「茶记闲谈」，作者：阿乐 … 我埋单的时候，…: a column's writer says 我 in a
        # scene they tell, though the piece is no op-ed: that 我 is theirs, the scene around it nobody's
        result = [writer_speaks(p, reader) if not p.speaker and first_person(own_narration(p)) else p for p in result]
    result = narrated(chat_senders(email_senders(section_writers(signed_passages(result, reader), reader), reader), reader), reader)
    return [_mark_guessed(p, people) for p in result]


def _writers_nickname(writer: str, lines: list[str]) -> str | None:
    """作者：陈哲宇（阿哲），某大学博士生: the short name in brackets right after the writer's, which
    the comments and replies use (阿哲 回覆：)."""
    for line in lines:
        if match := re.search(rf"{re.escape(writer)}\s*[（(](?P<nick>[^（）()，,、；;\s]{{1,6}})[)）]", line):
            return match.group("nick")
    return None


def _from_a_column(lines: list[str], lex: Lexicon) -> bool:
    """A source line saying the piece comes from a column (来源：…副刊专栏「…」): ``column_sources``."""
    return any(re.match(r"\s*(?:来源|來源)\s*[:：]", line) and re.search(alternation(lex["column_sources"]), line) for line in lines)


def _is_opinion(passages: list[Passage], plural: bool = True) -> bool:
    """An authored article whose writer says 我 (or, with ``plural``, 我们) in their own narration,
    again and again: an op-ed."""
    own = [p for p in passages if not any(q.form == "turn" for q in p.quotations)]  # others' turns are other voices
    said_i = sum(first_person(own_narration(p), plural=plural) for p in own)
    return said_i >= OPINION_FIRST_PERSON and said_i >= OPINION_SHARE * len(own)


def _read_turn(passage: Passage, index: int, turns: dict[int, Turn], flow: Flow, reader: Reader):
    """A passage inside an interview turn, with the passage's speaker context after it; None when an
    unlabelled paragraph is really the writer reporting someone else (李四表示，“…”)."""
    speaker = _turn_speaker(flow.turn[0], flow.parties)
    label_end = turns[index].label_end if index in turns else 0
    heading = BRACKET_TURN.match(passage.text) if label_end else None  # 【年度人物：莫晓岚】颁奖词（评委会撰写）：
    kept = heading.end() if heading and heading.end() <= label_end else 0  # …whom the words are about, for 她
    unlabelled = passage.text[:kept] + " " * (label_end - kept) + passage.text[label_end:]  # the label names the speaker, not a "他"
    reading = read_narration(unlabelled, reader.book, reader.lex, None, flow.context)
    if index not in turns and main_speaker(passage.text, [q for q in reading.spans if q.speaker != speaker], None):
        return None
    segments = [(label_end, label_end, speaker)]  # (label start, words start, speaker) of each turn
    if index in turns:
        for inline in inline_turns(passage.text, label_end, reader.lex, reader.book):
            segments.append((inline.label_start, inline.words_start, _turn_speaker(inline.turn, flow.parties)))
    spans: list[Quotation] = []
    for number, (_label, start, who) in enumerate(segments):
        end = segments[number + 1][0] if number + 1 < len(segments) else len(passage.text)
        quoting = [q for q in reading.spans if start <= q.start < end and q.speaker != who]
        spans.extend(fill_gaps(passage.text[:end], quoting, who, "turn", start) if who else quoting)
    own = main_speaker(passage.text, spans, None if len(segments) > 1 else speaker)  # 主持人：有一位投资者提问：…
    return replace(passage, speaker=own, quotations=tuple(spans)), reading.last_named


def _turn_speaker(turn: Turn, parties: tuple[str | None, str | None]) -> str | None:
    if turn.role == "question":
        return turn.speaker if turn.named_asker else parties[0] or turn.speaker
    if turn.role == "answer":
        return parties[1]
    return turn.speaker


def _mark_guessed(passage: Passage, people: People) -> Passage:
    if not any(q.speaker and people.guessed(q.speaker) and q.speaker in people.evidence for q in passage.quotations):
        return passage
    spans = tuple(
        replace(q, guessed=True) if q.speaker in people.evidence and people.guessed(q.speaker) else q
        for q in passage.quotations
    )
    return replace(passage, quotations=spans)
