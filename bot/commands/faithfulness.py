"""How faithfully a remembered quotation reproduces the words a passage holds.

/who-said must still find a quotation typed from memory (part of it, in the other script, with an
input-method slip such as 下油 for 下游), yet say "not found" for a sentence whose meaning was
changed (站在封闭一边 for 站在开放一边, 高估 for 低估). Both differ from the text by a character or
two, so the edit distance alone cannot tell them apart; what can is *which* edit: a slip keeps the
sound (same pinyin, any tone), a change of meaning does not. The alignment is semi-global: the
query may match anywhere in the text, and text before or after it costs nothing.
"""

from __future__ import annotations

from bot.search.pinyin import char_reading

SOUND_SLIP_COST = 0.25  # a character replaced by one that sounds the same
EDIT_COST = 1.0  # any other replaced, missing or extra character
NEGATION_COST = 3.0  # adding, dropping or swapping a negation (不, 没, 无, 非, 未, 别) reverses the sense
NEGATIONS = frozenset("不没沒无無非未别別勿")
MARGIN = 8  # characters of text around the matched window that the alignment may use


def faithfulness(query: str, text: str, window: tuple[int, int] | None = None) -> float:
    """1.0 when ``query`` (folded) stands in ``text`` (folded) as it is; less per edit, so that one
    sound slip in twelve characters stays near 0.98 and one changed word falls well below."""
    if not query:
        return 0.0
    if window is not None:
        start, end = max(0, window[0] - MARGIN), min(len(text), window[1] + MARGIN)
        text = text[start:end]
    previous = [0.0] * (len(text) + 1)  # free start anywhere in the text
    for i, q in enumerate(query, 1):
        extra = _cost(q)
        current = [previous[0] + extra] + [0.0] * len(text)
        for j, t in enumerate(text, 1):
            if q == t:
                replace = previous[j - 1]
            elif _same_sound(q, t):
                replace = previous[j - 1] + SOUND_SLIP_COST
            else:
                replace = previous[j - 1] + max(extra, _cost(t))
            current[j] = min(replace, previous[j] + extra, current[j - 1] + _cost(t))
        previous = current
    cost = min(previous)  # free end anywhere in the text
    return max(0.0, 1.0 - cost / len(query))


def _cost(char: str) -> float:
    return NEGATION_COST if char in NEGATIONS else EDIT_COST


def _same_sound(a: str, b: str) -> bool:
    reading = char_reading(a)
    return reading is not None and reading == char_reading(b)
