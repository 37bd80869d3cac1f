"""Where build time goes: ``bot index build``'s work split into stages, wall and CPU seconds.

    python bench/stages.py --seeds DIR [--cached] [--json]

One process, one core (``workers=1``), so every stage's CPU time is this process's own
(``time.process_time``) and the stages add up; ``bot index build`` runs the cleaning and the
passage analysis on every core, so its wall time is lower. The stages are the build's own
functions, wrapped in this process only (module attributes replaced for one build and put
back; no source file changes): cleaning (mojibake repair, markup, pinyin notes), attribution,
stance, passage analysis (fold, segment, readings, terms), postings, near-duplicate groups,
the English dictionary, saving. With ``--cached`` the build is a rebuild: every article's entry
is first saved in a temporary cache (untimed), then read back (``bot.search.articles``), so the
figures are what a rebuild after a small change costs. Stages are exclusive (the tagger's time, reached
inside attribution, is not attribution's), so they add up. A stage whose function is renamed upstream reads 0 and shows
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
def _wrapped(module, attribute: str, stages: Stages, name: str, inside: list[list[float]]) -> Iterator[bool]:
    """``module.attribute`` timed as stage ``name`` for the duration of the block. Stages are
    exclusive: a stage reached inside another (the tagger inside attribution) is taken out of the
    outer one's time, so the stages add up (``inside``: the calls running now, innermost last, each
    with the wall and CPU seconds of the stages inside it so far)."""
    original = getattr(module, attribute, None)
    if original is None:
        yield False
        return
    depth = [0]

    def timed(*args, **kwargs):
        if depth[0]:  # a stage calling itself counts once
            return original(*args, **kwargs)
        depth[0] += 1
        inside.append([0.0, 0.0])
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            depth[0] -= 1
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            inner_wall, inner_cpu = inside.pop()
            if inside:
                inside[-1][0] += wall
                inside[-1][1] += cpu
            if isinstance(stages, CpuStages):
                stages.add_both(name, wall - inner_wall, cpu - inner_cpu)
            else:
                stages.add(name, wall - inner_wall)

    setattr(module, attribute, timed)
    try:
        yield True
    finally:
        setattr(module, attribute, original)


BUILD_STAGES = (  # (module, function, stage): in the order a build runs them; a stage named twice is
    # the same work reached two ways (``Library.load`` per article, ``load_corpus`` + ``from_corpus`` whole)
    ("bot.search.articles.store.ArticleStore", "get", "read saved articles"),
    ("bot.corpus.mojibake", "load_char_model", "mojibake character model (once a process)"),
    ("bot.corpus.loader", "clean_text", "clean (mojibake, markup, notes)"),
    ("bot.corpus.loader", "attribute", "attribution rules"),
    ("bot.corpus.attribution.names", "_tagged_run", "part-of-speech tags (jieba, in attribution)"),
    ("bot.search.articles.work", "analyse_batch", "analyse passages (fold, segment, readings)"),
    ("bot.search.build", "analyse_all", "analyse passages (fold, segment, readings)"),
    ("bot.search.articles.store.ArticleStore", "put", "save article entries"),
    ("bot.search.articles.work", "read_alone", "stance, each article on its own"),
    ("bot.search.articles.load", "judge_stances", "stance across documents"),
    ("bot.corpus.loader", "judge_stances", "stance across documents"),
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
    inside: list[list[float]] = []
    with ExitStack() as stack:
        for path, attribute, name in BUILD_STAGES:
            stack.enter_context(_wrapped(_target(path), attribute, stages, name, inside))
        yield


def measure(seeds: Path, cached: bool = False) -> dict:
    from dataclasses import replace

    from bot.config import Settings
    from bot.search.library import Library
    from bot.search import saved

    stages = CpuStages()
    with tempfile.TemporaryDirectory(prefix="quote-stages-") as folder:
        settings = replace(Settings.load(seeds_dir=seeds), cache_dir=Path(folder) / "cache" if cached else None)
        if cached:
            Library.load(settings, workers=1)  # every article's entry saved; not timed
        wall, cpu = time.perf_counter(), time.process_time()
        with load_stages(stages):
            library = Library.load(settings, workers=1)
            saved.save(library, Path(folder) / "library", "stages")  # looked up now: the wrapped one
        total_wall, total_cpu = time.perf_counter() - wall, time.process_time() - cpu
    rows = {name: {"wall_s": round(stages.seconds.get(name, 0.0), 2), "cpu_s": round(stages.cpu.get(name, 0.0), 2)}
            for _p, _a, name in BUILD_STAGES}  # a stage named twice: one row
    rows["other"] = {"wall_s": round(total_wall - sum(stages.seconds.values()), 2),
                     "cpu_s": round(total_cpu - sum(stages.cpu.values()), 2)}
    return {"seeds": str(seeds), "cached": cached, "passages": len(library.corpus.passages), "stages": rows,
            "total": {"wall_s": round(total_wall, 2), "cpu_s": round(total_cpu, 2)}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, required=True, help="library folder (as BOT_SEEDS)")
    parser.add_argument("--cached", action="store_true", help="time a rebuild with every article's entry saved")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure(args.seeds, args.cached)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    kind = "rebuild from saved articles" if result["cached"] else "full build"
    print(f"{result['seeds']}: {result['passages']} passages, {kind}, one process")
    print("| stage | wall s | CPU s |\n|---|---|---|")
    for name, row in [*result["stages"].items(), ("total", result["total"])]:
        print(f"| {name} | {row['wall_s']:.2f} | {row['cpu_s']:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
