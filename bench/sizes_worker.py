"""One process of the size benchmark (driven by ``bench/sizes.py``; not run by hand).

    python bench/sizes_worker.py build-peer SYSTEM STATE
    python bench/sizes_worker.py serve SYSTEM STATE CASES_JSON
    python bench/sizes_worker.py pool PROCESSES CASES_JSON

``build-peer`` loads our saved library (``BOT_SEEDS``/``BOT_CACHE_DIR`` in the environment)
for its passages, then times building and saving the peer's own index under STATE: the
peers get the same cleaned paragraphs we do.

``serve`` is a restarted worker: it loads SYSTEM from what STATE holds (ours: the bot's own
``load_library``, exactly as ``bot ask``/``bot serve`` start), answers the first case, prints
``{"event": "loaded"}`` (the parent times process start to this line: the restart), answers
more cases for a few seconds as a warm worker would, prints ``{"event": "ready", ...}`` and
waits on stdin: ``measure REPEAT BUDGET_S`` ranks and times every case and prints the result;
``quit`` exits. The parent reads the worker's PSS while it waits.

``pool`` is our bot's search processes started the way ``bot serve`` starts them: this process
plays the web worker (which holds no library) and opens a ``bot.slack.searching.SearchPool`` of
PROCESSES processes over the saved library, exactly as ``bot/slack/server.py`` does (forked from
a forkserver that preloads the search stack). It sends the first case through the pool and
prints ``{"event": "loaded"}`` (process start to this line: the restart), answers every case
through the pool as a warm server would, prints ``{"event": "ready", "pids": [...]}`` with the
search processes' ids and waits for ``quit``. The parent measures the pool's processes (search
processes, forkserver, resource tracker: every descendant of this one).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import latency_summary, rss_mb  # noqa: E402

LIMIT = 10
CANDIDATES = 200  # a peer's deeper list: would the original survive it as our candidate generator?
WARM_BUDGET_S = 15.0
SYSTEMS = ("ours", "tantivy", "rapidfuzz", "postgres")
POSTGRES_DSN = "BENCH_POSTGRES_DSN"  # set by bench/sizes.py, which runs the server
TANTIVY_DIR = "tantivy"
RAPIDFUZZ_FILE = "rapidfuzz.pickle"


def say(**event) -> None:
    print(json.dumps(event, ensure_ascii=False), flush=True)


def our_library():
    from bot.cli import load_library, settings_from_env

    settings = settings_from_env()
    return load_library(settings), settings


def build_peer(system: str, state: Path) -> dict:
    library, _settings = our_library()
    passages = list(library.corpus.passages)
    started = time.perf_counter()
    if system == "tantivy":
        from bench.peer_tantivy import TantivyPeer

        TantivyPeer(passages, path=state / TANTIVY_DIR)
        size = sum(p.stat().st_size for p in (state / TANTIVY_DIR).rglob("*") if p.is_file())
    elif system == "postgres":
        from bench.peer_postgres import PostgresPeer

        size = PostgresPeer.build(passages, os.environ[POSTGRES_DSN]).size_bytes()
    else:
        from bench.peer_rapidfuzz import RapidfuzzPeer

        size = RapidfuzzPeer(passages).save(state / RAPIDFUZZ_FILE)
    seconds = time.perf_counter() - started
    return {"build_s": round(seconds, 3), "bytes": size, "passages": len(passages),
            "documents": len(library.corpus.documents), "chars": sum(len(p.text) for p in passages)}


def open_system(system: str, state: Path):
    """A ``search(text, limit) -> passages`` callable for SYSTEM, loaded the way a restart loads it."""
    if system == "ours":
        from bench.ours import OursQuote

        return OursQuote(*our_library()).search, None
    if system == "tantivy":
        from bench.peer_tantivy import TantivyPeer

        return TantivyPeer.open(state / TANTIVY_DIR).search, None
    if system == "postgres":
        from bench.peer_postgres import PostgresPeer

        return PostgresPeer(os.environ[POSTGRES_DSN]).search, None
    from bench.peer_rapidfuzz import RapidfuzzPeer

    peer = RapidfuzzPeer.open(state / RAPIDFUZZ_FILE)
    return peer.search, peer


def copies(cases, peer) -> dict:
    """How many cases' expected text a generated ("syn…") passage also holds word for word."""
    from bot.search.normalise import fold

    generated = "\0".join(f for p, f in zip(peer.passages, peer.folded) if p.doc_id.startswith("syn"))
    counts = [generated.count(fold(c.expect)) for c in cases]
    return {"cases_with_copies": sum(1 for n in counts if n), "median_copies": sorted(counts)[len(counts) // 2]}


def measure(search, cases, repeat: int, budget_s: float) -> dict:
    from bench.cases import judge, rank_of

    ranks, samples = [], []
    for _pass in range(max(repeat, 1)):
        for case in cases:
            started = time.perf_counter()
            found = search(case.query, LIMIT)
            samples.append((time.perf_counter() - started) * 1000)
            if _pass == 0:
                ranks.append((case, rank_of(found, case)))
        if sum(samples) / 1000 >= budget_s:
            break
    return {"quality": judge(ranks), "latency": latency_summary(samples), "passes": len(samples) // len(cases)}


def candidate_recall(search, cases) -> float:
    """Share of cases whose original passage is among the first CANDIDATES a peer returns (not timed)."""
    from bench.cases import contains

    found = sum(any(contains(p, c.doc, c.expect) for p in search(c.query, CANDIDATES)) for c in cases)
    return round(found / max(len(cases), 1), 4)


def serve(system: str, state: Path, cases_path: Path) -> int:
    from bench.held_out import from_json

    cases = from_json(json.loads(cases_path.read_text(encoding="utf-8")))
    search, peer = open_system(system, state)
    search(cases[0].query, LIMIT)
    say(event="loaded")
    started = time.perf_counter()
    for case in cases:
        if time.perf_counter() - started > WARM_BUDGET_S:
            break
        search(case.query, LIMIT)
    say(event="ready", rss_mb=round(rss_mb(), 1))
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "measure":
            result = measure(search, cases, int(words[1]), float(words[2]))
            result["rss_mb"] = round(rss_mb(), 1)
            if system != "ours":
                result["candidate_recall"] = candidate_recall(search, cases)
            if peer is not None:
                result["copies"] = copies(cases, peer)
            say(event="result", **result)
    return 0


def pool(processes: int, cases_path: Path) -> int:
    from bench.held_out import from_json
    from bot.config import settings_from_env
    from bot.slack.answering import command_outcome
    from bot.slack.searching import SearchPool

    cases = from_json(json.loads(cases_path.read_text(encoding="utf-8")))
    settings = settings_from_env()
    searcher = SearchPool(settings, processes)
    searcher.open_in_background().join()
    searcher.submit(command_outcome, "/quote", cases[0].query, settings=settings).result()
    say(event="loaded")
    started = time.perf_counter()
    pending = []
    for case in cases:  # several at once, so every process of the pool answers some
        if time.perf_counter() - started > WARM_BUDGET_S:
            break
        pending.append(searcher.submit(command_outcome, "/quote", case.query, settings=settings))
    labels = [future.result().label for future in pending]
    say(event="ready", answered=labels.count("answered"), asked=len(labels),
        pids=sorted(p.pid for p in multiprocessing.active_children()))
    for line in sys.stdin:
        if not line.split() or line.split()[0] == "quit":
            break
    searcher.close()
    return 0


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "build-peer" and argv[1] in SYSTEMS[1:]:
        say(event="built", **build_peer(argv[1], Path(argv[2])))
        return 0
    if len(argv) >= 4 and argv[0] == "serve" and argv[1] in SYSTEMS:
        return serve(argv[1], Path(argv[2]), Path(argv[3]))
    if len(argv) >= 3 and argv[0] == "pool" and argv[1].isdigit():
        return pool(int(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
