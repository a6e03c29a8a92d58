"""Named fault points for reliability tests: `WIREHOUSE_FAULT=point:action`.

Actions: `kill` (write a marker file, then SIGKILL this process), `raise` (RuntimeError),
`sleep=N` (seconds). Unset, a fault point costs one attribute check.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from flows.settings import Settings

# Where fault_point() is called; stage/publish have one point after each of their SQL files.
POINTS: tuple[str, ...] = (
    "migrate.between_files",
    "after_parse",
    "stage.after_articles",
    "stage.after_duplicates",
    "stage.after_rejects",
    "stage.after_input_files",
    "publish.after_articles",
    "publish.after_duplicates",
    "publish.after_input_files",
    "publish.after_rejects",
    "publish.after_entities",
    "publish.after_mentions",
    "publish.after_commit",
)


class InjectedFault(RuntimeError):
    """Raised by a `raise` fault point."""


def fault_point(settings: Settings, name: str) -> None:
    if not settings.fault:
        return
    point, _, action = settings.fault.partition(":")
    if point != name:
        return
    marker = settings.home / f".fault-{name}"
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(str(os.getpid()))
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "raise":
        raise InjectedFault(f"fault injected at {name}")
    elif action.startswith("sleep="):
        time.sleep(float(action.split("=", 1)[1]))


def marker_path(home: Path, name: str) -> Path:
    return home / f".fault-{name}"
