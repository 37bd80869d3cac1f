"""Cleaning and attribution on every core: ``bot.corpus.loader.load_corpus`` over shares of the seeds.

Why here and this way: cleaning (mojibake repair, markup, attribution) is most of a big
library's build (~2/3 at 100x the seeds) and works one document at a time, but
``load_corpus`` takes a folder. So the seed files are dealt into one folder of symbolic links
per worker (largest first, each to the share with the fewest bytes so far), each worker runs
the ordinary ``load_corpus`` on its folder, and the documents are put back in the order one
``load_corpus`` over the whole folder gives (by file name). The result is the same corpus;
``tests/search/test_parallel_load.py`` checks that on the bundled seeds, so a later change that
makes loading depend on more than one document at a time is caught rather than silently split.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bot.corpus.loader import load_corpus, seed_files
from bot.corpus.models import Corpus
from bot.search.build import process_pool

MIN_FILES_PER_WORKER = 4  # fewer, and a second process costs more than it saves


def load_corpus_parallel(seeds_dir: Path, config_dir: Path, workers: int) -> Corpus:
    """The corpus ``load_corpus(seeds_dir, config_dir)`` gives, cleaned on up to ``workers`` processes."""
    seeds_dir = Path(seeds_dir)
    paths = seed_files(seeds_dir) if seeds_dir.is_dir() else []
    workers = min(workers, len(paths) // MIN_FILES_PER_WORKER)
    if workers <= 1:
        return load_corpus(seeds_dir, config_dir)
    shares: list[list[Path]] = [[] for _ in range(workers)]
    sizes = [0] * workers
    for path in sorted(paths, key=lambda p: -p.stat().st_size):
        lightest = sizes.index(min(sizes))
        shares[lightest].append(path)
        sizes[lightest] += path.stat().st_size
    with tempfile.TemporaryDirectory(prefix="quote-bot-seeds-") as scratch:
        folders = []
        for n, share in enumerate(shares):
            folder = Path(scratch) / str(n)
            folder.mkdir()
            for path in share:
                os.symlink(path.resolve(), folder / path.name)
            folders.append(folder)
        with process_pool(workers) as pool:
            parts = list(pool.map(load_corpus, folders, [Path(config_dir)] * workers))
    order = {path.stem: n for n, path in enumerate(paths)}
    documents = sorted((d for part in parts for d in part.documents), key=lambda d: order.get(d.doc_id, len(order)))
    by_name = {path.name: str(path) for path in paths}
    documents = [_with_path(d, by_name) for d in documents]
    problems = tuple(dict.fromkeys(_real_path(p, scratch, by_name) for part in parts for p in part.problems))
    return Corpus(tuple(documents), parts[0].speakers, problems)


def _with_path(document, by_name: dict[str, str]):
    """Documents report the seed's own path, not the link's."""
    from dataclasses import replace

    name = Path(document.path).name
    return replace(document, path=by_name.get(name, document.path))


def _real_path(problem: str, scratch: str, by_name: dict[str, str]) -> str:
    if scratch not in problem:
        return problem
    head, _, rest = problem.partition(scratch)
    link = rest.lstrip("/").split("/", 1)[-1]
    name, sep, tail = link.partition(":")
    return head + by_name.get(name, name) + sep + tail
