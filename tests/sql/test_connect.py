"""flows/warehouse.py::connect: DuckDB's memory cap, staging writes stored uncompressed, and the
row group size writers use."""

from __future__ import annotations

from pathlib import Path

from flows.settings import Settings
from flows.warehouse import connect


def setting(con: object, name: str) -> str:
    return con.execute("select current_setting($name)", {"name": name}).fetchone()[0]  # type: ignore[attr-defined]


def test_memory_is_capped_and_spills_inside_the_home(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", duckdb_memory="256MB")
    with connect(settings) as con:
        assert setting(con, "memory_limit") == "244.1 MiB"
        assert setting(con, "temp_directory") == f"{settings.db_path}.tmp"
        assert setting(con, "force_compression") == "auto"
    with connect(settings.with_(duckdb_memory="")) as con:  # DuckDB's own default
        assert setting(con, "memory_limit") != "244.1 MiB"


def stored_as(settings: Settings, *, staging: bool) -> list[tuple[str]]:
    with connect(settings, staging=staging) as con:
        con.execute(
            "create or replace table t as select 'text ' || (i % 3) as s from range(5000) r(i)"
        )
        con.execute("checkpoint")
        return con.execute(
            "select distinct compression from pragma_storage_info('t') "
            "where column_name = 's' and segment_type = 'VARCHAR'"
        ).fetchall()


def test_staging_connections_store_rows_uncompressed(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    assert stored_as(settings, staging=True) == [("Uncompressed",)]
    assert stored_as(settings, staging=False) != [("Uncompressed",)]


def row_groups(con: object, table: str) -> int:
    query = "select count(distinct row_group_id) from pragma_storage_info($table)"
    return con.execute(query, {"table": table}).fetchone()[0]  # type: ignore[attr-defined]


def test_writers_split_a_day_of_articles_into_row_groups_the_cores_share(tmp_path: Path) -> None:
    # 40,000 rows fit one of DuckDB's default row groups (122,880 rows), which one thread
    # compresses; writers store them in three, read back under the same catalog name.
    settings = Settings(home=tmp_path)
    with connect(settings) as con:
        con.execute("create table t as select i, 'body ' || i as s from range(40000) r(i)")
        assert con.execute("select current_database()").fetchone()[0] == "news"
        assert row_groups(con, "t") == 3
    with connect(settings, read_only=True) as con:
        assert row_groups(con, "t") == 3
        assert con.execute("select count(*) from news.main.t").fetchone()[0] == 40000


def test_a_run_stages_its_articles_in_row_groups_the_cores_share(tmp_path: Path) -> None:
    # the publish reads staged articles on one thread when they are one row group
    with connect(Settings(home=tmp_path), staging=True) as con:
        con.execute("create table staging.t as select i, 'body ' || i as s from range(40000) r(i)")
        assert row_groups(con, "staging.t") == 3
    assert (tmp_path / "staging.duckdb").is_file()


def test_batch_budget_and_memory_come_from_the_environment(tmp_path: Path) -> None:
    env = {
        "WIREHOUSE_HOME": str(tmp_path),
        "WIREHOUSE_INGEST_BATCH_BYTES": "1000",
        "WIREHOUSE_DUCKDB_MEMORY": "2GB",
    }
    settings = Settings.from_env(env)
    assert (settings.ingest_batch_bytes, settings.duckdb_memory) == (1000, "2GB")
    defaults = Settings.from_env({"WIREHOUSE_HOME": str(tmp_path)})
    assert (defaults.ingest_batch_bytes, defaults.duckdb_memory) == (64 * 1024 * 1024, "1GB")
