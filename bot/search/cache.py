"""A saved library (corpus, vocabulary, index), so a start skips cleaning and the index build.

Building the library costs ~7 s on the seeds and ~2 minutes at 100x their size
(``docs/BENCHMARKS.md``); loading a saved one costs a fraction of that. What is saved depends
only on the seed bytes, the config files that shape the library, the code of ``bot/corpus``
and ``bot/search``, and the versions of Python and jieba, so the file is keyed by a hash of
exactly those and is rebuilt whenever any of them changes. A saved library that cannot be
read, or a folder that cannot be written, is skipped with a warning: the cache only ever saves
time, it never changes an answer.

The jieba tokenizer is not saved (it holds a lock and jieba's whole dictionary): it is rebuilt
on load from jieba's own dictionary cache plus the library's domain words, which are kept in
the file's header for that.

``bot index build`` (for a deploy's build step) and ``bot index info`` drive ``build`` and ``info``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import jieba

from bot.config import Settings
from bot.corpus.loader import SEED_SUFFIXES
from bot.search.library import Library

log = logging.getLogger(__name__)

CACHE_FORMAT = 1
CONFIG_FILES = ("corpus.yaml", "speakers.yaml", "glossary.yaml")
CODE_PACKAGES = ("corpus", "search")
TOKENIZER_ID = "jieba-tokenizer"
PREFIX = "library-"


def library_key(settings: Settings) -> str:
    """Hash of everything the saved library depends on (~20 ms for 9 MB of seeds)."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}:{sys.version_info[:2]}:{jieba.__version__}".encode())
    package = Path(__file__).resolve().parent.parent
    for name in CODE_PACKAGES:
        for source in sorted((package / name).glob("*.py")):
            digest.update(f"{name}/{source.name}".encode() + b"\0" + source.read_bytes())
    seeds = Path(settings.seeds_dir)
    if seeds.is_dir():
        for path in sorted(seeds.iterdir()):
            if path.is_file() and path.suffix.lower() in SEED_SUFFIXES:
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in CONFIG_FILES:
        path = Path(settings.config_dir) / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"-"))
    return digest.hexdigest()[:24]


def saved_path(settings: Settings, key: str | None = None) -> Path | None:
    """Where the library for the current seeds and config is (or would be) saved; None without a cache folder."""
    if settings.cache_dir is None:
        return None
    return Path(settings.cache_dir) / f"{PREFIX}{key or library_key(settings)}.pickle"


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        return TOKENIZER_ID if isinstance(obj, jieba.Tokenizer) else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, handle, tokenizer: jieba.Tokenizer):
        super().__init__(handle)
        self.tokenizer = tokenizer

    def persistent_load(self, pid):
        if pid != TOKENIZER_ID:
            raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")
        return self.tokenizer


def save(library: Library, path: Path, key: str) -> int:
    """Write ``library`` atomically (temporary file, then rename); its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = {"format": CACHE_FORMAT, "key": key, "words": list(library.vocabulary.domain_words)}
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
        try:
            pickle.dump(header, handle, protocol=pickle.HIGHEST_PROTOCOL)
            _Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL).dump(library)
        except BaseException:
            handle.close()
            os.unlink(handle.name)
            raise
    os.replace(handle.name, path)
    return path.stat().st_size


def read(path: Path, key: str) -> Library | None:
    """The saved library at ``path`` if it is one of this format and key; None otherwise."""
    from bot.search.tokenize import make_tokenizer

    try:
        with path.open("rb") as handle:
            header = pickle.load(handle)
            if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT or header.get("key") != key:
                return None
            library = _Unpickler(handle, make_tokenizer(header.get("words") or ())).load()
    except FileNotFoundError:
        return None
    except Exception as exc:  # a damaged or foreign file is rebuilt, never trusted
        log.warning("ignoring unreadable saved library %s: %s", path, exc)
        return None
    return library if isinstance(library, Library) else None


def load_library(settings: Settings) -> Library:
    """The saved library when it matches the seeds, config and code; else built now and saved."""
    if settings.cache_dir is None:
        return Library.load(settings)
    key = library_key(settings)
    path = saved_path(settings, key)
    library = read(path, key)
    if library is not None:
        return library
    library = Library.load(settings)
    if not library.corpus.problems:
        try:
            save(library, path, key)
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
            log.warning("could not save the library in %s: %s", path.parent, exc)
    return library


@dataclass(frozen=True)
class BuildReport:
    key: str
    path: Path
    bytes: int
    seconds: dict[str, float]
    documents: int
    passages: int
    problems: tuple[str, ...]


def build(settings: Settings, *, progress: bool = True) -> BuildReport:
    """Build the library from scratch and save it; older saved libraries in the folder are removed."""
    if settings.cache_dir is None:
        raise ValueError("no cache folder (BOT_CACHE_DIR is off)")
    steps = ("clean corpus and build index", "save")
    bar = _bar(len(steps), progress)
    key = library_key(settings)
    path = saved_path(settings, key)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    bar.set_description(steps[0])
    library = Library.load(settings)
    seconds["load and build"] = time.perf_counter() - started
    bar.update(1)
    size = 0
    if not library.corpus.problems:
        bar.set_description(steps[1])
        started = time.perf_counter()
        size = save(library, path, key)
        seconds["save"] = time.perf_counter() - started
        for old in Path(settings.cache_dir).glob(f"{PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    bar.update(1)
    bar.close()
    return BuildReport(key, path, size, seconds, len(library.corpus.documents), len(library.corpus.passages),
                       library.corpus.problems)


def _bar(total: int, enabled: bool):
    """tqdm on stderr when installed and wanted; a silent stand-in otherwise."""
    if enabled:
        try:
            from tqdm import tqdm

            return tqdm(total=total, file=sys.stderr, unit="step")
        except ImportError:
            pass

    class _Silent:
        def update(self, _n: int) -> None: ...
        def set_description(self, _text: str) -> None: ...
        def close(self) -> None: ...

    return _Silent()


def info(settings: Settings) -> dict:
    """What a start would find: the current key and whether a saved library matches it."""
    key = library_key(settings)
    path = saved_path(settings, key)
    state = "off" if path is None else ("fresh" if path.exists() else "missing")
    others = sorted(p.name for p in Path(settings.cache_dir).glob(f"{PREFIX}*.pickle")) if settings.cache_dir else []
    if state == "missing" and others:
        state = "stale"
    result = {"state": state, "key": key, "path": str(path) if path else None, "format": CACHE_FORMAT}
    if path is not None and path.exists():
        stat = path.stat()
        result["bytes"] = stat.st_size
        result["built_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stat.st_mtime))
    result["other_saved"] = [name for name in others if path is None or name != path.name]
    return result
