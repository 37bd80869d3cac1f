"""Our search against tantivy and rapidfuzz, same queries, same passages, one process.

    python bench/vs_peers.py [DEV_YAML] [--seeds DIR] [--repeat N] [--json]

DEV_YAML defaults to ../shared/eval/dev.yaml beside the repository; its ``quote`` cases are
the queries. Every system gets the cleaned passages of the same loaded ``Library`` (so
cleaning is not what is compared), returns its 10 best, and is judged by
``bot.evaluation.contains`` as ``bot eval`` judges the bot. Latency is per call, after one
warm-up pass, over N passes of all queries.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import DEFAULT_DEV, latency_summary, time_calls  # noqa: E402

LIMIT = 10


def systems(library, settings, segmenter: str) -> tuple[list, dict]:
    """Every system under test, built over the library's passages; build seconds per system."""
    from bench.ours import OursIndex, OursQuote
    from bench.peer_rapidfuzz import RapidfuzzPeer
    from bench.peer_tantivy import TantivyPeer

    passages = list(library.corpus.passages)
    built, builds = [OursIndex(library, settings), OursQuote(library, settings)], {}
    for make in (lambda: TantivyPeer(passages, segmenter), lambda: RapidfuzzPeer(passages)):
        started = time.perf_counter()
        system = make()
        builds[system.name] = round(time.perf_counter() - started, 3)
        built.append(system)
    return built, builds


def run(dev: Path, seeds: Path | None, repeat: int, segmenter: str = "auto", saved: Path | None = None) -> dict:
    from bot.config import Settings
    from bot.search.library import Library

    from bench.cases import judge, quote_cases, rank_of

    settings = Settings.load(seeds_dir=seeds)
    started = time.perf_counter()
    if saved:
        from bench.saved_index import load

        library, _seconds = load(saved)
    else:
        library = Library.load(settings)
    load_s = time.perf_counter() - started
    cases = quote_cases(dev)
    queries = [c.query for c in cases]
    found, builds = systems(library, settings, segmenter)
    results = {}
    for system in found:
        ranks = [(case, rank_of(system.search(case.query, LIMIT), case)) for case in cases]
        samples = time_calls(lambda q: system.search(q, LIMIT), queries, repeat)
        results[system.name] = {"quality": judge(ranks), "latency": latency_summary(samples)}
    tantivy = next(s for s in found if s.name.startswith("tantivy"))
    return {
        "seeds": str(settings.seeds_dir),
        "passages": len(library.corpus.passages),
        "queries": len(queries),
        "repeat": repeat,
        "library_load_s": round(load_s, 3),
        "library_from": "saved index" if saved else "Library.load",
        "build_s": builds,
        "segmenter": tantivy.segmenter_name,
        "systems": results,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev", nargs="?", type=Path, default=DEFAULT_DEV, help="dev set (default ../shared/eval/dev.yaml)")
    parser.add_argument("--seeds", type=Path, default=None, help="library folder (default: the bundled seeds/)")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the queries")
    parser.add_argument("--segmenter", choices=("auto", "rjieba", "jieba"), default="auto",
                        help="tantivy peer's segmenter: same tokens either way, rjieba is faster")
    parser.add_argument("--json", action="store_true", help="print one JSON object (for run_all)")
    parser.add_argument("--library", type=Path, help="load the library saved by scale.py --save-library "
                        "(the same passages, without the load; for large libraries)")
    args = parser.parse_args(argv)
    if not args.dev.exists():
        print(f"error: no dev set at {args.dev}", file=sys.stderr)
        return 2
    result = run(args.dev, args.seeds, args.repeat, args.segmenter, args.library)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        from bench.report import peers_report

        print(peers_report({"runs": 1, "peers": {"1x": result}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
