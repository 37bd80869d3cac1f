"""How faithfully a remembered quotation reproduces the words a passage holds.

/who-said must still find a quotation typed from memory (part of it, in the other script, with an
input-method slip such as 下油 for 下游, with an aside or a clause left out), yet say "not found"
for a sentence whose meaning was changed (站在封闭一边 for 站在开放一边, 高估 for 低估). Both differ
from the text by a few characters, so the edit distance alone cannot tell them apart; what can is
*which* edit:

- a slip keeps the sound (same pinyin, any tone): a quarter of a changed character;
- a stretch of the text left out is how people remember ("锁在机房里" for "锁在自己的机房里"): it
  costs a little to open and very little per character (an affine gap), unless it is a lone
  negation (one or two characters) whose loss reverses the sense;
- a character the query replaces or adds changes the words: full price, more for a negation or
  an opposite.

The alignment is semi-global: the query may match anywhere in the text, and text before or after
it costs nothing. Rows are computed with numpy, so a long passage stays cheap.

Which characters negate, and which pairs are opposites, is configured in config/who_said.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.config import ConfigError, config_file, read_parsed
from bot.search.pinyin import char_reading

SOUND_SLIP_COST = 0.25  # a character replaced by one that sounds the same
EDIT_COST = 1.0  # any other replaced or extra character
MEANING_COST = 3.0  # a negation added, dropped or swapped
OPPOSITE_COST = 2.0  # a character swapped for its opposite (as dear as dropping one and adding another)
GAP_OPEN = 0.4  # leaving out a stretch of the text (an aside, a clause) ...
GAP_EXTEND = 0.05  # ... and each character of it
MARGIN = 8  # characters of text around the matched window the alignment may use, beyond the query's length
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
    path = config_file(config_dir, EDITS_FILE)
    if not path.exists():
        return MeaningEdits()
    return read_parsed(path, parse_meaning_edits)


def parse_meaning_edits(data: dict, path: Path) -> MeaningEdits:
    pairs = data.get("opposites") or []
    if not isinstance(pairs, list) or any(len(str(p)) != 2 for p in pairs):
        raise ConfigError(path, "'opposites' must be a list of two-character pairs")
    opposites = {(str(p)[0], str(p)[1]) for p in pairs}
    return MeaningEdits(frozenset(str(data.get("negations") or "")), frozenset(opposites | {(b, a) for a, b in opposites}))


def faithfulness(
    query: str, text: str, window: tuple[int, int] | None = None, edits: MeaningEdits | None = None
) -> float:
    """1.0 when ``query`` (folded) stands in ``text`` (folded) as it is; less per edit, so that one
    sound slip in twelve characters stays near 0.98, a left-out clause near 0.95, and one changed
    word falls well below."""
    if not query or not text:
        return 0.0
    if window is not None:
        reach = MARGIN + len(query)  # a remembered quotation may skip words: its span is longer than itself
        start, end = max(0, window[0] - reach), min(len(text), window[1] + reach)
        text = text[start:end]
    return max(0.0, 1.0 - alignment_cost(query, text, edits or MeaningEdits()) / len(query))


def alignment_cost(query: str, text: str, edits: MeaningEdits) -> float:
    """The cheapest semi-global alignment of ``query`` inside ``text`` under the costs above.

    Five states per cell: the query character matched or replaced (M), an extra query character
    (X), and the text left out for exactly one (G1), exactly two (G2) or three and more (G3)
    characters. G1 and G2 price a dropped negation as a reversal; from three characters on the
    gap is an aside and priced as one, which is exact because G3 restarts from the state three
    characters back."""
    n = len(text)
    text_cost = np.array([edits.cost(t) for t in text])
    gap_char = np.where(text_cost > EDIT_COST, text_cost, 0.0) + GAP_EXTEND
    text_codes = np.array([ord(t) for t in text])
    readings = [char_reading(t) for t in text]
    positions = np.arange(n + 1) * GAP_EXTEND
    best = np.zeros(n + 1)  # the empty query prefix aligns anywhere for free
    plain = best
    for q in query:
        extra = edits.cost(q)
        substitution = np.maximum(text_cost, extra)
        opposite = np.array([(q, t) in edits.opposites for t in text]) if edits.opposites else None
        if opposite is not None and opposite.any():
            substitution = np.where(opposite, np.maximum(substitution, OPPOSITE_COST), substitution)
        sound = char_reading(q)
        if sound is not None:
            substitution = np.where(np.array([r == sound for r in readings]), SOUND_SLIP_COST, substitution)
        substitution = np.where(text_codes == ord(q), 0.0, substitution)
        matched = np.full(n + 1, np.inf)
        matched[1:] = best[:-1] + substitution
        plain = np.minimum(matched, best + extra)  # M or X
        gap1 = np.full(n + 1, np.inf)
        gap1[1:] = plain[:-1] + GAP_OPEN + gap_char
        gap2 = np.full(n + 1, np.inf)
        gap2[2:] = plain[:-2] + GAP_OPEN + gap_char[:-1] + gap_char[1:]
        gap3 = np.full(n + 1, np.inf)
        if n >= 3:  # G3[j] = min over k <= j-3 of plain[k] + GAP_OPEN + (j - k) * GAP_EXTEND
            gap3[3:] = np.minimum.accumulate(plain - positions)[:-3] + positions[3:] + GAP_OPEN
        best = np.minimum.reduce([plain, gap1, gap2, gap3])
    return float(plain.min())  # the query ends on a character of its own; the rest of the text is free


def _same_sound(a: str, b: str) -> bool:
    reading = char_reading(a)
    return reading is not None and reading == char_reading(b)
