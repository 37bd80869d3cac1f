"""config/commands.yaml: the words a typed command is read by, in both scripts.

Which word names a command in a mention (`who said`, `谁说的`, `对比`) and which words stand between
/compare's two topics (`vs`, `和`) are a user's to extend (another language's "vs"), so they live in
config/, not in code; the marks and the shapes of a line (`parse.py`) stay in code. Each Chinese
word is written once, in Simplified; loading adds its Traditional spellings with the conversions
attribution's lexicon uses, as config/headers.yaml does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


from bot.chars import HAN_CLASS, script_spellings
from bot.commands.results import COMPARE, QUOTE, WHO_SAID
from bot.config import ConfigError, config_file, read_parsed

COMMANDS_FILE = "commands.yaml"
LEADING_KEYS = ("who_said", "quote", "compare", "help")
COMMAND_OF = {"who_said": WHO_SAID, "quote": QUOTE, "compare": COMPARE}  # tried in this order
WORD_KEYS = (*LEADING_KEYS, "who_said_after", "compare_separators", "compare_separators_unspaced", "compare_conjunctions")
# After a command word, before what it asks about: `who said: X`, `引用，X`; a who-said may end in
# a question mark (`谁说的？X`).
AFTER_COMMAND = r"[\s:：,，]*"
AFTER_WHO_SAID = r"[\s:：,，?？]*"
NEVER = r"(?!x)x"


@dataclass(frozen=True)
class CommandWords:
    """The patterns parse.py reads a line with, built from config/commands.yaml's word lists."""

    leading: tuple[tuple[re.Pattern[str], str], ...]  # (pattern with group `q`, command), tried in order
    help: re.Pattern[str]  # a line that is only a help word
    who_said_after: re.Pattern[str]  # "…是谁说的？" at the end of a line
    compare_word: re.Pattern[str]  # a leading compare word inside /compare's own text
    topic_separators: re.Pattern[str]  # what stands between two /compare topics
    conjunctions: tuple[str, ...]  # inside one Chinese word: 开源和闭源


def phrase_pattern(word: str, whole: bool = True) -> str:
    """One word as a regex: a space matches any run of spaces, a hyphen one with or without spaces
    round it (never two ``\\s*`` side by side, which backtrack quadratically over a long run of
    spaces: a 20,000-space mention once took 16 s); with ``whole``, a word that ends in a Latin
    letter or digit must end where a word ends (``\\b``: `finding` is not `find`)."""
    pieces = re.split(r"(\s+|-)", re.sub(r"\s*-\s*", "-", word))
    pattern = "".join(r"\s+" if p.isspace() else r"\s*-\s*" if p == "-" else re.escape(p) for p in pieces if p)
    return pattern + (r"\b" if whole and word[-1:].isascii() and word[-1:].isalnum() else "")


def alternation(words: tuple[str, ...], whole: bool = True) -> str:
    """Longest first, so that 是谁说的 is tried before 谁说 and `vs.` before `vs`."""
    if not words:
        return NEVER
    return "|".join(phrase_pattern(w, whole) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def parse_command_words(data: dict, path: Path | str = COMMANDS_FILE) -> CommandWords:
    """The patterns from the file's lists; a ConfigError names the list that is not a list of words."""
    unknown = sorted(set(data) - set(WORD_KEYS))
    if unknown:
        raise ConfigError(path, f"unknown list(s): {', '.join(unknown)} (known: {', '.join(WORD_KEYS)})")
    words: dict[str, tuple[str, ...]] = {}
    for key in WORD_KEYS:
        values = data.get(key) or []
        if not isinstance(values, list) or any(not isinstance(v, str) for v in values):
            raise ConfigError(path, f"'{key}' must be a list of words")
        spelled: list[str] = []
        for value in (" ".join(str(v).split()) for v in values):
            for spelling in (value, *sorted(script_spellings(value) - {value})):
                if spelling and spelling not in spelled:
                    spelled.append(spelling)
        words[key] = tuple(spelled)
    leading = tuple(
        (re.compile(rf"^(?:{alternation(words[key])}){AFTER_WHO_SAID if key == 'who_said' else AFTER_COMMAND}(?P<q>.*)$",
                    re.I | re.S), command)
        for key, command in COMMAND_OF.items()
    )
    unspaced = alternation(words["compare_separators_unspaced"], whole=False)  # 开源vs闭源: a Han character follows
    return CommandWords(
        leading=leading,
        help=re.compile(rf"^(?:{alternation(words['help'])})[\s!！?？]*$", re.I),
        # searched for (the leftmost match that reaches the end), the question being what comes before:
        # one regex `^(.+?)[\s,，]*(?:…)…$` backtracks quadratically over runs of spaces or commas
        who_said_after=re.compile(rf"(?:{alternation(words['who_said_after'])})[\s?？。.!！]*$"),
        compare_word=re.compile(rf"^(?:{alternation(words['compare'])})(?:\s+|[:：,，]\s*)", re.I),
        topic_separators=re.compile(
            rf"\s+(?:{alternation(words['compare_separators'])})\s+"
            rf"|\s*[,，、/|;；]\s*|(?<=[{HAN_CLASS}])\s*(?:{unspaced})\s*(?=[{HAN_CLASS}])",
            re.I,
        ),
        conjunctions=words["compare_conjunctions"],
    )


def load_command_words(config_dir: Path | None = None) -> CommandWords:
    """config/commands.yaml in ``config_dir`` (the bundled one when it has none), read once per version."""
    return read_parsed(config_file(config_dir, COMMANDS_FILE), parse_command_words)
