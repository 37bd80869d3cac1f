"""A passage as sentences and clauses, each clause with its words from the lexicon and a weight.

Why clauses: stance is said of something inside one clause (开源 | 降低了成本), and the clause's
place in the sentence says how much it counts: under 虽然/尽管 it is conceded, after 但是/而是
it is the point; in a plain question it asserts little, in a rhetorical one (难道…吗) the
opposite of its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.corpus.stance.lexicon import (
    BETTER,
    CONCESSION,
    CONDITION,
    CONTRAST,
    IGNORE,
    NEGATOR,
    PREFER_NOT,
    REPORTED,
    RHETORICAL,
    WORSE,
    Entry,
    Lexicon,
)

SENTENCE_END = re.compile(r"[。!?…]+[\"'”’」』)）]*|\.(?=\s|$)|\n+")
# Marks, dashes, and denied equations ("透明不等于公开权重": what precedes is not said of what follows).
CLAUSE_BREAK = re.compile(r"[,;:，；：]|——|\s[-–—]\s|(?:并)?(?:不等于|不代表|不意味着)")
QUESTION_END = re.compile(r"(\?|吗|呢|吧)\W*$")
ASKS_BACK = re.compile(r"(不是|不就|还不|不也|没有|难道|不正).*吗\W*$")
TITLE_QUOTE = re.compile(r"《[^《》]{0,60}》")  # a book or talk title says nothing of the speaker's stance
SHORT_QUOTE = re.compile(r"[“「『\"][^“”「」『』\"]{1,12}[”」』\"]")
NUMBER_AFTER = re.compile(r"[\d一二三四五六七八九十两几百千万半]")  # 超过六成: a count, not a comparison
# A figure: a share or a count with its unit (68%, 六成, 23个, 380亿元). A sentence with two or
# more is a tally (采购额的68%流向闭源，19%流向开源，其余为混合方案): what it names it counts.
FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|percent|个|家|成|亿|万|倍|项|款|所|位|名)|[一二三四五六七八九十两几]成|百分之[一二三四五六七八九十百零点]+")
TALLY_FIGURES = 2
CLEFT_END = re.compile(r"的\W*$")  # "最后成为底座的，都是门开着的那一个": said of what follows
CLEFT_START = re.compile(r"^\W*(都|就|才|也|正|恰恰|往往)?是")


@dataclass(frozen=True)
class Token:
    start: int  # offsets into the passage text (folded and original alike)
    end: int
    entries: tuple[Entry, ...]
    scale: float = 1.0  # less inside a short quotation (a slogan or a scare quote)
    categories: frozenset[str] = frozenset()

    def has(self, category: str) -> bool:
        return category in self.categories

    def entry(self, category: str) -> Entry | None:
        return next((e for e in self.entries if e.category == category), None)


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    tokens: tuple[Token, ...]
    weight: float  # its place in sentence and passage: conceded, the point, asked, supposed, reported
    index: int  # position in its sentence
    flip: bool = False  # the clause of a rhetorical question: it asserts the opposite of its words
    cleft: bool = False  # ends in 的 before a clause opening with 是: what it says is said of that one
    point: bool = False  # after the sentence's turn (…但是 / 而是 …): what a concession or a contrast argues


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    clauses: tuple[Clause, ...]
    question: bool
    rhetorical: bool
    prefer: bool  # holds 与其…不如…


def tokens_of(folded: str, lexicon: Lexicon) -> list[Token]:
    """Longest lexicon words, left to right; words that only contain a marker (不断, 未来) dropped,
    so are words in a title (《…》) and comparisons with a count (超过六成)."""
    titles = [m.span() for m in TITLE_QUOTE.finditer(folded)]
    quotes = [m.span() for m in SHORT_QUOTE.finditer(folded)]
    found = []
    for match in lexicon.pattern.finditer(folded):
        word = match.group()
        entries = lexicon.entries.get(word) or lexicon.entries.get(" ".join(re.split(r"[\s\-]+", word)))
        if not entries or any(e.category == IGNORE for e in entries) or _inside(match.span(), titles):
            continue
        if all(e.category in (BETTER, WORSE) for e in entries) and NUMBER_AFTER.match(folded, match.end()):
            continue
        scale = lexicon.thresholds.quoted if _inside(match.span(), quotes) else 1.0
        found.append(Token(match.start(), match.end(), entries, scale, frozenset(e.category for e in entries)))
    return found


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a < span[0] and span[1] < b for a, b in spans)


def sentences_of(folded: str, lexicon: Lexicon) -> list[Sentence]:
    tokens = tokens_of(folded, lexicon)
    sentences = []
    start = 0
    for end in [m.end() for m in SENTENCE_END.finditer(folded)] + [len(folded)]:
        if end > start and folded[start:end].strip():
            sentences.append(_sentence(folded, start, end, [t for t in tokens if start <= t.start < end], lexicon))
        start = max(start, end)
    return _turned(sentences, lexicon)


def _turned(sentences: list[Sentence], lexicon: Lexicon) -> list[Sentence]:
    """A sentence opening with 但是/其实 turns the passage: what came before was conceded."""
    th = lexicon.thresholds
    turn = next((i for i, s in enumerate(sentences) if i and s.clauses and _opens(s.clauses[0].tokens) == CONTRAST), None)
    if turn is None:
        return sentences
    return [_scaled(s, th.before_contrast) if i < turn else s for i, s in enumerate(sentences)]


def _scaled(sentence: Sentence, factor: float) -> Sentence:
    clauses = tuple(replace(c, weight=c.weight * factor) for c in sentence.clauses)
    return replace(sentence, clauses=clauses)


def _sentence(folded: str, start: int, end: int, tokens: list[Token], lexicon: Lexicon) -> Sentence:
    th = lexicon.thresholds
    text = folded[start:end]
    question = bool(QUESTION_END.search(text.rstrip()))
    marked = any(t.has(RHETORICAL) for t in tokens)
    rhetorical = question and (marked or bool(ASKS_BACK.search(text)))
    bounds = _clause_bounds(folded, start, end, tokens)
    per_clause = [[t for t in tokens if a <= t.start < b] for a, b in bounds]
    weights = _clause_weights(per_clause, lexicon)
    reported = _reported_clauses(per_clause)
    tally = len(FIGURE.findall(text)) >= TALLY_FIGURES
    turn = next((i for i, own in enumerate(per_clause) if _opens(own) == CONTRAST), None)
    clauses = []
    for i, ((a, b), w, own) in enumerate(zip(bounds, weights, per_clause)):
        flip = False
        if rhetorical:
            flip = any(t.has(RHETORICAL) for t in own) if marked else i == len(bounds) - 1
            w *= 1.0 if flip else th.rhetorical_rest
        elif question:
            w *= th.question
        if _opens(own) == CONDITION:
            w *= th.condition
        cleft = i + 1 < len(bounds) and bool(CLEFT_END.search(folded[a:b])) and bool(CLEFT_START.search(folded[bounds[i + 1][0]:bounds[i + 1][1]]))
        w *= th.reported if i in reported else 1.0
        point = turn is not None and i >= turn
        clauses.append(Clause(a, b, tuple(own), w * (th.tally if tally else 1.0), i, flip, cleft, point))
    prefer = any(t.has(PREFER_NOT) for t in tokens)
    return Sentence(start, end, tuple(clauses), question, rhetorical, prefer)


def _reported_clauses(per_clause: list[list[Token]]) -> set[int]:
    """From 有人说 up to the turn (其实, 但是): the view reported, not the one argued."""
    start = next((i for i, own in enumerate(per_clause) if any(t.has(REPORTED) for t in own)), None)
    if start is None:
        return set()
    turn = next((i for i in range(start + 1, len(per_clause)) if _opens(per_clause[i]) == CONTRAST), len(per_clause))
    return set(range(start, turn))


def _opens(tokens) -> str | None:
    first = tokens[0] if tokens else None
    if first is None:
        return None
    return next((k for k in (CONTRAST, CONCESSION, CONDITION) if first.has(k)), None)


def _clause_bounds(folded: str, start: int, end: int, tokens: list[Token]) -> list[tuple[int, int]]:
    cuts = {start, end}
    cuts.update(start + m.start() for m in CLAUSE_BREAK.finditer(folded[start:end]))
    cuts.update(t.start for t in tokens if t.has(CONTRAST) or t.has(CONCESSION) or t.has(PREFER_NOT) or t.has(CONDITION))
    ordered = sorted(cuts)
    return [(a, b) for a, b in zip(ordered, ordered[1:]) if b > a]


def _clause_weights(clause_tokens: list[list[Token]], lexicon: Lexicon) -> list[float]:
    """Conceded clauses weigh less, the clauses after the turn (但是, 而是) more."""
    th = lexicon.thresholds
    opens_with = [_opens(tokens) for tokens in clause_tokens]
    turn = next((i for i, kind in enumerate(opens_with) if kind == CONTRAST), None)
    if turn is None:
        return [th.concession if CONCESSION in opens_with[: i + 1] else 1.0 for i in range(len(opens_with))]
    conceded = CONCESSION in opens_with[:turn]
    before = th.concession if conceded else th.before_contrast
    return [before if i < turn else th.main for i in range(len(opens_with))]


def negators_between(tokens: tuple[Token, ...], start: int, end: int) -> list[Token]:
    return [t for t in tokens if t.has(NEGATOR) and start <= t.start and t.end <= end]
