"""Audit the staged batch with the Great Expectations suites before anything is published."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.core.language import LANGUAGES
from flows.core.reasons import REASON_CODES
from flows.core.schemas import ENTITY_TYPES
from flows.quality import SUITES, AuditOutcome, audit_parameters, run_suites
from flows.settings import Settings
from flows.steps.ledger import Load
from flows.steps.progress import stage
from flows.warehouse import connect, fetch_frame, run_sql_file


@task(name="audit", cache_policy=NO_CACHE)
def audit(settings: Settings, load: Load, timings: dict[str, float]) -> AuditOutcome:
    """Validate staging.* against expectations/; results are kept in audit_results either way."""
    with stage("audit", timings) as notes:
        with connect(settings) as con:
            frames = {
                name: fetch_frame(con, f"queries/audit_{name}.sql").to_pandas() for name in SUITES
            }
        parameters = audit_parameters(load.logical_date, LANGUAGES, ENTITY_TYPES, REASON_CODES)
        outcome = run_suites(frames, parameters)
        with connect(settings) as con:
            con.register("audit_rows", outcome.rows.to_arrow())
            run_sql_file(con, "ledger/record_audit.sql", {"load_id": load.load_id})
        notes.append(outcome.summary)
    return outcome
