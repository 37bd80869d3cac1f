"""Latency of /quote searches in-process, and the time to build the index.

    python bench/search_latency.py [DEV_YAML] [--repeat N] [--limit K]

DEV_YAML defaults to ../shared/eval/dev.yaml next to the repository; its ``quote`` queries are
run N times each (after one warm-up pass), the way /quote runs them (all results, for paging).
Prints the vocabulary + index build time (after jieba's and CC-CEDICT's dictionaries are loaded,
fixed once-per-process costs reported separately) and p50/p90/p99/max latency per query.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.corpus.loader import load_corpus  # noqa: E402
from bot.search import cedict  # noqa: E402
from bot.search.index import Index  # noqa: E402
from bot.search.tokenize import _base_dictionary  # noqa: E402
from bot.search.vocabulary import Vocabulary  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dev", nargs="?", default=str(REPO.parent / "shared" / "eval" / "dev.yaml"))
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--limit", type=int, default=1000, help="results asked for (/quote asks for all, to page them)")
    args = parser.parse_args(argv)

    queries = [case["query"] for case in (yaml.safe_load(Path(args.dev).read_text(encoding="utf-8")) or {}).get("quote", [])]
    if not queries:
        print(f"no quote queries in {args.dev}", file=sys.stderr)
        return 1
    settings = Settings.load()

    started = time.perf_counter()
    _base_dictionary()
    jieba_s = time.perf_counter() - started
    started = time.perf_counter()
    cedict_entries = len(cedict.entries())
    cedict_s = time.perf_counter() - started
    started = time.perf_counter()
    corpus = load_corpus(settings.seeds_dir, settings.config_dir)
    corpus_s = time.perf_counter() - started
    builds = []
    for _ in range(3):
        started = time.perf_counter()
        vocabulary = Vocabulary.load(settings.config_dir, corpus)
        index = Index.build(corpus, vocabulary)
        builds.append(time.perf_counter() - started)

    for query in queries:  # warm-up: first-use caches (readings, converters)
        index.search(query, limit=args.limit, pool=settings.candidate_pool)
    timings = []
    for _ in range(args.repeat):
        for query in queries:
            started = time.perf_counter()
            index.search(query, limit=args.limit, pool=settings.candidate_pool)
            timings.append((time.perf_counter() - started) * 1000)

    print(f"passages: {len(corpus.passages)}  queries: {len(queries)} x {args.repeat}")
    print(
        f"once per process: jieba dictionary {jieba_s:.2f} s, CC-CEDICT {cedict_s:.2f} s ({cedict_entries} entries)"
        f"   corpus load: {corpus_s:.2f} s"
    )
    print(f"vocabulary + index build: best {min(builds):.3f} s, median {statistics.median(builds):.3f} s")
    print(
        f"search latency ms: p50 {percentile(timings, 0.5):.2f}  p90 {percentile(timings, 0.9):.2f}  "
        f"p99 {percentile(timings, 0.99):.2f}  max {max(timings):.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
