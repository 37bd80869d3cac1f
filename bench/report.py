"""Markdown tables from benchmark results, each figure beside its goal.

The results are plain dicts (one run, or the medians of several); this module only formats
them, so ``vs_peers.py`` and ``scale.py`` print the same tables ``run_all.py`` writes into
``docs/BENCHMARKS.md``.
"""

from __future__ import annotations

from bench.goals import GOALS, verdict

OURS = "ours: index.search"
OURS_QUOTE = "ours: /quote"
STAGE_ORDER = (
    "imports",
    "character model (mojibake)",
    "corpus load",
    "  mojibake repair",
    "  rest of cleaning + attribution",
    "vocabulary + index build",
    "  segmenter dictionary",
    "  fold",
    "  analysis (segmentation + readings)",
    "    segmentation (jieba)",
    "  postings + BM25 + rest",
)


def fmt(value, digits: int = 1, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def pct(value) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Peers


def peers_report(data: dict) -> str:
    parts = []
    for label, result in data["peers"].items():
        parts.append(_peers_one(label, result, data.get("runs", 1)))
    return "\n\n".join(parts)


def _peers_one(label: str, result: dict, runs: int) -> str:
    systems = result["systems"]
    ours = systems[OURS]
    rows = []
    for name, s in systems.items():
        q, lat = s["quality"], s["latency"]
        is_peer = not name.startswith("ours")
        rows.append([
            name,
            pct(q["overall"]["recall@1"]), pct(q["overall"]["recall@3"]), fmt(q["overall"]["mrr"], 3),
            pct(q["core"]["recall@1"]),
            fmt(lat["p50_ms"], 2), fmt(lat["p99_ms"], 2),
            _ratio(ours["latency"]["p50_ms"], lat["p50_ms"]) if is_peer else "",
            _ratio(ours["latency"]["p99_ms"], lat["p99_ms"]) if is_peer else "",
        ])
    header = ["system", "recall@1 %", "recall@3 %", "MRR", "core recall@1 %", "p50 ms", "p99 ms",
              "ours p50 ÷ this", "ours p99 ÷ this"]
    title = (f"### {label}: {result['passages']} passages, {result['queries']} dev queries × {result['repeat']} passes"
             f" (medians of {runs} runs; tantivy segmenter: {result.get('segmenter')})")
    goals = _peer_goals(systems)
    if label != "1x":
        goals = "The goals are set on the dev set's own library (1x); at this size they are shown for information.\n\n" + goals
    out = [title, "", table(header, rows), "", goals, "", _kinds_table(systems)]
    return "\n".join(out)


def _ratio(ours: float | None, peer: float | None) -> str:
    if not ours or not peer:
        return "n/a"
    return f"{ours / peer:.2f}x"


def _peer_goals(systems: dict) -> str:
    ours = systems[OURS]
    peers = {n: s for n, s in systems.items() if not n.startswith("ours")}
    best_name, best = max(peers.items(), key=lambda item: item[1]["quality"]["overall"]["recall@1"])
    margin = 100 * (ours["quality"]["overall"]["recall@1"] - best["quality"]["overall"]["recall@1"])
    tantivy = next((s for n, s in peers.items() if n.startswith("tantivy")), None)
    ratio = ours["latency"]["p99_ms"] / tantivy["latency"]["p99_ms"] if tantivy else None
    rows = [
        ["recall@1 above the best peer", f"≥ +{GOALS['peer_margin_points']:.0f} points",
         f"{margin:+.1f} points (best peer: {best_name.split(' (')[0]})",
         verdict(margin >= GOALS["peer_margin_points"])],
        ["p99 latency ÷ tantivy's", f"≤ {GOALS['tantivy_p99_ratio']:.0f}x", fmt(ratio, 2, "x"),
         verdict(ratio is not None and ratio <= GOALS["tantivy_p99_ratio"])],
    ]
    return table(["goal", "target", "measured", ""], rows)


def _kinds_table(systems: dict) -> str:
    names = list(systems)
    kinds = sorted({k for s in systems.values() for k in s["quality"]["kinds"]})
    rows = []
    for kind in kinds:
        row = [kind, str(next(iter(systems.values()))["quality"]["kinds"].get(kind, {}).get("cases", ""))]
        for name in names:
            f = systems[name]["quality"]["kinds"].get(kind)
            row.append("n/a" if f is None else f"{pct(f['recall@1'])} / {pct(f['recall@3'])} / {fmt(f['mrr'], 2)}")
        rows.append(row)
    header = ["kind", "cases"] + [n.split(" (")[0] for n in names]
    return "Per kind, recall@1 % / recall@3 % / MRR:\n\n" + table(header, rows)


# ---------------------------------------------------------------------------------------------
# Scale


def scale_report(data: dict) -> str:
    sizes = data["sizes"]
    parts = [_scale_table(sizes, data.get("cold_runs") or {}), _quality_table(sizes), _stages_table(sizes), _segmenter_table(sizes),
             _saved_table(sizes)]
    if data.get("extrapolated"):
        parts.append(_extrapolation(data["extrapolated"]))
    return "\n\n".join(p for p in parts if p)


def _scale_table(sizes: dict, cold_runs: dict) -> str:
    rows = []
    for label, r in sizes.items():
        lat, mem, size = r["latency"], r["memory"], r["size"]
        rows.append([
            label, size["documents"], size["passages"], fmt(size["seed_mb"], 2),
            fmt(r["stages_s"].get("vocabulary + index build"), 1), fmt(mem["load_total_s"], 1),
            fmt(mem["rss_after_build_mb"], 0), fmt(mem["peak_rss_mb"], 0),
            f"{fmt(lat['quote']['p50_ms'], 1)} / {fmt(lat['quote']['p99_ms'], 1)}",
            _frozen(r),
            f"{fmt(lat['who-said']['p50_ms'], 1)} / {fmt(lat['who-said']['p99_ms'], 1)}",
            f"{fmt(lat['compare']['p50_ms'], 1)} / {fmt(lat['compare']['p99_ms'], 1)}",
            fmt((r.get("cold_start") or {}).get("seconds"), 1) + (f" ({cold_runs[label]} run)" if cold_runs.get(label) == 1 else ""),
            fmt((r.get("cold_start") or {}).get("restart_seconds"), 1),
        ])
    header = ["size", "docs", "passages", "MB", "index build s", "load + build s", "RSS MB", "peak RSS MB",
              "/quote p50 / p99 ms", "/quote p50 / p99 ms after gc.freeze()", "/who-said p50 / p99 ms", "/compare p50 / p99 ms", "cold start s",
              "restart with the bot's own cache s"]
    return "### Size, memory, latency, cold start\n\n" + table(header, rows)


def _frozen(r: dict) -> str:
    f = r.get("quote_gc_frozen")
    if not f:
        return "n/a"
    return f"{fmt(f['p50_ms'], 1)} / {fmt(f['p99_ms'], 1)}"


def _quality_table(sizes: dict) -> str:
    rows = []
    for label, r in sizes.items():
        q = r["quality"]
        strict, loose = q["quote"], q["quote_any_doc"]
        near = q.get("quote_or_near_duplicate") or strict
        rows.append([
            label,
            pct(strict["overall"]["recall@1"]), pct(strict["overall"]["recall@3"]), fmt(strict["overall"]["mrr"], 3),
            pct(strict["core"]["recall@1"]),
            pct(near["overall"]["recall@1"]), pct(near["overall"]["recall@3"]),
            pct(loose["overall"]["recall@1"]),
            f"{q['cases_with_synthetic_copies']} / {strict['overall']['cases']}",
            pct(q["who_said_top1"]),
            f"{len(strict['overall']['misses'])} / {strict['overall']['cases']}",  # a count: eval ids stay out of the repo
        ])
    header = ["size", "recall@1 %", "recall@3 %", "MRR", "core recall@1 %",
              "recall@1 % answer or its near-duplicate", "recall@3 % same", "recall@1 % any doc holding the text",
              "cases whose text a synthetic doc holds verbatim", "who-said top-1 %", "/quote cases not first"]
    note = ("*answer or its near-duplicate* also counts a synthetic passage made from the answer's own paragraph "
            "(`PROVENANCE.json` of `bench/synth.py`): the gap between that column and recall@1 is what the "
            "distractors explain; the rest of a drop is the ranker's. *any doc holding the text* counts any "
            "passage that holds the expected text word for word (the generator's edits keep that near 0).")
    return "### Quality on the dev set as the library grows\n\n" + table(header, rows) + "\n\n" + note


def _stages_table(sizes: dict) -> str:
    labels = list(sizes)
    rows = []
    for stage in STAGE_ORDER:
        key = stage.strip()
        row = [stage.replace("  ", "· ")]
        for label in labels:
            stages = sizes[label]["stages_s"]
            row.append(fmt(_stage_value(stages, key), 2))
        rows.append(row)
    total = ["load total (imports excluded)"] + [fmt(sizes[lb]["memory"]["load_total_s"], 2) for lb in labels]
    rows.append(total)
    return "### Where start-up time goes (seconds)\n\n" + table(["stage"] + labels, rows)


def _stage_value(stages: dict, key: str):
    if key == "rest of cleaning + attribution":
        return _minus(stages.get("corpus load"), stages.get("mojibake repair"))
    if key == "postings + BM25 + rest":
        build = stages.get("vocabulary + index build")
        inner = [stages.get(k) for k in ("segmenter dictionary", "fold", "analysis (segmentation + readings)")]
        return _minus(build, *inner)
    return stages.get(key)


def _minus(total, *parts):
    if total is None:
        return None
    return total - sum(p for p in parts if p)


def _segmenter_table(sizes: dict) -> str:
    rows = []
    for label, r in sizes.items():
        s = r.get("segmenters") or {}
        rows.append([label, fmt(s.get("sample_mb"), 2), fmt(s.get("jieba_mb_s"), 2), fmt(s.get("rjieba_mb_s"), 2),
                     _speedup(s), pct(s.get("token_agreement")), fmt(s.get("rjieba_dictionary_s"), 2)])
    header = ["size", "sample MB", "jieba MB/s (HMM off)", "rjieba MB/s", "speed-up", "same tokens %",
              "rjieba dictionary + our words s"]
    return "### Segmentation: jieba against rjieba (same user dictionary, HMM off)\n\n" + table(header, rows)


def _speedup(s: dict) -> str:
    if not s.get("jieba_mb_s") or not s.get("rjieba_mb_s"):
        return "n/a"
    return f"{s['rjieba_mb_s'] / s['jieba_mb_s']:.1f}x"


def _saved_table(sizes: dict) -> str:
    rows = []
    for label, r in sizes.items():
        s = r.get("saved_index") or {}
        if "error" in s:
            rows.append([label, s["error"], "", "", "", "", ""])
            continue
        rows.append([
            label, fmt(s.get("bytes", 0) / 1e6, 1), fmt(s.get("dump_s"), 2), fmt(s.get("open_s", s.get("unpickle_s")), 2),
            fmt(s.get("tokenizer_s"), 2), fmt((s.get("cold_start") or {}).get("seconds"), 1),
            _saved_parts(s.get("cold_start") or {}),
            fmt((s.get("cold_start") or {}).get("rss_mb"), 0),
            fmt((r.get("cold_start") or {}).get("seconds"), 1),
        ])
    header = ["size", "file MB", "save s", "open s (in process)", "tokenizer s (jieba warm)", "cold start with it s",
              "of which imports / tokenizer / open / first answer s", "its RSS MB", "cold start today s"]
    return ("### Saved library (`bot/search/cache.py`, as `bot index build` writes it: mapped arrays, segmenter rebuilt on open)\n\n"
            + table(header, rows))


def _saved_parts(cold: dict) -> str:
    keys = ("imports_s", "tokenizer_s", "open_s", "first_answer_s")
    if not any(k in cold for k in keys):
        return "n/a"
    return " / ".join(fmt(cold.get(k), 2) for k in keys)


def _extrapolation(extra: dict) -> str:
    return (f"### 1000x\n\n{extra['note']}\n\n"
            + table(["figure", "100x measured", "1000x extrapolated (linear)"],
                    [[k, fmt(v[0], 1), fmt(v[1], 1)] for k, v in extra["figures"].items()]))


def goals_at_scale(sizes: dict, label: str = "100x") -> str:
    """The 100x goals: /quote p99, recall@1 within 3 points of 1x, RSS, cold start."""
    if label not in sizes or "1x" not in sizes:
        return ""
    r, base = sizes[label], sizes["1x"]
    p99 = r["latency"]["quote"]["p99_ms"]
    drop = 100 * (base["quality"]["quote"]["overall"]["recall@1"] - r["quality"]["quote"]["overall"]["recall@1"])
    rss = r["memory"]["rss_after_build_mb"]
    cold = (r.get("cold_start") or {}).get("seconds")
    rows = [
        ["/quote p99", f"≤ {GOALS['quote_p99_ms']:.0f} ms", fmt(p99, 1, " ms"), verdict(p99 is not None and p99 <= GOALS["quote_p99_ms"])],
        ["recall@1 drop from 1x", f"≤ {GOALS['recall_drop_points']:.0f} points", f"{drop:.1f} points",
         verdict(drop <= GOALS["recall_drop_points"])],
        ["resident memory (after build)", f"≤ {GOALS['rss_mb']:.0f} MB", fmt(rss, 0, " MB"), verdict(rss is not None and rss <= GOALS["rss_mb"])],
        ["cold start (process start to first answer)", f"≤ {GOALS['cold_start_s']:.0f} s", fmt(cold, 1, " s"),
         verdict(cold is not None and cold <= GOALS["cold_start_s"])],
    ]
    return f"### Goals at {label}\n\n" + table(["goal", "target", "measured", ""], rows)
