"""`bench/load.py` end to end (the `long` marker: minutes, two `bot serve` processes and a
redis-server): its four scenarios run, and what must hold whatever the machine's speed holds:
no errors, every answer exactly once, none duplicated across processes, healthy answers through
while response_urls hang, exit 0 on SIGTERM. Its latency figures are the benchmark's business."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

REQUESTS = 300


@pytest.mark.long
def test_the_load_benchmark_loses_and_duplicates_nothing():
    done = subprocess.run([sys.executable, "bench/load.py", "--requests", str(REQUESTS), "--json", "--answer-timeout", "120"],
                          cwd=REPO, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    for scenario in ("plain", "stalled_run", "two_processes"):
        row = report[scenario]
        assert row["errors"] == 0 and row["acked_within_3s"] == row["acks"], (scenario, row)
        assert row["answered"] == REQUESTS and row["duplicates"] == 0, (scenario, row)
    assert report["two_processes"]["acks"] == 2 * REQUESTS
    hang = report["hung_response_urls"]
    assert hang["hung_reached"] == report["hung"] and hang["delivered"] == hang["healthy"], hang
    assert report["exit_codes"] == [0, 0]


def test_the_load_benchmark_tells_the_taking_longer_notice_from_an_answer():
    """bench/load.py counts a post holding NOTICE_MARK as the notice, not as a second answer."""
    from bench.load import NOTICE_MARK
    from bot.slack.blocks import notice
    from bot.slack.replying import SLOWER

    assert NOTICE_MARK in json.dumps(notice(SLOWER).text).encode()
    assert NOTICE_MARK not in json.dumps(notice("The bot is very busy right now.").text).encode()
