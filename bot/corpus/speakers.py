"""config/speakers.yaml: who is quoted, under every name the texts and users give them."""

from __future__ import annotations

from pathlib import Path

from bot.config import ConfigError, load_yaml
from bot.corpus.models import Speaker


def load_speakers(path: Path) -> tuple[Speaker, ...]:
    data = load_yaml(path)
    entries = data.get("speakers") or []
    if not isinstance(entries, list):
        raise ConfigError(path, "'speakers' must be a list")
    speakers = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not entry.get("name"):
            raise ConfigError(path, f"speaker #{number} needs a 'name'")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list):
            raise ConfigError(path, f"speaker {entry['name']!r}: 'aliases' must be a list")
        speakers.append(
            Speaker(
                name=str(entry["name"]),
                aliases=tuple(str(a) for a in aliases),
                name_en=str(entry["name_en"]) if entry.get("name_en") else None,
                role=str(entry["role"]) if entry.get("role") else None,
            )
        )
    return tuple(speakers)


def alias_table(speakers: tuple[Speaker, ...]) -> dict[str, str]:
    """Every spelling (case-folded) to the canonical name, longest spellings winning ties."""
    table: dict[str, str] = {}
    for speaker in speakers:
        for name in speaker.all_names:
            table.setdefault(name.casefold(), speaker.name)
    return table
