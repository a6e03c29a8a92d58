"""Tasks that open and close a run's row in the loads ledger."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.faults import fault_point
from flows.intervals import ONE_DAY
from flows.settings import Settings
from flows.steps.retries import IO_BACKOFF
from flows.warehouse import connect, migrate, run_sql_file


@dataclass(frozen=True)
class Load:
    load_id: str
    started_at: datetime
    logical_date: datetime
    replaces_interval: bool = False  # reprocess: this load's day replaces earlier loads of it

    def replace_params(self) -> dict[str, datetime]:
        """[from, until) of the interval whose rows this load replaces; empty unless reprocessing."""
        until = self.logical_date + ONE_DAY if self.replaces_interval else self.logical_date
        return {"replace_from": self.logical_date, "replace_until": until}


@task(name="open-load", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=IO_BACKOFF)
def open_load(settings: Settings, inputs: list[str]) -> Load:
    """Migrate the schema, mark runs a killed process left 'running', and record this one."""
    started_at = datetime.now(UTC)
    load_id = f"{started_at:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
    load = Load(load_id, started_at, settings.logical_date, settings.reprocess)
    with connect(settings) as con:
        migrate(con, after_each=lambda: fault_point(settings, "migrate.between_files"))
        run_sql_file(con, "ledger/recover_stale.sql")
        run_sql_file(con, "stage/reset.sql")
        params = {
            "load_id": load.load_id,
            "started_at": load.started_at,
            "logical_date": load.logical_date,
            "inputs": inputs,
        }
        run_sql_file(con, "ledger/start_load.sql", params)
    return load


def finish_params(load: Load, status: str, counts: dict[str, object]) -> dict[str, object]:
    """Every column finish_load.sql sets, with counts the run did not reach left null."""
    names = [
        "n_files",
        "n_unchanged_files",
        "n_records",
        "n_loaded",
        "n_duplicates",
        "n_rejected",
        "n_unparsed_dates",
        "n_entities",
        "n_new_entities",
        "n_mentions",
        "audit_success",
        "audit_summary",
        "published_version",
        "message",
    ]
    params: dict[str, object] = {name: counts.get(name) for name in names}
    params["timings"] = json.dumps(counts.get("timings") or {})
    params.update(load_id=load.load_id, status=status, finished_at=datetime.now(UTC))
    return params


@task(name="close-load", cache_policy=NO_CACHE)
def close_load(settings: Settings, load: Load, status: str, counts: dict[str, object]) -> None:
    """Record the outcome of a run that did not publish (publish closes its own row)."""
    with connect(settings) as con:
        run_sql_file(con, "ledger/finish_load.sql", finish_params(load, status, counts))
