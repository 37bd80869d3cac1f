"""Which side a clause speaks of: the open side, the closed side, both at once, or one carried over.

Why subjects, not words: "开源和闭源各有优势" praises both sides at once (a coordinated subject),
"不开源的公司" names the closed side with the open side's word (a negated target), and
"它们更便宜" or "两者互补" speak of sides named earlier or of the pair. Proxies (a model or firm
typical of a side: Llama, GPT-4) count less than naming the side.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.corpus.stance.clauses import Clause, Token
from bot.corpus.stance.lexicon import CONJUNCTION, NEGATOR, PAIR, PRONOUN, PROXY, SIDES, TARGET, VIEW

CONJOINED_GAP = 3  # characters of other text (spaces, 的, 、) allowed between conjoined sides


@dataclass(frozen=True)
class Subject:
    """One or more sides spoken of together, at a place in the text."""

    sides: tuple[str, ...]
    start: int
    end: int
    weight: float
    pronoun: bool = False  # "它", "这种模式": stands for a side named earlier
    view: bool = False  # "这种说法": a view, of which the next words are said (so not of a side)


def opposite(side: str) -> str:
    return SIDES[1 - SIDES.index(side)]


def subjects_of(clause: Clause) -> list[Subject]:
    """The sides named in a clause, in order; conjoined ones (开源和闭源, 两者) as one subject."""
    named: list[Subject] = []
    tokens = clause.tokens
    for i, token in enumerate(tokens):
        subject = _named(token, tokens[i - 1] if i else None)
        if subject is not None:
            named.append(subject)
    return _conjoined(named, tokens)


def _named(token: Token, before: Token | None) -> Subject | None:
    entry = token.entry(TARGET) or token.entry(PROXY)
    if entry is not None and entry.side in SIDES:
        if before is not None and before.has(NEGATOR) and token.start - before.end <= 1:
            return Subject((opposite(entry.side),), before.start, token.end, entry.weight * token.scale)  # 不开源: closed
        return Subject((entry.side,), token.start, token.end, entry.weight * token.scale)  # in a short quote: a mention
    if token.has(PAIR):
        return Subject(SIDES, token.start, token.end, token.entry(PAIR).weight)
    if token.has(VIEW):
        return Subject((), token.start, token.end, 1.0, view=True)
    if token.has(PRONOUN):
        return Subject((), token.start, token.end, token.entry(PRONOUN).weight, pronoun=True)
    return None


def _conjoined(named: list[Subject], tokens: tuple[Token, ...]) -> list[Subject]:
    out: list[Subject] = []
    for subject in named:
        last = out[-1] if out else None
        if last is not None and subject.sides and last.sides and _joined(last, subject, tokens):
            sides = tuple(dict.fromkeys(last.sides + subject.sides))
            out[-1] = Subject(sides, last.start, subject.end, max(last.weight, subject.weight))
        else:
            out.append(subject)
    return out


def _joined(first: Subject, second: Subject, tokens: tuple[Token, ...]) -> bool:
    between = [t for t in tokens if first.end <= t.start and t.end <= second.start]
    if not any(t.has(CONJUNCTION) for t in between):
        return False
    words = sum(t.end - t.start for t in between)
    return second.start - first.end - words <= CONJOINED_GAP


def resolve(subject: Subject, earlier: Subject | None) -> Subject | None:
    """A pronoun takes the sides of the last subject that named some; else it names nothing."""
    if not subject.pronoun:
        return subject
    if earlier is None or not earlier.sides:
        return None
    return Subject(earlier.sides, subject.start, subject.end, min(subject.weight, earlier.weight), pronoun=True)
