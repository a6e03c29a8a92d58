"""`wirehouse export --format parquet DIR`: the published warehouse as a Parquet dataset.

Tables and views with a day go out hive-partitioned (``articles/day=2024-12-05/…``) so
Spark, Trino, DuckDB or Polars read only the days they need. Rows stream from DuckDB as
Arrow record batches into pyarrow's dataset writer: memory stays flat however big the
warehouse. Each table is written beside the old export and swapped in when complete.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from flows.errors import UserError
from flows.readers import open_published
from flows.settings import Settings
from flows.snapshots import current_version
from flows.warehouse import load_sql

FORMATS = ("parquet",)
BATCH_ROWS = 100_000


@dataclass(frozen=True)
class Exported:
    name: str
    partitioned: bool
    source: str  # "sql:<file>" or a table/view name from this allow-list


EXPORTS: tuple[Exported, ...] = (
    Exported("articles", True, "sql:export/articles.sql"),
    Exported("mentions", True, "sql:export/mentions.sql"),
    Exported("entities", False, "entities"),
    Exported("duplicates", False, "duplicates"),
    Exported("rejects", False, "rejects"),
    Exported("loads", False, "loads"),
    Exported("agg_entity_mentions_daily", True, "agg_entity_mentions_daily"),
    Exported("agg_source_articles_daily", True, "agg_source_articles_daily"),
    Exported("agg_entity_tone_daily", True, "agg_entity_tone_daily"),
    Exported("agg_top_entities", False, "agg_top_entities"),
    Exported("agg_trending_entities", False, "agg_trending_entities"),
    Exported("agg_entity_cooccurrence", False, "agg_entity_cooccurrence"),
)


def export_parquet(settings: Settings, target: Path) -> dict[str, int]:
    """Write every published table and view; returns rows written per table."""
    target = target.expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise UserError(f"{target} exists and is not a folder; choose a folder to export into")
    target.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with open_published(settings) as con:
        for item in EXPORTS:
            counts[item.name] = _write(con, item, target)
    manifest = {
        "published_version": current_version(settings),
        "format": "parquet",
        "partitioning": "hive (day=YYYY-MM-DD) for tables listed in partitioned",
        "partitioned": [e.name for e in EXPORTS if e.partitioned],
        "rows": counts,
    }
    (target / "_manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return counts


def _relation(con: duckdb.DuckDBPyConnection, item: Exported) -> duckdb.DuckDBPyRelation:
    if item.source.startswith("sql:"):
        return con.sql(load_sql(item.source.removeprefix("sql:")))
    return con.table(item.source)  # a name from EXPORTS, never user input


def _write(con: duckdb.DuckDBPyConnection, item: Exported, target: Path) -> int:
    relation = _relation(con, item)
    partial = target / f".{item.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    reader = relation.to_arrow_reader(BATCH_ROWS)
    ds.write_dataset(
        reader,
        partial,
        format="parquet",
        partitioning=["day"] if item.partitioned else None,
        partitioning_flavor="hive" if item.partitioned else None,
        basename_template="part-{i}.parquet",
        existing_data_behavior="overwrite_or_ignore",
    )
    if not partial.exists():  # no rows: still leave a file with the schema for readers
        partial.mkdir()
        pq.write_table(reader.schema.empty_table(), partial / "part-0.parquet")
    final = target / item.name
    shutil.rmtree(final, ignore_errors=True)
    partial.rename(final)
    return ds.dataset(final, format="parquet").count_rows()  # from file footers only
