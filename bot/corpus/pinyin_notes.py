"""Reading aids like 開(kāi)源 that a converter left after characters; they are not the author's words."""

from __future__ import annotations

import re

from bot.chars import HAN_CLASS
from bot.corpus.traced import Traced

TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_SYLLABLE = rf"[a-zü]*[{TONE_MARKS}][a-zü{TONE_MARKS}]*"

# A note needs a tone mark, so real parentheses such as (artifact) or (Linus Torvalds) stay.
# It follows a Han character, or a Latin letter where the converter broke a word (以O(shè)penAI).
PINYIN_NOTE = re.compile(rf"(?<=[{HAN_CLASS}A-Za-z])\({_SYLLABLE}\)")


def strip_pinyin_notes(text: Traced) -> Traced:
    return text.sub(PINYIN_NOTE, "")


def count_pinyin_notes(text: str) -> int:
    return len(PINYIN_NOTE.findall(text))
