"""Every benchmark, several runs, medians, one Markdown report: the command behind docs/BENCHMARKS.md.

    python bench/run_all.py [DEV_YAML] [--runs 3] [--sizes 1,10,100] [--peer-sizes 1,100]
                            [--write docs/BENCHMARKS.md]

Each measurement runs in a fresh subprocess (``bench/vs_peers.py --json``, ``bench/scale.py
--json``) so memory figures and caches never leak from one size into the next; runs are
interleaved (run 1 of every size, then run 2, ...) so a burst of load on the machine smears
over all sizes instead of skewing one. Synthetic libraries come from ``bench/synth.py`` and
are cached in the system temp folder, keyed by the seeds' hash, the scale and the RNG seed.

1000x is run only when asked (``--sizes ...,1000``) and only if the 100x runs show one 1000x
run fitting in ``--max-run-seconds``; otherwise the report gives a linear extrapolation from
100x and says so. With ``--write FILE``, the generated tables replace the part of FILE between
the ``<!-- generated -->`` markers, so hand-written analysis around them survives.
"""

from __future__ import annotations

import argparse
import json
import shutil
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import libraries  # noqa: E402
from bench.measure import DEFAULT_DEV, REPO, code_digest, machine  # noqa: E402

BEGIN, END = "<!-- generated: begin -->", "<!-- generated: end -->"
RUN_TIMEOUT_S = 3600  # one subprocess; a hung run must not hang the whole benchmark


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def folder_for(scale: int, seed: int) -> Path:
    return libraries.folder(REPO / "seeds", "synth", scale, seed)


def run_json(argv: list[str]) -> tuple[dict | None, float]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *argv], cwd=REPO, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        log(f"failed: {' '.join(argv)}\n{done.stderr[-2000:]}")
        return None, seconds
    return json.loads(done.stdout.strip().splitlines()[-1]), seconds


def median_tree(values: list):
    """Medians of numbers leaf by leaf over the runs that have them; anything else (names, misses) from the first."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    first = values[0]
    if isinstance(first, dict):
        keys = list(dict.fromkeys(k for v in values if isinstance(v, dict) for k in v))
        return {k: median_tree([v.get(k) for v in values if isinstance(v, dict)]) for k in keys}
    if isinstance(first, bool) or not isinstance(first, (int, float)):
        return first
    numbers = [v for v in values if isinstance(v, (int, float))]
    result = statistics.median(numbers)
    if all(isinstance(v, int) for v in numbers) and float(result).is_integer():
        return int(result)
    return round(result, 4) if isinstance(result, float) else result


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def extrapolate(at_100x: dict, run_seconds: float) -> dict:
    """Linear from 100x: load, build, memory, cold start and index file size grow with the corpus."""
    saved = at_100x.get("saved_index") or {}
    figures = {
        "one scale.py run (s)": run_seconds,
        "load + build (s)": at_100x["memory"]["load_total_s"],
        "resident memory after build (MB)": at_100x["memory"]["rss_after_build_mb"],
        "cold start (s)": (at_100x.get("cold_start") or {}).get("seconds"),
        "saved index file (MB)": (saved.get("bytes") or 0) / 1e6 or None,
    }
    return {k: (v, v * 10 if v is not None else None) for k, v in figures.items()}


def collect(args) -> dict:
    """Run everything; the raw results are saved after every step, so a crash late on loses nothing."""
    sizes = [int(s) for s in args.sizes.split(",") if s]
    peer_sizes = [int(s) for s in args.peer_sizes.split(",") if s]
    big = [s for s in sizes if s > 100]
    sizes = [s for s in sizes if s <= 100]
    folders = {}
    for scale in sorted(set(sizes + peer_sizes)):
        log(f"library {scale}x ...")
        folders[scale] = folder_for(scale, args.seed)
    raw = {
        "machine": machine(), "runs": args.runs, "max_run_seconds": args.max_run_seconds,
        "scale_runs": {str(s): [] for s in sizes}, "peer_runs": {str(s): [] for s in peer_sizes},
        "run_seconds": {str(s): [] for s in sizes}, "big": {},
    }
    raw["machine"]["load_average_start"] = load_average()
    raw["machine"]["code_start"] = code_digest()
    work = Path(tempfile.mkdtemp(prefix="quote-bench-run-"))
    for run in range(args.runs):
        for scale in sizes:
            log(f"run {run + 1}/{args.runs}: scale {scale}x")
            argv = ["bench/scale.py", str(args.dev), "--seeds", str(folders[scale]), "--repeat", str(args.repeat),
                    "--json", "--save-library", str(work / f"{scale}x.pickle")]
            if _cold_hopeless(raw["scale_runs"][str(scale)]):
                argv.append("--no-cold")
            result, seconds = run_json(argv)
            raw["scale_runs"][str(scale)].append(result)
            raw["run_seconds"][str(scale)].append(seconds)
            _save(raw, args.raw)
        for scale in peer_sizes:
            log(f"run {run + 1}/{args.runs}: peers at {scale}x")
            argv = ["bench/vs_peers.py", str(args.dev), "--seeds", str(folders[scale]), "--repeat", str(args.repeat), "--json"]
            saved = work / f"{scale}x-library"
            if saved.exists():
                argv += ["--library", str(saved)]
            result, _ = run_json(argv)
            raw["peer_runs"][str(scale)].append(result)
            _save(raw, args.raw)
    shutil.rmtree(work, ignore_errors=True)  # the saved libraries (folders) kept for vs_peers.py
    seconds_100x = raw["run_seconds"].get("100") or []
    for scale in big:
        if seconds_100x and statistics.median(seconds_100x) * 10 <= args.max_run_seconds:
            log(f"scale {scale}x (one run)")
            result, _ = run_json(["bench/scale.py", str(args.dev), "--seeds", str(folder_for(scale, args.seed)),
                                  "--repeat", "1", "--no-cold", "--json"])
            raw["big"][str(scale)] = result
        else:
            raw["big"][str(scale)] = None
    raw["machine"]["load_average_end"] = load_average()
    raw["machine"]["code_end"] = code_digest()
    _save(raw, args.raw)
    return raw


def _save(raw: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


def summarise(raw: dict) -> dict:
    """Medians per size, cold-start run counts, and the 1000x run or its extrapolation."""
    data = {
        "machine": raw["machine"],
        "runs": raw["runs"],
        "peers": {f"{s}x": median_tree(r) for s, r in raw["peer_runs"].items()},
        "sizes": {f"{s}x": median_tree(r) for s, r in raw["scale_runs"].items()},
        "cold_runs": {f"{s}x": sum(bool((r or {}).get("cold_start")) for r in runs) for s, runs in raw["scale_runs"].items()},
    }
    seconds_100x = raw["run_seconds"].get("100") or []
    if data["sizes"].get("100x") and seconds_100x:
        run_seconds = statistics.median(seconds_100x)
        feasible = run_seconds * 10 <= raw["max_run_seconds"]
        data["extrapolated"] = {
            "figures": extrapolate(data["sizes"]["100x"], run_seconds),
            "note": _big_note(sorted(int(s) for s in raw["big"]), feasible, run_seconds, raw["max_run_seconds"]),
        }
        for scale, result in raw["big"].items():
            if result:
                data["sizes"][f"{scale}x (1 run)"] = result
    return data


def _cold_hopeless(earlier: list) -> bool:
    """After one cold start over 10x its goal, repeating it only costs minutes: later runs skip it."""
    from bench.goals import GOALS

    seconds = [((r or {}).get("cold_start") or {}).get("seconds") for r in earlier]
    return any(s is not None and s > 10 * GOALS["cold_start_s"] for s in seconds)


def _big_note(big: list[int], feasible: bool, run_seconds: float, limit: float) -> str:
    estimate = f"one 100x run took {run_seconds:.0f} s, so one 1000x run would take about {run_seconds * 10:.0f} s"
    if not big:
        return f"Not run (not asked for with `--sizes ...,1000`): {estimate}; the figures below are extrapolated."
    if feasible:
        return f"Run once: {estimate} (limit {limit:.0f} s)."
    return f"Not run: {estimate}, over the {limit:.0f} s limit; the figures below are extrapolated linearly."


def render(data: dict, command: str) -> str:
    from bench.report import goals_at_scale, peers_report, scale_report

    m = data["machine"]
    lines = [
        f"Generated by `{command}` on {m['date']} (UTC).",
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_gib']} GiB RAM, Python {m['python']}. "
        f"Load average (1/5/15 min) at start {m['load_average_start']}, at end {m['load_average_end']}: "
        "other sessions share this machine, so latency tails are noisy; every figure is the median of "
        f"{data['runs']} runs, each in a fresh process. " + _code_note(m),
        "",
        "## Against peers",
        "",
        "Same dev queries, same cleaned passages (the loaded `Library`'s), top 10 judged as `bot eval` judges. "
        "`core` leaves out the pinyin and english-concept kinds, as `bot eval` does. Ratios are our "
        "`index.search` latency over the peer's: below 1 means we are faster.",
        "",
        peers_report(data),
        "",
        "## Scale",
        "",
        "1x is the five seeds; 10x and 100x are `bench/synth.py` libraries (the seeds plus perturbed "
        "mixes of their paragraphs). Latency is per command through `bot.commands.dispatch.ask` with the "
        "default result count; cold start is `python -m bot ask --json \"/quote …\"` with `BOT_SEEDS` set, "
        "timed from outside.",
        "",
        goals_at_scale(data["sizes"]),
        "",
        scale_report(data),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _code_note(m: dict) -> str:
    start, end = m.get("code_start"), m.get("code_end")
    if not start or not end:
        return ""
    if start == end:
        return f"The bot's code (`bot/**/*.py`, digest {start}) did not change during the run."
    return (f"The bot's code changed during the run (digest {start} at start, {end} at end): "
            "other engineers were editing it, so runs measured slightly different code.")


def write(path: Path, generated: str, begin: str = BEGIN, end: str = END) -> None:
    block = f"{begin}\n{generated}{end}\n"
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if begin in text and end in text:
            head, rest = text.split(begin, 1)
            tail = rest.split(end, 1)[1].lstrip("\n")
            path.write_text(head + block + ("\n" + tail if tail else ""), encoding="utf-8")
            return
        path.write_text(text.rstrip("\n") + "\n\n" + block, encoding="utf-8")  # no markers yet: append, keep the rest
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Benchmarks\n\n" + block, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev", nargs="?", type=Path, default=DEFAULT_DEV, help="dev set (default ../shared/eval/dev.yaml)")
    parser.add_argument("--runs", type=int, default=3, help="runs per size; the report shows medians")
    parser.add_argument("--sizes", default="1,10,100", help="scale sizes (multiples of the seeds); add 1000 to try it")
    parser.add_argument("--peer-sizes", default="1,100", help="sizes at which peers are compared")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the queries per run")
    parser.add_argument("--seed", type=int, default=0, help="synthetic corpus RNG seed")
    parser.add_argument("--max-run-seconds", type=float, default=600, help="budget for one 1000x run")
    parser.add_argument("--write", type=Path, help="Markdown file to update (between the generated markers)")
    parser.add_argument("--json-out", type=Path, help="also save the medians as JSON here")
    parser.add_argument("--raw", type=Path, default=Path(tempfile.gettempdir()) / "quote-bot-bench" / "raw-latest.json",
                        help="where every run's raw results are saved as they come (default: temp folder)")
    parser.add_argument("--render-only", action="store_true", help="no runs: render the report from --raw")
    args = parser.parse_args(argv)
    if not args.dev.exists():
        print(f"error: no dev set at {args.dev}", file=sys.stderr)
        return 2
    if args.render_only:
        data = summarise(json.loads(args.raw.read_text(encoding="utf-8")))
    else:
        data = summarise(collect(args))
    if args.json_out:
        args.json_out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    command = "python bench/run_all.py " + " ".join(argv if argv is not None else sys.argv[1:])
    markdown = render(data, command.strip())
    if args.write:
        write(args.write, markdown)
        log(f"wrote {args.write}")
    print(markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
