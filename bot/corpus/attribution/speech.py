"""One passage of narration: its quotations and reported speech, each with its speaker.

Quoted words take the speaker of the cue that introduces them (X说：“…”), of a tag after them
(“…”X说。 / “…，”X补充道，“…”), of the quotation right before them (the same voice goes on), or
of a lead-in the previous passage left open. Reported words without quote marks run from the cue
to the end of the sentence (X表示，…). A quoted term with no cue (“护城河”) is a scare quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.chars import HAN_CLASS
from bot.corpus.attribution.acts import Act, find_acts
from bot.corpus.attribution.pronouns import resolve_pronoun
from bot.corpus.attribution.subjects import ADDRESSEE_MARK
from bot.corpus.attribution.book import SpeakerBook
from bot.corpus.attribution.described import introduced_subject
from bot.corpus.attribution.handles import handle_before_colon
from bot.corpus.attribution.layout import Layout
from bot.corpus.attribution.names import label_name, person_tokens
from bot.corpus.attribution.lexicon import CLAUSE_BREAK, COLONS, DASH, MASK, SENTENCE_END, TRAILING_NOISE, Lexicon
from bot.corpus.attribution.quotations import QuoteMark, ends_sentence
from bot.corpus.models import Quotation

SHORT_TERM_CHARS = 6  # a quoted term this short after a quoting-only verb is a name for something
CONTINUED_MIN_CHARS = 10  # a quotation this long after someone's reported words goes on with them
STORY_MIN_CHARS = 6  # a first-person quotation this long in a story about one person is theirs (那十天我瘦了四斤。)
COLONS_TUPLE = tuple(COLONS)
TAG_REACH = 24  # a speech verb this close after a quote, in its sentence, tags it (“…”产业联盟秘书长某某警告说)


@dataclass(frozen=True)
class Lead:
    """Speech left open at the end of a passage: the next quoted paragraphs may be its words."""

    speaker: str
    ends_with_colon: bool


@dataclass(frozen=True)
class Reading:
    spans: list[Quotation]
    lead: Lead | None
    last_named: str | None


def read_narration(
    text: str, book: SpeakerBook, lex: Lexicon, inherited: Lead | None, context: str | None
) -> Reading:
    """The quotations in a passage of narration, each with its speaker; ``inherited`` is speech the
    previous passage left open, ``context`` the person the text was last about."""
    layout = Layout.of(text, book, lex)
    acts = find_acts(layout, context)
    tags = _tagged_quotes(layout, acts)
    spans: list[Quotation] = []
    for act in acts:
        if act.reported and act.speaker and act not in tags.values():
            spans.append(Quotation(*trimmed(text, *act.reported), act.speaker, form=f"reported-{act.form}"))
    for quote in layout.quotes:
        if any(s.start <= quote.open < s.end for s in spans):
            continue  # already inside someone's reported words
        speaker, form = _quote_speaker(layout, quote, acts, tags, spans, inherited, context)
        if speaker:
            start, end = trimmed(text, *quote.inner)
            if end > start:
                spans.append(Quotation(start, end, speaker, form=form))
    spans = merge(_sandwiched(text, sorted(spans, key=lambda q: q.start)))
    names = layout.names()
    return Reading(spans, _open_lead(layout, acts, spans), names[-1].speaker if names else context)


def _sandwiched(text: str, spans: list[Quotation]) -> list[Quotation]:
    """X说，……。开发者自己找上门……。“……” — the sentences between someone's reported words and the
    quotation that goes on with them are theirs too."""
    filled = list(spans)
    for before, after in zip(spans, spans[1:]):
        if after.form == "continued" and after.speaker == before.speaker and after.start > before.end and before.form.startswith("reported"):
            start, end = trimmed(text, before.end, after.start)
            if re.search(r"\w", text[start:end]):
                filled.append(Quotation(start, end, before.speaker, form="continued"))
    return sorted(filled, key=lambda q: q.start)


def _tagged_quotes(layout: Layout, acts: list[Act]) -> dict[int, Act]:
    """Quotes whose speaker is named right after them: “…,”42岁的伊曼纽尔表示 / “…。”某某说。"""
    tags: dict[int, Act] = {}
    lex = layout.lex
    tag_verbs = lex["speech_verbs"] | lex["opinion_verbs"] | lex["english_verbs"]
    for quote in layout.quotes:
        if quote.close >= len(layout.text):
            continue
        region_end = next((e for e in layout.sentence_ends if e > quote.close + 1), len(layout.text))
        following = [q.open for q in layout.quotes if q.open > quote.close]
        region_end = min([region_end, *following])
        act = next((a for a in acts if quote.close < a.cue.start < region_end), None)
        if act is None or not act.speaker or act.cue.noun or act.cue.frame or act.cue.word.lower() not in tag_verbs:
            continue
        between = layout.masked[quote.close + 1 : act.cue.start]
        if not (act.named_after or _named_between(layout, quote.close + 1, act.cue.start) or act.speaker in between):
            continue
        if layout.masked[quote.close + 1 : quote.close + 2] == "的":
            continue  # “青竹”的发起人X坦言: the quoted name modifies the speaker, it is not speech
        phrase = re.split(r"[，,]", between)[0]
        if re.match(f"[{HAN_CLASS}]", between[:1]) and len(phrase) < len(between) and not _named_between(layout, quote.close + 1, quote.close + 1 + len(phrase)):
            continue  # 讨论到书中“…”一句时，一位工程师说: the quote is part of a phrase, not the speaker's words
        if ends_sentence(layout.text, quote) and _opens_with_colon(layout, act):
            continue  # 「…？」Cindy话：「…」: a finished statement, then the next speaker's words
        if ends_sentence(layout.text, quote) and _introduced_before(quote, acts):
            if not _tag_closes_sentence(layout, act):
                continue  # “…。”中國分析人士指出,… starts a new statement; the verb before wins
        tags[quote.open] = act
    return tags


def _tagged_by_someone_unnamed(layout: Layout, quote: QuoteMark, acts: list[Act]) -> bool:
    """A speech verb follows the quote in its sentence, and no act of it names a speaker: the
    words are tagged by someone the text names in a way we cannot confirm, so a lead-in left open
    by the paragraph before does not reach them."""
    if quote.close >= len(layout.text) or quote.close - quote.open < CONTINUED_MIN_CHARS or _short_term(layout.text, quote):
        return False  # a term in quote marks (“护城河”) is nobody's words
    region_end = next((e for e in layout.sentence_ends if e > quote.close + 1), len(layout.text))
    spoken = {a.cue.start for a in acts}
    return any(
        quote.close < cue.start < min(region_end, quote.close + TAG_REACH) and cue.start not in spoken and not cue.noun and cue.frame is None
        for cue in layout.cues
    )


def _opens_with_colon(layout: Layout, act: Act) -> bool:
    rest = layout.masked[act.cue.end : act.cue.end + 3].lstrip()
    return rest[1:2] in tuple(COLONS) if rest[:1] in "道着著" else rest[:1] in tuple(COLONS)


def _named_between(layout: Layout, start: int, end: int) -> bool:
    return any(start <= m.start and m.end <= end and m.kind in ("name", "pronoun") for m in layout.mentions)


def _tag_closes_sentence(layout: Layout, act: Act) -> bool:
    """“…。”某某说。 — the tag is all its sentence says (or hands over to the next part of the quote)."""
    rest = layout.masked[act.cue.end : act.cue.end + 3].lstrip()
    rest = rest[1:] if rest[:1] == "道" else rest
    return not rest or rest[0] in SENTENCE_END or rest[0] == MASK or (rest[0] in "，," and rest[1:2] == MASK)


def _introduced_before(quote: QuoteMark, acts: list[Act]) -> bool:
    return any(a.cue.end <= quote.open < a.opens_quotes_until and a.sentence_end > quote.open for a in acts)


def _quote_speaker(
    layout: Layout,
    quote: QuoteMark,
    acts: list[Act],
    tags: dict[int, Act],
    spans: list[Quotation],
    inherited: Lead | None,
    context: str | None = None,
) -> tuple[str | None, str]:
    if quote.open in tags:
        return tags[quote.open].speaker, "tag"
    if signer := _dash_signed(layout, quote):
        return signer, "tag"  # “…”——韩亦舟（主播）
    if handle := handle_before_colon(layout, quote.open):
        return handle, "colon"  # 观众留言，署名「新竹阿伯」：「…」: the handle at the colon, over a verb before it
    introducing = [a for a in acts if a.cue.end <= quote.open < a.opens_quotes_until and quote.open < a.sentence_end]
    if introducing:
        act = introducing[-1]
        short = act.quoting_only(layout) and _short_term(layout.text, quote)
        return (None if short else act.speaker), act.form
    if named := _colon_subject(layout, quote, context):
        return named, "colon"  # 技术总监卜嘉树算了一笔账：“…”
    previous = [s for s in spans if s.end <= quote.open and s.speaker]
    if previous and not layout.masked[max(s.end for s in previous) : quote.open].strip(TRAILING_NOISE + MASK):
        return max(previous, key=lambda s: s.end).speaker, "continued"  # the same voice goes on: “…。”“…”
    if named := named_next(layout, quote.close + 1):
        return named, "next-sentence"  # said outright, it beats a lead-in the paragraph before left open
    if inherited and not layout.text[: quote.open].strip():
        if _tagged_by_someone_unnamed(layout, quote, acts):
            return None, "tag"  # “…。”秘书长过立新警告说: someone else's words, though we cannot name them
        return inherited.speaker, "lead-in"
    if previous and _same_voice_goes_on(layout, quote, max(previous, key=lambda s: s.end)):
        return max(previous, key=lambda s: s.end).speaker, "continued"
    if not spans and (told_of := _person_told_of(layout, quote, context)):
        return told_of, "story"
    return _self_named(layout.text[quote.inner[0] : quote.inner[1]], layout.book), "self-named"


def _dash_signed(layout: Layout, quote: QuoteMark) -> str | None:
    """“…”——韩亦舟 / 「…」— Daniel Hsu，评审团召集人: a dash and a name right after the quote sign it."""
    signed = re.match(rf"\s*{DASH}\s*(?P<who>[^\s。，,！？!?—（(]{{2,16}})", layout.masked[quote.close + 1 :])
    name = label_name(signed.group("who"), layout.lex, None, "tag") if signed else None
    return (layout.book.lookup(name) or name) if name else None


def _person_told_of(layout: Layout, quote: QuoteMark, context: str | None) -> str | None:
    """让他改变想法的，是去年冬天的一次断网。……“那天我在急诊室……” / 鲍立群最得意的，是他加的一个
    小功能。……“要是……我……” — a feature tells a story about one person, by name or as 他/她 (the
    person it was last about), and quotes a full statement in the first person with no verb: it
    is theirs; so is a statement without 我 after the paragraph named their view as its topic
    (X的态度截然不同。……“…”). Two people named, the writer as a subject (我们, 笔者), or any speech verb before the
    quotation (someone else may be speaking, named or not), and it is nobody's."""
    inner = layout.text[quote.inner[0] : quote.inner[1]]
    if _short_term(layout.text, quote) or len(inner) < STORY_MIN_CHARS:
        return None
    if "我" not in inner and (len(inner) < CONTINUED_MIN_CHARS or not _view_named(layout, quote)):
        return None
    before = [m for m in layout.mentions if m.end <= quote.open]
    named = {m.speaker for m in before if m.kind == "name"}
    writer_acts = any(m.kind == "self" and _opens_a_clause(layout, layout.sentence_of(m.start)[0], m.start) for m in before)
    if len(named) > 1 or writer_acts:  # 殺到我們座位: the writer only as an object is no other voice
        return None
    if any(c.start < quote.open and not _idle_noun(layout, c) for c in layout.cues):
        return None
    if named:
        return named.pop()
    tagged = {n for _s, _e, n in person_tokens(layout.masked[: quote.open], layout.lex)}
    if tagged:  # 資安的邱美玲聽到消息，殺到我們座位。「…是我。」: one person the paragraph brings in, unlisted
        name = label_name(tagged.pop(), layout.lex, None, "tag") if len(tagged) == 1 else None
        return (layout.book.lookup(name) or name) if name else None
    return context if any(m.kind == "pronoun" for m in before) else None


def _view_named(layout: Layout, quote: QuoteMark) -> bool:
    """X的态度截然不同 / 她的看法比较保留: the paragraph names someone's view as its topic before the quote."""
    return any(
        c.start < quote.open and _idle_noun(layout, c) and layout.masked[c.start - 1 : c.start] == "的"
        and any(m.end == c.start - 1 and m.kind in ("name", "pronoun") for m in layout.mentions)
        for c in layout.cues
    )


def _idle_noun(layout: Layout, cue) -> bool:
    """程序员X的看法截然不同: a speech noun that opens no colon is a topic, not someone speaking."""
    return cue.noun and layout.masked[cue.end : cue.end + 1] not in COLONS


def _colon_subject(layout: Layout, quote: QuoteMark, context: str | None) -> str | None:
    """技术总监X算了一笔账：“…” — no speech verb, but the one person the sentence names before the
    colon is its subject, and the colon hands over to the quotation: the words are that person's
    (or, with nobody named, the person brought in unnamed who opens a clause: 其中一位…工程师算了笔账：).
    Nobody else, no pronoun and no writer may be named before the colon (a writer after the name is
    whom they speak to: X跟我们算了一笔账：, "X put it bluntly when we spoke:"), and the name may not be
    owned (X的办公室门口贴着：“…”) or spoken to (对X说)."""
    before = layout.masked[: quote.open].rstrip()
    if not before.endswith(COLONS_TUPLE) or _short_term(layout.text, quote):
        return None
    start, _end = layout.sentence_of(len(before) - 1)
    people = [m for m in layout.mentions if start <= m.start and m.end < len(before)]
    if len(people) == 1 and people[0].kind == "pronoun" and _opens_a_clause(layout, start, people[0].start):
        return resolve_pronoun(layout, people[0].start, context)  # 她算了一笔账：“…” / 面对追问，他沉默了几秒：“…”
    if not people and (described := introduced_subject(layout, len(before) - 1, start, CLAUSE_BREAK)):
        return described  # 其中一位在家具厂做信息化的工程师算了笔账：“…”
    if people and people[0].kind == "name":  # X, who…, put it bluntly when we spoke: the writer after X is spoken to
        people = [m for m in people if m.kind != "self" and layout.text[m.start : m.end] not in ("it", "It")]
    if not people or any(m.kind != "name" for m in people) or len({m.speaker for m in people}) != 1:
        return None
    first = people[0]
    if layout.masked[first.end : first.end + 1] == "的" or layout.masked[first.start - 1 : first.start] in ADDRESSEE_MARK:
        return None
    return first.speaker


def _opens_a_clause(layout: Layout, start: int, index: int) -> bool:
    """Whether the mention at ``index`` opens its sentence (from ``start``) or a clause after a comma."""
    before = layout.masked[start:index].rstrip(" 　")
    return not before.strip(" 　，,") or before.endswith(("，", ","))


def _same_voice_goes_on(layout: Layout, quote: QuoteMark, previous: Quotation) -> bool:
    """X说，……。“……” — a full quotation after X's reported words, with nobody else named or
    speaking in between, is X's too."""
    between = (previous.end, quote.open)
    if _short_term(layout.text, quote) or quote.close - quote.open < CONTINUED_MIN_CHARS:
        return False
    if any(between[0] <= m.start < between[1] and m.kind == "name" for m in layout.mentions):
        return False
    # anyone else speaking in between, named or not (业内人士认为), ends the voice
    return not any(between[0] <= c.start < between[1] for c in layout.cues)


def named_next(layout: Layout, start: int) -> str | None:
    """The one person the sentence starting at ``start`` names, when it says it is about the words
    before it (“…。”说这番话的是北辰实验室主任欧阳明哲。)."""
    if start >= len(layout.text):
        return None
    end = next((e for e in layout.sentence_ends if e > start + 1), len(layout.text))
    sentence = layout.masked[start:end]
    if not any(marker in sentence for marker in layout.lex["next_sentence_markers"]):
        return None
    named = {m.speaker for m in layout.names() if start <= m.start and m.end <= end}
    return named.pop() if len(named) == 1 else None


def _short_term(text: str, quote: QuoteMark) -> bool:
    return quote.close - quote.open - 1 < SHORT_TERM_CHARS and not ends_sentence(text, quote)


def _self_named(words: str, book: SpeakerBook) -> str | None:
    """An organisation speaking as "we" at itself (“在Databricks,我们…”) signs its own statement."""
    if book.pattern is None:
        return None
    for match in book.pattern.finditer(words):
        at_itself = words[max(0, match.start() - 1) : match.start()] == "在"
        we_after = re.match(r"[，,]?\s*我[们們]", words[match.end() :])
        we_before = words[max(0, match.start() - 2) : match.start()] in ("我们", "我們")
        if at_itself and we_after or we_before:
            return book.lookup(match.group())
    return None


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \t\u3000，,：:":
        end -= 1
    return start, end


def merge(spans: list[Quotation]) -> list[Quotation]:
    """Touching or overlapping spans of one speaker become one; another speaker's never overlap."""
    merged: list[Quotation] = []
    for span in spans:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.speaker == last.speaker:
                merged[-1] = replace(last, end=max(last.end, span.end))
                continue
            span = replace(span, start=last.end)
            if span.end <= span.start:
                continue
        merged.append(span)
    return merged


def _open_lead(layout: Layout, acts: list[Act], spans: list[Quotation]) -> Lead | None:
    """Speech that runs to the end of the passage, or a lead-in ending in a colon, stays open."""
    text = layout.text
    ends_with_colon = text.rstrip().endswith(tuple(COLONS))
    if spans and not text[spans[-1].end :].strip(TRAILING_NOISE):
        return Lead(spans[-1].speaker, ends_with_colon) if spans[-1].speaker else None
    if ends_with_colon:
        last_sentence_start = layout.sentence_of(len(text.rstrip()) - 1)[0]
        final = [a for a in acts if a.cue.start >= last_sentence_start and a.speaker]
        if final:
            return Lead(final[-1].speaker, True)
    return None
