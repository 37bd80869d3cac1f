"""Build time, first and incremental, beside tantivy building an index of the same passages.

    python bench/incremental.py --seeds DIR [--check] [--json]

Each build is ``bot index build`` in a fresh process (``bot.search.cache.build``, every core),
on a private copy of the library folder and a private cache folder:

1. **first build**: empty cache: every article cleaned, attributed and analysed, its entry saved;
2. **no-change rebuild**: every article's entry reused; the stages that read across documents
   (stance, postings, English dictionary, near-duplicates, save) run again;
3. **one article added**: a new article (one of the library's own, with every tenth Han
   character changed, under a new name) is cleaned and analysed, the rest reused.

Wall seconds, and CPU seconds of the build process and its workers together (steadier than wall
on a shared machine). The peer is tantivy (``bench/peer_tantivy.py``: jieba words and character
grams of every passage, analysed in Python, indexed in Rust on one writer thread, committed to
disk), timed in this process on the passages the first build saved; ratios are ours / tantivy's.
``--keep DIR`` copies the last saved library to DIR (its seeds to DIR-seeds, the first build's
library to DIR-first). ``--check`` also builds the one-article-added folder with no cache and compares the two saved
libraries field by field (``bench/same_library.py``): "identical" or the differences.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.same_library import differences  # noqa: E402

BUILD = (
    "import sys\n"
    "from bot.config import settings_from_env\n"
    "from bot.search import cache\n"
    "report = cache.build(settings_from_env(), progress=False)\n"
    "print(report.path, report.passages, len(report.problems))\n"
)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_build(seeds: Path, cache: Path) -> dict:
    """One ``bot index build`` in a fresh process: wall and CPU seconds (its workers included), the saved folder."""
    env = {**os.environ, "BOT_SEEDS": str(seeds), "BOT_CACHE_DIR": str(cache),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    wall, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run([sys.executable, "-c", BUILD], env=env, capture_output=True, text=True, cwd=REPO)
    wall, cpu = time.perf_counter() - wall, _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stderr[-2000:]}")
    path, passages, problems = done.stdout.split()[-3:]
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "path": path, "passages": int(passages),
            "problems": int(problems)}


def new_article(seeds: Path) -> Path:
    """A new article made from the largest of the folder's own: every tenth Han character changed
    (so it shares no entry with it), saved under a name no article has."""
    from bot.chars import is_han

    source = max((p for p in seeds.iterdir() if p.suffix in (".txt", ".md")), key=lambda p: p.stat().st_size)
    text = source.read_text(encoding="utf-8")
    seen = 0
    changed = []
    for char in text:
        if is_han(char):
            seen += 1
            if seen % 10 == 0:
                char = "新" if char != "新" else "旧"
        changed.append(char)
    target = seeds / f"zz_added_{source.stem}{source.suffix}"
    target.write_text("".join(changed), encoding="utf-8")
    return target


def tantivy_build(saved_folder: Path) -> dict:
    """tantivy's build of the saved library's passages, wall and CPU seconds in this process."""
    from bench.peer_tantivy import TantivyPeer
    from bot.search.saved import open_library, read_header

    library = open_library(saved_folder, read_header(saved_folder)["key"])
    passages = list(library.corpus.passages)
    with tempfile.TemporaryDirectory(prefix="quote-tantivy-") as folder:
        wall, cpu = time.perf_counter(), time.process_time()
        TantivyPeer(passages, path=Path(folder) / "index")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "passages": len(passages)}


def run(seeds: Path, check: bool, keep: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="quote-incremental-") as scratch:
        work = Path(scratch) / "seeds"
        shutil.copytree(seeds, work, ignore=shutil.ignore_patterns(".*", "manifest.json"))
        cache = Path(scratch) / "cache"
        result = {"seeds": str(seeds), "builds": {}}
        result["builds"]["first build"] = first = timed_build(work, cache)
        if keep is not None:  # the first build, to compare with a full build by other code
            shutil.rmtree(keep.with_name(keep.name + "-first"), ignore_errors=True)
            shutil.copytree(first["path"], keep.with_name(keep.name + "-first"))
        result["tantivy"] = tantivy_build(Path(first["path"]))
        result["builds"]["no-change rebuild"] = timed_build(work, cache)
        new_article(work)
        result["builds"]["one article added"] = added = timed_build(work, cache)
        if keep is not None:  # the incremental result, to compare with a library built elsewhere
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(added["path"], keep)
            shutil.copytree(work, keep.with_name(keep.name + "-seeds"), dirs_exist_ok=True)
        if check:
            scratch_cache = Path(scratch) / "no-cache"
            full = timed_build(work, scratch_cache)
            found = differences(Path(full["path"]), Path(added["path"]))
            result["identical_to_a_full_build"] = not found
            result["differences"] = found
            result["builds"]["full build, empty cache (for the check)"] = full
    for build in result["builds"].values():
        build.pop("path")
        build["ratio_to_tantivy_wall"] = round(build["wall_s"] / max(result["tantivy"]["wall_s"], 1e-9), 2)
        build["ratio_to_tantivy_cpu"] = round(build["cpu_s"] / max(result["tantivy"]["cpu_s"], 1e-9), 2)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, required=True, help="library folder (as BOT_SEEDS)")
    parser.add_argument("--check", action="store_true", help="compare the incremental result with a full build")
    parser.add_argument("--keep", type=Path, help="copy the one-article-added library here (its seeds beside it)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.seeds, args.check, args.keep)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    tantivy = result["tantivy"]
    print(f"{result['seeds']}: {tantivy['passages']} passages; tantivy builds them in "
          f"{tantivy['wall_s']:.1f} s wall, {tantivy['cpu_s']:.1f} s CPU")
    print("| build | wall s | CPU s (with workers) | wall / tantivy's | CPU / tantivy's |\n|---|---|---|---|---|")
    for name, row in result["builds"].items():
        print(f"| {name} | {row['wall_s']:.1f} | {row['cpu_s']:.1f} | {row['ratio_to_tantivy_wall']:.2f} "
              f"| {row['ratio_to_tantivy_cpu']:.2f} |")
    if "identical_to_a_full_build" in result:
        print("incremental library vs full build:", "identical" if result["identical_to_a_full_build"]
              else "; ".join(result["differences"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
