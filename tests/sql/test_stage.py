"""sql/stage: keys, first copy kept, duplicates against the batch and the warehouse."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import duckdb
import polars as pl
import pytest

from flows.core.batches import input_order
from flows.core.schemas import NORMALIZED
from flows.steps.stage import incoming
from flows.warehouse import fetch_frame, run_sql_file
from tests.sql.conftest import memory_warehouse

STAGE_FILES = ("reset", "keyed", "articles", "duplicates", "duplicate_links")


def record(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(NORMALIZED.names())
    row.update(
        title="Harbour reopens",
        body="Crews cleared the quay.",
        language="en",
        word_count=4,
        date_unparsed=False,
        input_uri="mem://a.jsonl",
        input_record=1,
    )
    row.update(fields)
    return row


def stage(con: duckdb.DuckDBPyConnection, params: dict[str, Any], *rows: dict[str, Any]) -> None:
    con.register("incoming", incoming(pl.DataFrame(list(rows), schema=NORMALIZED)).to_arrow())
    for name in STAGE_FILES:
        run_sql_file(con, f"stage/{name}.sql", params)


def staged(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    return con.execute(
        "select article_id, input_uri, input_record from staging.articles order by all"
    ).fetchall()


def duplicates(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, str, str]]:
    return con.execute(
        "select input_uri, input_record, article_id, duplicate_of from staging.duplicates "
        "order by input_uri, input_record"
    ).fetchall()


def publish_staged(con: duckdb.DuckDBPyConnection) -> None:
    run_sql_file(con, "publish/articles.sql")
    run_sql_file(con, "publish/duplicates.sql")


def test_same_url_twice_is_one_article(con: duckdb.DuckDBPyConnection, params: dict) -> None:
    stage(
        con,
        params,
        record(url="https://e.com/a", input_record=1),
        record(url="https://e.com/a", title="Harbour reopens (updated)", input_record=2),
    )
    [(kept, uri, number)] = staged(con)
    assert (uri, number) == ("mem://a.jsonl", 1)
    assert duplicates(con) == [("mem://a.jsonl", 2, kept, kept)]


def test_same_text_without_url_in_two_files(con: duckdb.DuckDBPyConnection, params: dict) -> None:
    stage(con, params, record(input_uri="mem://b.txt"), record(input_uri="mem://a.txt"))
    [(kept, uri, _)] = staged(con)
    assert uri == "mem://a.txt"  # the first copy by (input_uri, input_record)
    assert duplicates(con) == [("mem://b.txt", 1, kept, kept)]


def test_text_key_ignores_case(con: duckdb.DuckDBPyConnection, params: dict) -> None:
    stage(
        con,
        params,
        record(input_uri="mem://a.txt"),
        record(title="HARBOUR REOPENS", body="CREWS CLEARED THE QUAY.", input_uri="mem://b.txt"),
    )
    assert len(staged(con)) == 1
    [(uri, _, dup_id, dup_of)] = duplicates(con)
    assert uri == "mem://b.txt"
    assert dup_id == dup_of == staged(con)[0][0]


def test_same_text_under_two_urls_is_one_article(
    con: duckdb.DuckDBPyConnection, params: dict
) -> None:
    stage(
        con,
        params,
        record(url="https://e.com/a", input_record=1),
        record(url="https://mirror.example/a", input_record=2),
    )
    [(kept, _, number)] = staged(con)
    assert number == 1
    [(_, _, dup_id, dup_of)] = duplicates(con)
    assert dup_id != kept
    assert dup_of == kept


def test_different_articles_are_all_staged(con: duckdb.DuckDBPyConnection, params: dict) -> None:
    stage(
        con,
        params,
        record(url="https://e.com/a", input_record=1),
        record(url="https://e.com/b", body="Another story.", input_record=2),
        record(title="Third", input_uri="mem://c.txt"),
    )
    assert len(staged(con)) == 3
    assert duplicates(con) == []


def test_article_already_in_warehouse_is_a_duplicate(
    con: duckdb.DuckDBPyConnection, params: dict
) -> None:
    first = record(url="https://e.com/a")
    stage(con, params, first)
    [(article_id, _, _)] = staged(con)
    publish_staged(con)

    again = dict(params, load_id="load-2")
    stage(con, again, record(url="https://e.com/a", input_uri="mem://later.jsonl"))
    assert staged(con) == []
    assert duplicates(con) == [("mem://later.jsonl", 1, article_id, article_id)]
    load_ids = {r[0] for r in con.execute("select load_id from staging.duplicates").fetchall()}
    assert load_ids == {"load-2"}


def test_content_already_in_warehouse_under_another_url(
    con: duckdb.DuckDBPyConnection, params: dict
) -> None:
    stage(con, params, record(url="https://e.com/a"))
    [(article_id, _, _)] = staged(con)
    publish_staged(con)

    stage(con, params, record(url="https://other.example/x", input_uri="mem://b.jsonl"))
    assert staged(con) == []
    [(_, _, dup_id, dup_of)] = duplicates(con)
    assert dup_id != article_id
    assert dup_of == article_id


def test_staged_columns(con: duckdb.DuckDBPyConnection, params: dict) -> None:
    stage(con, params, record(url="https://e.com/a", title="T", body="B"))
    row = con.sql("select * from staging.articles").pl().row(0, named=True)
    assert re.fullmatch(r"[0-9a-f]{32}", row["article_id"])
    assert row["content_hash"] == hashlib.sha256(b"T\nB").hexdigest()
    assert row["story_id"] == row["article_id"]
    assert row["tone"] is None
    assert row["load_id"] == params["load_id"]
    assert row["ingested_at"] == params["started_at"]
    assert row["interval_start"] == params["logical_date"]
    assert (row["input_uri"], row["input_record"]) == ("mem://a.jsonl", 1)


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"url": "https://e.com/a"}, "url:https://e.com/a"),
        ({"url": None, "title": "T", "body": "B"}, "text:t\nb"),
    ],
    ids=["url", "text"],
)
def test_article_id_is_a_sha256_prefix(
    con: duckdb.DuckDBPyConnection, params: dict, fields: dict, key: str
) -> None:
    stage(con, params, record(**fields))
    assert staged(con)[0][0] == hashlib.sha256(key.encode()).hexdigest()[:32]


def test_keys_stable_across_fresh_databases(params: dict) -> None:
    rows = [
        record(url="https://e.com/a"),
        record(title="No link", body="Text only.", input_uri="mem://b.txt"),
    ]
    results = []
    for _ in range(2):
        with memory_warehouse() as fresh:
            stage(fresh, params, *rows)
            results.append(
                fresh.execute(
                    "select article_id, content_hash from staging.articles order by all"
                ).fetchall()
            )
    assert results[0] == results[1]
    assert len(results[0]) == 2
    for article_id, content_hash in results[0]:
        assert re.fullmatch(r"[0-9a-f]{32}", article_id)
        assert re.fullmatch(r"[0-9a-f]{64}", content_hash)


def test_first_copy_does_not_depend_on_row_order(
    con: duckdb.DuckDBPyConnection, params: dict
) -> None:
    rows = [record(input_uri=f"mem://{name}.txt") for name in ("c", "a", "b")]
    stage(con, params, *rows)
    forward = (staged(con), duplicates(con))
    stage(con, params, *reversed(rows))
    assert (staged(con), duplicates(con)) == forward
    assert forward[0][0][1] == "mem://a.txt"


def test_reset_empties_staging(con: duckdb.DuckDBPyConnection, params: dict) -> None:
    stage(con, params, record(url="https://e.com/a"), record(url="https://e.com/a", input_record=2))
    run_sql_file(con, "stage/reset.sql")
    for table in ("articles", "duplicates", "input_files", "entities", "mentions", "rejects"):
        assert con.execute(f"select count(*) from staging.{table}").fetchall() == [(0,)], table


def test_every_record_is_staged_once(con: duckdb.DuckDBPyConnection, params: dict) -> None:
    rows = [
        record(url="https://e.com/a", input_record=1),
        record(url="https://e.com/a", input_record=2),
        record(url="https://e.com/b", input_record=3),
        record(input_uri="mem://x.txt"),
        record(input_uri="mem://y.txt", title="Other"),
    ]
    stage(con, params, *rows)
    places = [(uri, n) for _, uri, n in staged(con)] + [(u, n) for u, n, _, _ in duplicates(con)]
    assert sorted(places) == sorted((r["input_uri"], r["input_record"]) for r in rows)


def test_duplicate_of_always_names_a_stored_article(
    con: duckdb.DuckDBPyConnection, params: dict
) -> None:
    stage(
        con,
        params,
        # A story syndicated under two URLs with the same text, then updated under the second.
        record(url="https://e.com/u2", body="Same text.", input_uri="mem://a.jsonl"),
        record(url="https://e.com/u1", body="Same text.", input_uri="mem://b.jsonl"),
        record(
            url="https://e.com/u1", body="Updated text.", input_uri="mem://b.jsonl", input_record=2
        ),
    )
    dangling = con.execute(
        "select d.input_uri, d.input_record, d.duplicate_of from staging.duplicates as d "
        "anti join staging.articles as s on s.article_id = d.duplicate_of "
        "anti join main.articles as m on m.article_id = d.duplicate_of"
    ).fetchall()
    assert dangling == []


def stage_in_batches(
    con: duckdb.DuckDBPyConnection, params: dict[str, Any], *batches: list[dict[str, Any]]
) -> tuple[list, list]:
    """Stage the records a batch at a time, as the stage step does; (staged, duplicates)."""
    run_sql_file(con, "stage/reset.sql")
    for rows in batches:
        con.register("incoming", incoming(pl.DataFrame(rows, schema=NORMALIZED)).to_arrow())
        for name in ("keyed", "articles", "duplicates"):
            run_sql_file(con, f"stage/{name}.sql", params)
    run_sql_file(con, "stage/duplicate_links.sql", params)
    return staged(con), duplicates(con)


# Records in input_uri order (batches are cut in that order): u2's text repeats a's under
# another URL, so u2's first stored copy is its later record with a new text; b is in the
# warehouse already under another URL, and its second copy's text is new.
SPREAD = [
    record(url="https://e.com/a", body="Same text.", input_uri="mem://1.jsonl"),
    record(url="https://e.com/old", body="Known text.", input_uri="mem://1.jsonl", input_record=2),
    record(url="https://e.com/u2", body="Same text.", input_uri="mem://2.jsonl"),
    record(url="https://e.com/a", body="Same text.", input_uri="mem://3.jsonl"),
    record(url="https://e.com/u2", body="Updated text.", input_uri="mem://4.jsonl"),
    record(url="https://e.com/b", body="Known text.", input_uri="mem://4.jsonl", input_record=2),
    record(url="https://e.com/b", body="New text.", input_uri="mem://5.jsonl"),
    record(url=None, title="No link", body="Text only.", input_uri="mem://5.txt"),
    record(url=None, title="NO LINK", body="TEXT ONLY.", input_uri="mem://6.txt"),
]


@pytest.mark.parametrize("cuts", [(9,), (1,) * 9, (2, 3, 4), (4, 5), (3, 1, 5)])
def test_batches_stage_what_one_batch_stages(
    con: duckdb.DuckDBPyConnection, params: dict, insert: Any, cuts: tuple[int, ...]
) -> None:
    insert("articles", {"article_id": "old1", "title": "Harbour reopens", "body": "Known text."})
    batches, start = [], 0
    for size in cuts:
        batches.append(SPREAD[start : start + size])
        start += size
    result = stage_in_batches(con, params, *batches)
    assert result == stage_in_batches(con, params, SPREAD)
    stored, copies = result
    ids = {(uri, n): article_id for article_id, uri, n in stored}
    assert sorted(ids) == [
        ("mem://1.jsonl", 1),
        ("mem://4.jsonl", 1),
        ("mem://5.jsonl", 1),
        ("mem://5.txt", 1),
    ]
    links = {(uri, n): of for uri, n, _, of in copies}
    assert links == {
        ("mem://1.jsonl", 2): "old1",  # its text is in the warehouse
        ("mem://2.jsonl", 1): ids[("mem://4.jsonl", 1)],  # u2, stored from a later batch
        ("mem://3.jsonl", 1): ids[("mem://1.jsonl", 1)],
        ("mem://4.jsonl", 2): ids[("mem://5.jsonl", 1)],  # b, stored from a later batch
        ("mem://6.txt", 1): ids[("mem://5.txt", 1)],
    }


def test_batches_take_files_in_the_order_the_sql_ranks_records_by(
    con: duckdb.DuckDBPyConnection,
) -> None:
    uris = ["/in/a/b.txt", "/in/a-c.txt", "/in/B.txt", "/in/é.txt", "/in/ä/x", "/in/a b", "/in/Z"]
    con.register("uris", pl.DataFrame({"input_uri": uris}).to_arrow())
    by_sql = [u for (u,) in con.execute("select input_uri from uris order by input_uri").fetchall()]
    assert [uris[i] for i in input_order(uris)] == by_sql


def test_new_article_records_name_the_staged_articles(
    con: duckdb.DuckDBPyConnection, params: dict
) -> None:
    """queries/new_article_records_batch.sql: the records whose bands are kept are exactly
    the batch's staged articles (the duplicate's record is left out)."""
    stage(
        con,
        params,
        record(url="https://e.com/a", input_record=1),
        record(url="https://e.com/a", input_record=2),
        record(url="https://e.com/b", title="Other", input_record=3),
    )
    new = fetch_frame(con, "queries/new_article_records_batch.sql").sort("record_index")
    assert new.get_column("record_index").to_list() == [0, 2]
    assert sorted(new.get_column("article_id")) == [a for a, _, _ in staged(con)]
