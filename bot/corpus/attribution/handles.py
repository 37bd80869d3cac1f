"""Users known by a handle the text puts in quote marks: 帳號「夜貓工程師」說：, 网友“山城老码农”留言称.

A handle is no name jieba or a surname can confirm, and it is often quoted, so the masked copy every
stage reads has blanked it out. It is a speaker only where a speech verb stands right after the
quote marks (past adverbs) and either a word saying it is a handle (``handle_labels``: 帐号, 网友,
昵称…) right before them, or nothing before them in the sentence and a colon and a quotation after
the verb (a host reading out comments: “夜航船”问：“…”): the quoted handle, as written, speaks.
"""

from __future__ import annotations

import re

from bot.corpus.attribution.layout import Layout
from bot.corpus.attribution.lexicon import CLAUSE_BREAK, COLONS, MASK, SENTENCE_END, alternation

MAX_HANDLE = 30  # longer quoted words are a statement, not a handle
MAX_BARE_HANDLE = 12  # a handle with no word saying it is one is short (“夜航船”问：“…”)


def quoted_handle(layout: Layout, slot: int, cue_end: int) -> str | None:
    """The handle in quote marks ending right before ``slot`` (where a speaker stands before a verb
    ending at ``cue_end``): after a handle label, or, read out from a stream's comments, opening its
    sentence with the verb handing over to a colon (我念一下。“夜航船”问：“…”)."""
    if layout.masked[slot - 1 : slot] != MASK:
        return None
    quote = next((q for q in layout.quotes if q.close == slot - 1), None)
    if quote is None:
        return None
    handle = layout.text[quote.inner[0] : quote.inner[1]].strip()
    if not handle or len(handle) > MAX_HANDLE or re.search(rf"[{CLAUSE_BREAK}…]", handle):
        return None
    before = layout.masked[max(0, quote.open - 12) : quote.open].rstrip()
    if _labelled(layout, before):
        return handle
    opens_sentence = not before or before[-1] in SENTENCE_END + COLONS
    hands_over = layout.masked[cue_end : cue_end + 1] in COLONS and layout.masked[cue_end + 1 : cue_end + 2] == MASK
    return handle if opens_sentence and hands_over and len(handle) <= MAX_BARE_HANDLE else None


def _labelled(layout: Layout, before: str) -> bool:
    """网友“X”, 帳號「X」, 有个网友叫“X”: a word saying the quoted words are a handle, right before them."""
    return re.search(rf"(?:{alternation(layout.lex['handle_labels'])})(?:为|為|叫|名叫|是)?$", before) is not None


def introduced_handle(layout: Layout, index: int, since: int) -> str | None:
    """上期有个网友叫“阿蛮不蛮”，他留言说：“…” — the last user brought in by a handle label and a
    quoted handle between ``since`` and ``index``: whom a later 他/她 means, as no name stands there."""
    found = None
    for quote in layout.quotes:
        if since <= quote.open and quote.close < index:
            handle = layout.text[quote.inner[0] : quote.inner[1]].strip()
            before = layout.masked[max(0, quote.open - 12) : quote.open].rstrip()
            if handle and len(handle) <= MAX_BARE_HANDLE and not re.search(rf"[{CLAUSE_BREAK}…]", handle) and _labelled(layout, before):
                found = handle
    return found


def handle_before_colon(layout: Layout, quote_open: int) -> str | None:
    """署名「新竹阿伯」：「…」 / 的用户@潮汐工程师：“…” — a handle after a handle label, or an @handle,
    right before the colon that opens a quotation: the user says it."""
    end = len(layout.masked[:quote_open].rstrip())
    if not end or layout.masked[end - 1] not in COLONS:
        return None
    end = len(layout.masked[: end - 1].rstrip())  # where the colon's subject ends
    if at := re.search(rf"@(?P<who>[^\s@:：，,。{MASK}]{{1,20}})$", layout.masked[max(0, end - 21) : end]):
        return at.group("who")
    quote = next((q for q in layout.quotes if q.close == end - 1), None)
    if quote is None:
        quote = _handle_of_described_subject(layout, end)  # 一位ID叫“三角函数受害者”的观众连刷三条：
    if quote is None or not _labelled(layout, layout.masked[max(0, quote.open - 12) : quote.open].rstrip()):
        return None
    handle = layout.text[quote.inner[0] : quote.inner[1]].strip()
    return handle if handle and len(handle) <= MAX_HANDLE and not re.search(rf"[{CLAUSE_BREAK}…]", handle) else None


def _handle_of_described_subject(layout: Layout, end: int):
    """一位ID叫“X”的观众连刷三条： — the one quoted handle in the sentence before the colon, owned by
    a person word right after it (的观众, 的网友): the quote mark of that handle, or None."""
    start = max(layout.masked.rfind(c, 0, end) for c in SENTENCE_END + COLONS) + 1
    words = alternation(layout.lex["unnamed_person_ends"] | layout.lex["handle_labels"])
    owned = [q for q in layout.quotes if start <= q.open and q.close < end and re.match(rf"的(?:{words})", layout.masked[q.close + 1 :])]
    return owned[0] if len(owned) == 1 and len([q for q in layout.quotes if start <= q.open and q.close < end]) == 1 else None
