"""The Wirehouse flow: ingest -> normalize -> stage -> extract -> audit -> publish.

The body is a table of contents; each step is a task in flows/steps. Input files are read,
normalized and staged a batch at a time, so memory follows the batch, not the run. A failed
audit ends the flow run Failed (with the audit summary as its message) and publishes nothing.
"""

from __future__ import annotations

from prefect import Flow, flow
from prefect.states import Failed, State

from flows.core.report import RunReport
from flows.settings import Settings
from flows.steps.audit import audit
from flows.steps.discover import FileBatch, discover, file_batches
from flows.steps.extract import extract_entities
from flows.steps.fetch import fetch_feeds
from flows.steps.ledger import Load, close_load, open_load
from flows.steps.normalize import normalize
from flows.steps.parse import parse
from flows.steps.publish import ensure_snapshot, publish
from flows.steps.stage import link_stories, stage_batch
from flows.steps.summary import (
    ReadCounts,
    add_timings,
    has_new_rows,
    ingest_counts,
    make_report,
    run_counts,
)


@flow(name="wirehouse-run", validate_parameters=False)
def run_pipeline(inputs: list[str], settings: Settings) -> RunReport | State:
    """Load the given files into the warehouse, all or nothing; re-running is a no-op."""
    timings: dict[str, float] = {}
    load = open_load(settings, inputs)
    ensure_snapshot(settings)
    fetched = fetch_feeds(settings, timings) if settings.feeds else None
    files = discover(settings, inputs + (fetched.paths if fetched else []), timings)
    read = ReadCounts()
    for batch in file_batches(settings, files, fetched.rejects if fetched else None):
        read += ingest_batch(settings, load, batch, timings)
    staged = link_stories(settings, load, timings)  # run-wide: duplicates' links, stories
    ingested = ingest_counts(files, read, staged)
    extracted = extract_entities(settings, load, timings)
    counts = run_counts(ingested, extracted, outcome=None)
    if not has_new_rows(counts) and not settings.reprocess:
        close_load(settings, load, "no_new_data", counts | {"timings": timings})
        return make_report(settings, load, "no_new_data", counts, timings)
    outcome = audit(settings, load, timings)
    counts = run_counts(ingested, extracted, outcome)
    if not outcome.success:
        close_load(settings, load, "failed_audit", counts | {"timings": timings})
        report = make_report(settings, load, "failed_audit", counts, timings)
        return Failed(message=outcome.summary, data=report)
    version = publish(settings, load, counts, timings)
    return make_report(settings, load, "published", counts, timings, version)


def ingest_batch(
    settings: Settings, load: Load, batch: FileBatch, timings: dict[str, float]
) -> ReadCounts:
    """Parse -> normalize -> stage one batch of files; its records are let go on return."""
    spent: dict[str, float] = {}
    parsed = parse(settings, batch, spent)
    normalized = normalize(settings, parsed, spent, batch.label)
    stage_batch(settings, load, batch, parsed, normalized, spent)
    add_timings(timings, spent)
    return ReadCounts.of(parsed, normalized)


def pipeline_for(settings: Settings) -> Flow:
    """The flow as configured: on a Dask cluster when an address is set, else in-process."""
    if not settings.dask_address:
        return run_pipeline
    from prefect_dask import DaskTaskRunner

    return run_pipeline.with_options(task_runner=DaskTaskRunner(address=settings.dask_address))
