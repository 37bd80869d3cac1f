"""Who speaks in each passage (placeholder: narration is the author's)."""

from __future__ import annotations

from dataclasses import replace

from bot.corpus.models import Passage, Source, Speaker


def attribute(passages: list[Passage], source: Source, speakers: tuple[Speaker, ...]) -> list[Passage]:
    return [replace(p, speaker=source.author) for p in passages]
