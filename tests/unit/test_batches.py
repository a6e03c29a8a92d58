"""flows/core/batches.py: input files cut into ingest batches."""

from __future__ import annotations

import pytest

from flows.core.batches import GZIP_RATIO, cut_batches, estimated_bytes, input_order


@pytest.mark.parametrize(
    ("weights", "budget", "expected"),
    [
        ([], 10, [[]]),  # nothing to read: one empty batch
        ([3, 3, 3], 10, [[0, 1, 2]]),
        ([4, 4, 4], 10, [[0, 1], [2]]),
        ([5, 5, 5], 10, [[0, 1], [2]]),  # exactly the budget still fits
        ([2, 30, 2, 2], 10, [[0], [1], [2, 3]]),  # too big for any batch: one of its own
        ([30], 10, [[0]]),
        ([1, 1, 1], 1, [[0], [1], [2]]),
        ([0, 0, 7, 0], 5, [[0, 1], [2], [3]]),
    ],
)
def test_batches_are_consecutive_and_within_budget(
    weights: list[int], budget: int, expected: list[list[int]]
) -> None:
    batches = cut_batches(weights, budget)
    assert [list(b) for b in batches] == expected
    assert [i for b in batches for i in b] == list(range(len(weights)))


def test_gzip_weighs_its_unpacked_estimate_capped_by_the_file_limit() -> None:
    assert estimated_bytes("/in/a.jsonl", 100, 1_000) == 100
    assert estimated_bytes("/in/a.JSONL.GZ", 100, 1_000) == 100 * GZIP_RATIO
    assert estimated_bytes("/in/a.jsonl.gz", 900, 1_000) == 1_000


def test_input_order_sorts_paths_as_strings_not_path_parts() -> None:
    # Path("a/b") < Path("a-c") (parts compared), but as strings "-" (0x2d) sorts before "/"
    uris = ["/in/a/b.txt", "/in/a-c.txt", "/in/B.txt", "/in/é.txt", "/in/z.txt"]
    assert [uris[i] for i in input_order(uris)] == [
        "/in/B.txt",
        "/in/a-c.txt",
        "/in/a/b.txt",
        "/in/z.txt",
        "/in/é.txt",
    ]
