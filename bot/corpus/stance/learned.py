"""The learned stage: a softmax (multinomial logistic) model over n-grams and the rules' signals,
read from ``config/stance_model.json`` and applied with numpy alone.

Why a learned stage: the rules place only passages whose argument is made with words in the
lexicon; an argument made by its shape (`门开着的`, a cost story, `两边搭着用`) is missed. The
model learns such shapes from labelled passages of our own articles (`bot stance train`), with
the rules' scores among its inputs. Why numpy here: stance is read when the library is built,
possibly in the serving process, which must not import scikit-learn; training (``train.py``)
uses scikit-learn and writes plain numbers that this module multiplies.

How it decides (``place``): the model places a passage that names the subject (or sits under a
heading that does) when its best column is not "neutral" and has at least the probability that
column needs (``column_probability``, written per column, the same for all three since the
trainer chooses one; ``min_probability`` for each in older files).
With ``rules_first``, a passage the rules place keeps their verdict unless the model gives
that column less than ``veto`` probability, and the model only fills the rules' gaps; without
it, the rules speak only through their signals among the model's inputs. All three are chosen
by the trainer on leave-one-article-out predictions, so that few passages land in a wrong column.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.config import ConfigError
from bot.corpus.stance.features import SIGNALS, NgramTable, ngram_key, ngram_text, present
from bot.corpus.stance.words import Word, whole_words

MODEL_FILE = "stance_model.json"
FORMAT = 1
CLASSES = ("open", "closed", "both", "neutral")
NEUTRAL = CLASSES.index("neutral")
REASON_SPANS = 3
REASON_CANDIDATES = 12  # strongest n-gram occurrences (of 2-3 letters, no punctuation), widened to whole words and merged


@dataclass(frozen=True)
class LearnedModel:
    vocabulary: np.ndarray  # sorted n-gram keys (features.ngram_key)
    ngram_weights: np.ndarray  # (len(vocabulary), len(CLASSES))
    signal_mean: np.ndarray  # (len(SIGNALS),): signals are standardised before weighting
    signal_scale: np.ndarray
    signal_weights: np.ndarray  # (len(SIGNALS), len(CLASSES))
    intercept: np.ndarray  # (len(CLASSES),)
    min_probability: float = 0.6
    column_probability: tuple[float, ...] | None = None  # per column (open, closed, both); None: min_probability for each
    veto: float = 0.0
    rules_first: bool = True
    about: dict | None = None  # what it was trained on and how it measured (for people; not read)

    @property
    def thresholds(self) -> np.ndarray:
        """The probability each column needs (open, closed, both)."""
        return np.array(self.column_probability if self.column_probability is not None else [self.min_probability] * NEUTRAL, dtype=np.float64)

    def scores(self, table: NgramTable, signals: np.ndarray) -> np.ndarray:
        """Raw class scores, one row per text of ``table`` (rows of ``signals``)."""
        n = len(signals)
        out = ((signals - self.signal_mean) / self.signal_scale) @ self.signal_weights + self.intercept
        rows, columns, values = present(table, self.vocabulary, n)
        for k in range(len(CLASSES)):
            out[:, k] += np.bincount(rows, weights=values * self.ngram_weights[columns, k], minlength=n)
        return out

    def probabilities(self, table: NgramTable, signals: np.ndarray) -> np.ndarray:
        return softmax(self.scores(table, signals))

    def reasons(self, table: NgramTable, row: int, stance: str, text: str, words: list[Word]) -> list[str]:
        """The words of one text of ``table`` that pulled it most toward ``stance``."""
        mine = np.flatnonzero(table.rows == row)
        return self.reasons_in(table.keys[mine], table.starts[mine], table.sizes[mine], stance, text, words)

    def reasons_in(self, keys: np.ndarray, starts: np.ndarray, sizes: np.ndarray, stance: str, text: str, words: list[Word]) -> list[str]:
        """The strongest of one text's n-grams (``keys`` at ``starts``) toward ``stance``, widened
        to the whole words they touch (``words``: the text's cut) and quoted from the text itself
        (folding keeps offsets): a user reads 他們的錢, never 們的錢."""
        k = CLASSES.index(stance)
        place = np.searchsorted(self.vocabulary, keys)
        place[place == len(self.vocabulary)] = 0
        known = self.vocabulary[place] == keys
        starts, sizes, place = starts[known], sizes[known], place[known]
        pull = self.ngram_weights[place, k] - self.ngram_weights[place].mean(axis=1)
        wordy = [i for i in np.argsort(-pull) if pull[i] > 0 and sizes[i] >= 2 and _wordy(text[starts[i] : starts[i] + sizes[i]])]
        spans = [(int(starts[i]), int(starts[i]) + int(sizes[i]), float(pull[i])) for i in wordy[:REASON_CANDIDATES]]
        best = sorted(whole_words(spans, words), key=lambda m: -m[2])[:REASON_SPANS]
        quoted = [" ".join(text[s:e].split()) for s, e, _ in sorted(best)]
        return [q for q in quoted if q]


def _wordy(ngram: str) -> bool:
    """Worth quoting as a reason: two or more letters or characters, no punctuation or space."""
    return ngram.isalnum()


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def place(probabilities: np.ndarray, rules: list[str | None], may_place: np.ndarray, min_probability, veto: float, rules_first: bool) -> list[str | None]:
    """The column of each passage from the model's probabilities and the rules' verdicts (see the
    module docstring); ``may_place``: the passage names the subject, or its heading does;
    ``min_probability``: one for every column, or one per column (open, closed, both)."""
    top = probabilities.argmax(axis=1)
    best = probabilities.max(axis=1)
    needed = np.append(np.broadcast_to(np.asarray(min_probability, dtype=np.float64), (NEUTRAL,)), np.inf)
    out: list[str | None] = []
    for i, rule in enumerate(rules):
        if rule is not None and rules_first:
            out.append(rule if probabilities[i, CLASSES.index(rule)] >= veto else None)
        elif may_place[i] and top[i] != NEUTRAL and best[i] >= needed[top[i]]:
            out.append(CLASSES[top[i]])
        else:
            out.append(None)
    return out


def load_model(config_dir: Path) -> LearnedModel | None:
    """The model in ``config_dir``, None when there is none; ConfigError when it cannot be used."""
    path = Path(config_dir) / MODEL_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(path, f"not a readable stance model: {exc}") from exc
    try:
        return model_from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(path, f"not a stance model this version can use ({exc}); retrain it with `bot stance train`") from exc


def model_from_dict(data: dict) -> LearnedModel:
    if data.get("format") != FORMAT:
        raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
    if tuple(data["classes"]) != CLASSES or tuple(data["signals"]) != SIGNALS:
        raise ValueError("its classes or signals differ from the reader's")
    ngrams = data["ngrams"]
    keys = np.array([ngram_key(g) for g in ngrams], dtype=np.int64)
    weights = np.array([ngrams[g] for g in ngrams], dtype=np.float64).reshape(len(keys), len(CLASSES))
    order = np.argsort(keys)
    model = LearnedModel(
        vocabulary=keys[order],
        ngram_weights=weights[order],
        signal_mean=np.array(data["signal_mean"], dtype=np.float64),
        signal_scale=np.array(data["signal_scale"], dtype=np.float64),
        signal_weights=np.array(data["signal_weights"], dtype=np.float64).reshape(len(SIGNALS), len(CLASSES)),
        intercept=np.array(data["intercept"], dtype=np.float64).reshape(len(CLASSES)),
        min_probability=float(data["min_probability"]),
        column_probability=_per_column(data.get("column_probability")),
        veto=float(data.get("veto", 0.0)),
        rules_first=bool(data.get("rules_first", True)),
        about=data.get("about"),
    )
    if model.signal_mean.shape != (len(SIGNALS),) or model.signal_scale.shape != (len(SIGNALS),) or (model.signal_scale <= 0).any():
        raise ValueError("signal_mean and signal_scale need one positive number per signal")
    finite = all(np.isfinite(a).all() for a in (model.ngram_weights, model.signal_weights, model.intercept, model.signal_mean))
    if not finite or not all(0.0 <= t <= 1.0 for t in (model.min_probability, *model.thresholds)) or not 0.0 <= model.veto <= 1.0:
        raise ValueError("weights must be finite numbers, min_probability and veto between 0 and 1")
    return model


def model_to_dict(model: LearnedModel) -> dict:
    """Plain JSON, n-grams as text: a person can see what the model learned (and diff it)."""
    return {
        "format": FORMAT,
        "classes": list(CLASSES),
        "signals": list(SIGNALS),
        "min_probability": round(model.min_probability, 4),
        "column_probability": None if model.column_probability is None else {c: round(float(t), 4) for c, t in zip(CLASSES, model.column_probability)},
        "veto": round(model.veto, 4),
        "rules_first": model.rules_first,
        "about": model.about or {},
        "intercept": _rounded(model.intercept),
        "signal_mean": _rounded(model.signal_mean),
        "signal_scale": _rounded(model.signal_scale),
        "signal_weights": [_rounded(row) for row in model.signal_weights],
        "ngrams": {ngram_text(int(k)): _rounded(w) for k, w in zip(model.vocabulary, model.ngram_weights)},
    }


def _per_column(data) -> tuple[float, ...] | None:
    """``{open: p, closed: p, both: p}`` from a model file, or None when it gives one for all."""
    if data is None:
        return None
    if not isinstance(data, dict) or set(data) != set(CLASSES[:NEUTRAL]):
        raise ValueError(f"column_probability must give {', '.join(CLASSES[:NEUTRAL])}")
    return tuple(float(data[c]) for c in CLASSES[:NEUTRAL])


def _rounded(values) -> list[float]:
    return [float(f"{v:.4g}") if math.isfinite(v) else 0.0 for v in np.asarray(values, dtype=np.float64).tolist()]
