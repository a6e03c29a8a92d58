"""Peak resident memory of a whole process tree, sampled from /proc.

/usr/bin/time reports the largest single process only; a run that tags entities on worker
processes holds the model once per worker, and Prefect's temporary server is a process of its
own, so the memory a machine must have is the tree's sum at its peak.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process we can read."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        found[int(stat.parent.name)] = int(fields[1])
    return found


def descendants(root: int) -> set[int]:
    """Every process below ``root`` right now (children, their children, ...)."""
    parents = _parents()
    found: set[int] = set()
    frontier = [root]
    while frontier:
        pid = frontier.pop()
        children = {child for child, parent in parents.items() if parent == pid} - found
        found |= children
        frontier.extend(children)
    return found


def rss_bytes(pid: int) -> int:
    """Resident bytes of one process right now; 0 once it has ended."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except OSError:
        return 0


def tree_rss_bytes(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants right now."""
    return sum(rss_bytes(pid) for pid in {root} | descendants(root))


class TreePeak:
    """Samples a process tree's total RSS every ``every`` seconds until stopped."""

    def __init__(self, root: int, every: float = 0.5) -> None:
        self.root, self.every, self.peak = root, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, tree_rss_bytes(self.root))

    @property
    def peak_mib(self) -> float:
        return self.peak / 2**20
