"""sql/publish: staged rows appended once; entities merged; re-publishing changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import duckdb
import pytest

from flows.warehouse import run_sql_file, sql_files

TABLES = ("articles", "duplicates", "input_files", "rejects", "entities", "mentions")
Insert = Callable[..., None]


def day(n: int) -> datetime:
    return datetime(2024, 12, n, tzinfo=UTC)


def publish_all(con: duckdb.DuckDBPyConnection) -> None:
    for name in sql_files("publish"):
        run_sql_file(con, name)


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"select count(*) from main.{t}").fetchall()[0][0] for t in TABLES}


@pytest.fixture
def staged_batch(insert: Insert) -> None:
    insert("staging.articles", {"article_id": "a1"}, {"article_id": "a2"})
    insert(
        "staging.duplicates",
        {"input_uri": "mem://d.txt", "input_record": 1, "article_id": "a1", "duplicate_of": "a1"},
        {
            "input_uri": "mem://d.txt",
            "input_record": None,
            "article_id": "a2",
            "duplicate_of": "a2",
        },
    )
    insert(
        "staging.input_files",
        {"input_uri": "mem://a1.txt", "sha256": "f" * 64, "size_bytes": 10, "load_id": "load-1"},
    )
    insert(
        "staging.rejects",
        {"input_uri": "mem://bad.txt", "input_record": None, "reason_code": "EMPTY_FILE"},
        {"input_uri": "mem://x.jsonl", "input_record": 3, "reason_code": "MALFORMED_JSON"},
    )
    insert(
        "staging.entities",
        {"entity_id": "e1", "aliases": ["Ann"], "first_seen": day(5), "last_seen": day(5)},
    )
    insert(
        "staging.mentions",
        {
            "mention_id": "m1",
            "article_id": "a1",
            "entity_id": "e1",
            "surface": "Ann",
            "start_char": 0,
            "end_char": 3,
        },
    )


@pytest.mark.usefixtures("staged_batch")
def test_publish_copies_staging(con: duckdb.DuckDBPyConnection) -> None:
    publish_all(con)
    assert counts(con) == {
        "articles": 2,
        "duplicates": 2,
        "input_files": 1,
        "rejects": 2,
        "entities": 1,
        "mentions": 1,
    }
    for table in TABLES:
        diff = con.execute(
            f"select count(*) from (from staging.{table} except all from main.{table})"
        ).fetchall()
        assert diff == [(0,)], table


@pytest.mark.usefixtures("staged_batch")
def test_republish_is_a_no_op(con: duckdb.DuckDBPyConnection) -> None:
    publish_all(con)
    before = counts(con)
    snapshot = {t: con.execute(f"from main.{t} order by all").fetchall() for t in TABLES}
    publish_all(con)
    publish_all(con)
    assert counts(con) == before
    assert {t: con.execute(f"from main.{t} order by all").fetchall() for t in TABLES} == snapshot


def test_entities_merge_unions_aliases_and_widens_dates(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    insert(
        "main.entities",
        {
            "entity_id": "e1",
            "canonical_name": "Ann Lee",
            "aliases": ["Lee", "Ann Lee"],
            "geonames_id": None,
            "country_code": "FR",
            "first_seen": day(3),
            "last_seen": day(5),
        },
    )
    insert(
        "staging.entities",
        {
            "entity_id": "e1",
            "canonical_name": "Ann Lee",
            "aliases": ["Ann", "Lee", "Ann"],
            "geonames_id": 42,
            "country_code": "DE",
            "first_seen": day(1),
            "last_seen": day(4),
        },
        {
            "entity_id": "e2",
            "canonical_name": "Bo",
            "aliases": ["Bo"],
            "first_seen": day(2),
            "last_seen": day(2),
        },
    )
    run_sql_file(con, "publish/entities.sql")
    rows = con.execute(
        "select entity_id, aliases, geonames_id, country_code, first_seen, last_seen "
        "from main.entities order by entity_id"
    ).fetchall()
    assert rows == [
        ("e1", ["Ann", "Ann Lee", "Lee"], 42, "FR", day(1), day(5)),
        ("e2", ["Bo"], None, None, day(2), day(2)),
    ]


@pytest.mark.parametrize(
    ("known", "staged", "expected"),
    [
        ((day(3), day(5)), (day(4), day(4)), (day(3), day(5))),
        ((day(3), day(5)), (day(1), day(9)), (day(1), day(9))),
        ((day(3), day(5)), (day(6), day(7)), (day(3), day(7))),
    ],
    ids=["inside", "wider", "later"],
)
def test_entities_merge_date_range(
    con: duckdb.DuckDBPyConnection,
    insert: Insert,
    known: tuple[datetime, datetime],
    staged: tuple[datetime, datetime],
    expected: tuple[datetime, datetime],
) -> None:
    insert("main.entities", {"entity_id": "e1", "first_seen": known[0], "last_seen": known[1]})
    insert("staging.entities", {"entity_id": "e1", "first_seen": staged[0], "last_seen": staged[1]})
    run_sql_file(con, "publish/entities.sql")
    assert con.execute("select first_seen, last_seen from main.entities").fetchall() == [expected]


def test_rejects_not_inserted_twice(con: duckdb.DuckDBPyConnection, insert: Insert) -> None:
    insert(
        "main.rejects",
        {"input_uri": "mem://a.txt", "input_record": None, "reason_code": "EMPTY_FILE"},
        {"input_uri": "mem://b.jsonl", "input_record": 2, "reason_code": "MALFORMED_JSON"},
    )
    insert(
        "staging.rejects",
        # already recorded (null record number matches null)
        {"input_uri": "mem://a.txt", "input_record": None, "reason_code": "EMPTY_FILE"},
        # already recorded
        {"input_uri": "mem://b.jsonl", "input_record": 2, "reason_code": "MALFORMED_JSON"},
        # same record, new reason
        {"input_uri": "mem://b.jsonl", "input_record": 2, "reason_code": "WRONG_TYPE"},
        # same reason, other record
        {"input_uri": "mem://b.jsonl", "input_record": 3, "reason_code": "MALFORMED_JSON"},
    )
    run_sql_file(con, "publish/rejects.sql")
    rows = con.execute(
        "select input_uri, input_record, reason_code from main.rejects order by all"
    ).fetchall()
    assert rows == [
        ("mem://a.txt", None, "EMPTY_FILE"),
        ("mem://b.jsonl", 2, "MALFORMED_JSON"),
        ("mem://b.jsonl", 2, "WRONG_TYPE"),
        ("mem://b.jsonl", 3, "MALFORMED_JSON"),
    ]


def test_article_already_published_is_not_appended(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    insert("main.articles", {"article_id": "a1", "title": "Old title"})
    insert("staging.articles", {"article_id": "a1", "title": "New title"}, {"article_id": "a2"})
    run_sql_file(con, "publish/articles.sql")
    rows = con.execute("select article_id, title from main.articles order by all").fetchall()
    assert rows == [("a1", "Old title"), ("a2", "Title a2")]


def test_input_file_with_new_content_is_added(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    row = {"input_uri": "mem://a.txt", "sha256": "1" * 64, "size_bytes": 1, "load_id": "load-1"}
    insert("main.input_files", row)
    insert("staging.input_files", row, row | {"sha256": "2" * 64})
    run_sql_file(con, "publish/input_files.sql")
    assert con.execute("select sha256 from main.input_files order by all").fetchall() == [
        ("1" * 64,),
        ("2" * 64,),
    ]
