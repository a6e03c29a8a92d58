"""benchmarks/memory_scale.py's sampler: the whole tree's peak is never below the flow's."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from benchmarks import memory_scale

MIB = 2**20


def test_the_tree_is_summed_from_the_same_reading_as_the_flow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The flow process shrinks between two readings (578 -> 575 MiB) and has no children:
    # a tree read separately after the flow would peak below the flow's own peak.
    readings: Iterator[int] = iter([578 * MIB, *[575 * MIB] * 1000])
    monkeypatch.setattr(memory_scale, "rss_bytes", lambda pid: next(readings, 0))
    monkeypatch.setattr(memory_scale, "descendants", lambda root: set())
    sampler = memory_scale._Sampler(pid=1, every=0.001)
    time.sleep(0.05)
    sampler.stop()
    flow, tree = sampler.take()
    assert flow == 578.0
    assert tree >= flow
