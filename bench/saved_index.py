"""What the saved library buys: its size, its load time, and the cold start it gives.

It saves and reads the whole loaded ``Library`` with ``bot/search/cache.py`` (the jieba
tokenizer is rebuilt on reading, not saved), timing each side.

    python bench/saved_index.py FILE "/quote …"

starts a fresh interpreter, loads FILE, answers the line and prints the JSON reply: the
cold start a bot with a saved index would have, measured by ``bench/scale.py`` from outside.
"""

from __future__ import annotations

import json
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCH_KEY = "bench"  # the file is written and read by this benchmark only: no hash needed


def dump(library, path: Path) -> dict:
    """Write ``library`` with the bot's own saver; seconds and bytes, or the reason it cannot be pickled."""
    from bot.search import cache

    started = time.perf_counter()
    try:
        size = cache.save(library, Path(path), BENCH_KEY)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}
    return {"dump_s": round(time.perf_counter() - started, 3), "bytes": size}


def load(path: Path):
    """The library back from ``path`` with the bot's own reader (tokenizer rebuilt); (library, seconds)."""
    from bot.search import cache

    started = time.perf_counter()
    library = cache.read(Path(path), BENCH_KEY)
    return library, {"unpickle_s": time.perf_counter() - started}


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
