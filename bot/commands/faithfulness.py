"""How faithfully a remembered quotation reproduces the words a passage holds.

/who-said must still find a quotation typed from memory (part of it, in the other script, with an
input-method slip such as 下油 for 下游), yet say "not found" for a sentence whose meaning was
changed (站在封闭一边 for 站在开放一边, 高估 for 低估). Both differ from the text by a character or
two, so the edit distance alone cannot tell them apart; what can is *which* edit: a slip keeps the
sound (same pinyin, any tone), a change of meaning does not. The alignment is semi-global: the
query may match anywhere in the text, and text before or after it costs nothing.

Which characters negate, and which pairs are opposites, is configured in config/who_said.yaml.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from bot.config import DEFAULT_CONFIG_DIR, ConfigError, load_yaml
from bot.search.pinyin import char_reading

SOUND_SLIP_COST = 0.25  # a character replaced by one that sounds the same
EDIT_COST = 1.0  # any other replaced, missing or extra character
MEANING_COST = 3.0  # a negation added, dropped or swapped
OPPOSITE_COST = 2.0  # a character swapped for its opposite (as dear as dropping one and adding another)
MARGIN = 8  # characters of text around the matched window that the alignment may use
EDITS_FILE = "who_said.yaml"


@dataclass(frozen=True)
class MeaningEdits:
    """Characters that negate, and pairs of characters that are opposites (folded, Simplified)."""

    negations: frozenset[str] = frozenset()
    opposites: frozenset[tuple[str, str]] = frozenset()

    def cost(self, char: str) -> float:
        return MEANING_COST if char in self.negations else EDIT_COST

    def replace_cost(self, a: str, b: str) -> float:
        if (a, b) in self.opposites:
            return max(OPPOSITE_COST, self.cost(a), self.cost(b))
        return max(self.cost(a), self.cost(b))


def load_meaning_edits(config_dir: Path | None = None) -> MeaningEdits:
    """config/who_said.yaml in ``config_dir`` (the bundled one when it has none), read once per version."""
    path = Path(config_dir or DEFAULT_CONFIG_DIR) / EDITS_FILE
    if not path.exists():
        path = DEFAULT_CONFIG_DIR / EDITS_FILE
    if not path.exists():
        return MeaningEdits()
    stat = path.stat()
    return _read_edits(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _read_edits(path: Path, _mtime: int, _size: int) -> MeaningEdits:
    data = load_yaml(path)
    pairs = data.get("opposites") or []
    if not isinstance(pairs, list) or any(len(str(p)) != 2 for p in pairs):
        raise ConfigError(path, "'opposites' must be a list of two-character pairs")
    opposites = {(str(p)[0], str(p)[1]) for p in pairs}
    return MeaningEdits(frozenset(str(data.get("negations") or "")), frozenset(opposites | {(b, a) for a, b in opposites}))


def faithfulness(
    query: str, text: str, window: tuple[int, int] | None = None, edits: MeaningEdits | None = None
) -> float:
    """1.0 when ``query`` (folded) stands in ``text`` (folded) as it is; less per edit, so that one
    sound slip in twelve characters stays near 0.98 and one changed word falls well below."""
    if not query:
        return 0.0
    if window is not None:
        start, end = max(0, window[0] - MARGIN), min(len(text), window[1] + MARGIN)
        text = text[start:end]
    edits = edits or MeaningEdits()
    previous = [0.0] * (len(text) + 1)  # free start anywhere in the text
    for i, q in enumerate(query, 1):
        extra = edits.cost(q)
        current = [previous[0] + extra] + [0.0] * len(text)
        for j, t in enumerate(text, 1):
            if q == t:
                replace = previous[j - 1]
            elif _same_sound(q, t):
                replace = previous[j - 1] + SOUND_SLIP_COST
            else:
                replace = previous[j - 1] + edits.replace_cost(q, t)
            current[j] = min(replace, previous[j] + extra, current[j - 1] + edits.cost(t))
        previous = current
    cost = min(previous)  # free end anywhere in the text
    return max(0.0, 1.0 - cost / len(query))


def _same_sound(a: str, b: str) -> bool:
    reading = char_reading(a)
    return reading is not None and reading == char_reading(b)
