"""Scheduled runs: a Prefect deployment whose cron fires once per interval.

Each scheduled run processes the day that had just closed when it fired (in the schedule's
timezone), exactly like `wirehouse run --date <that day>`. Prefect does not create runs for
times that passed while nothing was serving; `--catchup` backfills those days explicitly,
as Airflow 3 does with catchup off by default.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.core.report import RunReport
from flows.errors import UserError
from flows.intervals import ONE_DAY, closed_interval, interval_start, partition_dir
from flows.runner import exclusive_writer, run_flow
from flows.settings import Settings

DEPLOYMENT_NAME = "daily"
DEFAULT_CRON = "0 1 * * *"  # 01:00 every day: yesterday's partition has had an hour to land
DEFAULT_TIMEZONE = "UTC"


@flow(name="wirehouse-scheduled", validate_parameters=False)
def scheduled_run(timezone: str = DEFAULT_TIMEZONE, day: str | None = None) -> RunReport | None:
    """Load the interval that closed when this run was scheduled (or `day`, when given)."""
    logger = get_run_logger()
    fired = flow_run.scheduled_start_time or datetime.now(UTC)
    interval = date.fromisoformat(day) if day else closed_interval(fired, timezone)
    settings = Settings.from_env().with_(logical_date=interval_start(interval))
    partition = partition_dir(settings.landing_dir, interval)
    if not partition.is_dir():
        logger.warning("no landing partition %s; nothing to load for %s", partition, interval)
        return None
    with exclusive_writer(settings):
        report = run_flow([str(partition)], settings)
    logger.info("%s: %s, %s articles loaded", interval, report.status, report.n_loaded)
    if report.status == "failed_audit":
        raise RuntimeError(f"audit failed for {interval}: {report.audit_summary}")
    return report


def check_schedule(cron: str, timezone: str) -> None:
    """Refuse a bad cron or timezone before anything is registered."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(
            f"unknown timezone {timezone!r}; use an IANA name like Europe/Paris"
        ) from None
    try:
        CronSchedule(cron=cron, timezone=timezone)
    except ValueError:
        raise UserError(f"not a cron expression: {cron!r} (e.g. {DEFAULT_CRON!r})") from None


def record_schedule(settings: Settings, cron: str, timezone: str, now: datetime) -> None:
    """Leave the served schedule where `wirehouse status` can show it without a server."""
    settings.home.mkdir(parents=True, exist_ok=True)
    served = {
        "deployment": f"{scheduled_run.name}/{DEPLOYMENT_NAME}",
        "cron": cron,
        "timezone": timezone,
        "served_since": now.isoformat(timespec="seconds"),
    }
    settings.schedule_file.write_text(json.dumps(served) + "\n", encoding="utf-8")


def missed_days(settings: Settings, timezone: str, now: datetime) -> tuple[date, date] | None:
    """Days after the latest day with a run, up to the last closed one; None when up to date."""
    from flows.readers import latest_run_day

    latest = latest_run_day(settings)
    last_closed = closed_interval(now, timezone)
    if latest is None or latest >= last_closed:
        return None
    return latest + ONE_DAY, last_closed


def serve_schedule(
    settings: Settings, cron: str, timezone: str, catchup: bool, now: datetime
) -> int:
    """Catch up if asked, then serve the deployment until interrupted."""
    from prefect import serve
    from prefect.schedules import Cron

    from flows.backfill import backfill

    check_schedule(cron, timezone)
    if catchup:
        missed = missed_days(settings, timezone, now)
        if missed is None:
            print("catch-up: no missed intervals", file=sys.stderr)
        else:
            print(f"catch-up: {missed[0]} to {missed[1]}", file=sys.stderr)
            backfill(settings, missed[0], missed[1], "none", dry_run=False)
    record_schedule(settings, cron, timezone, now)
    deployment = scheduled_run.to_deployment(
        name=DEPLOYMENT_NAME,
        schedule=Cron(cron, timezone=timezone),
        parameters={"timezone": timezone},
        description="Loads the landing partition of the day that just closed.",
    )
    print(
        f"wirehouse: serving {scheduled_run.name}/{DEPLOYMENT_NAME} on cron {cron!r} "
        f"({timezone}); Ctrl-C stops it",
        file=sys.stderr,
        flush=True,
    )
    serve(deployment, print_starting_message=False)
    return 0
