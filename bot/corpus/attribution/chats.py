"""Scripts and logs: a chat export's messages, each under its sender's header, an email thread's
mails, each under its 发件人 line, and a broadcast script's narration (【记者旁白】), the reporter's.

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

from bot.corpus.attribution.flow import Reader, fill_gaps, first_person, own_narration, with_spans
from bot.corpus.attribution.lexicon import alternation
from bot.corpus.attribution.names import label_name
from bot.corpus.models import Passage

CHAT_HEADER = re.compile(
    r"^\s*(?P<who>\S(?:[^\n]{0,22}?\S)?)\s+(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*$"
)
MIN_MESSAGES = 2


def email_sender(text: str, reader: Reader) -> str | None:
    """【邮件二】发件人：韦嘉禾（销售副总裁）　收件人：…　主题：… — a mail's header line (a
    ``sender_labels`` word opening the passage, perhaps after a bracketed number) and its sender, a
    person's name as turn labels give one; None for any other passage."""
    header = re.match(
        rf"^\s*(?:【[^】\n]{{1,10}}】|[\[［][^\]］\n]{{1,10}}[\]］])?\s*(?:{alternation(reader.lex['sender_labels'])})\s*[：:]\s*"
        r"(?P<who>[^\s\u3000；;，,、<＜]{2,30}(?: [A-Z][\w.'-]+)*)",  # From: Jane Doe <jane@…>
        text,
    )
    if not header:
        return None
    name = label_name(header.group("who"), reader.lex, None, "turn")
    return reader.book.lookup(name) or name if name else None


def email_senders(passages: list[Passage], reader: Reader) -> list[Passage]:
    """The body of each mail in a thread printed in an article, its sender's: the passages after a
    header line up to the next one. After the last mail the writer's narration comes back: a
    trailing passage without the first person (据了解，…) ends the thread."""
    headers = [i for i, p in enumerate(passages) if email_sender(p.text, reader)]
    if not headers:
        return passages
    out, sender = list(passages), None
    for index, passage in enumerate(passages):
        if index in headers:  # the header line is the mail's too: its subject is the sender's
            sender = email_sender(passage.text, reader)
            out[index] = replace(passage, speaker=passage.speaker or sender)
            continue
        if sender is None or any(q.form == "turn" for q in passage.quotations):
            continue
        if index > headers[-1] and not first_person(own_narration(passage), plural=True):
            sender = None
            continue
        others = [q for q in passage.quotations if q.speaker != sender and q.form != "first-person"]  # 我 is the sender
        spans = fill_gaps(passage.text, others, sender, "mail")
        out[index] = with_spans(passage, spans, None)
    return out


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
            passage = with_spans(passage, spans, None)
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
            passage = with_spans(passage, spans, None)
        out.append(passage)
    return out
