"""`wirehouse backfill`: run a range of logical days, as Airflow's backfill does.

Each day is its own flow run over its landing partition, stamped with that day. What a day
needs is decided from the ledger (the latest run of that day) and --reprocess:
none = only days never run; failed = also days whose latest run failed; all = every day,
replacing that day's rows. The writer lock is held for the whole range.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from flows.core.discovery import expand_inputs
from flows.errors import EXIT_FAILED, EXIT_OK, UserError
from flows.intervals import days_between, interval_start, partition_dir
from flows.runner import exclusive_writer, run_flow
from flows.settings import Settings
from flows.tables import aligned
from flows.warehouse import fetch_frame

REPROCESS_MODES = ("none", "failed", "all")
FAILED_STATUSES = frozenset({"failed", "failed_audit", "interrupted"})
MAX_DAYS = 3660


@dataclass(frozen=True)
class PlannedDay:
    day: date
    partition: Path
    n_files: int
    last_status: str | None
    action: str  # run | reprocess | skip

    @property
    def runs(self) -> bool:
        return self.action in ("run", "reprocess")


def decide(n_files: int, last_status: str | None, reprocess: str) -> str:
    """What one day needs; a day without landed files is never cleared by mistake."""
    if n_files == 0:
        return "skip"
    if last_status is None:
        return "run"
    if reprocess == "all":
        return "reprocess"
    if reprocess == "failed" and last_status in FAILED_STATUSES:
        return "run"
    return "skip"


def plan(settings: Settings, first: date, last: date, reprocess: str) -> list[PlannedDay]:
    if reprocess not in REPROCESS_MODES:
        raise UserError(f"--reprocess must be one of {', '.join(REPROCESS_MODES)}")
    days = days_between(first, last)
    if len(days) > MAX_DAYS:
        raise UserError(f"{len(days)} days is more than {MAX_DAYS}; backfill in smaller ranges")
    statuses = _latest_statuses(settings, min(first, last), max(first, last))
    planned = []
    for day in days:
        partition = partition_dir(settings.landing_dir, day)
        n_files = len(expand_inputs([str(partition)]).files) if partition.is_dir() else 0
        status = statuses.get(day)
        planned.append(
            PlannedDay(day, partition, n_files, status, decide(n_files, status, reprocess))
        )
    return planned


def _latest_statuses(settings: Settings, first: date, last: date) -> dict[date, str]:
    if not settings.db_path.exists():
        return {}
    try:
        with duckdb.connect(str(settings.db_path), read_only=True) as con:
            frame = fetch_frame(
                con, "queries/interval_status.sql", {"first_day": first, "last_day": last}
            )
    except duckdb.CatalogException:  # a warehouse file from before any run
        return {}
    return dict(zip(frame.get_column("day"), frame.get_column("last_status"), strict=True))


def plan_table(planned: list[PlannedDay]) -> str:
    return aligned(
        pl.DataFrame(
            {
                "day": [p.day.isoformat() for p in planned],
                "files": [p.n_files for p in planned],
                "last_status": [p.last_status or "" for p in planned],
                "action": [p.action for p in planned],
            }
        )
    )


def backfill(settings: Settings, first: date, last: date, reprocess: str, dry_run: bool) -> int:
    """Run the planned days in the order asked; exit 1 if any day's audit failed."""
    with exclusive_writer(settings):
        planned = plan(settings, first, last, reprocess)
        print(plan_table(planned))
        todo = [p for p in planned if p.runs]
        if dry_run or not todo:
            print("dry run: nothing was loaded" if dry_run else "nothing to do")
            return EXIT_OK
        failed = []
        for number, day in enumerate(todo, 1):
            print(f"[{number}/{len(todo)}] {day.day} {day.action}", file=sys.stderr, flush=True)
            day_settings = settings.with_(
                logical_date=interval_start(day.day), reprocess=day.action == "reprocess"
            )
            report = run_flow([str(day.partition)], day_settings)
            print(
                f"{day.day}  {report.status:<12} loaded {report.n_loaded}, "
                f"duplicates {report.n_duplicates}, rejected {report.n_rejected}"
                + (f", version {report.published_version}" if report.published_version else "")
            )
            if report.status == "failed_audit":
                failed.append(day.day.isoformat())
    if failed:
        print(
            f"wirehouse: the audit failed for {', '.join(failed)}; nothing of those days was "
            "published. `wirehouse status` lists the failing expectations; fix the data and "
            "run `wirehouse backfill --reprocess failed` over the same range",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK
