"""Audit the staged batch with the Great Expectations suites before anything is published."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pyarrow as pa
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.core.language import LANGUAGES
from flows.core.reasons import REASON_CODES
from flows.core.schemas import ENTITY_TYPES
from flows.quality import AuditOutcome, audit_parameters, outcome_of, validate_suite
from flows.settings import Settings
from flows.steps.ledger import Load
from flows.steps.progress import stage
from flows.suites import SUITES, key_columns
from flows.warehouse import connect, fetch_frame, load_sql, run_sql_file

# Staged rows handed to GX at a time: bounds the audit's memory whatever the run's size.
# The frames are narrow (flags and numbers, see sql/queries/audit_*.sql), about 80 bytes a
# row in pandas; GX's fixed cost per validation (~0.2 s) favours large chunks.
CHUNK_ROWS = 500_000


@task(name="audit", cache_policy=NO_CACHE)
def audit(settings: Settings, load: Load, timings: dict[str, float]) -> AuditOutcome:
    """Validate staging.* against expectations/; results are kept in audit_results either way."""
    with stage("audit", timings) as notes:
        parameters = audit_parameters(load.logical_date, LANGUAGES, ENTITY_TYPES, REASON_CODES)
        with connect(settings) as con:
            outcome = outcome_of(audit_rows(con, parameters))
        # Arrow's allocator keeps the chunks' freed memory for reuse (~160 MiB at 100,000
        # articles); hand it back so the publish that follows does not stack on top of it.
        pa.default_memory_pool().release_unused()
        with connect(settings) as con:
            con.register("audit_rows", outcome.rows.to_arrow())
            run_sql_file(con, "ledger/record_audit.sql", {"load_id": load.load_id})
        notes.append(outcome.summary)
    return outcome


def audit_rows(
    con: duckdb.DuckDBPyConnection, parameters: dict[str, Any], chunk_rows: int = CHUNK_ROWS
) -> list[dict[str, Any]]:
    """One audit row per expectation of every suite, from the staged rows."""
    rows: list[dict[str, Any]] = []
    for name in SUITES:
        keys = None
        if key_columns(name):
            keys = fetch_frame(con, f"queries/audit_{name}_keys.sql").to_pandas()
        chunks = staged_chunks(con, f"queries/audit_{name}.sql", chunk_rows)
        rows += validate_suite(name, chunks, keys, parameters)
    return rows


def staged_chunks(con: duckdb.DuckDBPyConnection, name: str, rows: int) -> Iterator[Any]:
    """A query's result as pandas frames of about ``rows`` rows each (at least one frame,
    empty when the query returns nothing), streamed so only one chunk is in memory."""
    reader = con.sql(load_sql(name)).to_arrow_reader(rows)
    pending: list[pa.RecordBatch] = []
    held = 0
    sent = False
    for batch in reader:
        pending.append(batch)
        held += batch.num_rows
        if held >= rows:
            yield pa.Table.from_batches(pending, reader.schema).to_pandas()
            pending, held, sent = [], 0, True
    if pending or not sent:
        yield pa.Table.from_batches(pending, reader.schema).to_pandas()
