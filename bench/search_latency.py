"""Latency of /quote searches in-process, and the time to build the index.

    python bench/search_latency.py [DEV_YAML] [--repeat N] [--limit K]
    python bench/search_latency.py --held-out KIND SCALE [--repeat N] [--profile FILE] [--reuse] [--tantivy]

DEV_YAML defaults to ../shared/eval/dev.yaml next to the repository; its ``quote`` queries are
run N times each (after one warm-up pass), the way /quote runs them (all results, for paging).
Prints the vocabulary + index build time (after jieba's and CC-CEDICT's dictionaries are loaded,
fixed once-per-process costs reported separately) and p50/p90/p99/max latency per query.

``--held-out`` runs the size benchmark's held-out cases (``bench/held_out.py``, written by
``bench/sizes.py`` to the benchmark folder) through ``/quote`` exactly as ``bench/ours.py``
does, on the KIND (synth|spliced) library at SCALE (``bench/libraries.py``), saved once in
``$TMPDIR/quote-bot-bench/latency-cache/``. It prints wall p50/p99, the CPU time per query
(``time.process_time``: on a shared machine it drifts far less than wall time) and recall@1,
and with ``--profile`` writes a cProfile of the timed passes. ``--reuse`` opens the newest
library saved there even when the query-side code changed since (the saved arrays do not
depend on it; the build side must be unchanged): it saves a rebuild per edit while iterating.
``--tantivy`` then times tantivy (``bench/peer_tantivy.py``) on the same passages and cases in
the same process, alternating with ours, and prints the ratio of CPU time per query.

``--stages`` (with ``--held-out``) times each stage of every case (CPU time of this thread, the
best of three passes) and prints them for the slowest 5 %, the median cases and each kind: where
the tail goes, and what a slow query does that a fast one does not. ``--pool N`` runs the cases
with a BM25 pool of N instead of ``settings.candidate_pool`` (a what-if: recall and cost).

``--answers FILE`` (with ``--held-out``) writes every answer instead of timing: for the held-out
cases and the dev set's /quote queries, the whole match list (passage, score, ``also_in``, up to
1,000) and the /quote reply (a page of 10 and the default page); for its /who-said queries and
``/compare open closed`` the reply. ``--same-answers A B`` then says which differ: the check
that a change to the query side left every answer as it was.
"""

from __future__ import annotations

import argparse
import dataclasses
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
from bot.search.tokenize import make_tokenizer  # noqa: E402
from bot.search.vocabulary import Vocabulary  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _held_out_library(kind: str, scale: int, reuse: bool, pool: int | None = None):
    import os

    from bench import libraries
    from bot.search import cache, saved

    folder = libraries.folder(REPO / "seeds", kind, scale)
    cache_dir = libraries.DEFAULT_ROOT / "latency-cache" / f"{kind}-{scale}x"
    os.environ.update(BOT_SEEDS=str(folder), BOT_CACHE_DIR=str(cache_dir))
    settings = Settings.load(None, folder, cache_dir)
    if pool:
        settings = dataclasses.replace(settings, candidate_pool=pool)
    if reuse and cache_dir.is_dir():
        newest = sorted(cache_dir.glob(f"{cache.PREFIX}*"), key=lambda p: p.stat().st_mtime)
        for path in reversed(newest):
            try:
                return saved.open_library(path, saved.read_header(path).get("key")), settings
            except saved.SavedLibraryError:
                continue
    return cache.load_library(settings), settings


def _cpu_per_query(search, cases, repeat: int) -> tuple[float, list[float]]:
    """CPU ms per query (``time.process_time`` over all the passes) and each query's wall ms."""
    timings, cpu_started = [], time.process_time()
    for _ in range(repeat):
        for case in cases:
            started = time.perf_counter()
            search(case.query, 10)
            timings.append((time.perf_counter() - started) * 1000)
    return (time.process_time() - cpu_started) * 1000 / max(1, len(timings)), timings


def _cases():
    import json

    from bench import held_out as held_out_cases, libraries

    cases_path = libraries.DEFAULT_ROOT / "held-out-cases.json"
    if not cases_path.exists():
        print(f"no held-out cases at {cases_path}: run bench/sizes.py once", file=sys.stderr)
        return None
    return held_out_cases.from_json(json.loads(cases_path.read_text(encoding="utf-8")))


def held_out(kind: str, scale: int, repeat: int, profile: str | None, reuse: bool, peer: bool = False,
             pool: int | None = None) -> int:
    from bench.cases import judge, rank_of
    from bench.ours import OursQuote

    cases = _cases()
    if cases is None:
        return 1
    started = time.perf_counter()
    library, settings = _held_out_library(kind, scale, reuse, pool)
    load_s = time.perf_counter() - started
    search = OursQuote(library, settings).search
    ranks = [(case, rank_of(search(case.query, 10), case)) for case in cases]  # warm-up, and the quality
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    cpu_ms, timings = _cpu_per_query(search, cases, repeat)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    quality = judge(ranks)
    by_kind = "  ".join(f"{k} {v['recall@1']:.2f}" for k, v in quality["kinds"].items())
    quality = quality["overall"]
    print(f"{kind} {scale}x: {library.index.size} passages, opened in {load_s:.2f} s; {len(cases)} cases x {repeat}"
          f"; BM25 pool {settings.candidate_pool}")
    print(f"recall@1 by kind: {by_kind}")
    print(f"recall@1 {quality['recall@1']:.3f}  wall ms p50 {percentile(timings, 0.5):.2f} "
          f"p99 {percentile(timings, 0.99):.2f}  CPU ms/query {cpu_ms:.2f}")
    if peer:  # tantivy on the same passages and cases, in this process: a CPU-time ratio a shared machine barely moves
        from bench.peer_tantivy import TantivyPeer

        tantivy = TantivyPeer(list(library.corpus.passages)).search
        for case in cases:
            tantivy(case.query, 10)
        rounds = []
        for _ in range(3):  # alternate, so drifting load falls on both
            rounds.append((_cpu_per_query(search, cases, repeat)[0], _cpu_per_query(tantivy, cases, repeat)[0]))
        ours_ms, peer_ms = min(r[0] for r in rounds), min(r[1] for r in rounds)
        print(f"CPU ms/query, best of 3 alternating rounds: ours {ours_ms:.2f}  tantivy {peer_ms:.3f}  "
              f"ours / tantivy {ours_ms / peer_ms:.1f}x")
    return 0


def stages(kind: str, scale: int, reuse: bool, pool: int | None = None) -> int:
    """Each case's CPU time by stage (see ``bench/query_stages.py``), the tail beside the median."""
    from bench.ours import OursQuote
    from bench.query_stages import StageClock, report

    cases = _cases()
    if cases is None:
        return 1
    library, settings = _held_out_library(kind, scale, reuse, pool)
    search = OursQuote(library, settings).search
    for case in cases:
        search(case.query, 10)
    with StageClock() as clock:
        timed = clock.best_of(3, [(case.kind, case.query) for case in cases], lambda query: search(query, 10))
    print(f"{kind} {scale}x, BM25 pool {settings.candidate_pool}: CPU ms per stage, best of 3 passes")
    print(report(timed))
    return 0


def answers(kind: str, scale: int, dev: str, out: str) -> int:
    """Every answer on the KIND library at SCALE, as JSON (see ``--answers``)."""
    import json

    from bench import held_out as held_out_cases, libraries
    from bot.commands.dispatch import answer, ask
    from bot.commands.parse import Request
    from bot.commands.results import QUOTE, WHO_SAID

    cases = held_out_cases.from_json(json.loads((libraries.DEFAULT_ROOT / "held-out-cases.json").read_text(encoding="utf-8")))
    asked = yaml.safe_load(Path(dev).read_text(encoding="utf-8")) or {}
    quotes = [c.query for c in cases] + [q["query"] for q in asked.get("quote", [])]
    library, settings = _held_out_library(kind, scale, True)
    found: dict[str, object] = {}
    for query in quotes:
        matches = library.index.search(query, limit=1000, pool=settings.candidate_pool)
        found[f"matches {query}"] = [(m.number, m.score, list(m.also_in)) for m in matches]
        found[f"quote10 {query}"] = answer(Request(QUOTE, query), library, settings, limit=10).as_json()
        found[f"quote {query}"] = answer(Request(QUOTE, query), library, settings).as_json()
    for query in [q["query"] for q in asked.get("who_said", [])]:
        found[f"who-said {query}"] = answer(Request(WHO_SAID, query), library, settings).as_json()
    found["compare"] = ask("/compare open closed", library, settings).as_json()
    Path(out).write_text(json.dumps(found, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    print(f"{len(found)} answers on {kind} {scale}x written to {out}")
    return 0


def same_answers(before: str, after: str) -> int:
    import json

    a, b = (json.loads(Path(p).read_text(encoding="utf-8")) for p in (before, after))
    differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
    print(f"{len(a.keys() | b.keys()) - len(differ)} answers the same, {len(differ)} differ")
    for key in differ[:40]:
        print("  differs:", key[:80])
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dev", nargs="?", default=str(REPO.parent / "shared" / "eval" / "dev.yaml"))
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--limit", type=int, default=1000, help="results asked for (/quote asks for all, to page them)")
    parser.add_argument("--held-out", nargs=2, metavar=("KIND", "SCALE"), help="the size benchmark's cases on this library")
    parser.add_argument("--profile", help="with --held-out: write a cProfile of the timed passes here")
    parser.add_argument("--reuse", action="store_true", help="with --held-out: open the newest saved library, whatever code saved it")
    parser.add_argument("--tantivy", action="store_true", help="with --held-out: CPU time per query beside tantivy's, as a ratio")
    parser.add_argument("--stages", action="store_true", help="with --held-out: CPU time of each stage, tail against median")
    parser.add_argument("--pool", type=int, help="with --held-out: this BM25 pool instead of settings.candidate_pool (a what-if)")
    parser.add_argument("--answers", metavar="FILE", help="with --held-out: write every answer (no timing)")
    parser.add_argument("--same-answers", nargs=2, metavar=("A", "B"), help="which answers of two --answers files differ")
    args = parser.parse_args(argv)
    if args.same_answers:
        return same_answers(*args.same_answers)
    if args.held_out and args.answers:
        return answers(args.held_out[0], int(args.held_out[1]), args.dev, args.answers)
    if args.held_out and args.stages:
        return stages(args.held_out[0], int(args.held_out[1]), args.reuse, args.pool)
    if args.held_out:
        return held_out(args.held_out[0], int(args.held_out[1]), args.repeat, args.profile, args.reuse, args.tantivy,
                        args.pool)

    queries = [case["query"] for case in (yaml.safe_load(Path(args.dev).read_text(encoding="utf-8")) or {}).get("quote", [])]
    if not queries:
        print(f"no quote queries in {args.dev}", file=sys.stderr)
        return 1
    settings = Settings.load()

    started = time.perf_counter()
    make_tokenizer(())
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
        f"once per process: segmenter dictionary {jieba_s:.2f} s, CC-CEDICT {cedict_s:.2f} s ({cedict_entries} entries)"
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
