"""How batch work is cut for a Dask cluster: a few chunks per worker, in input order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

# Enough chunks to keep every worker busy and balance uneven files, few enough that the
# per-task overhead (pickling, scheduling, a model per worker) stays small.
CHUNKS = 8


def chunks(items: Sequence[T], n: int = CHUNKS) -> list[list[T]]:
    """Split into at most n contiguous, nearly equal chunks; joining them gives items back."""
    size = -(-len(items) // max(1, n)) or 1
    return [list(items[i : i + size]) for i in range(0, len(items), size)]
