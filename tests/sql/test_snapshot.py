"""sql/snapshot: each version is the live file as the publish left it, less the writer's own
tables, and stays as written when later versions come."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.fingerprint import fingerprint, fingerprint_file
from flows.settings import Settings
from flows.snapshots import version_path, write_snapshot
from flows.steps.publish import PUBLISH_ORDER
from flows.warehouse import connect, migrate, run_sql_file
from tests.sql.conftest import insert_rows


def publish_staged(con: duckdb.DuckDBPyConnection) -> None:
    for name in PUBLISH_ORDER:
        run_sql_file(con, f"publish/{name}.sql")


def reset(con: duckdb.DuckDBPyConnection) -> None:
    run_sql_file(con, "stage/reset.sql")


def stage_mention(con: duckdb.DuckDBPyConnection, mention_id: str, article: str, name: str) -> None:
    """A mention of entity e1 at the start of the article."""
    row = {"mention_id": mention_id, "article_id": article, "entity_id": "e1", "surface": name}
    insert_rows(con, "staging.mentions", row | {"start_char": 0, "end_char": len(name)})


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home")


def test_each_version_equals_the_live_file_at_its_publish(settings: Settings) -> None:
    settings.home.mkdir(parents=True)
    with connect(settings) as con:
        migrate(con)
        reset(con)
        insert_rows(
            con,
            "staging.articles",
            {"article_id": "a1", "story_id": "a1"},
            {"article_id": "a2", "story_id": "a2"},
        )
        insert_rows(con, "staging.entities", {"entity_id": "e1", "aliases": ["Hama"]})
        stage_mention(con, "m1", "a1", "Hama")
        publish_staged(con)
        write_snapshot(con, settings, 1)
        first = fingerprint(con)

        # second run: a new article that renames story a2 -> a3, a duplicate, a reject, an
        # entity seen again under another name, and its mention
        reset(con)
        insert_rows(con, "staging.articles", {"article_id": "a3", "story_id": "a3"})
        insert_rows(con, "staging.story_moves", {"old_story_id": "a2", "new_story_id": "a3"})
        insert_rows(
            con,
            "staging.duplicates",
            {
                "input_uri": "mem://d.txt",
                "input_record": 1,
                "article_id": "a1",
                "duplicate_of": "a1",
            },
        )
        insert_rows(
            con,
            "staging.rejects",
            {"input_uri": "mem://r.txt", "input_record": None, "reason_code": "EMPTY_BODY"},
        )
        insert_rows(con, "staging.entities", {"entity_id": "e1", "aliases": ["Hamah"]})
        stage_mention(con, "m2", "a3", "Hamah")
        publish_staged(con)
        write_snapshot(con, settings, 2)
        second = fingerprint(con)

    assert first != second
    assert fingerprint_file(version_path(settings, 1)) == first
    assert fingerprint_file(version_path(settings, 2)) == second
    with duckdb.connect(str(version_path(settings, 2)), read_only=True) as snap:
        stories = snap.execute("select article_id, story_id from articles order by 1").fetchall()
        aliases = snap.execute("select aliases from entities").fetchall()
        schemas = snap.execute("select distinct schema_name from duckdb_tables()").fetchall()
        staged_views = snap.execute(
            "select view_name from duckdb_views() where schema_name = 'staging'"
        ).fetchall()
    assert stories == [("a1", "a1"), ("a2", "a3"), ("a3", "a3")]
    assert aliases == [(["Hama", "Hamah"],)]
    assert schemas == [("main",)]  # the run's staged rows are not left in the snapshot
    assert staged_views == []  # nor views onto the live file's staging tables


UNPUBLISHED = {"article_bands", "input_files", "fetch_validators"}  # the writer's own
# what readers get: a table a migration adds to the live file must be put in one of the two
PUBLISHED = {
    "articles",
    "entities",
    "mentions",
    "loads",
    "rejects",
    "duplicates",
    "audit_results",
    "schema_version",
    "entity_keys",
    "source_days",
    "entity_days",
    "entity_articles",
    "entity_pairs",
}


def test_a_full_copy_is_the_live_file_less_the_writers_own_tables(settings: Settings) -> None:
    """A snapshot starts as a copy of the live file: every published table, column for
    column and row for row, and none of the writer's own."""
    settings.home.mkdir(parents=True)
    columns = (
        "select c.table_name, c.column_name, c.data_type, c.ordinal_position "
        "from information_schema.columns as c join information_schema.tables as t "
        "using (table_catalog, table_schema, table_name) "
        "where c.table_catalog = current_database() and t.table_type = 'BASE TABLE'"
    )
    with connect(settings) as con:
        migrate(con)
        reset(con)
        insert_rows(con, "staging.articles", {"article_id": "a1", "authors": ["Ann"]})
        publish_staged(con)
        write_snapshot(con, settings, 1)
        live = set(con.execute(columns).fetchall())
        live_articles = con.execute("select * from articles").fetchall()
    with duckdb.connect(str(version_path(settings, 1)), read_only=True) as snap:
        published = set(snap.execute(columns).fetchall())
        snap_articles = snap.execute("select * from articles").fetchall()
    live_tables = {row[0] for row in live}
    assert live_tables == PUBLISHED | UNPUBLISHED
    assert {row[0] for row in published} == PUBLISHED
    assert published == {row for row in live if row[0] not in UNPUBLISHED}
    assert snap_articles == live_articles
