"""The saved library (``bot/search/cache.py``): same answers as a fresh build, rebuilt whenever its inputs change.

It lives beside the benchmarks that measured why it is needed; it may move to tests/search.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import Settings
from bot.search import cache
from bot.search.library import Library

REPO = Path(__file__).resolve().parent.parent.parent
SEED = "003_5d259b127fe30fde.txt"  # the smallest seed: enough text, a quick build


@pytest.fixture
def settings(tmp_path) -> Settings:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copyfile(REPO / "seeds" / SEED, seeds / SEED)
    return Settings.load(seeds_dir=seeds, cache_dir=tmp_path / "cache")


def _answers(library: Library) -> list[list[str]]:
    return [[m.passage.id for m in library.index.search(q, limit=5)] for q in ("开源", "扎克伯格", "Meta AI", "kaiyuan")]


def test_second_start_reads_what_the_first_saved(settings, monkeypatch):
    first = cache.load_library(settings)
    assert cache.info(settings)["state"] == "fresh"

    def no_build(_settings):
        raise AssertionError("built again although a saved library matches")

    monkeypatch.setattr(Library, "load", classmethod(lambda cls, s: no_build(s)))
    second = cache.load_library(settings)
    assert _answers(second) == _answers(first)
    assert len(second.corpus.passages) == len(first.corpus.passages)


def test_a_changed_seed_makes_it_stale_and_rebuilds(settings):
    cache.load_library(settings)
    old_key = cache.library_key(settings)
    seed = Path(settings.seeds_dir) / SEED
    seed.write_text(seed.read_text(encoding="utf-8") + "\n新加的一段话，谁也没有说过。\n", encoding="utf-8")
    assert cache.library_key(settings) != old_key
    assert cache.info(settings)["state"] == "stale"
    library = cache.load_library(settings)
    assert any("新加的一段话" in p.text for p in library.corpus.passages)
    assert cache.info(settings)["state"] == "fresh"


def test_a_damaged_file_is_rebuilt_not_trusted(settings):
    cache.load_library(settings)
    path = cache.saved_path(settings)
    path.write_bytes(b"not a pickle at all")
    library = cache.load_library(settings)
    assert library.corpus.passages
    assert cache.read(path, cache.library_key(settings)) is not None


def test_build_replaces_older_saved_libraries_and_info_reports_it(settings, capsys):
    stale = Path(settings.cache_dir) / f"{cache.PREFIX}0000.pickle"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    assert cache.info(settings)["state"] == "stale"
    report = cache.build(settings, progress=False)
    assert report.path.exists() and report.bytes > 0 and report.passages > 0
    assert not stale.exists()
    data = cache.info(settings)
    assert data["state"] == "fresh" and data["key"] == report.key and data["other_saved"] == []


def test_without_a_cache_folder_nothing_is_saved(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copyfile(REPO / "seeds" / SEED, seeds / SEED)
    settings = Settings.load(seeds_dir=seeds)
    assert settings.cache_dir is None
    assert cache.saved_path(settings) is None
    assert cache.load_library(settings).corpus.passages
    assert cache.info(settings)["state"] == "off"
    with pytest.raises(ValueError):
        cache.build(settings, progress=False)
