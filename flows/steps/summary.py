"""Assemble a run's counts (for the ledger) and its report (for the user)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.core.normalize import Normalized
from flows.core.readers import Parsed
from flows.core.report import RunReport
from flows.quality import AuditOutcome
from flows.settings import Settings
from flows.steps.discover import InputFiles
from flows.steps.ledger import Load
from flows.steps.stage import rejects_by_reason


def ingest_counts(
    inputs: InputFiles, parsed: Parsed, normalized: Normalized, staged: dict[str, int]
) -> dict[str, object]:
    """What reading and staging saw; taken as soon as the records are staged, so the run can
    let go of its in-memory records before the long entity step."""
    return {
        "n_files": inputs.n_found,
        "n_unchanged_files": inputs.n_unchanged,
        "n_records": parsed.records.height + parsed.rejects.height,
        **staged,
        "n_unparsed_dates": normalized.n_unparsed_dates,
        "rejects_by_reason": rejects_by_reason(parsed, normalized),
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
