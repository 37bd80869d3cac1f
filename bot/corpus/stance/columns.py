"""The last stage: each passage's column from the rules' verdicts and the learned model together.

Why together: the rules are precise where the lexicon reaches and say why in the passage's own
words; the model reaches arguments the lexicon does not (the rules' scores are among its
inputs), and decides alone or after the rules (``learned.place``). The model's features are
computed only for passages that name the subject, chunk by chunk, and the words that placed a
passage are read from the same chunk's n-grams, so the 100x library's stance costs seconds on
top of the rules.
"""

from __future__ import annotations

import numpy as np

from bot.corpus.models import Document, Passage
from bot.corpus.stance.context import RuleView
from bot.corpus.stance.features import NgramTable, ngram_table, signals
from bot.corpus.stance.learned import CLASSES, LearnedModel, place
from bot.corpus.stance.lexicon import Lexicon
from bot.corpus.stance.verdict import Verdict, reason_for
from bot.corpus.stance.words import Segmenter, Word

CHUNK = 4000  # passages whose n-grams are held in memory at once (~20 MB)


def candidates(documents: tuple[Document, ...], view: RuleView) -> tuple[list[Passage], np.ndarray]:
    """Every passage in library order, and which of them the model may place (``RuleView.may_place``:
    they name the subject, or their heading does, or their speaker argues a side clearly elsewhere)."""
    passages = [p for d in documents for p in d.passages]
    mask = np.fromiter((view.may_place(p) for p in passages), dtype=bool, count=len(passages))
    return passages, mask


def learned_verdicts(documents: tuple[Document, ...], view: RuleView, lexicon: Lexicon, model: LearnedModel) -> dict[str, Verdict]:
    passages, mask = candidates(documents, view)
    segmenter = Segmenter(lexicon)
    chosen = np.flatnonzero(mask)
    every_signal = signals(documents, view)
    final = dict(view.final)
    for start in range(0, len(chosen), CHUNK):
        rows = chosen[start : start + CHUNK]
        chunk = [passages[i] for i in rows]
        table = ngram_table([lexicon.fold(p.text) for p in chunk])
        probabilities = model.probabilities(table, every_signal[rows])
        rules = [view.final[p.id].stance for p in chunk]
        columns = place(probabilities, rules, np.ones(len(chunk), dtype=bool), model.thresholds, model.veto, model.rules_first)
        by_row = np.argsort(table.rows, kind="stable")
        bounds = np.searchsorted(table.rows[by_row], np.arange(len(chunk) + 1))
        for j, (passage, column) in enumerate(zip(chunk, columns)):
            rule = view.final[passage.id]
            if column == rule.stance:
                continue
            if column is None:
                final[passage.id] = Verdict(None, 0.0, None, rule.scores)
                continue
            mine = by_row[bounds[j] : bounds[j + 1]]
            words = segmenter.words(lexicon.fold(passage.text))  # only for the passages the model placed
            reason = _reason(model, table, mine, passage.text, words, column, view.readings[passage.id].evidence)
            if reason is None:  # no words of its own pulled it there (signals alone): a column the reader cannot check is worse than none
                final[passage.id] = Verdict(None, 0.0, None, rule.scores)
                continue
            final[passage.id] = Verdict(column, round(float(probabilities[j, CLASSES.index(column)]), 3), reason, rule.scores)
    return final


def _reason(model: LearnedModel, table: NgramTable, mine: np.ndarray, text: str, words: list[Word], stance: str, evidence) -> str | None:
    """The rules' words for this column, if any, then the whole words that pulled the model toward it."""
    said = [r for r in reason_for(stance, evidence, text).split("; ") if r]
    learned = model.reasons_in(table.keys[mine], table.starts[mine], table.sizes[mine], stance, text, words)
    quoted: list[str] = []
    for words in said + learned:
        if words and not any(words in q or q in words for q in quoted):
            quoted.append(words)
    return "; ".join(quoted[:3]) or None
