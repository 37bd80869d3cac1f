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
