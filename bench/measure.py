"""Timing, memory and machine facts shared by every benchmark, so all of them count the same way.

Percentiles use the nearest-rank method on the raw samples (no interpolation): with a few
hundred samples p99 is then a real observed latency, not a blend of two.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DEV = REPO.parent / "shared" / "eval" / "dev.yaml"


def percentile(samples: list[float], share: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(1, -(-int(share * 1000) * len(ordered) // 1000))  # ceil(share * n), on integers
    return ordered[min(rank, len(ordered)) - 1]


def latency_summary(samples_ms: list[float]) -> dict:
    return {
        "samples": len(samples_ms),
        "p50_ms": round(percentile(samples_ms, 0.50), 3),
        "p99_ms": round(percentile(samples_ms, 0.99), 3),
        "max_ms": round(max(samples_ms), 3) if samples_ms else None,
    }


def time_calls(call: Callable[[str], object], queries: list[str], repeat: int, budget_s: float | None = None) -> list[float]:
    """One untimed warm-up pass (first-use caches), then up to ``repeat`` timed passes; ms per call.

    With ``budget_s``, passes stop once that many seconds were spent timing (always at least
    one full pass), so a slow command on a large library cannot stretch a run without bound.
    """
    for query in queries:
        call(query)
    samples: list[float] = []
    spent = 0.0
    for _ in range(repeat):
        for query in queries:
            started = time.perf_counter()
            call(query)
            samples.append((time.perf_counter() - started) * 1000)
        spent = sum(samples) / 1000
        if budget_s is not None and spent >= budget_s:
            break
    return samples


class Stages:
    """Named wall-clock stages, in the order they ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds


def rss_mb() -> float:
    """Resident memory now (psutil when installed, else /proc)."""
    try:
        import psutil

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb() -> float:
    """High-water mark of resident memory for this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict:
    """What the figures were measured on: cores, CPU model, memory, Python, date."""
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "memory_gib": memory,
        "python": platform.python_version(),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
    }


def code_digest() -> str:
    """Hash of the bot package's sources: equal at start and end means no one changed the code mid-run."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((REPO / "bot").rglob("*.py")):
        digest.update(str(path.relative_to(REPO)).encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def median_of(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None
