"""Find the run's input files, leave out those a published load already read unchanged, and
cut the rest into batches that are read and staged one after another."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.core.batches import cut_batches, estimated_bytes, input_order
from flows.core.discovery import expand_inputs, file_digest
from flows.core.schemas import REJECTS
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


@dataclass(frozen=True)
class FileBatch:
    """Files parsed, normalized and staged together (flows/core/batches.py)."""

    number: int  # 1-based
    total: int
    files: list[Path]
    digests: pl.DataFrame  # FILES_SCHEMA rows of these files
    rejects: pl.DataFrame  # REJECTS known before reading (feeds that could not be fetched)

    @property
    def label(self) -> str:
        """Names the batch in progress lines ("batch 2 of 5"); empty for a one-batch run."""
        return f"batch {self.number} of {self.total}" if self.total > 1 else ""


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


def file_batches(
    settings: Settings, inputs: InputFiles, known_rejects: pl.DataFrame | None = None
) -> list[FileBatch]:
    """The files to read in input_uri order, cut at about settings.ingest_batch_bytes;
    rejects known before reading go with the first batch. Always at least one batch."""
    uris = [str(p) for p in inputs.files]
    sizes = dict(inputs.digests.select("input_uri", "size_bytes").iter_rows())
    order = input_order(uris)
    weights = [
        estimated_bytes(uris[i], sizes.get(uris[i], 0), settings.max_file_bytes) for i in order
    ]
    cuts = cut_batches(weights, settings.ingest_batch_bytes)
    no_rejects = pl.DataFrame(schema=REJECTS)
    batches = []
    for number, positions in enumerate(cuts, 1):
        names = [uris[order[p]] for p in positions]
        batches.append(
            FileBatch(
                number=number,
                total=len(cuts),
                files=[inputs.files[order[p]] for p in positions],
                digests=inputs.digests.filter(pl.col("input_uri").is_in(names)),
                rejects=known_rejects if number == 1 and known_rejects is not None else no_rejects,
            )
        )
    return batches
