"""A published warehouse of any size in minutes, without running the pipeline.

Running a million articles through the flow would take a day (entity extraction), so this
generates runs of the same shape in DuckDB SQL (sql/bench): a year of daily runs, a dozen
sources of uneven size, 30% syndicated copies, about 25 mentions per article over
articles / 8 entities with Zipf-like popularity. The rows are staged and then published the
way a run publishes them: the publish/*.sql files in one transaction, the views refreshed,
and the snapshot written by flows.snapshots.write_snapshot.

`python -m benchmarks --views-scale 1000000` builds one in a temporary folder and times the
standard queries on it (benchmarks/views.py); `python -m benchmarks.dashboard` uses the same
warehouse for its page timings.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from flows.settings import Settings
from flows.snapshots import current_version, version_path, write_snapshot
from flows.steps.publish import PUBLISH_ORDER, refresh_views
from flows.warehouse import connect, migrate, run_sql_file, transaction

START = "2024-01-01 00:00:00+00"
# staged in this order: entities are those the mentions name
STAGED = ("bench/articles.sql", "bench/mentions.sql", "bench/entities.sql", "bench/rejects.sql")
LEDGER = ("bench/loads.sql", "bench/audit_results.sql")
ARTICLES_PER_ENTITY = 8


@dataclass(frozen=True)
class Batch:
    """Article numbers [first_article, first_article + articles) spread over `days` days from
    day number first_day (day 0 = START), one run per day."""

    first_article: int
    articles: int
    first_day: int
    days: int
    entities: int

    def params(self) -> dict[str, object]:
        return {
            "first_article": self.first_article,
            "articles": self.articles,
            "first_day": self.first_day,
            "days": self.days,
            "entities": self.entities,
            "start": START,
        }


@dataclass(frozen=True)
class Built:
    """A generated warehouse: its settings, size and what building it cost."""

    settings: Settings
    counts: dict[str, int]
    build_seconds: float
    delta_articles: int
    delta_seconds: float

    @property
    def snapshot(self) -> Path:
        version = current_version(self.settings)
        assert version is not None
        return version_path(self.settings, version)


def stage_batch(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    run_sql_file(con, "stage/reset.sql")
    for name in STAGED:
        run_sql_file(con, name, batch.params())


def publish_batch(
    con: duckdb.DuckDBPyConnection, settings: Settings, batch: Batch, version: int
) -> None:
    """What the publish step does with staged rows (minus the audit and the checks): one
    transaction, then the views and the snapshot."""
    with transaction(con):
        for name in PUBLISH_ORDER:
            run_sql_file(con, f"publish/{name}.sql")
        for name in LEDGER:
            run_sql_file(con, name, batch.params())
    refresh_views(con)
    write_snapshot(con, settings, version)


def build(settings: Settings, articles: int, days: int = 365, delta: int = 0) -> Built:
    """`articles` over `days` days published as version 1; with `delta`, one more day of
    `delta` articles published as version 2, timed."""
    entities = max(1000, articles // ARTICLES_PER_ENTITY)
    started = time.perf_counter()
    with connect(settings) as con:
        migrate(con)
        base = Batch(0, articles, 0, days, entities)
        stage_batch(con, base)
        publish_batch(con, settings, base, 1)
        build_seconds = time.perf_counter() - started
        delta_seconds = 0.0
        if delta:
            step = Batch(articles, delta, days, 1, entities)
            stage_batch(con, step)
            started = time.perf_counter()
            publish_batch(con, settings, step, 2)
            delta_seconds = time.perf_counter() - started
        run_sql_file(con, "stage/reset.sql")
        counts = {
            table: int(con.execute(f"select count(*) from {table}").fetchone()[0])  # type: ignore[index]
            for table in ("articles", "entities", "mentions", "loads")
        }
    return Built(settings, counts, build_seconds, delta, delta_seconds)
