"""Our bot against tantivy and a rapidfuzz scan as the library grows: held-out /quote cases, 1x to 1000x.

    python bench/sizes.py [--kind synth|spliced|both] [--sizes 1,10,100] [--runs 1]
                          [--write docs/BENCHMARKS.md] [--render-only]

For each library kind (``bench/libraries.py``) and size, in fresh processes:

- build: ours is ``python -m bot index build`` on the library folder (cleaning, attribution,
  index, save), timed from outside with the peak RSS of its process tree; each peer builds its
  own saved index from the same cleaned passages (``bench/sizes_worker.py build-peer``);
- restart and memory, ours: three search processes started the way ``bot serve`` starts them —
  a ``bot.slack.searching.SearchPool`` of three processes (forked from a forkserver that
  preloads the search stack) opened by a process playing the web worker, which holds no library
  (``bench/sizes_worker.py pool``). The restart is one process's start to its first answer from
  the saved library (as the peers'), and beside it ``pool_restart_s``: that web process's start
  to the first /quote answered through its pool of three; the memory is the RSS of one search process and the sum of the PSS
  (psutil ``memory_full_info().pss``) of every process the pool runs — the three search
  processes, the forkserver and multiprocessing's resource tracker — after they have answered
  the cases;
- restart and memory, peers: three workers start one after the other from the saved index;
  each is timed from process start to its first answer (the figure is their median); the RSS of
  one, and the sum of the three workers' PSS while all three hold their index;
- quality and latency: the held-out cases (``bench/held_out.py``, answer = the original seed
  passage) through /quote for ours (in one process, so the figures are the search, not the
  pool's messaging), each peer's search for them; recall@1 and p50/p99 per query.

Results are kept per (kind, size) in ``--raw`` (default in the temp folder) and merged across
invocations, so 1000x can be run by hand (``--sizes 1000``) and rendered with the rest. With
``--write``, the tables replace the part of the file between the ``sizes`` markers.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import held_out, libraries  # noqa: E402
from bench.measure import DEFAULT_DEV, REPO, code_digest, machine  # noqa: E402
from bench.run_all import load_average, log, median_tree, write  # noqa: E402
from bench.sizes_worker import POSTGRES_DSN  # noqa: E402

BEGIN, END = "<!-- sizes: begin -->", "<!-- sizes: end -->"
SYSTEMS = ("ours", "tantivy", "rapidfuzz", "postgres")  # postgres only when asked (--systems)
DEFAULT_SYSTEMS = "ours,tantivy,rapidfuzz"
WORKERS = 3
BUILD_TIMEOUT_S = 7200
WORKER_TIMEOUT_S = 1800
POLL_S = 0.1
WORKER = str(REPO / "bench" / "sizes_worker.py")


def tree_rss(process) -> int:
    import psutil

    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_timed(argv: list[str], env: dict, timeout: float) -> dict:
    """Run to the end; wall and CPU seconds (user + system of the whole process tree, which a shared
    machine inflates less than wall time), peak RSS of the process tree (MB), the last stdout line."""
    import resource

    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watched, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        try:
            peak = max(peak, tree_rss(watched))
        except psutil.Error:
            pass
        if time.perf_counter() - started > timeout:
            proc.kill()
            break
        time.sleep(POLL_S)
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result = {"seconds": round(seconds, 3), "cpu_s": round(cpu, 2), "peak_rss_mb": round(peak / 2**20, 1),
              "exit": proc.returncode}
    if proc.returncode != 0:
        result["error"] = (err.strip().splitlines() or [f"exit {proc.returncode}"])[-1][:300]
    lines = [line for line in out.splitlines() if line.startswith("{")]
    result["last"] = json.loads(lines[-1]) if lines else None
    return result


def read_event(proc, name: str, timeout: float) -> dict:
    deadline = time.perf_counter() + timeout
    while True:
        remaining = deadline - time.perf_counter()
        ready, _, _ = select.select([proc.stdout], [], [], max(remaining, 0))
        if not ready:
            raise TimeoutError(f"no {name!r} from worker within {timeout:.0f} s")
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker ended before {name!r} (exit {proc.wait()})")
        if line.startswith("{"):
            event = json.loads(line)
            if event.get("event") == name:
                return event


def stop_worker(proc, timeout: float) -> None:
    """Ask a worker to quit; kill it if it does not within ``timeout`` seconds."""
    if proc.poll() is None:
        try:
            proc.stdin.write("quit\n")
            proc.stdin.flush()
            proc.wait(timeout=timeout)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()


def serve_pool(cases: Path, env: dict) -> dict:
    """Ours as ``bot serve`` runs it: restart, RSS of one search process, PSS of the whole pool."""
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, WORKER, "pool", str(WORKERS), str(cases)], cwd=REPO, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        read_event(proc, "loaded", WORKER_TIMEOUT_S)
        restart = round(time.perf_counter() - started, 3)
        ready = read_event(proc, "ready", WORKER_TIMEOUT_S)
        searchers = [psutil.Process(pid) for pid in ready["pids"]]
        others = [p for p in psutil.Process(proc.pid).children(recursive=True) if p.pid not in ready["pids"]]
        pss_each = [p.memory_full_info().pss / 2**20 for p in searchers]
        pss_others = {" ".join(p.cmdline())[-40:]: round(p.memory_full_info().pss / 2**20, 1) for p in others}
        rss_one = searchers[0].memory_info().rss / 2**20
    except (TimeoutError, RuntimeError, OSError, psutil.Error, IndexError) as exc:
        return {"error": f"search pool: {exc}"}
    finally:
        stop_worker(proc, timeout=60)
    return {"pool_restart_s": restart, "rss_one_mb": round(rss_one, 1),
            "pss_three_mb": round(sum(pss_each) + sum(pss_others.values()), 1),
            "pss_each_mb": [round(p, 1) for p in pss_each], "pool_other_pss_mb": pss_others,
            "answered_in_pool": ready.get("answered"), "started_as": "bot serve's SearchPool"}


def serve_system(system: str, state: Path, cases: Path, env: dict, repeat: int, budget_s: float, server=None,
                 count: int = WORKERS) -> dict:
    """Three restarted workers: restart times, RSS and PSS while all three hold the index, then one measures.

    With a ``server`` (PostgreSQL), its processes' PSS is added to both memory figures: the
    index lives there, and the workers are only its clients.
    """
    import psutil

    workers, restarts, rss = [], [], []
    try:
        for number in range(count):
            errors = (state / f"{system}-worker{number}.log").open("w")
            started = time.perf_counter()
            proc = subprocess.Popen([sys.executable, WORKER, "serve", system, str(state), str(cases)], cwd=REPO, env=env,
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True)
            workers.append(proc)
            read_event(proc, "loaded", WORKER_TIMEOUT_S)
            restarts.append(round(time.perf_counter() - started, 3))
            rss.append(read_event(proc, "ready", WORKER_TIMEOUT_S)["rss_mb"])
        pss = [psutil.Process(p.pid).memory_full_info().pss / 2**20 for p in workers]
        server_mb = sum(psutil.Process(pid).memory_full_info().pss for pid in server.server_pids()) / 2**20 if server else 0
        proc = workers[0]
        proc.stdin.write(f"measure {repeat} {budget_s}\n")
        proc.stdin.flush()
        result = read_event(proc, "result", WORKER_TIMEOUT_S)
    except (TimeoutError, RuntimeError, OSError) as exc:
        tail = (state / f"{system}-worker{len(workers) - 1}.log").read_text(errors="replace")[-600:]
        return {"error": f"{exc}: {tail}"}
    finally:
        for proc in workers:
            stop_worker(proc, timeout=30)
    result.pop("event", None)
    return {**result, "restart_s": sorted(restarts)[len(restarts) // 2], "restarts_s": restarts,
            "rss_one_mb": round(rss[0] + server_mb, 1), "pss_three_mb": round(sum(pss) + server_mb, 1),
            "pss_each_mb": [round(p, 1) for p in pss], **({"server_pss_mb": round(server_mb, 1)} if server else {})}


def measure_one(folder: Path, cases: Path, args) -> dict:
    """Every system on one library folder, in fresh processes; the saved indexes are removed afterwards."""
    state = Path(tempfile.mkdtemp(prefix="state-", dir=libraries.DEFAULT_ROOT))
    env = dict(os.environ, BOT_SEEDS=str(folder), BOT_CACHE_DIR=str(state / "ours"), PYTHONUNBUFFERED="1")
    out = {"folder": str(folder), "systems": {}}
    server = None
    try:
        if "postgres" in args.systems:
            from bench.peer_postgres import Cluster

            state.chmod(0o755)  # the server runs as the postgres user and must reach its folder
            server = Cluster(state / "postgres")
            env[POSTGRES_DSN] = server.start()
        build = run_timed([sys.executable, "-m", "bot", "index", "build", "--quiet"], env, BUILD_TIMEOUT_S)
        build.pop("last", None)
        out["systems"]["ours"] = {"build": build}
        if build["exit"] != 0:
            return out
        for system in args.systems:
            if system != "ours":
                built = run_timed([sys.executable, WORKER, "build-peer", system, str(state)], env, BUILD_TIMEOUT_S)
                facts = built.pop("last") or {}
                out["size"] = {k: facts[k] for k in ("documents", "passages", "chars") if k in facts}
                out["systems"][system] = {"build": {"seconds": facts.get("build_s"), "bytes": facts.get("bytes"),
                                                    "exit": built["exit"], **({"error": built["error"]} if "error" in built else {})}}
                if built["exit"] != 0:
                    continue
            log(f"  serving {system}")
            if system == "ours":  # quality and latency in one process; restart and memory from bot serve's pool
                served = serve_system(system, state, cases, env, args.repeat, args.budget, count=1)
                if "error" not in served:
                    served.update(serve_pool(cases, env))
            else:
                served = serve_system(system, state, cases, env, args.repeat, args.budget, server if system == "postgres" else None)
            out["systems"].setdefault(system, {}).update(served)
        out["systems"]["ours"]["build"]["bytes"] = sum(p.stat().st_size for p in (state / "ours").rglob("*") if p.is_file())
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(state, ignore_errors=True)
    return out


def collect(args, raw: dict) -> dict:
    libraries.DEFAULT_ROOT.mkdir(parents=True, exist_ok=True)
    cases = held_out.seed_cases(REPO / "seeds", REPO / "config", args.dev, args.per_kind, args.seed)
    cases_path = libraries.DEFAULT_ROOT / "held-out-cases.json"
    cases_path.write_text(json.dumps(held_out.to_json(cases), ensure_ascii=False), encoding="utf-8")
    raw["cases"] = {"count": len(cases), "per_kind": args.per_kind, "seed": args.seed}
    kinds = list(libraries.KINDS) if args.kind == "both" else [args.kind]
    fresh: dict[str, list] = {}
    for run in range(args.runs):
        for scale in args.sizes:
            for kind in kinds:
                folder = libraries.folder(REPO / "seeds", kind, scale, args.seed)
                key = f"{kind}/{scale}x"
                log(f"run {run + 1}/{args.runs}: {key}")
                measured = measure_one(folder, cases_path, args) if not (scale == 1 and kind != kinds[0]) else None
                if measured is None:  # at 1x both kinds are the seeds: measured once
                    measured = fresh[f"{kinds[0]}/1x"][-1]
                measured.update(at=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), code=code_digest(),
                                commit=_commit(), load_average=load_average())
                fresh.setdefault(key, []).append(measured)
                raw.setdefault("results", {})[key] = fresh[key]
                _save(raw, args.raw)
    return raw


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def _save(raw: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


def summarise(raw: dict) -> dict:
    results = {key: median_tree(runs) | {"runs": len(runs)} for key, runs in raw.get("results", {}).items()}
    return {"machine": raw.get("machine", {}), "cases": raw.get("cases", {}), "results": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="dev set whose strings the cases must avoid")
    parser.add_argument("--kind", choices=(*libraries.KINDS, "both"), default="both")
    parser.add_argument("--sizes", default="1,10,100", help="comma-separated multiples of the seeds (1000 by hand)")
    parser.add_argument("--systems", default=DEFAULT_SYSTEMS, help="ours is always built; peers to compare "
                        "(add postgres for a throw-away PostgreSQL server with pg_trgm)")
    parser.add_argument("--runs", type=int, default=1, help="runs per (kind, size); the report shows medians")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the cases per system")
    parser.add_argument("--budget", type=float, default=30.0, help="timed seconds per system, at most (one pass always)")
    parser.add_argument("--per-kind", type=int, default=25, help="held-out cases per kind")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated libraries and cases")
    parser.add_argument("--raw", type=Path, default=libraries.DEFAULT_ROOT / "sizes-raw.json")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results in --raw")
    parser.add_argument("--render-only", action="store_true", help="no runs: render --raw")
    parser.add_argument("--merge", type=Path, nargs="*", default=[],
                        help="also report the (kind, size) results of these raw files that --raw lacks (e.g. 1000x by hand)")
    parser.add_argument("--write", type=Path, help="Markdown file to update between the sizes markers")
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    args.systems = ["ours", *[s for s in args.systems.split(",") if s in SYSTEMS and s != "ours"]]
    raw = json.loads(args.raw.read_text(encoding="utf-8")) if args.raw.exists() and not args.fresh else {}
    if not args.render_only and not args.dev.is_file():
        # Without it the cases are not checked against the dev set: other cases, other figures
        # (and the shared cases file other runs read is overwritten with them).
        print(f"no dev set at {args.dev}: the held-out cases must avoid its strings; pass --dev PATH",
              file=sys.stderr)
        return 2
    if not args.render_only:
        raw["machine"] = machine() | {"load_average_start": load_average()}
        raw = collect(args, raw)
        raw["machine"]["load_average_end"] = load_average()
        _save(raw, args.raw)
    for other in args.merge:
        for key, runs in json.loads(other.read_text(encoding="utf-8")).get("results", {}).items():
            raw.setdefault("results", {}).setdefault(key, runs)
    from bench.sizes_report import render

    command = "python bench/sizes.py " + " ".join(argv if argv is not None else sys.argv[1:])
    markdown = render(summarise(raw), command.strip())
    if args.write:
        write(args.write, markdown, BEGIN, END)
        log(f"wrote {args.write}")
    print(markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
