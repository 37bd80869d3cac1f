"""The size benchmark's machinery and report: workers really restart and serve, ratios and goals read right.

No timing is asserted (timing goals live in the printed benchmark): only that the figures
are there, come from the processes they claim, and are compared with the right goal.
"""

from __future__ import annotations

import json
import os

import pytest

from bench import sizes
from bench.cases import StoredPassage
from bench.held_out import make_cases, to_json
from bench.peer_rapidfuzz import RapidfuzzPeer
from bench.sizes_report import one_size, render
from bench.sizes_worker import RAPIDFUZZ_FILE

from .test_held_out import TEXTS


def test_three_rapidfuzz_workers_restart_share_and_answer(tmp_path):
    passages = [StoredPassage(doc, text) for doc, text in TEXTS]
    cases = make_cases(passages, per_kind=2, seed=1)
    RapidfuzzPeer(passages).save(tmp_path / RAPIDFUZZ_FILE)
    cases_path = tmp_path / "cases.json"
    cases_path.write_text(json.dumps(to_json(cases), ensure_ascii=False), encoding="utf-8")
    result = sizes.serve_system("rapidfuzz", tmp_path, cases_path, dict(os.environ), repeat=1, budget_s=1.0)
    assert "error" not in result, result.get("error")
    assert len(result["restarts_s"]) == sizes.WORKERS and all(s > 0 for s in result["restarts_s"])
    assert len(result["pss_each_mb"]) == sizes.WORKERS and result["pss_three_mb"] > 0
    assert result["quality"]["overall"]["cases"] == len(cases)
    assert result["quality"]["kinds"]["exact"]["recall@1"] == 1.0
    assert result["latency"]["samples"] == len(cases)
    assert result["copies"] == {"cases_with_copies": 0, "median_copies": 0}
    assert result["candidate_recall"] == 1.0  # five passages: the original is always among the first 200


def test_a_worker_that_cannot_load_is_reported_not_raised(tmp_path):
    cases_path = tmp_path / "cases.json"
    cases_path.write_text("[]", encoding="utf-8")
    result = sizes.serve_system("rapidfuzz", tmp_path, cases_path, dict(os.environ), repeat=1, budget_s=1.0)
    assert "error" in result and "FileNotFoundError" in result["error"]


def test_run_timed_reports_exit_peak_and_last_json_line(tmp_path):
    import sys

    script = "import json; x = bytearray(50 * 2**20); import time; time.sleep(0.5); print(json.dumps({'ok': 1}))"
    result = sizes.run_timed([sys.executable, "-c", script], dict(os.environ), timeout=60)
    assert result["exit"] == 0 and result["last"] == {"ok": 1}
    assert result["peak_rss_mb"] >= 50
    burn = "import json, time; t = time.process_time()\nwhile time.process_time() - t < 0.3: pass\nprint(json.dumps({}))"
    assert sizes.run_timed([sys.executable, "-c", burn], dict(os.environ), timeout=60)["cpu_s"] >= 0.3
    failed = sizes.run_timed([sys.executable, "-c", "raise SystemExit('boom')"], dict(os.environ), timeout=60)
    assert failed["exit"] == 1 and failed["error"] == "boom"


def _system(recall, p99, rss, pss, build, restart):
    return {"quality": {"overall": {"recall@1": recall}, "kinds": {"exact": {"recall@1": recall}}},
            "latency": {"p50_ms": p99 / 2, "p99_ms": p99}, "rss_one_mb": rss, "pss_three_mb": pss,
            "build": {"seconds": build, "bytes": 10_000_000}, "restart_s": restart}


@pytest.fixture
def result():
    return {"size": {"documents": 488, "passages": 36000, "chars": 8_000_000}, "at": "t", "commit": "c", "code": "d",
            "systems": {"ours": _system(0.97, 12.0, 250, 380, 14.0, 1.5),
                        "tantivy": _system(0.60, 3.0, 100, 150, 20.0, 0.5),
                        "rapidfuzz": _system(0.85, 300.0, 120, 200, 1.0, 1.0)}}


def _row(markdown: str, label: str) -> list[str]:
    line = next(line for line in markdown.splitlines() if line.startswith(f"| {label} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_goals_are_judged_at_100x_with_ratios_beside_each_peer(result):
    text = one_size("spliced/100x", result)
    recall = _row(text, "recall@1 %")
    assert recall[1:6] == ["97.0", "60.0", "+37.0 points", "85.0", "+12.0 points"] and recall[-1] == "met"
    p99 = _row(text, "p99 ms per query")
    assert p99[3] == "4.00x" and p99[-1] == "**missed**"  # 12 ms is under 30 ms but over 3x tantivy's 3 ms
    assert _row(text, "RSS MB, one process")[-1] == "met"
    assert _row(text, "build s")[-1] == "met"
    assert _row(text, "restart s (start to first answer)")[-1] == "met"


def test_below_a_peer_misses_the_recall_goal_and_other_sizes_only_inform(result):
    result["systems"]["rapidfuzz"]["quality"]["overall"]["recall@1"] = 0.99
    assert _row(one_size("synth/100x", result), "recall@1 %")[-1] == "**missed**"
    assert _row(one_size("synth/10x", result), "recall@1 %")[-2:] == ["", ""]
    result["systems"]["ours"]["restart_s"] = 6.0
    assert _row(one_size("synth/1000x", result), "restart s (start to first answer)")[-1] == "**missed**"


def test_render_orders_sizes_and_lists_every_library(result):
    data = {"machine": {"nproc": 2}, "cases": {"count": 8, "per_kind": 2},
            "results": {"synth/100x": result, "synth/10x": result, "spliced/1x": result}}
    text = render(data, "python bench/sizes.py")
    assert text.index("### spliced, 1x") < text.index("### synth, 10x") < text.index("### synth, 100x")
    assert "| synth/100x | 36000 | 97.0 | 60.0 | 85.0 |" in text


def test_our_search_processes_start_as_bot_serve_starts_them_and_answer(tmp_path):
    """The pool measured for our memory is bot serve's SearchPool: three search processes forked
    from one forkserver (not children of the web process), each answering, their PSS summed with
    the forkserver's."""
    import psutil

    from bot.config import settings_from_env
    from bot.search.cache import build

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for doc, text in TEXTS:
        with (seeds / f"{doc}.txt").open("a", encoding="utf-8") as handle:
            handle.write(text + "\n\n")
    env = dict(os.environ, BOT_SEEDS=str(seeds), BOT_CACHE_DIR=str(tmp_path / "cache"), PYTHONUNBUFFERED="1")
    build(settings_from_env(env), progress=False, workers=1)
    cases = make_cases([StoredPassage(doc, text) for doc, text in TEXTS], per_kind=1, seed=1)
    cases_path = tmp_path / "cases.json"
    cases_path.write_text(json.dumps(to_json(cases), ensure_ascii=False), encoding="utf-8")
    seen = {}
    original = psutil.Process.memory_full_info

    def recording(process):  # the parents of the processes measured, read while they are alive
        seen[process.pid] = process.ppid()
        return original(process)

    psutil.Process.memory_full_info = recording
    try:
        result = sizes.serve_pool(cases_path, env)
    finally:
        psutil.Process.memory_full_info = original
    assert "error" not in result, result.get("error")
    assert result["answered_in_pool"] == len(cases)
    assert len(result["pss_each_mb"]) == sizes.WORKERS and all(p > 0 for p in result["pss_each_mb"])
    assert result["pss_three_mb"] > sum(result["pss_each_mb"])  # the forkserver and resource tracker count too
    forkservers = {pid for pid, parent in seen.items() if list(seen.values()).count(pid) == sizes.WORKERS}
    assert len(forkservers) == 1  # every search process has the same parent: the forkserver
    assert result["rss_one_mb"] > 0 and result["pool_restart_s"] > 0


def test_a_missing_dev_set_stops_the_run_before_any_case_is_written(tmp_path, monkeypatch, capsys):
    """Cases not checked against the dev set are other cases: the run must not go on without it."""
    monkeypatch.setattr(sizes.libraries, "DEFAULT_ROOT", tmp_path / "bench")
    raw = tmp_path / "raw.json"
    code = sizes.main(["--dev", str(tmp_path / "no-dev.yaml"), "--sizes", "1", "--kind", "synth", "--raw", str(raw)])
    assert code == 2
    assert "no dev set" in capsys.readouterr().err
    assert not raw.exists() and not (tmp_path / "bench").exists()
