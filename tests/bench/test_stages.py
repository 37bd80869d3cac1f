"""bench/stages.py's stages are exclusive: time spent in a stage reached inside another is counted
once, in the inner stage, so the stages add up to the build."""

from __future__ import annotations

import time
import types
from contextlib import ExitStack

from bench.stages import CpuStages, _wrapped


def _busy(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_an_inner_stage_is_taken_out_of_the_outer_one():
    work = types.SimpleNamespace()
    work.inner = lambda: _busy(0.05)

    def outer():
        _busy(0.05)
        work.inner()
        work.inner()

    work.outer = outer
    stages, inside = CpuStages(), []
    with ExitStack() as stack:
        stack.enter_context(_wrapped(work, "outer", stages, "outer", inside))
        stack.enter_context(_wrapped(work, "inner", stages, "inner", inside))
        started = time.process_time()
        work.outer()
        total = time.process_time() - started
    assert work.outer is outer  # put back
    assert 0.09 <= stages.cpu["inner"] <= 0.2
    assert 0.04 <= stages.cpu["outer"] < 0.09  # its own 0.05 s, not the inner 0.1 s
    assert abs(stages.cpu["outer"] + stages.cpu["inner"] - total) < 0.02
    assert inside == []


def test_a_missing_function_is_a_missing_stage():
    stages = CpuStages()
    with _wrapped(types.SimpleNamespace(), "gone", stages, "gone", []) as present:
        assert present is False
    assert stages.cpu == {}
