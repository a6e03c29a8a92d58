"""One line per finished stage on stderr, so a long run shows where it is."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def stage(name: str, timings: dict[str, float] | None = None) -> Iterator[list[str]]:
    """Time a stage; the caller appends a short note that is printed when it ends."""
    notes: list[str] = []
    started = time.perf_counter()
    yield notes
    seconds = time.perf_counter() - started
    if timings is not None:
        timings[name] = round(seconds, 3)
    detail = f": {'; '.join(notes)}" if notes else ""
    print(f"  {name:<10} {seconds:7.2f} s{detail}", file=sys.stderr, flush=True)
