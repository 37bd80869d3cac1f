"""What a Han character is, defined once for every layer (corpus cleaning, attribution, search).

The range covers the CJK Unified Ideographs (basic block and extension A), the compatibility
ideographs and the supplementary planes (extensions B onwards), so rare names and old forms
count as Han wherever the bot asks.
"""

from __future__ import annotations

import re

HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
"""The Han ranges as the inside of a regular-expression character class: ``f"[{HAN_CLASS}]"``."""

HAN_RE = re.compile(f"[{HAN_CLASS}]")
HAN_RUN_RE = re.compile(f"[{HAN_CLASS}]+")


def is_han(ch: str) -> bool:
    """True for one CJK ideograph (any block listed in ``HAN_CLASS``)."""
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3134F
    )


def has_han(text: str) -> bool:
    """True when the text holds at least one Han character."""
    return HAN_RE.search(text) is not None
