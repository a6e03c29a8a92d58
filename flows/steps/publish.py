"""The single commit point: staged rows, ledger row and invariant checks in one transaction."""

from __future__ import annotations

import json

import duckdb
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.faults import fault_point
from flows.settings import Settings
from flows.snapshots import current_version, write_snapshot
from flows.steps.ledger import Load, finish_params
from flows.steps.progress import stage
from flows.warehouse import connect, fetch_frame, run_sql_file, sql_files, transaction

PUBLISH_ORDER = (
    "aggregates",
    "articles",
    "article_bands",
    "story_moves",
    "duplicates",
    "input_files",
    "rejects",
    "entities",
    "mentions",
)


class ChecksFailed(RuntimeError):
    """An invariant in sql/checks returned rows inside the publish transaction."""

    def __init__(self, failures: dict[str, int]) -> None:
        self.failures = failures
        listed = ", ".join(f"{name} ({n} rows)" for name, n in failures.items())
        super().__init__(f"invariant checks failed: {listed}")


@task(name="publish", cache_policy=NO_CACHE)
def publish(
    settings: Settings, load: Load, counts: dict[str, object], timings: dict[str, float]
) -> int:
    """Commit staging into the published tables with the ledger row, then swap the snapshot."""
    with stage("publish", timings) as notes:
        with connect(settings) as con:
            version = commit_load(con, settings, load, counts, timings)
        fault_point(settings, "publish.after_commit")
        # A new connection for the snapshot: closing the first one hands back DuckDB's working
        # memory of the transaction (the inserted articles, the checks' hash tables), so the
        # two phases' peaks do not add up.
        with connect(settings) as con:
            refresh_views(con)
            write_snapshot(con, settings, version)
        notes.append(f"version {version} -> {settings.published_db}")
    with connect(settings) as con:
        params = {"load_id": load.load_id, "timings": json.dumps(timings)}
        run_sql_file(con, "ledger/record_timings.sql", params)
    return version


def commit_load(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    load: Load,
    counts: dict[str, object],
    timings: dict[str, float],
) -> int:
    """The transaction: staged rows, the ledger row and the invariant checks; the version."""
    version = int(fetch_frame(con, "ledger/next_version.sql").item())
    final = dict(counts, published_version=version, timings=timings)
    with transaction(con):
        if load.replaces_interval:
            params = load.replace_params() | {"load_id": load.load_id}
            run_sql_file(con, "reprocess/replaced_loads.sql", params)
            run_sql_file(con, "reprocess/clear_replaced.sql")
        for name in PUBLISH_ORDER:
            run_sql_file(con, f"publish/{name}.sql")
            fault_point(settings, f"publish.after_{name}")
        if load.replaces_interval:
            run_sql_file(con, "reprocess/refresh_entities.sql")
        run_sql_file(con, "ledger/finish_load.sql", finish_params(load, "published", final))
        failures = run_checks(con, load.load_id)
        if failures:
            raise ChecksFailed(failures)
    return version


def run_checks(con: object, load_id: str) -> dict[str, int]:
    """Each sql/checks file returns offending rows; any row fails the publish."""
    failures = {}
    for name in sql_files("checks"):
        offending: pl.DataFrame = fetch_frame(con, name, {"load_id": load_id})  # type: ignore[arg-type]
        if offending.height:
            failures[name] = offending.height
    return failures


def refresh_views(con: object) -> None:
    for name in sql_files("views"):
        run_sql_file(con, name)  # type: ignore[arg-type]


@task(name="ensure-snapshot", cache_policy=NO_CACHE)
def ensure_snapshot(settings: Settings) -> int | None:
    """Re-create the snapshot if a run was killed after its commit but before the swap."""
    with connect(settings) as con:
        latest = int(fetch_frame(con, "ledger/next_version.sql").item()) - 1
        if latest >= 1 and current_version(settings) != latest:
            refresh_views(con)
            write_snapshot(con, settings, latest)
    return latest or None
