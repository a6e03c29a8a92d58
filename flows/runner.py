"""Run the flow for the CLI: check what the user gave, hold the writer lock, print a summary."""

from __future__ import annotations

import errno
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from flows.core.discovery import expand_inputs
from flows.core.entities import ensemble
from flows.core.entities.ner import ModelError
from flows.core.report import RunReport
from flows.errors import EXIT_BUSY, EXIT_FAILED, EXIT_OK, UserError
from flows.intervals import partition_dir
from flows.settings import Settings
from flows.warehouse import WarehouseBusy, connect, run_sql_file, writer_lock

EXAMPLE_QUERY = (
    "select entity_type, canonical_name, n_mentions from agg_top_entities "
    "where window_days = 30 and rank <= 3 order by entity_type, rank"
)


def run_and_report(paths: list[str], settings: Settings) -> int:
    if not paths and not settings.feeds:
        paths = [str(landing_partition(settings))]
    missing = expand_inputs(paths).missing
    if missing:
        raise UserError(f"no such file or folder: {missing[0]} (nothing was loaded)")
    with exclusive_writer(settings):
        named = paths + [f.url for f in settings.feeds]
        print(f"wirehouse: loading {', '.join(named)} into {settings.home}", file=sys.stderr)
        report = run_flow(paths, settings)
    print(summary(report))
    if report.status == "failed_audit":
        print(
            f"\nwirehouse: audit failed, nothing was published. {report.audit_summary}. "
            f"The staged rows are kept in {settings.staging_db} for inspection; "
            "`wirehouse status` lists the failing expectations.",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


def landing_partition(settings: Settings) -> Path:
    """The logical day's landing folder, for runs given --date and no paths."""
    partition = partition_dir(settings.landing_dir, settings.logical_date.date())
    if not partition.is_dir():
        raise UserError(
            f"no landing partition {partition}: put the day's files there "
            "(or set WIREHOUSE_LANDING), or name the files to load"
        )
    return partition


@contextmanager
def exclusive_writer(settings: Settings) -> Iterator[None]:
    """Hold the writer lock for the whole block; a busy warehouse is a one-line error."""
    try:
        with writer_lock(settings):
            _check_writable(settings)
            yield
    except WarehouseBusy as exc:
        raise UserError(str(exc), EXIT_BUSY) from None


def _check_writable(settings: Settings) -> None:
    """A writer opens the live and the staging file; name the one another program holds."""
    try:
        connect(settings).close()
    except duckdb.IOException as exc:
        detail = str(exc).splitlines()[0]
        held = settings.staging_db if str(settings.staging_db) in detail else settings.db_path
        raise UserError(
            f"the warehouse file {held} is open in another program "
            f"({detail[:120]}); close it and run again",
            EXIT_BUSY,
        ) from None


def run_flow(paths: list[str], settings: Settings) -> RunReport:
    """One flow run; a failed audit comes back as a report, anything else raises."""
    from flows.pipeline import pipeline_for

    try:
        ensemble.check(settings.ner_model)
    except ModelError as exc:
        raise UserError(f"{exc} (nothing was loaded)") from None

    state = pipeline_for(settings)(paths, settings, return_state=True)
    result = state.result(raise_on_failure=False)
    if isinstance(result, RunReport):
        return result
    _record_failure(settings, result)
    explained = explain_failure(result, settings)
    if explained is not None:
        raise explained from None
    raise result if isinstance(result, BaseException) else RuntimeError(str(result))


_DISK_FULL = ("no space left", "file too large", "disk quota")


def explain_failure(error: object, settings: Settings) -> UserError | None:
    """Expected operational failures as one line; anything else stays a traceback (a bug)."""
    if isinstance(error, ModelError):
        return UserError(f"{str(error).rstrip('.')}; nothing was published", EXIT_FAILED)
    text = str(error).lower()
    disk_errno = isinstance(error, OSError) and error.errno in (
        errno.ENOSPC,
        errno.EFBIG,
        errno.EDQUOT,
    )
    if disk_errno or (isinstance(error, duckdb.Error) and any(s in text for s in _DISK_FULL)):
        return UserError(
            f"the disk holding {settings.home} is full (or a file-size limit was hit); "
            "nothing was published and readers still see the previous version. "
            "Free space, then run again",
            EXIT_FAILED,
        )
    return None


def _record_failure(settings: Settings, error: object) -> None:
    """Best effort: the next run marks a row left 'running' as interrupted anyway."""
    params = {"finished_at": datetime.now(UTC), "message": str(error)[:1000]}
    try:
        with connect(settings) as con:
            run_sql_file(con, "ledger/fail_running.sql", params)
    except duckdb.Error:
        pass


def summary(report: RunReport) -> str:
    rejects = ", ".join(f"{k} {v}" for k, v in report.rejects_by_reason.items()) or "none"
    audit = (
        "not needed (nothing new)"
        if report.audit_success is None
        else ("passed" if report.audit_success else "FAILED") + f": {report.audit_summary}"
    )
    published = (
        f"version {report.published_version} -> {report.published_path}"
        if report.published_version
        else "nothing (the published data is unchanged)"
    )
    lines = [
        f"Run {report.load_id}: {report.status}",
        f"  inputs read        {report.n_files} files ({report.n_unchanged_files} unchanged "
        f"since an earlier load), {report.n_records} records",
        f"  articles loaded    {report.n_loaded}",
        f"  duplicates skipped {report.n_duplicates}",
        f"  rejects            {report.n_rejected} ({rejects})",
        f"  dates not parsed   {report.n_unparsed_dates} (kept, published_at left empty)",
        f"  entities           {report.n_entities} ({report.n_new_entities} new)",
        f"  mentions           {report.n_mentions}",
        f"  audit              {audit}",
        f"  published          {published}",
        f"  warehouse          {report.warehouse}",
        "",
        "Try:",
        f'  wirehouse query "{EXAMPLE_QUERY}"',
    ]
    return "\n".join(lines)
