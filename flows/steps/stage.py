"""Load the batch into the staging schema: keys, dedup against batch and warehouse, rejects."""

from __future__ import annotations

import duckdb
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.core.normalize import Normalized
from flows.core.readers import Parsed
from flows.core.stories import story_bands
from flows.faults import fault_point
from flows.settings import Settings
from flows.steps.discover import InputFiles
from flows.steps.ledger import Load
from flows.steps.progress import stage
from flows.warehouse import connect, fetch_frame, run_sql_file

STAGE_COUNTS = ("n_loaded", "n_duplicates", "n_rejected", "n_new_duplicates", "n_new_rejects")


@task(name="stage-articles", cache_policy=NO_CACHE)
def stage_articles(
    settings: Settings,
    load: Load,
    inputs: InputFiles,
    parsed: Parsed,
    normalized: Normalized,
    timings: dict[str, float],
) -> dict[str, int]:
    """Stage new articles, duplicates, rejects and file digests; returns the staged counts."""
    params = {
        "load_id": load.load_id,
        "started_at": load.started_at,
        "logical_date": load.logical_date,
        **load.replace_params(),
    }
    rejects = pl.concat([parsed.rejects, normalized.rejects])
    with stage("stage", timings) as notes, connect(settings) as con:
        con.register("incoming", normalized.articles.to_arrow())
        con.register("rejected", rejects.to_arrow())
        con.register("read_files", inputs.digests.to_arrow())
        run_sql_file(con, "stage/reset.sql")
        run_sql_file(con, "stage/keyed.sql")
        for name in ("articles", "duplicates", "rejects", "input_files"):
            run_sql_file(con, f"stage/{name}.sql", params)
            fault_point(settings, f"stage.after_{name}")
            if name == "articles":
                assign_stories(con)
        counts = {k: v for k, v in staged_counts(con).items() if k in STAGE_COUNTS}
        notes.append(f"{counts['n_loaded']} new articles, {counts['n_duplicates']} duplicates")
    return counts


def assign_stories(con: duckdb.DuckDBPyConnection) -> None:
    """Near-copies of a story (MinHash bands shared) get the story of its earliest copy."""
    staged = fetch_frame(con, "queries/new_article_texts.sql")
    con.register("new_bands", story_bands(staged).to_arrow())
    run_sql_file(con, "stage/stories.sql")


def staged_counts(con: object) -> dict[str, int]:
    row = fetch_frame(con, "ledger/staged_counts.sql").row(0, named=True)  # type: ignore[arg-type]
    return {name: int(value) for name, value in row.items()}


def rejects_by_reason(parsed: Parsed, normalized: Normalized) -> dict[str, int]:
    rejects = pl.concat([parsed.rejects, normalized.rejects])
    counts = rejects.group_by("reason_code").len().sort("reason_code")
    return dict(counts.iter_rows())
