"""Load the run into the staging file, a batch of files at a time: keys, dedup against the
run and the warehouse, story bands, duplicates, rejects and file digests; then, once every
batch is staged, the run-wide parts: duplicates' links to their stored copies and stories."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import duckdb
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.core.normalize import Normalized
from flows.core.readers import Parsed
from flows.core.stories import BAND_SCHEMA, band_components, band_hashes
from flows.faults import fault_point
from flows.settings import Settings
from flows.steps.discover import FileBatch
from flows.steps.ledger import Load
from flows.steps.progress import stage
from flows.steps.summary import add_timings
from flows.warehouse import connect, fetch_frame, run_sql_file

STAGE_COUNTS = ("n_loaded", "n_duplicates", "n_rejected", "n_new_duplicates", "n_new_rejects")


def stage_params(load: Load) -> dict[str, object]:
    return {
        "load_id": load.load_id,
        "started_at": load.started_at,
        "logical_date": load.logical_date,
        **load.replace_params(),
    }


@task(name="stage-articles", cache_policy=NO_CACHE)
def stage_batch(
    settings: Settings,
    load: Load,
    batch: FileBatch,
    parsed: Parsed,
    normalized: Normalized,
    timings: dict[str, float],
) -> None:
    """Stage one batch's new articles (with their story bands), duplicates, rejects and
    file digests; earlier batches of the run are already staged."""
    params = stage_params(load)
    rejects = pl.concat([parsed.rejects, normalized.rejects])
    records = incoming(normalized.articles)
    with (
        stage("stage", timings) as notes,
        connect(settings, staging=True) as con,
        ThreadPoolExecutor(1) as hashing,
    ):
        # Every record's story bands are hashed (numpy) while DuckDB keys and inserts the
        # batch, which releases the GIL: the two overlap on the cores instead of taking turns.
        # Only the new articles' bands are kept.
        bands = hashing.submit(band_hashes, records, "record_index")
        con.register("incoming", records.to_arrow())
        con.register("rejected", rejects.to_arrow())
        con.register("read_files", batch.digests.to_arrow())
        run_sql_file(con, "stage/keyed.sql", params)
        n_new = 0
        for name in ("articles", "duplicates", "rejects", "input_files"):
            run_sql_file(con, f"stage/{name}.sql", params)
            fault_point(settings, f"stage.after_{name}")
            if name == "articles":
                n_new = stage_bands(con, bands)
        notes.extend([batch.label] if batch.label else [])
        notes.append(f"{n_new} new articles, {normalized.articles.height - n_new} duplicates")


def incoming(articles: pl.DataFrame) -> pl.DataFrame:
    """The batch as sql/stage reads it: keys and dedup are computed over its record_index
    and keys alone, and the texts joined back only for the new articles."""
    return articles.with_row_index("record_index")


def stage_bands(con: duckdb.DuckDBPyConnection, record_bands: Future[pl.DataFrame]) -> int:
    """MinHash bands of the batch's new articles, kept for story matching; returns how many
    articles the batch staged. ``record_bands`` are every record's, by record_index."""
    new = fetch_frame(con, "queries/new_article_records_batch.sql")
    bands = new.join(record_bands.result(), on="record_index", maintain_order="right")
    con.register("batch_bands", bands.select(list(BAND_SCHEMA)).to_arrow())
    run_sql_file(con, "stage/article_bands.sql")
    return new.height


@task(name="stage-stories", cache_policy=NO_CACHE)
def link_stories(settings: Settings, load: Load, timings: dict[str, float]) -> dict[str, int]:
    """Once every batch is staged: point each duplicate at its stored copy and group the
    staged articles into stories. Returns the run's staged counts. Its seconds count as
    staging (timings["stage"])."""
    spent: dict[str, float] = {}
    with stage("stories", spent) as notes, connect(settings, staging=True) as con:
        run_sql_file(con, "stage/duplicate_links.sql", stage_params(load))
        n_shared = assign_stories(con)
        counts = {k: v for k, v in staged_counts(con).items() if k in STAGE_COUNTS}
        notes.append(
            f"{counts['n_loaded']} new articles ({n_shared} share a story band with another), "
            f"{counts['n_duplicates']} duplicates"
        )
    add_timings(timings, {"stage": spent["stories"]})
    return counts


def assign_stories(con: duckdb.DuckDBPyConnection) -> int:
    """Near-copies of a story (MinHash bands shared) get the story of its earliest copy.
    Returns how many staged articles share a band with another staged article."""
    shared = fetch_frame(con, "queries/shared_bands.sql")
    components = band_components(shared)
    con.register("band_components", components.to_arrow())
    run_sql_file(con, "stage/stories.sql")
    return components.height


def staged_counts(con: object) -> dict[str, int]:
    row = fetch_frame(con, "ledger/staged_counts.sql").row(0, named=True)  # type: ignore[arg-type]
    return {name: int(value) for name, value in row.items()}
