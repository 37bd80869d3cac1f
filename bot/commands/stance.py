"""Stance for /compare: which side a topic the user typed names, and the verdicts to rank.

The verdicts themselves are read once, when the library is built (bot/corpus/stance), and live
on the passages; this module only reads the lexicon's topic words, so `/compare 開源 閉源`,
`/compare open-source proprietary` and `/compare open closed` all mean the same two columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.models import Passage
from bot.corpus.stance import STANCES, Topics, load_lexicon, load_model, load_topics

SIDES = ("open", "closed")


@dataclass(frozen=True)
class Verdict:
    stance: str | None
    strength: float
    reason: str | None


@dataclass(frozen=True)
class StanceModel:
    lexicon: Topics  # the topic words (a whole Lexicon is one too)

    def topic_stance(self, topic: str) -> str | None:
        """The side a topic names: the whole topic ('開源'), else the one side whose word it holds
        ('proprietary models'); None for anything else ('Meta', 'OpenAI')."""
        exact = self.lexicon.topic_stance(topic)
        if exact is not None:
            return exact
        named = self.sides_named(topic)
        return next(iter(named)) if len(named) == 1 else None

    def sides_named(self, text: str) -> set[str]:
        """Every stance whose topic word stands in the text as a word of its own."""
        folded = " ".join(self.lexicon.fold(text).split())
        return {side for side, words in self.lexicon.topics.items() if any(_holds(folded, w) for w in words)}

    def judge(self, passage: Passage) -> Verdict:
        """The verdict read at build time (kept for callers that hold a passage, like `bot eval`)."""
        return Verdict(passage.stance, passage.stance_score, passage.stance_reason)


def _holds(folded: str, word: str) -> bool:
    if word.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", folded) is not None
    return word in folded


def load_stance_model(config_dir: Path) -> StanceModel:
    """ConfigError (file and line) on a broken lexicon or stance model file, so `bot serve`
    refuses to start with one (the model itself is applied at build, not here)."""
    lexicon = load_lexicon(Path(config_dir))
    load_model(Path(config_dir))
    return StanceModel(lexicon)


def stance_model_of(library, settings) -> StanceModel:
    """The topic words the library was opened with (read once, passed with the library); a
    library without them reads the config folder now, so a broken file is the same ConfigError
    as at start."""
    topics = getattr(library, "stance", None)
    return StanceModel(topics) if topics is not None else StanceModel(load_topics(Path(settings.config_dir)))


__all__ = ["STANCES", "SIDES", "StanceModel", "Verdict", "load_stance_model", "stance_model_of"]
