"""Time the standard queries readers run on a published warehouse.

All on the published snapshot, read-only, each on a fresh connection as the readers open
one (so nothing is cached between runs), median of `repeat`. Interactive queries, what a
`wirehouse query` or dashboard user waits for:
- "query": the README's `wirehouse query` / duckdb CLI examples;
- "read": each aggregate view with a typical filter (sql/bench/reads: one entity, by id and
  by name, the latest week, a top-N), for the most mentioned entity (the slowest case);
- "panel": every dashboard panel query in sql/dashboards with the dashboard's default
  parameters (the same list `python -m benchmarks.dashboard` times per page).
Bulk reads, reported but not interactive (their cost is moving millions of rows out):
- "view": every aggregate view in sql/views read whole (`select * from <view>`), as a BI
  tool or an export reads it;
- "bulk": the README examples that read a whole table or view.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from flows.settings import REPO_ROOT
from flows.warehouse import sql_files

VIEWS_DIR = REPO_ROOT / "sql" / "views"
READS = "bench/reads"
README_QUERY = "select * from agg_top_entities where window_days = 7 and rank <= 5"
# the README's other examples: the stock duckdb CLI, then two whole reads (Python, --format csv)
README_CLI_QUERY = (
    "select canonical_name, entity_type, n_mentions from agg_top_entities"
    " where window_days = 30 and rank <= 10"
)
README_BULK = {
    "agg_entity_mentions_daily by day (README)": (
        "select * from agg_entity_mentions_daily order by day"
    ),
    "articles titles (README)": "select title, published_at from articles",
}
INTERACTIVE = ("query", "read", "panel")


@dataclass(frozen=True)
class QueryTime:
    kind: str  # interactive: "query", "read", "panel"; bulk: "view", "bulk" (see above)
    name: str
    seconds: float
    rows: int
    # processor time of this process (all DuckDB threads) in the same run: a figure that other
    # jobs on the machine do not inflate; on an otherwise idle machine the wall time is at most
    # about this
    cpu_seconds: float = float("nan")


def view_names() -> list[str]:
    """The views the publish step creates, in file order (read from the SQL, not listed here)."""
    names = []
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        names += re.findall(
            r"create\s+(?:or\s+replace\s+)?view\s+(\w+)", path.read_text(), re.IGNORECASE
        )
    return names


def _median_seconds(run: Callable[[], int], repeat: int) -> tuple[float, int, float]:
    """Median wall seconds, rows, and the processor seconds of that median run."""
    runs, rows = [], 0
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        rows = run()
        runs.append((time.perf_counter() - started, time.process_time() - cpu))
    wall, cpu = sorted(runs)[len(runs) // 2]
    return wall, rows, cpu


def _sql_rows(snapshot: Path, sql: str) -> int:
    """Open, run, fetch everything, close: what one `wirehouse query` does."""
    from flows.readers import open_sandboxed

    with open_sandboxed(snapshot) as con:
        return con.sql(sql).pl().height


def _panel_rows(snapshot: Path, name: str, params: dict[str, Any]) -> int:
    from dashboards.data import run_query

    return run_query(snapshot, name, params).height


def _read_rows(snapshot: Path, name: str, params: dict[str, Any]) -> int:
    from flows.readers import open_sandboxed
    from flows.warehouse import fetch_frame

    with open_sandboxed(snapshot) as con:
        return fetch_frame(con, name, params).height


def read_params(snapshot: Path) -> dict[str, Any]:
    """The filters of the typical reads: the most mentioned entity and the latest week."""
    from dashboards.data import run_query

    totals = run_query(snapshot, "overview_totals").row(0, named=True)
    top = run_query(snapshot, "entities_lookup", {"name": "", "limit": 1})
    end = totals["last_day"]
    return {
        "entity_id": top["entity_id"][0] if top.height else "",
        "name": top["canonical_name"][0] if top.height else "",
        "entity_type": "PERSON",
        "end": end,
        "week_start": end - timedelta(days=6) if end else None,
    }


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
    return list(iter_query_times(snapshot, repeat))


def iter_query_times(
    snapshot: Path, repeat: int = 3, kinds: tuple[str, ...] = (*INTERACTIVE, "view", "bulk")
) -> Iterator[QueryTime]:
    """time_queries one query at a time (interactive ones first), only the given kinds."""
    for kind, label, run in _queries(snapshot):
        if kind in kinds:
            seconds, rows, cpu = _median_seconds(run, repeat)
            yield QueryTime(kind, label, seconds, rows, cpu)


def _queries(snapshot: Path) -> Iterator[tuple[str, str, Callable[[], int]]]:
    for label, sql in (
        ("agg_top_entities, 7 days, top 5 (README)", README_QUERY),
        ("agg_top_entities, 30 days, top 10 (README, duckdb CLI)", README_CLI_QUERY),
    ):
        yield "query", label, lambda sql=sql: _sql_rows(snapshot, sql)
    params = read_params(snapshot)
    for name in sql_files(READS):
        label = Path(name).stem.replace("__", " by ")
        yield "read", label, lambda name=name: _read_rows(snapshot, name, params)
    counts: dict[str, int] = {}
    for name, params in panel_queries(snapshot):
        counts[name] = counts.get(name, 0) + 1
        label = name if counts[name] == 1 else f"{name} #{counts[name]}"
        yield "panel", label, lambda name=name, params=params: _panel_rows(snapshot, name, params)
    for name in view_names():
        yield "view", name, lambda name=name: _sql_rows(snapshot, f"select * from {name}")
    for label, sql in README_BULK.items():
        yield "bulk", label, lambda sql=sql: _sql_rows(snapshot, sql)


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
