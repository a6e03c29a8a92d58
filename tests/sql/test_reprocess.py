"""sql/reprocess and the stage's replace range: a reprocessed day replaces exactly its rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import pytest

from flows.warehouse import run_sql_file
from tests.sql.test_stage import record, stage, staged

Insert = Callable[..., None]
DAY5 = datetime(2024, 12, 5, tzinfo=UTC)
DAY6 = datetime(2024, 12, 6, tzinfo=UTC)


def rows_of(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[Any, ...]]:
    return con.execute(f"select * from main.{table} order by all").fetchall()


@pytest.fixture
def two_days(insert: Insert) -> None:
    """Day 5 was loaded by load-5 and day 6 by load-6, each with every kind of row."""
    for n, day in ((5, DAY5), (6, DAY6)):
        load = f"load-{n}"
        insert("loads", {"load_id": load, "logical_date": day})
        insert("articles", {"article_id": f"a{n}", "load_id": load, "interval_start": day})
        insert(
            "mentions",
            {
                "mention_id": f"m{n}",
                "article_id": f"a{n}",
                "entity_id": "shared",
                "surface": "S",
                "start_char": 0,
                "end_char": 1,
                "load_id": load,
            },
            {
                "mention_id": f"m{n}b",
                "article_id": f"a{n}",
                "entity_id": f"only{n}",
                "surface": "O",
                "start_char": 2,
                "end_char": 3,
                "load_id": load,
            },
        )
        insert(
            "duplicates",
            {"input_uri": f"mem://d{n}", "article_id": f"a{n}", "duplicate_of": f"a{n}"}
            | {"load_id": load},
        )
        insert(
            "rejects", {"input_uri": f"mem://r{n}", "reason_code": "EMPTY_FILE"} | {"load_id": load}
        )
        insert(
            "input_files",
            {"input_uri": f"mem://f{n}", "sha256": "0" * 64, "size_bytes": 1, "load_id": load},
        )
    insert(
        "entities",
        {"entity_id": "shared", "first_seen": DAY5, "last_seen": DAY6},
        {"entity_id": "only5", "first_seen": DAY5, "last_seen": DAY5},
        {"entity_id": "only6", "first_seen": DAY6, "last_seen": DAY6},
    )


def replace_day5(con: duckdb.DuckDBPyConnection) -> None:
    params = {"replace_from": DAY5, "replace_until": DAY5 + timedelta(days=1), "load_id": "new"}
    run_sql_file(con, "reprocess/replaced_loads.sql", params)
    run_sql_file(con, "reprocess/clear_replaced.sql")


TABLES = ("articles", "mentions", "duplicates", "rejects", "input_files")


@pytest.mark.usefixtures("two_days")
def test_clearing_a_day_removes_its_rows_and_only_those(con: duckdb.DuckDBPyConnection) -> None:
    day6_before = {t: [r for r in rows_of(con, t) if "load-6" in r] for t in TABLES}
    replace_day5(con)
    for table in TABLES:
        after = rows_of(con, table)
        assert all("load-5" not in row for row in after), table
        assert after == day6_before[table], table


@pytest.mark.usefixtures("two_days")
def test_replaced_loads_are_marked_and_kept_in_the_ledger(con: duckdb.DuckDBPyConnection) -> None:
    replace_day5(con)
    statuses = dict(con.execute("select load_id, status from loads").fetchall())
    assert statuses == {"load-5": "replaced", "load-6": "published"}


@pytest.mark.usefixtures("two_days")
def test_entities_are_refreshed_from_the_mentions_left(con: duckdb.DuckDBPyConnection) -> None:
    replace_day5(con)
    run_sql_file(con, "reprocess/refresh_entities.sql")
    entities = con.execute(
        "select entity_id, first_seen, last_seen from entities order by entity_id"
    ).fetchall()
    assert entities == [("only6", DAY6, DAY6), ("shared", DAY6, DAY6)]


def test_stage_dedups_against_other_days_only(
    con: duckdb.DuckDBPyConnection, params: dict[str, Any]
) -> None:
    article = record(url="https://e.com/a")
    stage(con, params | {"logical_date": DAY5}, article)
    run_sql_file(con, "publish/articles.sql")  # stored for day 5

    def n_staged(**replace: datetime) -> int:
        stage(con, params | replace, article)
        return len(staged(con))

    one_day = timedelta(days=1)
    assert n_staged(replace_from=DAY5, replace_until=DAY5 + one_day) == 1  # day 5 replaced
    assert n_staged() == 0  # an ordinary run: already stored
    assert n_staged(replace_from=DAY6, replace_until=DAY6 + one_day) == 0  # another day
