"""Cut a run's input files into batches that are parsed, normalized and staged together.

Memory then follows the batch, not the run. Batches take the files in `input_uri` order,
the order the stage SQL ranks copies of an article by (sql/stage/keyed.sql): every record of
an earlier batch sorts before every record of a later one, so a batch can decide which
copy is the first from its own records plus the ones earlier batches staged.
"""

from __future__ import annotations

from collections.abc import Sequence

# A gzip file is weighed as if it unpacked to this many times its size (news text packs
# about 3-4x): it is parsed unpacked.
GZIP_RATIO = 4


def input_order(uris: Sequence[str]) -> list[int]:
    """Positions of `uris` in the order DuckDB sorts them (`order by input_uri`): byte order
    of UTF-8, which is code point order, which is how Python compares str."""
    return sorted(range(len(uris)), key=uris.__getitem__)


def estimated_bytes(uri: str, size_bytes: int, max_file_bytes: int) -> int:
    """What a file weighs once read: its size, or an estimate of it unpacked (never more
    than the reader accepts)."""
    if uri.lower().endswith(".gz"):
        return min(size_bytes * GZIP_RATIO, max_file_bytes)
    return size_bytes


def cut_batches(weights: Sequence[int], budget: int) -> list[range]:
    """Consecutive ranges of item positions whose weights add up to at most `budget`; an
    item heavier than the budget is a batch of its own. No items: one empty batch, so a run
    with nothing to read still stages (e.g. the rejects of feeds it could not fetch)."""
    batches: list[range] = []
    start, total = 0, 0
    for position, weight in enumerate(weights):
        if position > start and total + weight > budget:
            batches.append(range(start, position))
            start, total = position, 0
        total += weight
    batches.append(range(start, len(weights)))
    return batches
