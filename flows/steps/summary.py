"""Assemble a run's counts (for the ledger) and its report (for the user)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.core.normalize import Normalized
from flows.core.readers import Parsed
from flows.core.report import RunReport
from flows.quality import AuditOutcome
from flows.settings import Settings
from flows.steps.discover import InputFiles
from flows.steps.ledger import Load


@dataclass(frozen=True)
class ReadCounts:
    """What reading and normalizing saw, summed over the run's batches: the batches' records
    can be let go once staged."""

    n_records: int = 0
    n_unparsed_dates: int = 0
    rejects_by_reason: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, parsed: Parsed, normalized: Normalized) -> ReadCounts:
        rejects = pl.concat([parsed.rejects, normalized.rejects])
        by_reason = rejects.group_by("reason_code").len()
        return cls(
            n_records=parsed.records.height + parsed.rejects.height,
            n_unparsed_dates=normalized.n_unparsed_dates,
            rejects_by_reason=dict(by_reason.iter_rows()),
        )

    def __add__(self, other: ReadCounts) -> ReadCounts:
        reasons = Counter(self.rejects_by_reason) + Counter(other.rejects_by_reason)
        return ReadCounts(
            n_records=self.n_records + other.n_records,
            n_unparsed_dates=self.n_unparsed_dates + other.n_unparsed_dates,
            rejects_by_reason=dict(sorted(reasons.items())),
        )


def add_timings(timings: dict[str, float], spent: dict[str, float]) -> None:
    """Stages that run once per batch add up their seconds."""
    for name, seconds in spent.items():
        timings[name] = round(timings.get(name, 0.0) + seconds, 3)


def ingest_counts(
    inputs: InputFiles, read: ReadCounts, staged: dict[str, int]
) -> dict[str, object]:
    """What reading and staging saw, once every batch is staged."""
    return {
        "n_files": inputs.n_found,
        "n_unchanged_files": inputs.n_unchanged,
        "n_records": read.n_records,
        **staged,
        "n_unparsed_dates": read.n_unparsed_dates,
        "rejects_by_reason": read.rejects_by_reason,
    }


def run_counts(
    ingested: dict[str, object], extracted: dict[str, int], outcome: AuditOutcome | None
) -> dict[str, object]:
    """Records detected = loaded + duplicates + rejected; every input is accounted for."""
    return {
        **ingested,
        **extracted,
        "audit_success": None if outcome is None else outcome.success,
        "audit_summary": "" if outcome is None else outcome.summary,
    }


def has_new_rows(counts: dict[str, object]) -> bool:
    """Publish only when something is not in the warehouse yet; a file that fails the same
    way on every run (an unreadable path) is reported but does not make a new version."""
    return any(counts.get(k) for k in ("n_loaded", "n_new_duplicates", "n_new_rejects"))


@task(name="report", cache_policy=NO_CACHE)
def make_report(
    settings: Settings,
    load: Load,
    status: str,
    counts: dict[str, object],
    timings: dict[str, float],
    version: int | None = None,
) -> RunReport:
    keys = RunReport.__dataclass_fields__
    fields = {k: v for k, v in counts.items() if k in keys and v is not None}
    return RunReport(
        load_id=load.load_id,
        status=status,
        warehouse=str(settings.db_path),
        published_version=version,
        published_path=str(settings.published_db) if version else None,
        timings=timings,
        **fields,
    )
