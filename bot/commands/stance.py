"""What a passage argues in the open-versus-closed debate, from cue phrases in config/stance.yaml."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from bot.config import ConfigError, load_yaml
from bot.corpus.models import Passage
from bot.search.normalise import fold

STANCES = ("open", "closed", "both")


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern[str]
    weight: float


@dataclass(frozen=True)
class Verdict:
    stance: str | None
    strength: float
    scores: dict[str, float]


@dataclass(frozen=True)
class StanceModel:
    topics: dict[str, frozenset[str]]
    subject: re.Pattern[str]
    cues: dict[str, tuple[Cue, ...]]
    min_score: float
    min_margin: float

    def topic_stance(self, topic: str) -> str | None:
        """'开源', 'Open Source' and '開源' all name the open side."""
        key = fold(topic)
        return next((side for side, words in self.topics.items() if key in words), None)

    def judge(self, passage: Passage) -> Verdict:
        text = fold(passage.text)
        if not self.subject.search(text):
            return Verdict(None, 0.0, {})
        scores = {side: sum(c.weight for c in cues if c.pattern.search(text)) for side, cues in self.cues.items()}
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        (best, top), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        if top < self.min_score or top - runner_up < self.min_margin:
            return Verdict(None, top, scores)
        return Verdict(best, top - runner_up / 2, scores)


@functools.lru_cache(maxsize=8)
def load_stance_model(config_dir: Path) -> StanceModel:
    path = Path(config_dir) / "stance.yaml"
    data = load_yaml(path, required=True)
    try:
        topics = {side: frozenset(fold(w) for w in words) for side, words in (data.get("topics") or {}).items()}
        cues = {
            side: tuple(Cue(re.compile(fold_pattern(c["pattern"])), float(c.get("weight", 1.0))) for c in entries)
            for side, entries in (data.get("cues") or {}).items()
        }
        subject = re.compile(fold_pattern(data.get("subject") or "."))
        unknown = set(cues) - set(STANCES)
        if unknown:
            raise ConfigError(path, f"unknown stance(s) under cues: {', '.join(sorted(unknown))}")
        return StanceModel(topics, subject, cues, float(data.get("min_score", 1.0)), float(data.get("min_margin", 0.5)))
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise ConfigError(path, f"bad stance entry: {exc}") from exc


def fold_pattern(pattern: str) -> str:
    """Cue patterns are written in Simplified with spaces; match them the way passages are folded."""
    return pattern.replace(" ?", "").replace(" ", "").casefold()
