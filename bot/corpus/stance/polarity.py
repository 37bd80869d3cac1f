"""What each clause says of each side: evidence for or against open, closed, or both together.

Why word by word with a subject: a passage rarely says "I am for open source"; it praises or
blames something (开源 降低了成本, 闭源 落后), prescribes it (应该 开源), compares two things
(开源 追不上 闭源, 开源 比 闭源 更便宜), or predicts (终将 胜出). Each evaluative word is read
with the negators just before it (并不 落后: praise), the weight of its clause (conceded or the
point) and of its sentence (a plain question says little, a rhetorical one the opposite), and is
said of the nearest side in its clause, else the side the sentence was already speaking of.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.corpus.stance.clauses import Clause, Sentence, Token, negators_between
from bot.corpus.stance.lexicon import (
    BETTER,
    BOTH,
    DENIAL,
    ENABLE,
    ENDORSE,
    INTENSIFIER,
    LIMIT,
    NECESSITY,
    NEGATIVE,
    OPPOSED,
    POSITIVE,
    PREFER,
    PREFER_NOT,
    REJECT,
    THAN,
    WORSE,
    Lexicon,
)
from bot.corpus.stance.targets import Subject, resolve, subjects_of

BOTH_SIDE = "both"
# How an argument is built, beyond a word said of a side: each piece of evidence names the one
# that carried it (the first that applies, in this order), so each construction's reach and
# wrong columns can be counted on labelled passages (docs/STANCE.md, session 7).
CONSTRUCTIONS = ("rhetorical", "limit", "comparison", "rather", "norm", "necessity", "concession", "double_negation",
                 "prediction", "labour")
# Constructions too ambiguous to place a passage by rule, read by the learned stage only (its
# ``construction_*`` signals): a limit (只能) leant the right way in 20 labelled passages, the
# wrong way in 5 and sat in 2 neutral ones (session 7).
FOR_THE_MODEL = ("limit",)
POLAR = (POSITIVE, ENABLE, NEGATIVE, LIMIT, ENDORSE, REJECT, NECESSITY, BETTER, WORSE, BOTH, OPPOSED, PREFER, PREFER_NOT)


@dataclass(frozen=True)
class Evidence:
    """One word's contribution: ``value`` > 0 is for ``side``, < 0 against it."""

    side: str  # "open", "closed" or "both"
    value: float
    word: tuple[int, int]
    subject: tuple[int, int] | None
    negated: bool = False
    norm: bool = False  # a norm or a choice (应该/不应该 开源): against one side is wholly for the other
    necessity: bool = False  # 如果没有 开源…: each side needing the other is "both"
    construction: str | None = None  # the construction that carried it (CONSTRUCTIONS), None for a plain word said of a side


def evidence_of(sentences: list[Sentence], lexicon: Lexicon, section: tuple[str, ...] = ()) -> list[Evidence]:
    """``section``: the sides the passage's heading names, said of where the passage names none."""
    found: list[Evidence] = []
    fallback = Subject(section, -1, -1, 1.0, pronoun=True) if section else None
    earlier: Subject | None = None  # the last subject that named a side, across sentences
    for sentence in sentences:
        if earlier is not None and earlier.end < _previous_start(sentences, sentence):
            earlier = None  # a side carries to the next sentence, not past one that names none
        carried: Subject | None = None  # within this sentence
        named_in = [subjects_of(c) for c in sentence.clauses]
        for index, clause in enumerate(sentence.clauses):
            # a pronoun stands for the last side named before it, in this sentence or an earlier one
            subjects = [s for s in (resolve(s, earlier) for s in named_in[index]) if s is not None]
            topic = carried or _as_pronoun(earlier) or fallback  # else the last side named: arguments keep their topic
            later = named_in[index + 1] if clause.cleft and index + 1 < len(named_in) else []
            following = [s for s in (resolve(s, earlier) for s in later) if s is not None and s.sides]
            if following and not any(s.sides for s in subjects):
                topic = following[0]
            found += _clause_evidence(clause, sentence, subjects, topic, lexicon)
            named = [s for s in subjects if s.sides or s.view]
            if named:
                carried = named[-1]
                earlier = carried if carried.sides else earlier
    return found


def _clause_evidence(clause: Clause, sentence: Sentence, subjects: list[Subject], carried: Subject | None, lexicon: Lexicon) -> list[Evidence]:
    th = lexicon.thresholds
    factor = -1.0 if clause.flip else 1.0
    out: list[Evidence] = []
    polar = [t for t in clause.tokens if _role(t, sentence) is not None]
    than = next((t for t in clause.tokens if t.has(THAN)), None)
    for index, token in enumerate(polar):
        role = _role(token, sentence)
        entry = token.entry(role)
        boundary = max(
            [clause.start, token.start - th.negation_window * (2 if token.entries[0].word.isascii() else 1)]
            + [t.end for t in polar[:index]]
            + [s.end for s in subjects if s.end <= token.start]
        )
        negators = negators_between(clause.tokens, boundary, token.start)
        denials = [t for t in clause.tokens if t.has(DENIAL) and t.end <= token.start]
        negated = (len(negators) + len(denials)) % 2 == 1
        word = (min([token.start] + [t.start for t in negators + denials]), token.end)  # the reason quotes them
        sign = -1.0 if negated else 1.0
        value = entry.weight * token.scale * sign * clause.weight * factor * _intensity(clause.tokens, boundary, token.start)
        if role == ENABLE and any(t.start >= token.end and t.has(NEGATIVE) for t in clause.tokens):
            continue  # 任何人都可以拆掉护栏: what anyone can do is bad, and that word says so
        if role in (BOTH, OPPOSED):
            if role == BOTH and not negated or role == OPPOSED and negated:
                out.append(Evidence(BOTH_SIDE, abs(value) * (1 if factor > 0 else -1), word, None, negated))
            continue
        if role in (NEGATIVE, LIMIT, REJECT, WORSE, PREFER_NOT):
            value = -value
        first, second = _subjects_for(role, token, subjects, carried, than)
        if first is None or first.view:
            continue
        reach = th.pronoun if first.pronoun else 1.0 if clause.start <= first.start < clause.end else th.carried
        norm = role in (ENDORSE, REJECT, NECESSITY, PREFER, PREFER_NOT)
        built = _construction(role, clause, second is not None, len(negators) + len(denials), _intensity(clause.tokens, boundary, token.start))
        for side in first.sides:
            span = (first.start, first.end) if first.start >= 0 else None
            out.append(Evidence(side, value * first.weight * reach, word, span, negated, norm, role == NECESSITY, built))
        if second is not None:
            for side in second.sides:
                if side not in first.sides:
                    out.append(Evidence(side, -value * second.weight * reach, word, (second.start, second.end), negated, construction=built))
    return out


def _construction(role: str, clause: Clause, compared: bool, negations: int, intensity: float) -> str | None:
    """The construction that carried one word's evidence (see ``CONSTRUCTIONS``), or None."""
    if clause.flip:
        return "rhetorical"
    if role == LIMIT:
        return "limit"
    if role in (BETTER, WORSE) or compared:
        return "comparison"
    if role in (PREFER, PREFER_NOT):
        return "rather"
    if role in (ENDORSE, REJECT):
        return "norm"
    if role == NECESSITY:
        return "necessity"
    if clause.point:
        return "concession"
    if negations >= 2:
        return "double_negation"
    if intensity > 1.0:
        return "prediction"
    return None


def _previous_start(sentences: list[Sentence], sentence: Sentence) -> int:
    before = [s.start for s in sentences if s.end <= sentence.start]
    return before[-1] if before else sentence.start


def _as_pronoun(subject: Subject | None) -> Subject | None:
    """A side named in an earlier sentence, carried like a pronoun (weaker than naming it)."""
    if subject is None or not subject.sides:
        return None
    return Subject(subject.sides, subject.start, subject.end, subject.weight, pronoun=True)


def _role(token: Token, sentence: Sentence) -> str | None:
    """The part a word plays here: 不如 prefers after 与其, else it compares."""
    if sentence.prefer and token.has(PREFER):
        return PREFER
    return next((e.category for e in token.entries if e.category in POLAR and e.category != PREFER), None)


def _intensity(tokens: tuple[Token, ...], start: int, end: int) -> float:
    boost = 1.0
    for token in tokens:
        if start <= token.start and token.end <= end and token.has(INTENSIFIER):
            boost *= token.entry(INTENSIFIER).weight
    return boost


def _subjects_for(
    role: str, token: Token, subjects: list[Subject], carried: Subject | None, than: Token | None
) -> tuple[Subject | None, Subject | None]:
    """(the side the word is said of, the side it is said against in a comparison)."""
    own = next((s for s in subjects if (s.start, s.end) == (token.start, token.end) and s.sides), None)
    if own is not None and role in (POSITIVE, NEGATIVE):
        return own, None  # a word that names its side and judges it (锁进, locked in, 任何人都能下载)
    before = [s for s in subjects if s.end <= token.start and (s.sides or s.view)]
    after = [s for s in subjects if s.start >= token.end and (s.sides or s.view)]
    if role in (ENDORSE, REJECT, NECESSITY):
        return (after[0] if after else None), None  # a norm or a choice names what it is about after it
    if role in (PREFER, PREFER_NOT):
        return (after[0] if after else before[-1] if before else carried), None
    if role in (BETTER, WORSE):
        return (before[-1] if before else carried), (after[0] if after else None)
    if than is not None:
        left = [s for s in subjects if s.end <= than.start and s.sides]
        right = [s for s in subjects if s.start >= than.end and s.sides]
        if right and (left or carried):
            return (left[-1] if left else carried), right[0]
    return (before[-1] if before else after[0] if after else carried), None
