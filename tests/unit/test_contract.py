"""The DDL in sql/schema, the Polars schemas and the expectation suites agree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pytest

from flows.core.schemas import ENTITIES, MENTIONS, NORMALIZED, REJECTS
from flows.suites import SUITES, load_suite_definition
from flows.warehouse import fetch_frame
from tests.sql.conftest import memory_warehouse

# The data contract: columns the published tables must keep.
CONTRACT: dict[str, tuple[str, ...]] = {
    "articles": (
        "article_id",
        "url",
        "source_name",
        "source_domain",
        "origin_source",
        "title",
        "summary",
        "body",
        "authors",
        "published_at",
        "ingested_at",
        "language",
        "word_count",
        "content_hash",
        "story_id",
        "load_id",
        "interval_start",
        "input_uri",
        "input_record",
    ),
    "entities": (
        "entity_id",
        "canonical_name",
        "entity_type",
        "aliases",
        "geonames_id",
        "country_code",
        "latitude",
        "longitude",
        "first_seen",
        "last_seen",
    ),
    "mentions": (
        "mention_id",
        "article_id",
        "entity_id",
        "surface",
        "start_char",
        "end_char",
        "in_title",
        "sentence_index",
        "confidence",
    ),
}

# Polars dtype name -> DuckDB type name for the columns the schemas declare.
DUCKDB_TYPES = {
    "String": "VARCHAR",
    "Int64": "BIGINT",
    "Int32": "INTEGER",
    "Float64": "DOUBLE",
    "Boolean": "BOOLEAN",
    "List(String)": "VARCHAR[]",
    "Datetime(time_unit='us', time_zone='UTC')": "TIMESTAMP WITH TIME ZONE",
}


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = memory_warehouse()
    yield connection
    connection.close()


def _columns(con: duckdb.DuckDBPyConnection, table: str, schema: str = "main") -> dict[str, str]:
    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return dict(rows)


def _suite_columns(definition: dict[str, Any]) -> set[str]:
    names = set()
    for expectation in definition["expectations"]:
        kwargs = expectation["kwargs"]
        names |= {kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs}
    return names


@pytest.mark.parametrize(("table", "columns"), CONTRACT.items())
def test_contract_columns_exist(
    con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...]
) -> None:
    assert set(columns) <= set(_columns(con, table))


@pytest.mark.parametrize(
    ("schema", "table"),
    [
        (NORMALIZED, "articles"),
        (MENTIONS, "mentions"),
        (ENTITIES, "entities"),
        (REJECTS, "rejects"),
    ],
    ids=["NORMALIZED", "MENTIONS", "ENTITIES", "REJECTS"],
)
def test_polars_schema_columns_in_table(
    con: duckdb.DuckDBPyConnection, schema: Any, table: str
) -> None:
    table_columns = _columns(con, table)
    missing = set(schema.names()) - set(table_columns)
    assert missing == set()
    for name, dtype in schema.items():
        assert table_columns[name] == DUCKDB_TYPES[str(dtype)], name


def test_date_unparsed_is_stored_with_articles(con: duckdb.DuckDBPyConnection) -> None:
    assert "date_unparsed" in NORMALIZED.names()
    assert _columns(con, "articles")["date_unparsed"] == "BOOLEAN"


def test_stage_articles_fills_every_column(con: duckdb.DuckDBPyConnection) -> None:
    """Columns of articles that NORMALIZED lacks are exactly those stage SQL computes."""
    computed = {
        "article_id",
        "content_hash",
        "ingested_at",
        "story_id",
        "is_canonical",
        "load_id",
        "interval_start",
    }
    assert set(_columns(con, "articles")) - set(NORMALIZED.names()) == computed


@pytest.mark.parametrize("suite", SUITES)
def test_suite_columns_exist_in_audited_frame(con: duckdb.DuckDBPyConnection, suite: str) -> None:
    frame = fetch_frame(con, f"queries/audit_{suite}.sql")
    named = _suite_columns(load_suite_definition(suite))
    assert named, f"suite {suite} names no columns"
    assert named - set(frame.columns) == set()


def test_mentions_suite_uses_text_length(con: duckdb.DuckDBPyConnection) -> None:
    assert "text_length" in _suite_columns(load_suite_definition("mentions"))
    assert "text_length" in fetch_frame(con, "queries/audit_mentions.sql").columns


@pytest.mark.parametrize("suite", SUITES)
def test_suite_definition_shape(suite: str) -> None:
    definition = load_suite_definition(suite)
    assert definition["name"] == suite
    assert definition["expectations"]
    for expectation in definition["expectations"]:
        assert expectation["type"].startswith("expect_")
        assert isinstance(expectation["kwargs"], dict)


def test_unknown_suite_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown expectation suite"):
        load_suite_definition("loads")
