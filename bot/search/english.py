"""Small English helpers: crude stemming, stop words and phrase finding, enough to match glossary keys.

A real stemmer is not needed: the same rules run on the glossary keys and on the query, so
``licenses``/``licensing``/``license`` all become ``licens`` and meet, whatever the stem looks like.

Phrases are found longest first, across every source of translations at once: "business model"
as one concept (商业模式) must win over "business" (商业) and "model" (模型) as two, whichever
list knows the phrase and whichever knows the words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

Lookup = Callable[[tuple[str, ...]], tuple[str, ...]]  # stemmed English words -> Chinese terms

IRREGULAR = {
    "men": "man",
    "women": "woman",
    "businessmen": "businessman",
    "businesswomen": "businesswoman",
    "people": "person",
    "children": "child",
    "mice": "mouse",
    "analyses": "analysis",
    "theses": "thesis",
    "criteria": "criterion",
    "phenomena": "phenomenon",
    "better": "good",
    "best": "good",
    "bigger": "big",
    "biggest": "big",
    "won": "win",
    "lost": "lose",
    "led": "lead",
    "built": "build",
    "bought": "buy",
    "sold": "sell",
    "paid": "pay",
    "made": "make",
    "taught": "teach",
    "thought": "think",
    "spent": "spend",
    "grew": "grow",
    "grown": "grow",
    "ran": "run",
    "wrote": "write",
    "written": "write",
    "gave": "give",
    "given": "give",
    "took": "take",
    "taken": "take",
    "said": "say",
    "found": "find",
    "began": "begin",
    "begun": "begin",
    "laid": "lay",
    "hid": "hide",
    "kept": "keep",
    "held": "hold",
    "sent": "send",
    "left": "leave",
    "brought": "bring",
    "chose": "choose",
    "chosen": "choose",
    "fell": "fall",
    "fallen": "fall",
    "shut": "shut",
    "met": "meet",
    "lent": "lend",
    "knew": "know",
    "knives": "knife",
    "goes": "go",
    "went": "go",
    "gone": "go",
    "does": "do",
    "did": "do",
    "wives": "wife",
    "halves": "half",
    "shelves": "shelf",
    "known": "know",
}

STOP_WORDS = frozenset(
    """a an the of to in on at by for from with about as into over under and or but nor not no
    is are was were be been being am do does did done has have had having will would shall should
    can could may might must this that these those it its it's they them their he him his she her
    we us our you your i me my what which who whom whose when where why how than then there here
    so such very just also too only own same other some any each every all both few more most
    s t vs via per if one cant dont doesnt didnt wont isnt arent wasnt""".split()
)


ENGLISH_MARKERS = ("the", "and", "of", "to", "is", "in")  # a passage holding any of these is written in English


def stem(word: str) -> str:
    """A crude, consistent stem of one lower-case English word."""
    word = IRREGULAR.get(word, word)  # then the base form's stem: `made` meets a key `make` (stem `mak`)
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith(("ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss") and (len(word) <= 4 or not word.endswith(("us", "is"))):
        word = word[:-1]  # GPUs, APIs: an acronym's plural (status, analysis keep their s)
    if word.endswith("ly") and len(word) > 5:
        if word.endswith(("ibly", "ably")):
            word = word[:-1] + "e"
        elif word.endswith("ily"):
            word = word[:-3] + "y"
        else:
            word = word[:-2]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def stems(words: list[str]) -> tuple[str, ...]:
    return tuple(stem(w) for w in words)


def comparative_bases(word: str) -> tuple[str, ...]:
    """The plain forms a comparative or superlative may come from: ``stronger`` -> ``strong``,
    ``safest`` -> ``safe``, ``easier`` -> ``easy``, ``hotter`` -> ``hot``. Tried only after the
    word itself found nothing, because ``-er`` is as often a noun's own ending (server, power)."""
    for suffix in ("est", "er"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and word.isalpha():
            base = word[: -len(suffix)]
            found = [base, base + "e"]
            if base.endswith("i"):
                found.append(base[:-1] + "y")
            if base[-1] == base[-2]:
                found.append(base[:-1])
            return tuple(found)
    return ()


def translate_word(word: str, lookup: Lookup) -> tuple[str, ...]:
    """One word's translations: by its stem, else by the plain form of a comparative."""
    found = lookup((stem(word),))
    for base in () if found else comparative_bases(word):
        found = lookup((stem(base),))
        if found:
            break
    return found


@dataclass(frozen=True)
class PhraseSource:
    """One list of translations: its lookup, the kind of concept it makes, the fewest words it answers for."""

    kind: str
    lookup: Lookup
    min_words: int = 1


@dataclass(frozen=True)
class PhraseMatch:
    start: int  # index of the first word
    size: int  # number of words
    kind: str
    translations: tuple[str, ...]


def find_phrases(
    words: Sequence[str], used: list[bool], sources: Sequence[PhraseSource], max_words: int
) -> Iterator[PhraseMatch]:
    """Longest phrases first, left to right; at one length the first source that knows a phrase
    wins. Yields each match after marking its words in ``used`` (words already used are skipped;
    a lone stop word is never a phrase)."""
    stemmed = [stem(w) for w in words]
    for size in range(min(max_words, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            if any(used[start:start + size]) or (size == 1 and words[start] in STOP_WORDS):
                continue
            key = tuple(stemmed[start:start + size])
            for source in sources:
                if size < source.min_words:
                    continue
                translations = source.lookup(key) if size > 1 else translate_word(words[start], source.lookup)
                if translations:
                    used[start:start + size] = [True] * size
                    yield PhraseMatch(start, size, source.kind, translations)
                    break


# -- numbers: "forty-eight thousand", "three hundred", "100k" -> 48000, 300, 100000, and back as
# Chinese numerals (四万八千, 三百, 十万): a Chinese article writes its figures so.
NUMBER_WORDS = {
    w: n for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split())
} | {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
SUFFIXES = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}  # 100k, 2m: as typed in a hurry
_DIGITS = "零一二三四五六七八九"
MAX_NUMBER = 10 ** 12


def read_number(words: Sequence[str], start: int) -> tuple[int, int] | None:
    """(value, words used) of the number written from ``words[start]``: number words
    (``forty eight thousand``, ``three hundred``), digits (``300``), digits with k/m/b (``100k``)
    and digits followed by a scale (``5 million``); None when no number starts there."""
    total, current, i = 0, None, start
    first = words[start] if start < len(words) else ""
    if first.isdigit() or (first[:-1].isdigit() and first[-1:] in SUFFIXES):
        value = int(first) if first.isdigit() else int(first[:-1]) * SUFFIXES[first[-1]]
        i += 1
        while i < len(words) and words[i] in SCALES and value < MAX_NUMBER:
            value *= SCALES[words[i]]
            i += 1
        return (value, i - start) if value < MAX_NUMBER else None
    while i < len(words):
        word = words[i]
        if word in NUMBER_WORDS:
            current = (current or 0) + NUMBER_WORDS[word]
        elif word in SCALES and (current is not None or total):
            scale = SCALES[word]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        else:
            break
        i += 1
    if i == start:
        return None
    return total + (current or 0), i - start


CLOCK_MARKS = (("a", "m"), ("p", "m"), ("am",), ("pm",))  # 3 a.m., 3am, 3 p.m.: folded into words


def clock_mark(words: Sequence[str], start: int) -> int:
    """How many words from ``start`` spell a.m. or p.m. after a figure (0 when none do): the
    letters are the figure's hour, not words of the query (``m`` is no concept)."""
    for mark in CLOCK_MARKS:
        if tuple(words[start:start + len(mark)]) == mark:
            return len(mark)
    return 0


def split_clock(word: str) -> tuple[str, str] | None:
    """``3am`` -> (``3``, ``am``): an hour typed with its mark in one word."""
    for mark in ("am", "pm"):
        if word.endswith(mark) and word[:-2].isdigit() and 0 < int(word[:-2]) <= 12:
            return word[:-2], mark
    return None


def chinese_numeral(value: int) -> str:
    """48000 -> 四万八千, 100000 -> 十万, 300 -> 三百, 12 -> 十二: as an article writes a figure."""
    if value < 0 or value >= MAX_NUMBER:
        return str(value)
    if value == 0:
        return _DIGITS[0]
    parts = []
    for unit, size in (("亿", 10 ** 8), ("万", 10 ** 4), ("", 1)):
        group, value = divmod(value, size)
        if group:
            parts.append(_below_ten_thousand(group) + unit)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def _below_ten_thousand(n: int) -> str:
    out = ""
    for unit, size in (("千", 1000), ("百", 100), ("十", 10)):
        digit, n = divmod(n, size)
        if digit:
            out += _DIGITS[digit] + unit
        elif out and n:
            out += "零" if not out.endswith("零") else ""
    return out + (_DIGITS[n] if n else "")
