"""What the saved library buys: its size, its open time, and the cold start it gives.

It saves the loaded ``Library`` as ``bot index build`` does (``bot.search.saved``: a folder of
``.npy`` arrays and UTF-8 blobs, opened by mapping them read-only; the segmenter is rebuilt from
the saved domain words), and opens it again the way a restart does, timing each side.

    python bench/saved_index.py FOLDER "/quote …"

starts a fresh interpreter, opens the saved library in FOLDER, answers the line and prints the
JSON reply: the restart a bot with a saved library has, measured by ``bench/scale.py`` from outside.
"""

from __future__ import annotations

import json
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCH_KEY = "bench"  # the folder is written and read by this benchmark only: no hash needed


def dump(library, path: Path) -> dict:
    """Write ``library`` into the folder ``path`` with the bot's own saver; seconds and bytes, or why it could not."""
    from bot.search import cache

    started = time.perf_counter()
    try:
        size = cache.save(library, Path(path), BENCH_KEY)
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}
    return {"dump_s": round(time.perf_counter() - started, 3), "bytes": size}


def load(path: Path):
    """The library in the folder ``path``, opened (mapped) as a restart opens it; (library, seconds)."""
    from bot.search import cache

    started = time.perf_counter()
    library = cache.read(Path(path), BENCH_KEY)
    return library, {"open_s": time.perf_counter() - started}


def main(argv: list[str]) -> int:
    """Answer one line from a saved library; a second JSON line gives the stages and resident memory."""
    started = time.perf_counter()
    from bot.cli import settings_from_env
    from bot.commands.dispatch import ask

    from bench.measure import rss_mb

    seconds = {"imports_s": time.perf_counter() - started}
    path, line = Path(argv[0]), argv[1]
    library, load_seconds = load(path)
    seconds.update(load_seconds)
    started = time.perf_counter()
    reply = ask(line, library, settings_from_env())
    seconds["first_answer_s"] = time.perf_counter() - started
    print(json.dumps(reply.as_json(None), ensure_ascii=False))
    print(json.dumps({"rss_mb": round(rss_mb(), 1), **{k: round(v, 3) for k, v in seconds.items()}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
