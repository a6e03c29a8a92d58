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


class Counter:
    """Prints "<stage>: n of N ..." at most every `every` seconds, for long stages."""

    def __init__(self, stage: str, total: int, unit: str, every: float = 5.0) -> None:
        self.stage, self.total, self.unit, self.every = stage, total, unit, every
        self._last = time.perf_counter()

    def __call__(self, done: int) -> None:
        now = time.perf_counter()
        if now - self._last < self.every:
            return
        self._last = now
        share = 100 * done / self.total if self.total else 100.0
        print(
            f"  {self.stage:<10} ... {done:,} of {self.total:,} {self.unit} ({share:.0f}%)",
            file=sys.stderr,
            flush=True,
        )
