"""Migrations: sql/schema applied once, recorded, staging mirrors the published tables."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.warehouse import load_sql, migrate, sql_files, sql_parameters
from tests.sql.test_aggregates import AGGREGATES

MIRRORED = (
    "articles",
    "article_bands",
    "duplicates",
    "input_files",
    "entities",
    "mentions",
    "rejects",
)


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = 'main' and table_name = ? "
        "order by ordinal_position",
        [catalog, table],
    ).fetchall()


def test_migrate_is_idempotent(con: duckdb.DuckDBPyConnection) -> None:
    before = con.execute("select version, name from schema_version order by version").fetchall()
    assert migrate(con) == []
    assert migrate(con) == []
    after = con.execute("select version, name from schema_version order by version").fetchall()
    assert after == before


def test_fresh_migrate_applies_every_file_in_order() -> None:
    with duckdb.connect(":memory:") as fresh:
        assert migrate(fresh) == sql_files("schema")  # no schema file names a staging table


def test_migrating_a_warehouse_made_with_a_staging_schema_drops_it() -> None:
    """Warehouses made before sql/schema/120 kept staged rows in the live file."""
    with duckdb.connect(":memory:") as old:
        migrate(old)
        old.execute("delete from schema_version where version = 120")
        old.execute("create schema staging")
        old.execute("create table staging.articles as from main.articles")
        assert migrate(old) == ["schema/120_staging_file.sql"]
        schemas = old.execute(
            "select schema_name from duckdb_schemas() where database_name = 'memory'"
        )
        assert ("staging",) not in schemas.fetchall()


def test_schema_version_has_one_row_per_file(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("select version, name from schema_version order by version").fetchall()
    files = sql_files("schema")
    assert [name for _, name in rows] == files
    assert [version for version, _ in rows] == [int(Path(f).name.split("_")[0]) for f in files]
    assert len({version for version, _ in rows}) == len(rows)


def test_migrate_applies_only_missing_versions(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("delete from schema_version where version = 80")
    assert migrate(con) == ["schema/080_extractor.sql"]


def test_migrate_keeps_data(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "insert into rejects (load_id, input_uri, reason_code) values ('l', 'mem://x', 'EMPTY_FILE')"
    )
    migrate(con)
    assert con.execute("select count(*) from rejects").fetchall() == [(1,)]


@pytest.mark.parametrize("table", MIRRORED)
def test_staging_mirrors_main(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """sql/stage/reset.sql makes the staging tables in the published tables' shape."""
    main = _columns(con, "memory", table)
    assert main, f"main.{table} missing"
    assert _columns(con, "staging", table) == main


def test_every_main_data_table_has_a_staging_mirror(con: duckdb.DuckDBPyConnection) -> None:
    tables = {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'memory' and table_schema = 'main'"
        ).fetchall()
    }
    ledger = {"schema_version", "loads", "audit_results", "fetch_validators"}
    # derived from the published rows by publish/aggregates.sql, never staged
    assert tables - ledger - set(AGGREGATES) == set(MIRRORED)


def test_schema_files_take_no_parameters() -> None:
    for name in sql_files("schema"):
        assert sql_parameters(name) == frozenset(), name


@pytest.mark.parametrize("name", ["../pyproject.toml", "schema/../../README.md", "schema/nope.sql"])
def test_load_sql_refuses_files_outside_sql(name: str) -> None:
    with pytest.raises(ValueError, match="unknown SQL file"):
        load_sql(name)
