"""The saved library (``bot/search/cache.py``): same answers as a fresh build, rebuilt whenever its inputs change.

It lives beside the benchmarks that measured why it is needed; it may move to tests/search.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import shutil
import threading
import time
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


def test_a_damaged_file_is_rebuilt_not_trusted(settings, caplog):
    cache.load_library(settings)
    path = cache.saved_path(settings)
    blob = path / "folded.bin"
    blob.write_bytes(blob.read_bytes()[:-7])  # truncated, as by a full disk
    library = cache.load_library(settings)
    assert library.corpus.passages
    assert any("expected" in r.getMessage() and "folded.bin" in r.getMessage() for r in caplog.records)
    assert cache.read(path, cache.library_key(settings)) is not None


def test_a_half_written_library_is_rebuilt(settings, caplog):
    cache.load_library(settings)
    path = cache.saved_path(settings)
    (path / "header.json").unlink()  # killed before the header, the last file, was written
    assert cache.info(settings)["state"] == "damaged"
    library = cache.load_library(settings)
    assert _answers(library) and any("half-written" in r.getMessage() for r in caplog.records)
    assert cache.info(settings)["state"] == "fresh"


def test_a_library_of_another_format_is_rebuilt(settings, caplog):
    cache.load_library(settings)
    path = cache.saved_path(settings)
    header = json.loads((path / "header.json").read_text())
    header["format"] = 1
    (path / "header.json").write_text(json.dumps(header))
    first = _answers(cache.load_library(settings))
    assert any("format 1" in r.getMessage() for r in caplog.records)
    assert json.loads((path / "header.json").read_text())["format"] != 1
    assert _answers(cache.load_library(settings)) == first


def test_a_killed_build_leaves_nothing_that_is_read(settings, monkeypatch):
    from bot.search import saved

    def killed(*_args):
        raise KeyboardInterrupt  # stands for SIGKILL half way through writing

    monkeypatch.setattr(saved, "_write", killed)
    with pytest.raises(KeyboardInterrupt):
        cache.build(settings, progress=False)
    folder = Path(settings.cache_dir)
    assert not cache.saved_path(settings).exists()
    assert not list(folder.glob(".library-*"))  # the temporary folder is removed too


def test_a_read_only_cache_folder_builds_in_memory(settings, caplog):
    folder = Path(settings.cache_dir)
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        library = cache.load_library(settings)
        assert _answers(library)
        assert sum("cannot save the library" in r.getMessage() for r in caplog.records) == 1
    finally:
        folder.chmod(0o700)


def test_a_cache_folder_on_a_read_only_filesystem_builds_in_memory(settings, caplog):
    """/sys refuses new folders even to root: the read-only case that runs in CI."""
    from dataclasses import replace

    settings = replace(settings, cache_dir=Path("/sys/quote-bot-cache"))
    library = cache.load_library(settings)
    assert _answers(library)
    assert sum("cannot save the library" in r.getMessage() for r in caplog.records) == 1


def test_a_cache_folder_that_is_a_file_builds_in_memory(settings, caplog):
    Path(settings.cache_dir).write_text("not a folder")
    library = cache.load_library(settings)
    assert _answers(library)
    assert any("cannot save the library" in r.getMessage() for r in caplog.records)


def test_only_the_newest_libraries_are_kept(settings):
    folder = Path(settings.cache_dir)
    for n in range(cache.KEEP + 2):
        old = folder / f"{cache.PREFIX}{n:04d}"
        old.mkdir(parents=True)
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    cache.load_library(settings)
    kept = sorted(p.name for p in folder.glob(f"{cache.PREFIX}*"))
    assert len(kept) == cache.KEEP and cache.saved_path(settings).name in kept
    assert f"{cache.PREFIX}{cache.KEEP + 1:04d}" in kept  # the newest old one survives, the oldest go


def test_processes_starting_on_an_empty_cache_build_the_library_once(settings, monkeypatch):
    """A fresh dyno starts several search processes at once: one builds, the others wait and map it.
    (flock's locks belong to each open of the file, so two threads exercise the same exclusion.)"""
    builds = []
    build = Library.load.__func__

    def slow_counted_build(cls, *args, **kwargs):
        builds.append(threading.get_ident())
        time.sleep(0.5)  # long enough that the second caller arrives while the first builds
        return build(cls, *args, **kwargs)

    monkeypatch.setattr(Library, "load", classmethod(slow_counted_build))
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        libraries = list(pool.map(lambda _: cache.load_library(settings), range(2)))
    assert len(builds) == 1
    assert _answers(libraries[0]) == _answers(libraries[1]) != []
    assert cache.info(settings)["state"] == "fresh"


def test_saved_arrays_are_memory_mapped(settings):
    import mmap

    cache.load_library(settings)
    library = cache.load_library(settings)
    for array in (library.index.postings.docs, library.index.groups.leader):
        assert isinstance(array.base, mmap.mmap) or isinstance(getattr(array.base, "base", None), mmap.mmap)
        assert not array.flags.writeable


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


def test_the_key_covers_nested_code_and_every_config_file(settings, tmp_path):
    before = cache.library_key(settings)
    config = tmp_path / "config"
    shutil.copytree(settings.config_dir, config)
    (config / "new_lexicon.yaml").write_text("words: []\n")
    assert cache.library_key(Settings.load(config, settings.seeds_dir, settings.cache_dir)) != before


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


def test_warm_makes_what_opening_the_saved_library_asks_for_and_never_builds(settings, monkeypatch):
    """The forkserver calls ``warm`` before forking the search processes: the segmenter's dictionary
    and the topic words it reads are the very objects a later open takes (so the forked processes
    share their pages); with nothing saved yet it does nothing at all, least of all a build."""
    monkeypatch.setattr(Library, "load", classmethod(lambda cls, s, **k: pytest.fail("warm must never build")))
    assert cache.warm(settings) is False
    assert not (settings.cache_dir.exists() and any(settings.cache_dir.iterdir()))
    monkeypatch.undo()
    cache.load_library(settings)
    from bot.search import tokenize

    tokenize._segmenter.cache_clear()
    cache._topic_words.cache_clear()
    assert cache.warm(settings) is True
    warmed = tokenize._segmenter.cache_info().currsize, cache._topic_words.cache_info().currsize
    library = cache.load_library(settings)
    assert warmed == (1, 1)
    assert tokenize._segmenter.cache_info().hits >= 1 and cache._topic_words.cache_info().hits >= 1
    assert library.stance is not None and _answers(library) != []


def test_one_segmenter_per_word_list():
    from bot.search.tokenize import make_tokenizer

    first = make_tokenizer(["开源模型", "闭源"])
    assert make_tokenizer(("开源模型", "闭源")) is first  # the same words: the same dictionary, shared
    other = make_tokenizer(["开源模型"])
    assert other is not first and not other.is_word("闭源") and first.is_word("闭源")
