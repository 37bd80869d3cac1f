"""Arguments made by how a sentence is built rather than by a word said of a side.

Why a stage of its own: "规划用闭源，执行用开源" praises neither side and blames neither, yet argues
that each has its place; no evaluative word is there for ``polarity`` to read. What this stage
reads is the division of labour: one sentence that gives the open side one job and the closed
side another (a use word, ``labour`` in config/stance.yaml: 用, 负责, 交给, 放在, for…, within
``labour_reach`` characters of the side it gives the job to). That is "both", weighed like the
clauses it stands in (a reported view or a supposition counts less). It is not read in a
question (``用开源还是用闭源？`` asks, it does not divide), in a tally of figures (which counts
who uses what), or where the sentence compares or blames (``比``, ``不如``, ``与其``, ``只能``,
a bad word: ``用商业模型，学生只能看到输入和输出；用开放模型，…`` is a contrast, not a division),
which ``polarity`` reads. The other constructions of the issue (comparisons, concession, norms,
rhetorical questions, limits, predictions, double negation) are read by ``polarity`` word by
word; each piece of evidence names the construction that carried it (``Evidence.construction``).
"""

from __future__ import annotations

from bot.corpus.stance.clauses import FIGURE, TALLY_FIGURES, Clause, Sentence, negators_between
from bot.corpus.stance.lexicon import BETTER, LABOUR, LIMIT, NEGATIVE, PREFER, PREFER_NOT, SIDES, THAN, WORSE, Lexicon
from bot.corpus.stance.polarity import BOTH_SIDE, Evidence
from bot.corpus.stance.targets import subjects_of

COMPARING = (THAN, BETTER, WORSE, PREFER, PREFER_NOT, NEGATIVE, LIMIT)  # a sentence that compares or blames: polarity reads it
NEGATOR_REACH = 2  # 不用开源, 别交给闭源: a negator this close before the use word undoes it


def labour_evidence(sentences: list[Sentence], folded: str, lexicon: Lexicon) -> list[Evidence]:
    """"Both" from each side given its own job in one sentence."""
    th = lexicon.thresholds
    out: list[Evidence] = []
    for sentence in sentences:
        if sentence.question or len(FIGURE.findall(folded, sentence.start, sentence.end)) >= TALLY_FIGURES:
            continue
        if any(t.has(kind) for c in sentence.clauses for t in c.tokens for kind in COMPARING):
            continue
        jobs = [job for clause in sentence.clauses if (job := _job(clause, th.labour_reach)) is not None]
        by_side = {side: next((j for j in jobs if j[0] == side), None) for side in SIDES}
        if any(job is None for job in by_side.values()):
            continue
        first, second = sorted(by_side.values(), key=lambda j: j[1][0])
        weight = min(first[2].weight, second[2].weight)
        out.append(Evidence(BOTH_SIDE, th.labour * weight, first[1], second[1], construction="labour"))
    return out


def _job(clause: Clause, reach: int) -> tuple[str, tuple[int, int], Clause] | None:
    """(the one side a clause gives a use to, the words that say so, the clause), or None."""
    subjects = [s for s in subjects_of(clause) if s.sides and not s.pronoun]
    sides = {side for s in subjects for side in s.sides}
    if len(sides) != 1:
        return None
    for token in clause.tokens:
        if not token.has(LABOUR) or negators_between(clause.tokens, token.start - NEGATOR_REACH, token.start):
            continue
        near = [s for s in subjects if 0 <= s.start - token.end <= reach or 0 <= token.start - s.end <= reach]
        if near:
            subject = near[0]
            return next(iter(sides)), (min(token.start, subject.start), max(token.end, subject.end)), clause
    return None
