"""Cleaning on several processes gives exactly the corpus one process gives."""

from __future__ import annotations

import shutil

from bot.corpus.loader import load_corpus
from bot.search.parallel_load import load_corpus_parallel

from ..conftest import REPO


def test_parallel_load_equals_the_serial_load(tmp_path, bundled_settings):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n, path in enumerate(sorted((REPO / "seeds").iterdir())):
        if path.suffix in (".txt", ".md"):
            shutil.copyfile(path, seeds / path.name)
            shutil.copyfile(path, seeds / f"copy{n}_{path.name}")  # enough files for two workers
    (seeds / "zz_empty.txt").write_text("")  # a problem, reported with the seed's own path
    serial = load_corpus(seeds, bundled_settings.config_dir)
    parallel = load_corpus_parallel(seeds, bundled_settings.config_dir, workers=2)
    assert [d.doc_id for d in parallel.documents] == [d.doc_id for d in serial.documents]
    assert parallel.documents == serial.documents
    assert parallel.speakers == serial.speakers
    assert parallel.problems == serial.problems


def test_analysis_on_two_processes_equals_one_forked_or_spawned():
    """Spawned when another thread runs (a server loading in the background), forked otherwise."""
    import threading

    import numpy as np

    from bot.search.build import BATCH, analyse_all

    items = [(f"第{n}段：开源模型的护城河正在消失，Linux 社区追赶得很快。", None) for n in range(BATCH * 2 + 5)]
    serial = analyse_all(items, ("护城河",), 1, None)
    forked = analyse_all(items, ("护城河",), 2, None)
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    waiting.start()
    try:
        spawned = analyse_all(items, ("护城河",), 2, None)
    finally:
        stop.set()
        waiting.join()
    for other in (forked, spawned):
        assert [f for b in other for f in b.folded] == [f for b in serial for f in b.folded]
        assert np.array_equal(np.concatenate([b.hashes for b in other]), np.concatenate([b.hashes for b in serial]))


def test_a_library_built_on_two_processes_answers_as_one_built_on_one(bundled_settings, bundled_library):
    from bot.search.library import Library

    library = Library.load(bundled_settings, workers=2)
    assert library.vocabulary == bundled_library.vocabulary  # the English dictionary came from a helper process
    for query in ("开源", "Linux 基金会", "kaiyuan", "open source moat"):
        assert [m.passage.id for m in library.index.search(query)] == [m.passage.id for m in bundled_library.index.search(query)]
