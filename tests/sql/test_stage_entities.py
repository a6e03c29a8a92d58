"""sql/queries/new_article_texts_page.sql, sql/stage/mentions.sql, sql/stage/entities.sql:
the entity step reads new articles page by page, stages each batch's mentions, then the
run's entities with first/last seen over every staged mention."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import duckdb
import polars as pl

from flows.core.entities.linking import ENTITY_SCHEMA, MENTION_SCHEMA
from flows.warehouse import fetch_frame, run_sql_file
from tests.sql.conftest import Insert

DAY1 = datetime(2024, 12, 1, tzinfo=UTC)
DAY3 = datetime(2024, 12, 3, tzinfo=UTC)


def page(con: duckdb.DuckDBPyConnection, start: int, size: int) -> list[str]:
    frame = fetch_frame(
        con, "queries/new_article_texts_page.sql", {"page_start": start, "page_size": size}
    )
    return frame.get_column("article_id").to_list()


def test_pages_cover_the_staged_articles_once_in_id_order(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    insert("staging.articles", *({"article_id": f"a{i}"} for i in (3, 1, 4, 0, 2)))
    insert("articles", {"article_id": "published"})  # not new: never read
    pages = [page(con, start, 2) for start in (0, 2, 4, 6)]
    assert pages == [["a0", "a1"], ["a2", "a3"], ["a4"], []]


def mention(article_id: str, entity_id: str, start: int) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "entity_id": entity_id,
        "surface": "Hama",
        "start_char": start,
        "end_char": start + 4,
        "in_title": False,
        "sentence_index": 0,
        "confidence": 0.9,
        "tone": 0.0,
    }


def stage_batch(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]], load_id: str) -> None:
    schema = pl.Schema({**MENTION_SCHEMA, "tone": pl.Float64})
    con.register("linked_mentions", pl.DataFrame(rows, schema=schema).to_arrow())
    run_sql_file(con, "stage/mentions.sql", {"load_id": load_id})


def test_mentions_of_several_batches_then_entities_seen_over_all_of_them(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    insert(
        "staging.articles",
        {"article_id": "a1", "published_at": DAY3},
        {"article_id": "a2", "published_at": None, "interval_start": DAY1},
    )
    stage_batch(con, [mention("a1", "e1", 0), mention("a1", "e1", 10)], "load-1")
    stage_batch(con, [mention("a2", "e1", 0)], "load-1")
    ids = con.execute("select mention_id, load_id from staging.mentions order by all").fetchall()
    assert len({m for m, _ in ids}) == 3 and {load for _, load in ids} == {"load-1"}

    entities = pl.DataFrame(
        [{"entity_id": "e1", "canonical_name": "Hama", "entity_type": "GPE", "aliases": ["Hama"]}],
        schema=ENTITY_SCHEMA,
    )
    con.register("linked_entities", entities.to_arrow())
    run_sql_file(con, "stage/entities.sql")
    assert con.execute(
        "select entity_id, canonical_name, first_seen, last_seen from staging.entities"
    ).fetchall() == [("e1", "Hama", DAY1, DAY3)]
