"""Scripts and logs: a chat export's messages, each under its sender's header, and a broadcast
script's narration (【记者旁白】), the reporter's.

A chat export puts each message under a header line giving its sender and the time it was sent.

WeChat, LINE, Slack or Telegram logs copied into an article put every message under its own short
line, ``老周做SaaS 21:03`` or ``冯工（算法） 2026-11-12 21:07``; the loader keeps those lines as
headings. The sender, as the header writes them (a nickname, with its note in brackets), speaks the
message, except for words the message itself quotes from someone else. It counts only when at least
``MIN_MESSAGES`` headers in a document look so, and never for a label that names nobody (时间, 日期).
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.corpus.attribution.flow import Reader, fill_gaps, passage_speaker
from bot.corpus.attribution.lexicon import alternation
from bot.corpus.models import Passage

CHAT_HEADER = re.compile(
    r"^\s*(?P<who>\S(?:[^\n]{0,22}?\S)?)\s+(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*$"
)
MIN_MESSAGES = 2


def chat_sender(heading: str | None, reader: Reader) -> str | None:
    match = CHAT_HEADER.match(heading or "")
    if not match or re.fullmatch(r"[\d\s:/.\-]+", match.group("who")):
        return None
    who = match.group("who")
    return None if who in reader.lex["non_person_labels"] else reader.book.lookup(who) or who


def narrated(passages: list[Passage], reader: Reader) -> list[Passage]:
    """【记者旁白】…: a broadcast script's narration is its reporter's (the byline), around anyone it
    reports; whose voice the passage carries is decided as for any passage."""
    if not reader.reporter:
        return passages
    label = re.compile(rf"^\s*【(?:{alternation(reader.lex['narration_labels'])})】\s*")
    out = []
    for passage in passages:
        if (match := label.match(passage.text)) and not any(q.form == "turn" for q in passage.quotations):
            spans = fill_gaps(passage.text, list(passage.quotations), reader.reporter, "first-person", match.end())
            passage = replace(passage, speaker=passage_speaker(passage.text, spans, None), quotations=tuple(spans))
        out.append(passage)
    return out


def chat_senders(passages: list[Passage], reader: Reader) -> list[Passage]:
    """The passages under chat headers, given to their senders (see the module)."""
    if sum(1 for heading in {p.heading for p in passages} if chat_sender(heading, reader)) < MIN_MESSAGES:
        return passages
    out = []
    for passage in passages:
        sender = chat_sender(passage.heading, reader)
        if sender and not any(q.form == "turn" for q in passage.quotations):
            others = [q for q in passage.quotations if q.speaker != sender]
            spans = fill_gaps(passage.text, others, sender, "chat")
            passage = replace(passage, speaker=passage_speaker(passage.text, spans, None), quotations=tuple(spans))
        out.append(passage)
    return out
