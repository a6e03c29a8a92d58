"""Find the run's input files and leave out those a published load already read unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.core.discovery import expand_inputs, file_digest
from flows.settings import Settings
from flows.steps.progress import stage
from flows.steps.retries import IO_BACKOFF
from flows.warehouse import connect, fetch_frame

FILES_SCHEMA = pl.Schema({"input_uri": pl.String, "sha256": pl.String, "size_bytes": pl.Int64})


@dataclass(frozen=True)
class InputFiles:
    files: list[Path]  # to parse
    digests: pl.DataFrame  # FILES_SCHEMA, one row per readable file to parse
    n_found: int
    n_unchanged: int


@task(name="discover", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=IO_BACKOFF)
def discover(settings: Settings, arguments: list[str], timings: dict[str, float]) -> InputFiles:
    """Expand paths, hash every file, and skip files whose exact content is already loaded."""
    with stage("discover", timings) as notes:
        found = expand_inputs(arguments).files
        digests = _digests(found)
        with connect(settings) as con:
            con.register("candidate_files", digests.to_arrow())
            known = set(fetch_frame(con, "queries/known_files.sql").get_column("input_uri"))
        if settings.reprocess:  # the interval is loaded again from all of its files
            known = set()
        fresh = [p for p in found if str(p) not in known]
        notes.append(f"{len(found)} files, {len(known)} unchanged since an earlier load")
    return InputFiles(
        files=fresh,
        digests=digests.filter(~pl.col("input_uri").is_in(list(known))),
        n_found=len(found),
        n_unchanged=len(known),
    )


def _digests(files: list[Path]) -> pl.DataFrame:
    rows = []
    for path in files:
        digest = file_digest(path) if path.is_file() else None
        if digest is not None:
            rows.append((str(path), digest[0], digest[1]))
    return pl.DataFrame(rows, schema=FILES_SCHEMA, orient="row")
