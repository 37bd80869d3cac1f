"""English speakers known by a description: "An analyst at Harrow Securities said", "a
spokesperson for Lumen Labs said", and a name with its description set off by commas ("Mara Quill,
chief executive of Brightfold, said").

Chinese articles quote English sources and English articles are in the library too; their unnamed
speakers follow the convention of docs/ATTRIBUTION.md ("Speakers known only by a role"): the
description as written, when it makes one particular person (a role at, for or of a named body); a
bare "a spokesperson" names nobody. The firm in the description is never a person of its own.
"""

from __future__ import annotations

import re

from bot.corpus.attribution.lexicon import MASK, Lexicon, alternation
from bot.corpus.attribution.names import LATIN_NAME

BODY = r"(?:the\s+)?[A-Z][\w&.'\-]*(?:\s+(?:of\s+|&\s+)?[A-Z][\w&.'\-]*){0,4}"  # Harrow Securities, the Bank of Ellis
LINKS = r"(?:at|for|of|with|from|in)"
REACH = 90  # characters before a verb a description may take
APPOSITION = re.compile(rf"({LATIN_NAME}),\s+(?:the\s+|a\s+|an\s+)?[a-z][^,;:.!?{MASK}]{{2,70}},\s*$")


def described_in_english(masked: str, slot: int, lex: Lexicon) -> str | None:
    """The description ending at ``slot`` (where a speaker stands before "said"), as written:
    "An analyst at Harrow Securities", "a senior engineer with Tallis AI"."""
    before = masked[max(0, slot - REACH) : slot]
    roles = alternation(lex["english_roles"])
    match = re.search(
        rf"\b(?:[Aa]n?|[Oo]ne|[Tt]he)\s+(?:[\w\-]+\s+){{0,3}}?(?:{roles})s?\s+{LINKS}\s+{BODY}\s*$", before
    )
    return match.group().strip() if match else None


def name_in_apposition(masked: str, slot: int) -> str | None:
    """"Mara Quill, chief executive of Brightfold, said": the name before a description in commas."""
    match = APPOSITION.search(masked[max(0, slot - REACH - 40) : slot])
    return match.group(1) if match else None


def after_a_link(masked: str, start: int) -> bool:
    """"an analyst at Harrow Securities": a capitalised name after at/for/of is a firm or a place."""
    return re.search(rf"\b{LINKS}\s+(?:the\s+)?$", masked[max(0, start - 8) : start]) is not None
