"""Read-only access for users: SQL on the published snapshot, and the status page.

Readers never open the live write file while a run may hold it; they open
published/news.duckdb read-only, so they neither wait for nor block a writer.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from flows.errors import EXIT_FAILED, UserError
from flows.settings import Settings
from flows.tables import aligned
from flows.versions import versions_text
from flows.warehouse import fetch_frame


def open_published(settings: Settings) -> duckdb.DuckDBPyConnection:
    if not settings.published_db.exists():
        raise UserError(
            f"nothing is published yet in {settings.home}; run `wirehouse run PATH` first"
        )
    return open_sandboxed(settings.published_db)


def open_sandboxed(path: Path) -> duckdb.DuckDBPyConnection:
    """A published file (or one kept version of it) read-only, with no file-system access."""
    # Read-only is not enough: COPY TO, EXPORT DATABASE and read_text() reach the file system.
    # Users' SQL gets the published tables and nothing else.
    config = {
        "enable_external_access": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "lock_configuration": True,
    }
    return duckdb.connect(str(path), read_only=True, config=config)


def query_published(settings: Settings, sql: str) -> pl.DataFrame:
    """Run the user's SQL read-only: writes fail, and the published file never changes."""
    with open_published(settings) as con:
        try:
            return con.sql(sql).pl()
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0]
            raise UserError(f"query failed: {first}", EXIT_FAILED) from None


def status_text(settings: Settings, limit: int) -> str:
    """From the live file when no run holds it (it also has unpublished runs), else the snapshot."""
    try:
        con = duckdb.connect(str(settings.db_path), read_only=True)
        source = f"Warehouse: {settings.db_path}"
    except duckdb.Error:
        con = open_published(settings)
        source = f"A run is writing now; showing the published snapshot {settings.published_db}"
    with con:
        sections = [
            source,
            versions_text(settings),
            schedule_text(settings),
            aligned(fetch_frame(con, "queries/status_totals.sql")),
            "\nDays (logical intervals, latest first)",
            aligned(fetch_frame(con, "queries/status_intervals.sql", {"limit": limit})),
            "\nRecent runs",
            aligned(fetch_frame(con, "queries/status_loads.sql", {"limit": limit})),
            "\nRejects by reason",
            aligned(fetch_frame(con, "queries/status_rejects.sql")),
            "\nFailed expectations (latest first)",
            aligned(fetch_frame(con, "queries/status_failed_audits.sql")),
        ]
    return "\n".join(sections)


def latest_run_day(settings: Settings) -> date | None:
    """The latest logical day (UTC) that has a finished run, from the live file."""
    if not settings.db_path.exists():
        return None
    try:
        with duckdb.connect(str(settings.db_path), read_only=True) as con:
            return fetch_frame(con, "queries/latest_run_day.sql").item()
    except duckdb.CatalogException:
        return None


def schedule_text(settings: Settings) -> str:
    try:
        served = json.loads(settings.schedule_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return (
            "Schedule: none served from this warehouse (`wirehouse serve` runs daily at 01:00 UTC)"
        )
    return (
        f"Schedule: {served.get('deployment')} cron {served.get('cron')!r} "
        f"({served.get('timezone')}), served since {served.get('served_since')}"
    )
