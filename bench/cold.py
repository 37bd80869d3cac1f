"""Cold start, timed from outside: process start to the first answer printed, as a user waits after a deploy.

It runs the real entry point (``python -m bot ask --json LINE``) with ``BOT_SEEDS`` pointing at
the library under test, so it counts interpreter start, imports, corpus load, index build and
the first answer, everything a restarted bot does before it can reply.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.measure import REPO

TIMEOUT_S = 900  # a stuck start must not hang the benchmark


def timed_run(argv: list[str], seeds_dir: Path, cache_dir: Path | None = None) -> dict:
    env = dict(os.environ, BOT_SEEDS=str(seeds_dir), BOT_CACHE_DIR=str(cache_dir) if cache_dir else "off")
    started = time.perf_counter()
    try:
        done = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "error": f"no answer within {TIMEOUT_S} s"}
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return {"seconds": None, "error": (done.stderr.strip().splitlines() or ["exit %d" % done.returncode])[-1][:200]}
    objects = []
    for text in done.stdout.splitlines():
        try:
            objects.append(json.loads(text))
        except ValueError:
            continue
    reply = next((o for o in objects if isinstance(o, dict) and "results" in o), None)
    if reply is None:
        return {"seconds": None, "error": "no JSON answer on stdout"}
    extra = next((o for o in objects if isinstance(o, dict) and "rss_mb" in o), {})
    return {"seconds": round(seconds, 3), "results": len(reply["results"]), **extra}


def bot_cold_start(seeds_dir: Path, line: str) -> dict:
    """First start after a deploy (empty cache folder), then a restart with whatever the first one saved.

    The restart is only run when the bot saved something (``BOT_CACHE_DIR`` is no longer
    empty); without a cache it would repeat the first start at the same cost.
    """
    argv = [sys.executable, "-m", "bot", "ask", "--json", line]
    with tempfile.TemporaryDirectory(prefix="quote-bench-cache-") as folder:
        first = timed_run(argv, seeds_dir, Path(folder))
        saved = [p for p in Path(folder).rglob("*") if p.is_file()]
        first["cache_mb"] = round(sum(p.stat().st_size for p in saved) / 1e6, 1)
        if saved and first.get("seconds") is not None:
            first["restart_seconds"] = timed_run(argv, seeds_dir, Path(folder)).get("seconds")
    return first


def saved_index_cold_start(seeds_dir: Path, saved: Path, line: str) -> dict:
    return timed_run([sys.executable, str(REPO / "bench" / "saved_index.py"), str(saved), line], seeds_dir)
