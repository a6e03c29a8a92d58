"""An in-memory DuckDB with the warehouse schema, and a helper to insert tiny rows."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import duckdb
import polars as pl
import pytest

from flows.warehouse import migrate, run_sql_file

LOAD_ID = "load-1"
STARTED_AT = datetime(2024, 12, 6, 1, 0, tzinfo=UTC)
LOGICAL_DATE = datetime(2024, 12, 6, tzinfo=UTC)

Insert = Callable[..., None]


def memory_warehouse() -> duckdb.DuckDBPyConnection:
    """The warehouse schema in memory, with an in-memory staging catalog in place of the
    staging file (flows/warehouse.py::connect attaches that) and its empty tables."""
    connection = duckdb.connect(":memory:")
    connection.execute("attach ':memory:' as staging")
    migrate(connection)
    run_sql_file(connection, "stage/reset.sql")
    return connection


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = memory_warehouse()
    try:
        yield connection
    finally:
        connection.close()


def _article_defaults(row: dict[str, Any]) -> dict[str, Any]:
    title = row.get("title", f"Title {row['article_id']}")
    body = row.get("body", "Body text.")
    return {
        "title": title,
        "body": body,
        "content_hash": hashlib.sha256(f"{title}\n{body}".encode()).hexdigest(),
        "ingested_at": STARTED_AT,
        "load_id": LOAD_ID,
        "interval_start": LOGICAL_DATE,
        "input_uri": f"mem://{row['article_id']}.txt",
        "input_record": 1,
        "language": "en",
        "word_count": len(body.split()),
    }


def _entity_defaults(row: dict[str, Any]) -> dict[str, Any]:
    return {"canonical_name": row["entity_id"], "entity_type": "PERSON", "aliases": []}


def _mention_defaults(row: dict[str, Any]) -> dict[str, Any]:
    return {"in_title": False, "load_id": LOAD_ID, "sentence_index": 0, "confidence": 1.0}


def _load_defaults(row: dict[str, Any]) -> dict[str, Any]:
    return {"started_at": STARTED_AT, "status": "published", "logical_date": LOGICAL_DATE}


def _reject_defaults(row: dict[str, Any]) -> dict[str, Any]:
    return {"load_id": LOAD_ID, "message": "m"}


def _duplicate_defaults(row: dict[str, Any]) -> dict[str, Any]:
    return {"load_id": LOAD_ID, "content_hash": "0" * 64}


DEFAULTS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "articles": _article_defaults,
    "entities": _entity_defaults,
    "mentions": _mention_defaults,
    "loads": _load_defaults,
    "rejects": _reject_defaults,
    "duplicates": _duplicate_defaults,
}


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, *rows: dict[str, Any]) -> None:
    """Insert rows by column name; table is "articles" or "staging.articles" etc."""
    defaults = DEFAULTS.get(table.rsplit(".", 1)[-1], lambda row: {})
    full = [defaults(row) | row for row in rows]
    columns = sorted({key for row in full for key in row})
    frame = pl.DataFrame([{c: row.get(c) for c in columns} for row in full])
    con.register("_rows", frame.to_arrow())
    try:
        con.execute(f"insert into {table} by name select * from _rows")
    finally:
        con.unregister("_rows")


@pytest.fixture
def insert(con: duckdb.DuckDBPyConnection) -> Insert:
    """insert("articles", {"article_id": "a1"}, ...): rows with defaults for not-null columns."""

    def _insert(table: str, *rows: dict[str, Any]) -> None:
        insert_rows(con, table, *rows)

    return _insert


@pytest.fixture
def params() -> dict[str, Any]:
    """The run parameters the stage and check SQL bind."""
    return {
        "load_id": LOAD_ID,
        "started_at": STARTED_AT,
        "logical_date": LOGICAL_DATE,
        # an ordinary run replaces nothing: an empty [from, until) range
        "replace_from": LOGICAL_DATE,
        "replace_until": LOGICAL_DATE,
    }


@pytest.fixture
def count(con: duckdb.DuckDBPyConnection) -> Callable[[str], int]:
    def _count(table: str) -> int:
        return con.execute(f"select count(*) from {table}").fetchall()[0][0]

    return _count
