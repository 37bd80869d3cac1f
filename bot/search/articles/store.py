"""Article entries on disk: one pickle per article, named by its key, in a folder per stage digest.

Why it can never give a wrong answer: an entry is found only by the key that hashes everything
it depends on, and it repeats that key inside, so a renamed or foreign file does not match. It is
written to a temporary file and renamed into place, so a build killed half way leaves no entry
(or a stray temporary file that is removed later), never a short one. Whatever cannot be read
(truncated, another format, unpickling fails) or written (a read-only folder, a full disk) only
means "compute it": ``get`` gives None and ``put`` gives False; nothing raises.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

ENTRY_FORMAT = 1  # bump when what an entry holds changes shape
MAGIC = "quote-bot article entry"
PREFIX = "articles-"
SUFFIX = ".pickle"
KEEP_FOLDERS = 3  # stage digests kept (a rollback to the previous code needs no full rebuild)
STALE_TEMPORARY_S = 3600
SPARE = 64  # unused entries always kept (articles removed for a while, another small seed folder)


class ArticleStore:
    """Entries for one stage digest under ``cache_dir``; every method tolerates a missing or
    unwritable folder."""

    def __init__(self, cache_dir: Path, stage_digest: str):
        self.cache_dir = Path(cache_dir)
        self.folder = self.cache_dir / f"{PREFIX}{stage_digest[:24]}"

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def get(self, key: str) -> Any | None:
        """The value saved under ``key``, or None when there is none that can be trusted."""
        try:
            data = self._path(key).read_bytes()
            magic, entry_format, found_key, value = pickle.loads(data)
        except Exception:  # missing, unreadable, truncated, another shape: recompute
            return None
        if magic != MAGIC or entry_format != ENTRY_FORMAT or found_key != key:
            return None
        return value

    def put(self, key: str, value: Any) -> bool:
        """Save ``value`` under ``key`` atomically; False (and nothing left behind) when it cannot be."""
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.folder)
            with os.fdopen(handle, "wb") as out:
                pickle.dump((MAGIC, ENTRY_FORMAT, key, value), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self._path(key))
            return True
        except (OSError, pickle.PicklingError):
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
            return False

    def prune(self, used: set[str]) -> None:
        """Bound the folder: when it holds more than twice the entries in ``used`` (plus
        ``SPARE``), the oldest unused ones go (another seed folder sharing the cache keeps its
        recent ones); stale temporary files go, and all but the newest ``KEEP_FOLDERS`` folders of
        other stage digests."""
        try:
            if self.folder.is_dir():
                now = time.time()
                unused = []
                for path in self.folder.iterdir():
                    if path.name.endswith(".tmp"):
                        if now - path.stat().st_mtime > STALE_TEMPORARY_S:
                            path.unlink(missing_ok=True)
                    elif path.name.endswith(SUFFIX) and path.name[:-len(SUFFIX)] not in used:
                        unused.append((path.stat().st_mtime, path))
                excess = len(unused) - len(used) - SPARE
                for _mtime, path in sorted(unused)[:max(0, excess)]:
                    path.unlink(missing_ok=True)
                os.utime(self.folder)
            folders = sorted((p for p in self.cache_dir.glob(f"{PREFIX}*") if p.is_dir() and p != self.folder),
                             key=lambda p: p.stat().st_mtime, reverse=True)
            for old in folders[KEEP_FOLDERS - 1:]:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass  # tidying is a nicety: a read-only cache keeps its old entries
