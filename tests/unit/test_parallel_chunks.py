"""How texts are cut into contiguous chunks for the tagging workers."""

from __future__ import annotations

import pytest

from flows.core.entities.parallel import (
    CHUNK_CHARS,
    MIN_CHUNK_CHARS,
    balanced_budget,
    chunk_bounds,
)


@pytest.mark.parametrize(
    ("lengths", "budget", "expected"),
    [
        ([], 10, []),
        ([3], 10, [(0, 1)]),
        ([3, 3, 3], 10, [(0, 3)]),
        ([4, 4, 4], 10, [(0, 2), (2, 3)]),
        ([25, 1, 1], 10, [(0, 1), (1, 3)]),  # a text over the budget gets a chunk of its own
        ([1, 25, 1], 10, [(0, 1), (1, 2), (2, 3)]),
        ([0, 0, 0], 10, [(0, 3)]),
    ],
)
def test_chunk_bounds(lengths: list[int], budget: int, expected: list[tuple[int, int]]) -> None:
    assert chunk_bounds(lengths, budget) == expected


def test_chunks_cover_every_text_once_in_order() -> None:
    lengths = [(i * 37) % 101 for i in range(500)]
    bounds = chunk_bounds(lengths, 300)
    assert [i for start, end in bounds for i in range(start, end)] == list(range(500))
    assert all(end > start for start, end in bounds)


@pytest.mark.parametrize(
    ("total", "processes", "expected"),
    [
        (100_000_000, 2, CHUNK_CHARS),  # big batches: the largest chunk
        (1_600_000, 2, 100_000),  # 8 chunks per worker
        (50_000, 2, MIN_CHUNK_CHARS),  # tiny batches: not below the floor
        (1_600_000, 0, 200_000),  # no workers configured: treated as one
    ],
)
def test_balanced_budget(total: int, processes: int, expected: int) -> None:
    assert balanced_budget(total, processes) == expected
