"""The targets the benchmarks are read against, in one place so the report and the text agree."""

from __future__ import annotations

GOALS = {
    "peer_margin_points": 10.0,  # our recall@1 minus the best peer's, in points
    "tantivy_p99_ratio": 2.0,  # our p99 / tantivy's p99
    "quote_p99_ms": 30.0,  # /quote p99 at 100x
    "recall_drop_points": 3.0,  # recall@1 at 1x minus recall@1 at 100x
    "rss_mb": 300.0,  # resident memory at 100x
    "cold_start_s": 5.0,  # process start to first answer at 100x
}


def verdict(met: bool) -> str:
    return "met" if met else "**missed**"
