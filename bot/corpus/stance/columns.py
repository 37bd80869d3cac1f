"""The last stage: each passage's column from the rules' verdicts and the learned model together.

Why together: the rules are precise where the lexicon reaches and say why in the passage's own
words; the model reaches arguments the lexicon does not, and its probabilities can overrule
a rule verdict it finds very unlikely (``veto``). The model's features are computed only for
passages it may change (named the subject, or placed by the rules), in chunks, so the 100x
library's stance costs seconds on top of the rules.
"""

from __future__ import annotations

import numpy as np

from bot.corpus.models import Document
from bot.corpus.stance.context import RuleView
from bot.corpus.stance.features import ngram_table, signals
from bot.corpus.stance.learned import CLASSES, LearnedModel, place
from bot.corpus.stance.lexicon import Lexicon
from bot.corpus.stance.verdict import Verdict, reason_for

CHUNK = 4000  # passages whose n-grams are held in memory at once (~20 MB)


def candidates(documents: tuple[Document, ...], view: RuleView) -> tuple[list, np.ndarray]:
    """Every passage in library order, and which of them the model may place (they name the
    subject, or their heading does; the rules place no other passage either)."""
    passages = [p for d in documents for p in d.passages]
    mask = np.fromiter((view.readings[p.id].names_subject for p in passages), dtype=bool, count=len(passages))
    return passages, mask


def probabilities_of(texts: list[str], rows: np.ndarray, model: LearnedModel, lexicon: Lexicon) -> np.ndarray:
    """The model's probabilities for texts (with their signal rows), chunk by chunk."""
    out = np.zeros((len(texts), len(CLASSES)))
    for start in range(0, len(texts), CHUNK):
        table = ngram_table([lexicon.fold(t) for t in texts[start : start + CHUNK]])
        out[start : start + CHUNK] = model.probabilities(table, rows[start : start + CHUNK])
    return out


def learned_verdicts(documents: tuple[Document, ...], view: RuleView, lexicon: Lexicon, model: LearnedModel) -> dict[str, Verdict]:
    passages, mask = candidates(documents, view)
    chosen = np.flatnonzero(mask)
    every_signal = signals(documents, view, lexicon)
    texts = [passages[i].text for i in chosen]
    probabilities = probabilities_of(texts, every_signal[chosen], model, lexicon)
    rules = [view.final[passages[i].id].stance for i in chosen]
    named = np.ones(len(chosen), dtype=bool)  # every candidate names the subject (or its heading does)
    columns = place(probabilities, rules, named, model.min_probability, model.veto, model.rules_first)
    final = dict(view.final)
    for j, i in enumerate(chosen):
        passage, column = passages[i], columns[j]
        rule = view.final[passage.id]
        if column == rule.stance:
            continue
        if column is None:
            final[passage.id] = Verdict(None, 0.0, None, rule.scores)
            continue
        probability = float(probabilities[j, CLASSES.index(column)])
        final[passage.id] = Verdict(column, round(probability, 3), _reason(model, passage.text, column, view.readings[passage.id].evidence, lexicon), rule.scores)
    return final


def _reason(model: LearnedModel, text: str, stance: str, evidence, lexicon: Lexicon) -> str | None:
    """The rules' words for this column, if any, then the n-grams that pulled the model toward it."""
    said = [r for r in reason_for(stance, evidence, text).split("; ") if r]
    learned = model.reasons(ngram_table([lexicon.fold(text)]), 0, stance, text)
    quoted: list[str] = []
    for words in said + learned:
        if words and not any(words in q or q in words for q in quoted):
            quoted.append(words)
    return "; ".join(quoted[:3]) or None
