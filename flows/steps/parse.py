"""Read one batch of files into raw records and rejects.

In-process the batch is one task; with a Dask cluster its files are split into chunks, one
task each, and the results joined in file order (so the output is the same).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from prefect import task, unmapped
from prefect.cache_policies import NO_CACHE

from flows.core.readers import Parsed, parse_paths
from flows.faults import fault_point
from flows.settings import Settings
from flows.steps.discover import FileBatch
from flows.steps.progress import stage
from flows.steps.scaleout import chunks


@task(name="parse", cache_policy=NO_CACHE)
def parse_files(settings: Settings, files: list[Path]) -> Parsed:
    """Files -> raw records; unreadable files and bad records become rejects, never errors."""
    return parse_paths(files, settings.max_file_bytes)


def parse(settings: Settings, batch: FileBatch, timings: dict[str, float]) -> Parsed:
    """Runs in the flow body, so mapped chunks go to the flow's task runner (Dask or local).
    Rejects known before reading (unfetched feeds) join the batch's own."""
    with stage("parse", timings) as notes:
        if settings.dask_address and len(batch.files) > 1:
            parts = parse_files.map(unmapped(settings), chunks(batch.files)).result()
            parsed = Parsed(
                pl.concat([p.records for p in parts]),
                pl.concat([p.rejects for p in parts]),
                sum(p.n_files for p in parts),
            )
        else:
            parsed = parse_files(settings, batch.files)
        if batch.rejects.height:
            parsed = Parsed(
                parsed.records, pl.concat([parsed.rejects, batch.rejects]), parsed.n_files
            )
        notes.extend([batch.label] if batch.label else [])
        notes.append(f"{parsed.records.height} records, {parsed.rejects.height} rejected")
    fault_point(settings, "after_parse")
    return parsed
