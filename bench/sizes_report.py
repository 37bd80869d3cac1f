"""Markdown for ``bench/sizes.py``: per library and size, ours beside each peer as a ratio, and the goals.

Only formats the (median) results; the goals come from ``bench/goals.py`` and are judged at
the size the issue sets them (100x; restart also at 1000x), shown as "for information" elsewhere.
"""

from __future__ import annotations

from bench.goals import GOAL_SIZE, SIZE_GOALS as G, verdict
from bench.report import fmt, pct, table
from bench.sizes_worker import CANDIDATES

PEERS = ("tantivy", "rapidfuzz")  # the two peers, always measured; goals compare with these
OPTIONAL_PEERS = ("postgres",)  # shown when measured (``--systems ...,postgres``)


def _get(system: dict | None, *path):
    value = system
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


FIGURES = (  # label, path into a system's result, digits, lower is better
    ("p50 ms per query", ("latency", "p50_ms"), 2),
    ("p99 ms per query", ("latency", "p99_ms"), 2),
    ("RSS MB, one process", ("rss_one_mb",), 0),
    ("PSS MB, three workers together", ("pss_three_mb",), 0),
    ("build s", ("build", "seconds"), 1),
    ("restart s (start to first answer)", ("restart_s",), 2),
    ("saved index MB", ("build", "bytes"), 1),
)


def _value(system, path):
    value = _get(system, *path)
    return value / 1e6 if value is not None and path == ("build", "bytes") else value


def _recall(system, kind: str | None = None):
    if kind is None:
        return _get(system, "quality", "overall", "recall@1")
    return _get(system, "quality", "kinds", kind, "recall@1")


def _goal(label: str, ours: dict, systems: dict, size: str) -> tuple[str, str]:
    """(target, verdict) for one row, at the sizes where the issue sets a goal."""
    if size == "1000x" and label.startswith("restart"):
        value = _value(ours, ("restart_s",))
        return f"≤ {G['restart_1000x_s']:.0f} s", verdict(value is not None and value <= G["restart_1000x_s"])
    if size != GOAL_SIZE:
        return "", ""
    if label == "recall@1 %":
        mine = _recall(ours)
        peers = [_recall(systems.get(p)) for p in PEERS]
        met = mine is not None and mine >= G["recall_at_1"] and all(p is None or mine > p for p in peers)
        return f"≥ {100 * G['recall_at_1']:.0f} and above both peers", verdict(met)
    value = {f[0]: _value(ours, f[1]) for f in FIGURES}.get(label)
    if label.startswith("p99"):
        tantivy = _value(systems.get("tantivy"), ("latency", "p99_ms"))
        met = value is not None and value <= G["p99_ms"] and (tantivy is None or value <= G["p99_tantivy_ratio"] * tantivy)
        return f"≤ {G['p99_ms']:.0f} ms and ≤ {G['p99_tantivy_ratio']:.0f}x tantivy's", verdict(met)
    limits = {"RSS MB, one process": ("rss_mb", " MB"), "PSS MB, three workers together": ("pss3_mb", " MB"),
              "build s": ("build_s", " s"), "restart s (start to first answer)": ("restart_s", " s")}
    if label not in limits:
        return "", ""
    key, unit = limits[label]
    return f"≤ {G[key]:.0f}{unit}", verdict(value is not None and value <= G[key])


def _ratio(ours, peer) -> str:
    return "n/a" if not ours or not peer else f"{ours / peer:.2f}x"


def _points(ours, peer) -> str:
    return "n/a" if ours is None or peer is None else f"{100 * (ours - peer):+.1f} points"


def one_size(key: str, result: dict) -> str:
    kind, size = key.split("/")
    systems = result["systems"]
    ours = systems.get("ours", {})
    peers = [*PEERS, *(p for p in OPTIONAL_PEERS if p in systems)]
    header = ["figure", "ours"]
    for peer in peers:
        header += [peer, f"ours ÷ {peer}"]
    header += ["goal", ""]
    rows = []
    target, met = _goal("recall@1 %", ours, systems, size)
    row = ["recall@1 %", pct(_recall(ours))]
    for peer in peers:
        row += [pct(_recall(systems.get(peer))), _points(_recall(ours), _recall(systems.get(peer)))]
    rows.append(row + [target, met])
    for case_kind in sorted(_get(ours, "quality", "kinds") or {}):
        row = [f"· {case_kind}", pct(_recall(ours, case_kind))]
        for peer in peers:
            row += [pct(_recall(systems.get(peer), case_kind)), ""]
        rows.append(row + ["", ""])
    row = [f"original in the first {CANDIDATES}", ""]
    for peer in peers:
        row += [pct(_get(systems.get(peer), "candidate_recall")), ""]
    rows.append(row + ["", ""])
    for label, path, digits in FIGURES:
        target, met = _goal(label, ours, systems, size)
        row = [label, fmt(_value(ours, path), digits)]
        for peer in peers:
            row += [fmt(_value(systems.get(peer), path), digits), _ratio(_value(ours, path), _value(systems.get(peer), path))]
        rows.append(row + [target, met])
    facts = result.get("size") or {}
    title = (f"### {kind}, {size}: {facts.get('documents', '?')} documents, {facts.get('passages', '?')} passages, "
             f"{fmt((facts.get('chars') or 0) / 1e6, 2)} M characters")
    notes = [f"Measured {result.get('at', '?')} on commit {result.get('commit', '?')} (bot code {result.get('code', '?')}), "
             f"{result.get('runs', 1)} run(s), load average at the end {result.get('load_average', '?')}."]
    copies = _get(systems.get("rapidfuzz"), "copies")
    if copies:
        notes.append(f"Cases whose answer text a generated passage also holds word for word: "
                     f"{copies['cases_with_copies']} (median {copies['median_copies']} copies per case).")
    errors = [f"{name}: {s['error']}" for name, s in systems.items() if isinstance(s, dict) and s.get("error")]
    errors += [f"{name} build: {s['build']['error']}" for name, s in systems.items() if _get(s, "build", "error")]
    notes += [f"**Error** {e}" for e in errors]
    if "postgres" in systems:
        notes.append("PostgreSQL's memory figures include its server's PSS "
                     f"({fmt(_get(systems['postgres'], 'server_pss_mb'), 0)} MB): the index lives there.")
    return "\n".join([title, "", table(header, rows), "", " ".join(notes)])


def summary(results: dict) -> str:
    rows = []
    for key, result in results.items():
        ours = result["systems"].get("ours", {})
        tantivy = result["systems"].get("tantivy", {})
        facts = result.get("size") or {}
        rows.append([key, facts.get("passages", "?"), pct(_recall(ours)), pct(_recall(tantivy)),
                     pct(_recall(result["systems"].get("rapidfuzz"))),
                     fmt(_value(ours, ("latency", "p99_ms")), 1),
                     _ratio(_value(ours, ("latency", "p99_ms")), _value(tantivy, ("latency", "p99_ms"))),
                     fmt(_value(ours, ("rss_one_mb",)), 0), fmt(_value(ours, ("pss_three_mb",)), 0),
                     fmt(_value(ours, ("build", "seconds")), 1), fmt(_value(ours, ("restart_s",)), 2)])
    header = ["library", "passages", "ours recall@1 %", "tantivy", "rapidfuzz", "ours p99 ms", "÷ tantivy p99",
              "RSS MB", "PSS×3 MB", "build s", "restart s"]
    goals = (f"Goals at {GOAL_SIZE}: recall@1 ≥ {100 * G['recall_at_1']:.0f} % and above both peers; p99 ≤ {G['p99_ms']:.0f} ms "
             f"and ≤ {G['p99_tantivy_ratio']:.0f}x tantivy's; RSS ≤ {G['rss_mb']:.0f} MB; PSS of three workers ≤ "
             f"{G['pss3_mb']:.0f} MB; build ≤ {G['build_s']:.0f} s; restart ≤ {G['restart_s']:.0f} s; at 1000x restart ≤ "
             f"{G['restart_1000x_s']:.0f} s.")
    return "### Summary\n\n" + table(header, rows) + "\n\n" + goals


def _order(key: str) -> tuple:
    kind, size = key.split("/")
    return (kind, int(size.rstrip("x")))


def render(data: dict, command: str) -> str:
    m = data.get("machine", {})
    cases = data.get("cases", {})
    results = {k: data["results"][k] for k in sorted(data.get("results", {}), key=_order)}
    lines = [
        f"Generated by `{command}`; last measurement {max((r.get('at', '') for r in results.values()), default='?')}.",
        "",
        f"Machine: {m.get('nproc', '?')} cores ({m.get('cpu', '?')}), {m.get('memory_gib', '?')} GiB RAM, Python "
        f"{m.get('python', '?')}, possibly shared with other jobs (each section gives the load average at its end): "
        "absolute times drift (build and restart most), so read the ratios to the peers, measured in the same minutes.",
        "",
        f"Cases: {cases.get('count', '?')} held-out /quote cases ({cases.get('per_kind', '?')} per kind: exact, cross-script, "
        "typo, fragment), cut by rule from the seed passages (`bench/held_out.py`), never from the dev set; the right "
        "answer is the ORIGINAL seed passage, judged in the top 10 as `bot eval` judges. Ours is `/quote` through "
        "`bot.commands.dispatch.answer` on the library `bot index build` saved; the peers index the same cleaned passages.",
        "",
        summary(results),
    ]
    for key, result in results.items():
        lines += ["", one_size(key, result)]
    return "\n".join(lines).rstrip() + "\n"
