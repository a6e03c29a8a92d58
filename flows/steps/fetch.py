"""Fetch the run's feeds (and teaser pages) into the logical day's landing partition.

Fetched files then go through discover/parse like any landed file; failed URLs become
rejects of this run. Validators are remembered at once: the landing file, not the
warehouse, is the durable copy of what was fetched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.core.feed_fetch import fetch_sources
from flows.core.fetch import Fetcher, Validators
from flows.settings import Settings
from flows.steps.progress import stage
from flows.warehouse import connect, fetch_frame, run_sql_file

VALIDATORS = pl.Schema(
    {
        "url": pl.String,
        "etag": pl.String,
        "last_modified": pl.String,
        "updated_at": pl.Datetime("us", "UTC"),
    }
)


@dataclass(frozen=True)
class FetchedFiles:
    paths: list[str]  # landing files written by this run
    rejects: pl.DataFrame  # REJECTS, one row per URL that could not be fetched


@task(name="fetch", cache_policy=NO_CACHE)
def fetch_feeds(settings: Settings, timings: dict[str, float]) -> FetchedFiles:
    with stage("fetch", timings) as notes:
        with connect(settings) as con:
            known = _known_validators(fetch_frame(con, "queries/fetch_validators.sql"))
        with Fetcher() as fetcher:
            outcome = fetch_sources(
                settings.feeds, settings.landing_dir, settings.logical_date.date(), known, fetcher
            )
        changed = {u: v for u, v in outcome.validators.items() if known.get(u) != v}
        with connect(settings) as con:
            con.register("new_validators", _validator_rows(changed).to_arrow())
            run_sql_file(con, "ledger/save_validators.sql")
        notes.append(
            f"{outcome.count('fetched')} fetched, {outcome.count('not_modified')} unchanged, "
            f"{outcome.count('failed')} failed"
        )
    paths = [str(r.path) for r in outcome.results if r.path is not None]
    return FetchedFiles(paths, outcome.rejects)


def _known_validators(frame: pl.DataFrame) -> Validators:
    return {
        url: {k: v for k, v in (("etag", etag), ("last_modified", modified)) if v}
        for url, etag, modified in frame.iter_rows()
    }


def _validator_rows(validators: Validators) -> pl.DataFrame:
    now = datetime.now(UTC)
    rows = [
        {
            "url": url,
            "etag": v.get("etag"),
            "last_modified": v.get("last_modified"),
            "updated_at": now,
        }
        for url, v in validators.items()
    ]
    return pl.DataFrame(rows, schema=VALIDATORS)
