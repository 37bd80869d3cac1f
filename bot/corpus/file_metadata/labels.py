"""config/headers.yaml: the label words of an article's header lines, in both scripts.

Each Chinese word is listed once, in Simplified; loading adds its Traditional spellings with the
same OpenCC conversions attribution's lexicon uses, so 来源 matches 來源 and 原文链接 matches
原文鏈接. The byline labels themselves (作者, 记者…) are attribution's, read from its lexicon.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path


from bot.chars import script_spellings
from bot.config import ConfigError, config_file, read_parsed
from bot.corpus.attribution.lexicon import word_pattern

HEADERS_FILE = "headers.yaml"
LABEL_KEYS = (
    "source_labels", "link_labels", "translator_labels", "compiler_labels", "english_byline_labels",
    "date_labels", "other_credit_labels",
)
LABEL_END = r"\s*(?:[:：／/|｜]\s*|\s+)"  # 来源：X, 文／X, 编译 X


@dataclass(frozen=True)
class HeaderLabels:
    words: dict[str, frozenset[str]]

    def __getitem__(self, key: str) -> frozenset[str]:
        return self.words[key]

    def label_re(self, key: str) -> re.Pattern[str]:
        """``^label`` + a separator, the value after it in group ``value``; any case for English."""
        return _label_re(self.words[key])


@functools.lru_cache(maxsize=64)
def _label_re(words: frozenset[str]) -> re.Pattern[str]:
    if not words:
        return re.compile(r"(?!x)x")
    alternation = "|".join(word_pattern(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"^\s*(?P<label>{alternation})(?:{LABEL_END}|\s*$)(?P<value>.*)$", re.IGNORECASE | re.DOTALL)


def parse_header_labels(data: dict, path: Path | str = HEADERS_FILE) -> HeaderLabels:
    words: dict[str, frozenset[str]] = {}
    for key in LABEL_KEYS:
        values = data.get(key) or []
        if not isinstance(values, list):
            raise ConfigError(path, f"'{key}' must be a list of words")
        words[key] = frozenset(v for w in values if str(w).strip() for v in script_spellings(str(w).strip()))
    return HeaderLabels(words)


def load_header_labels(config_dir: Path | None = None) -> HeaderLabels:
    """The labels in ``config_dir`` (the bundled config/ when it has none), read once per file version."""
    return read_parsed(config_file(config_dir, HEADERS_FILE), parse_header_labels)
