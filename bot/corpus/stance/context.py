"""Passages read together: a section's heading and a speaker's clear stance inform weak passages.

Why: a paragraph under "开源与闭源：并非对立而是共存" that only says each approach suits some
uses argues the heading's point; an interviewee who argued for open models plainly elsewhere
means the same when they say, more quietly, that the community catches up. Context only adds a
prior to a passage that itself names the subject; it never overrules what a passage clearly
says, and a prior alone (below ``min_score``) never places a passage that argues nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from bot.corpus.models import Document, Passage
from bot.corpus.stance.asides import asides
from bot.corpus.stance.clauses import tokens_of
from bot.corpus.stance.lexicon import OPINION, SIDES, Lexicon
from bot.corpus.stance.verdict import Reading, Verdict, decide, read_text

HEADING_QUOTE = 30
NOTHING = Reading((), frozenset())  # an aside's reading: no evidence, no side, so no column and no model


@dataclass(frozen=True)
class Prior:
    weights: dict[str, float]
    reason: str


@dataclass(frozen=True)
class RuleView:
    """Everything the rules read over a library: each passage's reading, its verdict on its own
    words, its verdict with headings and speakers, and each heading's (and title's) verdict. The
    learned stage (``learned``) takes its signals from here."""

    readings: dict[str, Reading]
    own: dict[str, Verdict]
    final: dict[str, Verdict]
    headings: dict[str, Heading]
    titles: dict[str, str | None]
    asides: frozenset[str] = frozenset()  # an asker's questions and small talk: read as saying nothing
    speakers: dict[str, str] | None = None  # a named speaker's stance, where all their clear passages agree

    def may_place(self, passage: Passage) -> bool:
        """The learned stage may place it: it names the subject (or its heading does), or its
        speaker argues one side clearly elsewhere, so what they say names no side but is about
        the subject (an answer that does not repeat the question's words); never an aside."""
        if passage.id in self.asides:
            return False
        return self.readings[passage.id].names_subject or bool(self.speakers and voice(passage) in self.speakers)


def verdicts_in_context(documents: tuple[Document, ...], lexicon: Lexicon) -> dict[str, Verdict]:
    return read_in_context(documents, lexicon).final


@dataclass(frozen=True)
class OwnReadings:
    """What the rules read in documents each on its own (no other document consulted): each
    passage's reading and its verdict on its own words, each heading's and title's verdict, the
    asides. Why apart: it is most of the stance stage's work and depends on one article alone,
    so a build computes it per article, on every core, and caches it with the article; only
    ``read_in_context`` then reads across documents."""

    readings: dict[str, Reading]
    own: dict[str, Verdict]
    headings: dict[str, Heading]
    asides: frozenset[str]


def read_alone(documents: tuple[Document, ...], lexicon: Lexicon) -> OwnReadings:
    readings: dict[str, Reading] = {}
    own: dict[str, Verdict] = {}
    headings = _heading_verdicts(documents, lexicon)
    aside = asides(documents, lexicon)
    for passage in _passages(documents):
        section = _section_side(headings, passage.heading)
        readings[passage.id] = NOTHING if passage.id in aside else read_text(passage.text, lexicon, section)
        own[passage.id] = decide(readings[passage.id], passage.text, lexicon.thresholds)
    return OwnReadings(readings, own, headings, aside)


def joined(parts: list[OwnReadings]) -> OwnReadings:
    """Per-document ``OwnReadings`` as one, in the order given (a heading's verdict depends on its
    words alone, so two documents sharing a heading agree on it)."""
    readings: dict[str, Reading] = {}
    own: dict[str, Verdict] = {}
    headings: dict[str, Heading] = {}
    aside: set[str] = set()
    for part in parts:
        readings.update(part.readings)
        own.update(part.own)
        headings.update(part.headings)
        aside.update(part.asides)
    return OwnReadings(readings, own, headings, frozenset(aside))


def read_in_context(documents: tuple[Document, ...], lexicon: Lexicon, alone: OwnReadings | None = None) -> RuleView:
    """``alone``: ``read_alone`` of these documents, already computed (per article, at build)."""
    th = lexicon.thresholds
    if alone is None:
        alone = read_alone(documents, lexicon)
    readings, own, headings, aside = alone.readings, alone.own, alone.headings, alone.asides
    titles = {d.doc_id: _title(d) for d in documents}
    speakers = _speaker_stances(_passages(documents), own, th.speaker_clear)
    final = dict(own)
    for passage in _passages(documents):
        reading, verdict = readings[passage.id], own[passage.id]
        if not reading.names_subject:
            continue
        prior = _prior(passage, reading, verdict, headings, speakers, lexicon, titles.get(passage.doc_id))
        if prior is not None:
            final[passage.id] = decide(reading, passage.text, th, prior.weights, prior.reason)
    return RuleView(readings, own, final, headings, titles, aside, speakers)


def _passages(documents: tuple[Document, ...]):
    return (p for d in documents for p in d.passages)


def _title(document: Document) -> str | None:
    """The document's title: from its metadata, else its first heading."""
    return document.source.title or (document.headings[0] if document.headings else None)


@dataclass(frozen=True)
class Heading:
    verdict: Verdict
    sides: frozenset[str]


def _heading_verdicts(documents: tuple[Document, ...], lexicon: Lexicon) -> dict[str, Heading]:
    headings = {p.heading for d in documents for p in d.passages if p.heading} | {t for d in documents if (t := _title(d))}
    readings = {h: read_text(h, lexicon) for h in headings}
    return {h: Heading(decide(r, h, lexicon.thresholds), r.sides) for h, r in readings.items()}


def _leans(verdict: Verdict, stance: str, lean: float) -> bool:
    """The passage's own evidence does not lean the other way (context informs, never overrules)."""
    if verdict.stance is not None:
        return verdict.stance == stance
    if stance not in SIDES:
        return True  # leaning to one side does not deny that both have their place
    other = verdict.scores.get(SIDES[1 - SIDES.index(stance)], 0.0)
    return other < lean or verdict.scores.get(stance, 0.0) >= other


def _argues(verdict: Verdict, lean: float) -> bool:
    """Some evidence of its own: a plain question or a passing word is not enough."""
    return max(verdict.scores.values(), default=0.0) >= lean


def _opinion(title: str, lexicon: Lexicon) -> bool:
    """An op-ed, a column, a speech or a letter argues throughout; a news headline reports."""
    return any(t.has(OPINION) for t in tokens_of(lexicon.fold(title), lexicon))


def _section_side(headings: dict[str, Heading], heading: str | None) -> tuple[str, ...]:
    """The one side a passage's heading names, if it names one (a title over a news report
    names its subject, not what each paragraph is about: measured, it placed more wrongly)."""
    found = headings.get(heading or "")
    return tuple(found.sides) if found is not None and len(found.sides) == 1 else ()


def voice(passage: Passage) -> str | None:
    """Whose passage it is: a named speaker, across the library. Unattributed narration has no
    voice here: a news report's narrator reports both sides (measured: more wrong columns)."""
    return passage.speaker or None


def _speaker_stances(passages, own: dict[str, Verdict], clear: float) -> dict[str, str]:
    """A voice's stance where all its clear passages agree."""
    seen: dict[str, Counter] = defaultdict(Counter)
    for passage in passages:
        verdict = own[passage.id]
        if verdict.stance and verdict.score >= clear and voice(passage):
            seen[voice(passage)][verdict.stance] += 1
    return {name: next(iter(counts)) for name, counts in seen.items() if len(counts) == 1}


def _prior(
    passage: Passage,
    reading: Reading,
    verdict: Verdict,
    headings: dict[str, Heading],
    speakers: dict[str, str],
    lexicon: Lexicon,
    title: str | None,
) -> Prior | None:
    """What headings and speakers add: to passages with evidence of their own, or, under a
    "both" heading, to passages that name both sides."""
    th = lexicon.thresholds
    weights: dict[str, float] = {}
    reasons = []
    above, weight = passage.heading, th.heading
    found = headings.get(above or "")
    heading = found.verdict if found else None
    if (heading is None or heading.stance is None) and title and _opinion(title, lexicon):
        above, weight = title, th.title
        heading = headings[title].verdict if title in headings else None
    pair = heading is not None and heading.stance == "both" and len(reading.sides) == 2
    spoken = heading is not None and heading.stance and not reading.from_section  # else the heading already spoke
    if spoken and _leans(verdict, heading.stance, th.lean) and (_argues(verdict, th.lean) or pair):
        weights[heading.stance] = weights.get(heading.stance, 0.0) + weight
        reasons.append(f"under the heading “{above[:HEADING_QUOTE]}”")
    stance = speakers.get(voice(passage) or "")
    if stance and _leans(verdict, stance, th.lean) and _argues(verdict, th.lean):
        weights[stance] = weights.get(stance, 0.0) + th.speaker
        reasons.append(f"{passage.speaker} argues {stance} elsewhere")
    return Prior(weights, "; ".join(reasons)) if weights else None
