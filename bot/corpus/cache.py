"""A saved copy of the cleaned corpus, so a restart skips the mojibake model and the cleaning.

Cleaning the seeds costs seconds (the repair model is built from jieba's dictionary); the
result depends only on the seed bytes, the corpus config and this package's code, so it is
keyed by a hash of exactly those and rebuilt whenever any of them changes. A cache that cannot
be read or written is skipped: it only ever saves time, never changes an answer.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from pathlib import Path

from bot.corpus.loader import SEED_SUFFIXES, load_corpus
from bot.corpus.models import Corpus

log = logging.getLogger(__name__)
CONFIG_FILES = ("corpus.yaml", "speakers.yaml")
CACHE_FORMAT = 1


def corpus_key(seeds_dir: Path, config_dir: Path) -> str:
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{sys.version_info[:2]}".encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + source.read_bytes())
    if seeds_dir.is_dir():
        for path in sorted(seeds_dir.iterdir()):
            if path.is_file() and path.suffix.lower() in SEED_SUFFIXES:
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in CONFIG_FILES:
        path = config_dir / name
        digest.update(name.encode() + (path.read_bytes() if path.exists() else b"-"))
    return digest.hexdigest()[:24]


def cache_path(seeds_dir: Path, config_dir: Path, cache_dir: Path) -> Path:
    return Path(cache_dir) / f"corpus-{corpus_key(seeds_dir, config_dir)}.pickle"


def load_corpus_cached(
    seeds_dir: Path, config_dir: Path, cache_dir: Path | None, *, rebuild: bool = False, progress=None
) -> Corpus:
    """The cleaned corpus from the cache when its key matches, else cleaned now and saved."""
    if cache_dir is None:
        return load_corpus(seeds_dir, config_dir, progress)
    try:
        path = cache_path(seeds_dir, config_dir, cache_dir)
    except OSError:
        return load_corpus(seeds_dir, config_dir, progress)
    cached = None if rebuild else _read(path)
    if cached is not None:
        return cached
    corpus = load_corpus(seeds_dir, config_dir, progress)
    if not corpus.problems:
        _write(path, corpus)
    return corpus


def _read(path: Path) -> Corpus | None:
    try:
        with path.open("rb") as handle:
            corpus = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a stale or damaged cache is rebuilt, never trusted
        log.warning("ignoring unreadable corpus cache %s: %s", path, exc)
        return None
    return corpus if isinstance(corpus, Corpus) else None


def _write(path: Path, corpus: Corpus) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump(corpus, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError as exc:
        log.warning("could not save the corpus cache in %s: %s", path.parent, exc)
