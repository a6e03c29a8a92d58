"""Time the standard queries readers run on a published warehouse.

Two kinds, both on the published snapshot, read-only, each on a fresh connection as the
readers open one (so nothing is cached between runs), median of `repeat`:
- every aggregate view in sql/views, read whole (`select * from <view>`), as
  `wirehouse query` or a BI tool reads it, plus the README's example query;
- every dashboard panel query in sql/dashboards with the dashboard's default parameters
  (the same list `python -m benchmarks.dashboard` times per page).
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows.settings import REPO_ROOT

VIEWS_DIR = REPO_ROOT / "sql" / "views"
README_QUERY = "select * from agg_top_entities where window_days = 7 and rank <= 5"


@dataclass(frozen=True)
class QueryTime:
    kind: str  # "view" (read whole), "query" (the README's example) or "panel" (dashboard)
    name: str
    seconds: float
    rows: int


def view_names() -> list[str]:
    """The views the publish step creates, in file order (read from the SQL, not listed here)."""
    names = []
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        names += re.findall(
            r"create\s+(?:or\s+replace\s+)?view\s+(\w+)", path.read_text(), re.IGNORECASE
        )
    return names


def _median_seconds(run: Callable[[], int], repeat: int) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def _sql_rows(snapshot: Path, sql: str) -> int:
    """Open, run, fetch everything, close: what one `wirehouse query` does."""
    from flows.readers import open_sandboxed

    with open_sandboxed(snapshot) as con:
        return con.sql(sql).pl().height


def _panel_rows(snapshot: Path, name: str, params: dict[str, Any]) -> int:
    from dashboards.data import run_query

    return run_query(snapshot, name, params).height


def panel_queries(snapshot: Path) -> list[tuple[str, dict[str, Any]]]:
    """Each distinct (query, parameters) the dashboard pages send with their defaults."""
    from benchmarks.dashboard import page_queries

    seen: list[tuple[str, dict[str, Any]]] = []
    for queries in page_queries(snapshot).values():
        for name, params in queries:
            if (name, params) not in seen:
                seen.append((name, params))
    return seen


def time_queries(snapshot: Path, repeat: int = 3) -> list[QueryTime]:
    """Median seconds and row count of every standard query on one published file."""
    results = []
    for name in view_names():
        seconds, rows = _median_seconds(
            lambda name=name: _sql_rows(snapshot, f"select * from {name}"), repeat
        )
        results.append(QueryTime("view", name, seconds, rows))
    seconds, rows = _median_seconds(lambda: _sql_rows(snapshot, README_QUERY), repeat)
    results.append(QueryTime("query", "agg_top_entities, 7 days, top 5 (README)", seconds, rows))
    counts: dict[str, int] = {}
    for name, params in panel_queries(snapshot):
        counts[name] = counts.get(name, 0) + 1
        label = name if counts[name] == 1 else f"{name} #{counts[name]}"
        seconds, rows = _median_seconds(
            lambda name=name, params=params: _panel_rows(snapshot, name, params), repeat
        )
        results.append(QueryTime("panel", label, seconds, rows))
    return results


def snapshot_of(home: Path) -> Path:
    """The published version readers see now in a warehouse home."""
    from dashboards.data import current_snapshot
    from flows.settings import Settings

    snapshot = current_snapshot(Settings(home=home.expanduser().resolve()))
    if snapshot is None:
        raise SystemExit(f"nothing is published in {home}")
    return snapshot.path


def article_count(snapshot: Path) -> int:
    from flows.readers import open_sandboxed

    with open_sandboxed(snapshot) as con:
        (count,) = con.execute("select count(*) from articles").fetchone()
    return int(count)
