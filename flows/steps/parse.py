"""Read the batch's files into raw records and rejects.

In-process the whole batch is one task; with a Dask cluster the files are split into
chunks, one task each, and the results joined in file order (so the output is the same).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from prefect import task, unmapped
from prefect.cache_policies import NO_CACHE

from flows.core.readers import Parsed, parse_paths
from flows.faults import fault_point
from flows.settings import Settings
from flows.steps.discover import InputFiles
from flows.steps.progress import stage
from flows.steps.scaleout import chunks


@task(name="parse", cache_policy=NO_CACHE)
def parse_files(settings: Settings, files: list[Path]) -> Parsed:
    """Files -> raw records; unreadable files and bad records become rejects, never errors."""
    return parse_paths(files, settings.max_file_bytes)


def parse(settings: Settings, inputs: InputFiles, timings: dict[str, float]) -> Parsed:
    """Runs in the flow body, so mapped chunks go to the flow's task runner (Dask or local)."""
    with stage("parse", timings) as notes:
        if settings.dask_address and len(inputs.files) > 1:
            parts = parse_files.map(unmapped(settings), chunks(inputs.files)).result()
            parsed = Parsed(
                pl.concat([p.records for p in parts]),
                pl.concat([p.rejects for p in parts]),
                sum(p.n_files for p in parts),
            )
        else:
            parsed = parse_files(settings, inputs.files)
        notes.append(f"{parsed.records.height} records, {parsed.rejects.height} rejected")
    fault_point(settings, "after_parse")
    return parsed
