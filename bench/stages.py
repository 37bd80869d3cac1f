"""Where build time goes: ``bot index build``'s work split into stages, wall and CPU seconds.

    python bench/stages.py --seeds DIR [--json]

One process, one core (``workers=1``), so every stage's CPU time is this process's own
(``time.process_time``) and the stages add up; ``bot index build`` runs the cleaning and the
passage analysis on every core, so its wall time is lower. The stages are the build's own
functions, wrapped in this process only (module attributes replaced for one build and put
back; no source file changes): cleaning (mojibake repair, markup, pinyin notes), attribution,
stance, passage analysis (fold, segment, readings, terms), postings, near-duplicate groups,
the English dictionary, saving. A stage whose function is renamed upstream reads 0 and shows
as missing rather than failing. ``bench/scale.py`` uses ``load_stages`` for its load figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import Stages  # noqa: E402


class CpuStages(Stages):
    """Stages with CPU seconds beside wall seconds."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: dict[str, float] = {}

    def add_both(self, name: str, wall: float, cpu: float) -> None:
        self.add(name, wall)
        self.cpu[name] = self.cpu.get(name, 0.0) + cpu


@contextmanager
def _wrapped(module, attribute: str, stages: Stages, name: str) -> Iterator[bool]:
    original = getattr(module, attribute, None)
    if original is None:
        yield False
        return
    depth = [0]

    def timed(*args, **kwargs):
        if depth[0]:  # a stage calling itself counts once
            return original(*args, **kwargs)
        depth[0] += 1
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            depth[0] -= 1
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if isinstance(stages, CpuStages):
                stages.add_both(name, wall, cpu)
            else:
                stages.add(name, wall)

    setattr(module, attribute, timed)
    try:
        yield True
    finally:
        setattr(module, attribute, original)


BUILD_STAGES = (  # (module, function, stage): in the order a build runs them
    ("bot.corpus.loader", "clean_text", "clean (mojibake, markup, notes)"),
    ("bot.corpus.loader", "attribute", "attribution (jieba POS)"),
    ("bot.corpus.loader", "judge_stances", "stance"),
    ("bot.search.build", "analyse_all", "analyse passages (fold, segment, readings)"),
    ("bot.search.build", "_postings", "postings"),
    ("bot.search.build", "reverse_dictionary", "English dictionary"),
    ("bot.search.duplicates.Groups", "build", "near-duplicates (MinHash)"),
    ("bot.search.saved", "save", "save"),
)


def _target(path: str):
    import importlib

    try:
        return importlib.import_module(path)
    except ImportError:
        module, _, name = path.rpartition(".")
        return getattr(importlib.import_module(module), name)


@contextmanager
def load_stages(stages: Stages) -> Iterator[None]:
    """Wrap the build's stage functions for the duration of one build in this process."""
    with ExitStack() as stack:
        for path, attribute, name in BUILD_STAGES:
            stack.enter_context(_wrapped(_target(path), attribute, stages, name))
        yield


def measure(seeds: Path) -> dict:
    from bot.config import Settings
    from bot.search.library import Library
    from bot.search import saved

    stages = CpuStages()
    settings = Settings.load(seeds_dir=seeds)
    wall, cpu = time.perf_counter(), time.process_time()
    with load_stages(stages), tempfile.TemporaryDirectory(prefix="quote-stages-") as folder:
        library = Library.load(settings, workers=1)
        saved.save(library, Path(folder) / "library", "stages")  # looked up now: the wrapped one
    total_wall, total_cpu = time.perf_counter() - wall, time.process_time() - cpu
    rows = {name: {"wall_s": round(stages.seconds.get(name, 0.0), 2), "cpu_s": round(stages.cpu.get(name, 0.0), 2)}
            for _p, _a, name in BUILD_STAGES}
    rows["other"] = {"wall_s": round(total_wall - sum(stages.seconds.values()), 2),
                     "cpu_s": round(total_cpu - sum(stages.cpu.values()), 2)}
    return {"seeds": str(seeds), "passages": len(library.corpus.passages), "stages": rows,
            "total": {"wall_s": round(total_wall, 2), "cpu_s": round(total_cpu, 2)}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, required=True, help="library folder (as BOT_SEEDS)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure(args.seeds)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(f"{result['seeds']}: {result['passages']} passages, one process")
    print("| stage | wall s | CPU s |\n|---|---|---|")
    for name, row in [*result["stages"].items(), ("total", result["total"])]:
        print(f"| {name} | {row['wall_s']:.2f} | {row['cpu_s']:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
