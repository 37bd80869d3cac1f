"""From evidence to a verdict: open, closed, both, or none, with a score and the deciding words.

Why these rules: criticism of one side is an argument for the other, but weaker than praise
(``cross``); "both" is its own verdict, reached by words of complementarity (互补, 并非对立) or
by praise of both sides in balance, not a leftover; and a passage that only names the subject,
or argues both ways with no clear lead, gets no column, since a wrong column is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.corpus.stance.clauses import sentences_of
from bot.corpus.stance.constructions import labour_evidence
from bot.corpus.stance.lexicon import SCOPE, SIDES, Lexicon, Thresholds
from bot.corpus.stance.polarity import BOTH_SIDE, FOR_THE_MODEL, Evidence, evidence_of
from bot.corpus.stance.targets import subjects_of

SCOPE_PHRASE = re.compile(r"在[^,;:，；：。!?]{1,20}(?:上|方面|领域|场景)")  # 在最难的那几项任务上
REASON_WORDS = 3
REASON_SPAN = 14  # quote subject and word together when they are this close


@dataclass(frozen=True)
class Reading:
    """What the reader found in one text before context: its evidence and whether it names a side."""

    evidence: tuple[Evidence, ...]
    sides: frozenset[str]  # the sides it names (a pair such as 两者 names both)
    scopes: int = 0  # scope markers (对于, 在…上): two or more split the passage's claims by scope
    from_section: bool = False  # names no side itself: its words were said of its heading's side

    @property
    def names_subject(self) -> bool:
        return bool(self.sides)


@dataclass(frozen=True)
class Verdict:
    stance: str | None
    score: float
    reason: str | None
    scores: dict[str, float] = field(default_factory=dict)


def side_scores(evidence: tuple[Evidence, ...], th: Thresholds) -> dict[str, float]:
    evidence = tuple(e for e in evidence if e.construction not in FOR_THE_MODEL)
    praise = {s: sum(e.value for e in evidence if e.side == s and e.value > 0) for s in SIDES}
    blame = {s: -sum(e.value * (1.0 if e.norm else th.cross) for e in evidence if e.side == s and e.value < 0) for s in SIDES}
    scores = {s: praise[s] + blame[SIDES[1 - i]] for i, s in enumerate(SIDES)}
    both = sum(e.value for e in evidence if e.side == BOTH_SIDE)
    low, high = sorted(praise.values())
    if low >= th.min_score and low >= th.balance * high:
        both += low  # each side praised, neither above the other: "each has its place"
    needed = [sum(e.value for e in evidence if e.necessity and e.side == s and e.value > 0) for s in SIDES]
    both += 2 * min(needed)  # without open, closed fails; without closed, open fails
    scores[BOTH_SIDE] = max(both, 0.0)
    return scores


def scoped_both(scores: dict[str, float], reading: Reading, th: Thresholds) -> float:
    """"对于绝大多数模型，开放；对于最前沿的，关着门": each side argued for its own scope."""
    if reading.scopes >= 2 and min(scores["open"], scores["closed"]) >= th.scoped:
        return scores["open"] + scores["closed"]
    return 0.0


def decide(reading: Reading, text: str, th: Thresholds, prior: dict[str, float] | None = None, prior_reason: str | None = None) -> Verdict:
    if not reading.names_subject:
        return Verdict(None, 0.0, None, {})
    scores = side_scores(reading.evidence, th)
    scores[BOTH_SIDE] += scoped_both(scores, reading, th)
    own = dict(scores)
    for stance, extra in (prior or {}).items():
        scores[stance] = scores.get(stance, 0.0) + extra
    opened, closed, both = scores["open"], scores["closed"], scores[BOTH_SIDE]
    if both >= th.both_min and both >= th.balance * max(opened, closed):
        stance, score = BOTH_SIDE, both
    else:
        top, other = ("open", "closed") if opened >= closed else ("closed", "open")
        if scores[top] < th.min_score or scores[top] - scores[other] < th.min_margin:
            return Verdict(None, 0.0, None, scores)
        stance, score = top, scores[top] - scores[other] / 2
    reason = reason_for(stance, reading.evidence, text)
    if prior and prior.get(stance):
        reason = "; ".join(r for r in (reason, prior_reason) if r)
        score = own_strength(own, stance)  # context placed it; its own words rank it
    return Verdict(stance, round(score, 3), reason or None, scores)


def own_strength(scores: dict[str, float], stance: str) -> float:
    """How strongly a passage argues a stance by its own words (context does not lift the rank)."""
    if stance == BOTH_SIDE:
        return scores[BOTH_SIDE]
    other = SIDES[1 - SIDES.index(stance)]
    return max(scores[stance] - scores[other] / 2, 0.0)


def supports(stance: str, evidence: Evidence) -> bool:
    if stance == BOTH_SIDE:
        return evidence.side == BOTH_SIDE or evidence.value > 0
    if evidence.side == stance:
        return evidence.value > 0
    return evidence.side in SIDES and evidence.value < 0


def reason_for(stance: str, evidence: tuple[Evidence, ...], text: str) -> str:
    """The deciding words, strongest first, quoted from the passage itself."""
    ranked = sorted((e for e in evidence if supports(stance, e)), key=lambda e: -abs(e.value))
    quoted: list[str] = []
    for item in ranked:
        words = _quote(item, text)
        if not any(words in q or q in words for q in quoted):
            quoted.append(words)
        if len(quoted) == REASON_WORDS:
            break
    return "; ".join(quoted)


def _quote(item: Evidence, text: str) -> str:
    start, end = item.word
    if item.subject is None:
        return " ".join(text[start:end].split())
    first, last = min(start, item.subject[0]), max(end, item.subject[1])
    limit = REASON_SPAN * (3 if text[first:last].isascii() else 1)  # English words are longer
    if last - first <= limit:
        return " ".join(text[first:last].split())
    if start <= item.subject[0] and item.subject[1] <= end:
        return " ".join(text[start:end].split())  # the subject sits inside the quoted words
    a, b = sorted((item.subject, item.word))
    return f"{text[a[0]:a[1]].strip()}…{text[b[0]:b[1]].strip()}"


def read_text(text: str, lexicon: Lexicon, section: tuple[str, ...] = ()) -> Reading:
    """Fold, split, find sides and evidence: everything the reader knows of one text. A passage
    that names no side speaks of its section's (``section``, from the heading), if it says anything."""
    folded = lexicon.fold(text)
    sentences = sentences_of(folded, lexicon)
    scopes = sum(1 for s in sentences for c in s.clauses for t in c.tokens if t.has(SCOPE)) + len(SCOPE_PHRASE.findall(folded))
    sides = frozenset(side for sentence in sentences for clause in sentence.clauses for s in subjects_of(clause) for side in s.sides)
    evidence = tuple(evidence_of(sentences, lexicon, () if sides else section)) + tuple(labour_evidence(sentences, folded, lexicon))
    if not sides and section and evidence:
        return Reading(evidence, frozenset(section), scopes, from_section=True)
    return Reading(evidence, sides, scopes)
