"""Where saved libraries live, when one is fresh, and building one (``bot index build``/``info``).

A saved library (``bot.search.saved``) depends only on the seed bytes, every ``config/*.yaml``,
the code of ``bot/corpus`` and ``bot/search`` (every ``.py``, recursively: both hold packages)
and the versions of Python and the build libraries (``bot.search.articles.keys``), so its folder is named by a hash of exactly those
and rebuilt whenever any of them changes. The folder lives in the user's cache directory
(``platformdirs``), never inside the project; ``BOT_CACHE_DIR`` moves it, ``off`` disables it.
Only the newest ``KEEP`` libraries are kept.

The cache only ever saves time, it never changes an answer: a saved library that is
half-written, of another format or damaged is rebuilt with one warning line saying why, and a
folder that cannot be written (read-only) gives a library built in memory, with one warning.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import shutil
import sys
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from bot.config import Settings
from bot.corpus.files import article_files
from bot.corpus.stance import topic_lexicon
from bot.search.library import Library
from bot.search.articles.keys import code_digest
from bot.search.saved import FORMAT, SavedLibraryError, open_library, save

log = logging.getLogger(__name__)

CODE = ("corpus", "search", "chars.py", "config.py")  # under bot/
PREFIX = "library-"
KEEP = 3  # saved libraries kept per cache folder (a rollback or a second checkout needs no rebuild)
STALE_TEMPORARY_S = 3600  # a temporary folder this old is a build that was killed


def library_key(settings: Settings) -> str:
    """Hash of everything the saved library depends on (~20 ms for 9 MB of seeds); the code part is
    the per-article cache's own definition (``bot.search.articles.keys.code_digest``)."""
    digest = hashlib.sha256(f"{FORMAT}:{code_digest(CODE)}".encode())
    seeds = Path(settings.seeds_dir)
    if seeds.is_dir():
        for path in article_files(seeds):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    config = Path(settings.config_dir)
    for path in sorted(p for p in config.iterdir() if p.is_file()) if config.is_dir() else ():  # lexicons and the stance model
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:24]


def saved_path(settings: Settings, key: str | None = None) -> Path | None:
    """The folder the library for the current seeds and config is (or would be) saved in; None without a cache."""
    if settings.cache_dir is None:
        return None
    return Path(settings.cache_dir) / f"{PREFIX}{key or library_key(settings)}"


def read(path: Path, key: str) -> Library | None:
    """The saved library at ``path`` if it is complete, of this format and key; None (with a warning) otherwise."""
    if not path.exists():
        return None
    try:
        return open_library(path, key)
    except SavedLibraryError as exc:
        log.warning("rebuilding the library: %s", exc)
        return None


def load_library(settings: Settings) -> Library:
    """The saved library when it matches the seeds, config and code; else built now, saved and mapped."""
    key = None if settings.cache_dir is None else library_key(settings)
    library = _load_library(settings, key)
    if library.stance is None:  # a saved library keeps no config objects: /compare's topic words are read beside it
        stance = topic_lexicon(settings.config_dir) if key is None else _topic_words(str(settings.config_dir), key)
        library = replace(library, stance=stance)
    return library


@lru_cache(maxsize=2)
def _topic_words(config_dir: str, key: str):
    """``topic_lexicon`` (/compare's topic words) once per process and library key (which hashes
    every config file, so an edited config/stance.yaml gives another key): made once by the
    forkserver (``warm``) for the search processes forked from it, instead of each reading it."""
    return topic_lexicon(Path(config_dir))


def warm(settings: Settings) -> bool:
    """Make now, in this process, what opening the library saved for ``settings`` will ask for:
    its segmenter's dictionary (rjieba's, ~30 MB and ~0.15 s, shared by word list through
    ``make_tokenizer``) and /compare's topic words. Called by the forkserver the search processes fork
    from (``bot.search.preload``), so they share those pages instead of each building its own.
    Never builds, never waits for a build's lock: False when no complete saved library is there."""
    if settings.cache_dir is None:
        return False
    key = library_key(settings)
    path = saved_path(settings, key)
    if path is None or not path.is_dir():
        return False
    try:
        open_library(path, key)  # its segmenter stays in make_tokenizer's cache; the rest is opened again, mapped
    except SavedLibraryError:
        return False
    _topic_words(str(settings.config_dir), key)
    return True


def _load_library(settings: Settings, key: str | None) -> Library:
    if key is None:
        return Library.load(settings)
    path = saved_path(settings, key)
    library = read(path, key)
    if library is not None:
        return library
    with _building(path):
        return read(path, key) or _build_and_save(settings, path, key)  # another process may have built it while we waited


@contextlib.contextmanager
def _building(path: Path):
    """Hold the build lock of the library saved at ``path``: several search processes starting on
    an empty cache (a fresh dyno's first start) build it once, one after the other finding it
    saved, instead of each building the whole library at once (N times the CPU and the memory).
    Without a writable cache folder there is no lock, and each builds in memory as before."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(path.parent / f".{path.name}.lock", "a")  # noqa: SIM115 (held until the build ends)
    except OSError:
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed, or the process dies
        yield


def _build_and_save(settings: Settings, path: Path, key: str) -> Library:
    from bot.search.build import default_workers  # building needs the analysers; opening does not

    library = Library.load(settings, workers=default_workers())
    if path.exists():
        shutil.rmtree(path, ignore_errors=True)  # refused above: damaged, half-written or of another format
    if library.corpus.problems:
        return library  # a corpus with problems is never saved: fixing a file must not need a cache flush
    try:
        save(library, path, key)
    except OSError as exc:
        log.warning("cannot save the library in %s (%s); it was built in memory", path.parent, exc.strerror or exc)
        return library
    _prune(Path(settings.cache_dir), keep=path)
    return read(path, key) or library  # mapped: the pages are shared with other workers


def _prune(folder: Path, keep: Path) -> None:
    """Keep the newest KEEP saved libraries; drop old formats' files, killed builds' temporary
    folders and the build locks of libraries no longer kept."""
    try:
        saved = sorted((p for p in folder.glob(f"{PREFIX}*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [p for p in saved if p != keep][KEEP - 1:]:
            shutil.rmtree(old, ignore_errors=True)
        for old in folder.glob(f"{PREFIX}*.pickle"):  # format 1 was one pickle file
            old.unlink(missing_ok=True)
        for lock in folder.glob(f".{PREFIX}*.lock"):
            if not (folder / lock.stem[1:]).is_dir() and time.time() - lock.stat().st_mtime > STALE_TEMPORARY_S:
                lock.unlink(missing_ok=True)
        for temporary in folder.glob(f".{PREFIX}*.tmp"):
            if time.time() - temporary.stat().st_mtime > STALE_TEMPORARY_S:
                shutil.rmtree(temporary, ignore_errors=True)
    except OSError as exc:
        log.warning("could not tidy the cache folder %s: %s", folder, exc)


@dataclass(frozen=True)
class BuildReport:
    key: str
    path: Path
    bytes: int
    seconds: dict[str, float]
    documents: int
    passages: int
    problems: tuple[str, ...]


def build(settings: Settings, *, progress: bool = True, workers: int | None = None) -> BuildReport:
    """Build the library from scratch on every core and save it; a progress bar on stderr when wanted."""
    if settings.cache_dir is None:
        raise ValueError("no cache folder (BOT_CACHE_DIR is off)")
    key = library_key(settings)
    path = saved_path(settings, key)
    from bot.search.build import default_workers

    bar = _Bar(progress)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    bar.stage("clean and attribute the corpus", 0, 1)
    library = Library.load(settings, workers=workers or default_workers(), progress=bar.stage)
    seconds["load and build"] = time.perf_counter() - started
    size = 0
    if not library.corpus.problems:
        bar.stage("save", 0, 1)
        started = time.perf_counter()
        if path.exists():
            shutil.rmtree(path)
        size = save(library, path, key)
        _prune(Path(settings.cache_dir), keep=path)
        seconds["save"] = time.perf_counter() - started
    bar.close()
    return BuildReport(key, path, size, seconds, len(library.corpus.documents), len(library.corpus.passages),
                       library.corpus.problems)


class _Bar:
    """Build progress on stderr: a tqdm bar for stages that count passages, one line for the others."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None
        self.name = None
        self.started = time.perf_counter()

    def stage(self, name: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if name != self.name:
            self.close()
            self.name = name
            if total > 1:
                from tqdm import tqdm

                self.bar = tqdm(total=total, desc=name, file=sys.stderr, unit="passage", leave=False)
            else:
                print(f"[{time.perf_counter() - self.started:6.1f} s] {name}", file=sys.stderr, flush=True)
        if self.bar is not None:
            self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            print(f"[{time.perf_counter() - self.started:6.1f} s] {self.name}: {self.bar.total} done",
                  file=sys.stderr, flush=True)
            self.bar = None


def info(settings: Settings) -> dict:
    """What a start would find: the current key and whether a complete saved library matches it."""
    key = library_key(settings)
    path = saved_path(settings, key)
    state = "off"
    if path is not None:
        state = "missing"
        if path.exists():
            try:
                open_library(path, key)
                state = "fresh"
            except SavedLibraryError as exc:
                state = "damaged"
                log.warning("%s", exc)
    others = sorted(p.name for p in Path(settings.cache_dir).glob(f"{PREFIX}*")) if settings.cache_dir and Path(settings.cache_dir).is_dir() else []
    if state == "missing" and others:
        state = "stale"
    result = {"state": state, "key": key, "path": str(path) if path else None, "format": FORMAT}
    if state == "fresh":
        result["bytes"] = sum(p.stat().st_size for p in path.iterdir())
        result["built_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(path.stat().st_mtime))
    result["other_saved"] = [name for name in others if path is None or name != path.name]
    return result
