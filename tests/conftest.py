"""Shared fixtures: small corpora built in tmp_path, and the bundled library loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def bundled_settings():
    from bot.config import Settings

    return Settings.load()


@pytest.fixture(scope="session")
def bundled_corpus(bundled_settings):
    from bot.corpus.loader import load_corpus

    return load_corpus(bundled_settings.seeds_dir, bundled_settings.config_dir)


@pytest.fixture(scope="session")
def bundled_library(bundled_settings):
    from bot.search.library import Library

    return Library.load(bundled_settings)


@pytest.fixture
def make_library_dir(tmp_path):
    """Write seed files (name -> text) and optional config files into tmp_path; return (seeds, config)."""

    def build(seeds: dict[str, str | bytes], config: dict[str, str] | None = None) -> tuple[Path, Path]:
        seeds_dir, config_dir = tmp_path / "seeds", tmp_path / "config"
        seeds_dir.mkdir(exist_ok=True)
        config_dir.mkdir(exist_ok=True)
        for name, content in seeds.items():
            path = seeds_dir / name
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        for name, content in (config or {}).items():
            (config_dir / name).write_text(content, encoding="utf-8")
        return seeds_dir, config_dir

    return build
