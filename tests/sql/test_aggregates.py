"""The aggregate tables (schema/110_aggregates.sql) that the views read: kept by
publish/aggregates.sql run by run and by reprocess/clear_replaced.sql, copied into every
snapshot, and filled from the base tables by the migration. Every view must give
what its plain definition over articles and mentions gives (REFERENCE: the views as they were
before the tables existed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.settings import Settings
from flows.snapshots import version_path, write_snapshot
from flows.steps.publish import PUBLISH_ORDER
from flows.warehouse import connect, migrate, run_sql_file, sql_files, transaction
from tests.sql.conftest import insert_rows

AGGREGATES = ("entity_keys", "source_days", "entity_days", "entity_articles", "entity_pairs")

# Each view computed from every article and mention, as sql/views defined them before the
# aggregate tables: the oracle.
REFERENCE = {
    "agg_entity_mentions_daily": """
        select e.entity_id, e.canonical_name, e.entity_type, d.day,
            count(*) as n_mentions, count(distinct m.article_id) as n_articles
        from mentions as m
        inner join article_days as d using (article_id)
        inner join entities as e using (entity_id)
        group by all""",
    "agg_top_entities": """
        with windows as (
            select unnest([7, 30]) as window_days, max(day) as window_end from article_days
        ),
        counted as (
            select w.window_days, w.window_end, d.entity_id, d.canonical_name, d.entity_type,
                sum(d.n_mentions) as n_mentions, sum(d.n_articles) as n_articles
            from ({agg_entity_mentions_daily}) as d
            inner join windows as w
                on d.day > w.window_end - w.window_days and d.day <= w.window_end
            group by all
        )
        select *, row_number() over (
            partition by window_days, entity_type
            order by n_mentions desc, n_articles desc, canonical_name
        ) as rank
        from counted""",
    "agg_entity_cooccurrence": """
        with pairs as (select distinct article_id, entity_id from mentions),
        counted as (
            select a.entity_id as entity_id_a, b.entity_id as entity_id_b, count(*) as n_articles
            from pairs as a
            inner join pairs as b on a.article_id = b.article_id and a.entity_id < b.entity_id
            group by all
        )
        select f.entity_id_a, ea.canonical_name as canonical_name_a,
            ea.entity_type as entity_type_a, f.entity_id_b, eb.canonical_name as canonical_name_b,
            eb.entity_type as entity_type_b, f.n_articles
        from counted as f
        inner join entities as ea on ea.entity_id = f.entity_id_a
        inner join entities as eb on eb.entity_id = f.entity_id_b""",
    "agg_source_articles_daily": """
        select coalesce(source_name, '(unknown)') as source_name, day, count(*) as n_articles
        from article_days
        group by all""",
    "agg_trending_entities": """
        with bounds as (select max(day) as window_end from article_days),
        rates as (
            select d.entity_id, d.canonical_name, d.entity_type,
                sum(d.n_mentions) filter (where d.day > b.window_end - 7) as n_recent,
                coalesce(sum(d.n_mentions) filter (
                    where d.day <= b.window_end - 7 and d.day > b.window_end - 35), 0
                ) as n_baseline
            from ({agg_entity_mentions_daily}) as d, bounds as b
            group by all
        )
        select *, round(n_recent / ((n_baseline / 4.0) + 1.0), 3) as trend_score
        from rates
        where n_recent > 0""",
    "agg_entity_tone_daily": """
        select e.entity_id, e.canonical_name, e.entity_type, d.day, count(*) as n_mentions,
            count(distinct m.article_id) as n_articles,
            round(avg(m.tone), 4) as avg_sentence_tone, round(avg(a.tone), 4) as avg_article_tone
        from mentions as m
        inner join articles as a using (article_id)
        inner join article_days as d using (article_id)
        inner join entities as e using (entity_id)
        group by all""",
    "agg_entity_stories_daily": """
        with mention_days as (
            select distinct m.entity_id, m.article_id,
                coalesce(a.story_id, a.article_id) as story_id, d.day
            from mentions as m
            inner join articles as a using (article_id)
            inner join article_days as d using (article_id)
        )
        select e.entity_id, e.canonical_name, e.entity_type, md.day,
            count(distinct md.article_id) as n_articles, count(distinct md.story_id) as n_stories
        from mention_days as md
        inner join entities as e using (entity_id)
        group by all""",
}


def reference_sql(view: str) -> str:
    return REFERENCE[view].format(agg_entity_mentions_daily=REFERENCE["agg_entity_mentions_daily"])


def rebuild_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the aggregate tables from the base tables, as the migration does for a warehouse
    that had data before them (tests insert published rows directly)."""
    for table in AGGREGATES:
        con.execute(f"delete from main.{table}")
    run_sql_file(con, "schema/110_aggregates.sql")


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    for name in sql_files("views"):
        run_sql_file(con, name)


def view_mismatches(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Per view, the rows it and its reference do not share (with types); {} when all agree."""
    create_views(con)
    found = {}
    for view in REFERENCE:
        reference = reference_sql(view)
        types = con.execute(f"describe select * from {view}").fetchall()
        expected = con.execute(f"describe {reference}").fetchall()
        extra = con.execute(f"from {view} except all ({reference})").fetchall()
        missing = con.execute(f"({reference}) except all from {view}").fetchall()
        if types != expected or extra or missing:
            found[view] = {"types": (types, expected), "extra": extra, "missing": missing}
    return found


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2024, 12, day, hour, tzinfo=UTC)


ENTITIES = [
    {"entity_id": "e_ann", "canonical_name": "Ann Lee", "entity_type": "PERSON"},
    {"entity_id": "e_bob", "canonical_name": "Bob Roe", "entity_type": "PERSON"},
    {"entity_id": "e_acme", "canonical_name": "Acme", "entity_type": "ORG"},
    {"entity_id": "e_paris", "canonical_name": "Paris", "entity_type": "GPE"},
    {"entity_id": "e_zed", "canonical_name": "Zed", "entity_type": "PERSON"},
]


def article(
    article_id: str,
    published: datetime | None,
    load: str,
    story: str | None = None,
    tone: float | None = 0.25,
    source: str | None = "Wire",
    language: str | None = "en",
) -> dict[str, Any]:
    logical = (published or at(20)).replace(hour=0)
    return {
        "article_id": article_id,
        "published_at": published,
        "interval_start": logical,
        "load_id": load,
        "story_id": story if story is not None else article_id,
        "tone": tone,
        "source_name": source,
        "language": language,
    }


def mentions(
    article_id: str, load: str, *entity_ids: str, tone: float | None = 0.5
) -> list[dict[str, Any]]:
    """One mention per entity id given (repeat an id to mention it again)."""
    return [
        {
            "mention_id": f"{article_id}-{i}",
            "article_id": article_id,
            "entity_id": entity_id,
            "surface": entity_id,
            "start_char": i,
            "end_char": i + 1,
            "tone": None if tone is None else tone * (-1) ** i,
            "load_id": load,
        }
        for i, entity_id in enumerate(entity_ids)
    ]


def stage_run(
    con: duckdb.DuckDBPyConnection,
    articles: list[dict[str, Any]],
    mention_rows: list[dict[str, Any]],
    story_moves: Sequence[tuple[str, str]] = (),
) -> None:
    run_sql_file(con, "stage/reset.sql")
    if articles:
        insert_rows(con, "staging.articles", *articles)
    used = {m["entity_id"] for m in mention_rows}
    entities = [e for e in ENTITIES if e["entity_id"] in used]
    if entities:
        insert_rows(con, "staging.entities", *entities)
    if mention_rows:
        insert_rows(con, "staging.mentions", *mention_rows)
    if story_moves:
        insert_rows(
            con,
            "staging.story_moves",
            *({"old_story_id": old, "new_story_id": new} for old, new in story_moves),
        )


def publish_staged(con: duckdb.DuckDBPyConnection) -> None:
    with transaction(con):
        for name in PUBLISH_ORDER:
            run_sql_file(con, f"publish/{name}.sql")


# Three runs: two days with a syndicated copy, an undated article, null tones and an article
# without mentions; then a late copy of an old story that is earlier than its first copy (the
# story is renamed after it) and a new day; then a day that only adds articles of one entity.
RUNS: list[tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[str, str]]]] = [
    (
        [
            article("a1", at(1, 9), "L1"),
            article("a2", at(1, 15), "L1", story="a1", tone=None, source="Mirror"),
            article("a3", at(2), "L1", language=None),
            article("a4", None, "L1", source=None),
            article("a5", at(2, 23), "L1"),
        ],
        [
            *mentions("a1", "L1", "e_ann", "e_bob", "e_ann", "e_paris"),
            *mentions("a2", "L1", "e_ann", "e_bob", tone=None),
            *mentions("a3", "L1", "e_bob", "e_acme"),
            *mentions("a4", "L1", "e_ann"),
        ],
        [],
    ),
    (
        [
            article("a0", at(1, 6), "L2"),  # earlier copy of story a1: it becomes story a0
            article("a6", at(9), "L2", story="a6"),
            article("a7", at(9, 18), "L2", story="a6", tone=-0.5),
        ],
        [
            *mentions("a0", "L2", "e_ann", "e_paris"),
            *mentions("a6", "L2", "e_acme", "e_paris", "e_zed"),
            *mentions("a7", "L2", "e_acme", "e_zed", "e_zed"),
        ],
        [("a1", "a0")],
    ),
    (
        [article("a8", at(30), "L3"), article("a9", at(30, 20), "L3", source="Mirror")],
        [*mentions("a8", "L3", "e_zed", "e_ann"), *mentions("a9", "L3", "e_zed")],
        [],
    ),
]


@pytest.fixture
def runs(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    for articles, mention_rows, moves in RUNS:
        stage_run(con, articles, mention_rows, moves)
        publish_staged(con)
    return con


def test_each_run_keeps_the_views_equal_to_their_plain_definitions(
    con: duckdb.DuckDBPyConnection,
) -> None:
    for articles, mention_rows, moves in RUNS:
        stage_run(con, articles, mention_rows, moves)
        publish_staged(con)
        assert view_mismatches(con) == {}
    stories = con.execute("select article_id, story_id from articles where story_id = 'a0'")
    assert sorted(stories.fetchall()) == [("a0", "a0"), ("a1", "a0"), ("a2", "a0")]
    rows = con.execute(
        "select day, n_articles, n_stories from agg_entity_stories_daily "
        "where entity_id = 'e_ann' order by day"
    ).fetchall()
    # a0, a1, a2 are one story (renamed a1 -> a0); a4 has no date: the run's day
    assert rows == [(at(1).date(), 3, 1), (at(20).date(), 1, 1), (at(30).date(), 1, 1)]


def test_the_migration_fill_equals_the_runs(runs: duckdb.DuckDBPyConnection) -> None:
    create_views(runs)
    before = {v: sorted(runs.execute(f"from {v}").fetchall()) for v in REFERENCE}
    rebuild_aggregates(runs)
    assert view_mismatches(runs) == {}
    assert {v: sorted(runs.execute(f"from {v}").fetchall()) for v in REFERENCE} == before


def test_pairs_count_articles_once_in_key_order(runs: duckdb.DuckDBPyConnection) -> None:
    rows = runs.execute(
        "select ka.entity_id, kb.entity_id, p.n_articles from entity_pairs as p "
        "inner join entity_keys as ka on ka.entity_key = p.entity_key_a "
        "inner join entity_keys as kb on kb.entity_key = p.entity_key_b order by all"
    ).fetchall()
    assert ("e_acme", "e_zed", 2) in rows  # a6, a7 (e_zed twice in a7: one article)
    assert ("e_ann", "e_bob", 2) in rows  # a1, a2
    assert all(a < b for a, b, _ in rows)
    keys = runs.execute("select entity_id, entity_key from entity_keys order by 2").fetchall()
    assert [k for _, k in keys] == list(range(1, len(ENTITIES) + 1))  # dense, one per entity


def test_republishing_the_same_staged_rows_changes_nothing(
    runs: duckdb.DuckDBPyConnection,
) -> None:
    before = {t: runs.execute(f"from {t} order by all").fetchall() for t in AGGREGATES}
    publish_staged(runs)
    assert {t: runs.execute(f"from {t} order by all").fetchall() for t in AGGREGATES} == before


def test_a_reprocessed_day_replaces_its_rows(runs: duckdb.DuckDBPyConnection) -> None:
    insert_rows(
        runs,
        "loads",
        *({"load_id": load, "logical_date": day} for load, day in (("L1", at(1)), ("L2", at(9)))),
    )
    params = {"replace_from": at(1, 0), "replace_until": at(2, 0), "load_id": "L1b"}
    # the day again, without a3 and with e_acme instead of e_bob in a1
    stage_run(
        runs,
        [article("a1", at(1, 9), "L1b", story="a0"), article("a4", None, "L1b")],
        [*mentions("a1", "L1b", "e_ann", "e_acme"), *mentions("a4", "L1b", "e_ann")],
    )
    with transaction(runs):
        run_sql_file(runs, "reprocess/replaced_loads.sql", params)
        run_sql_file(runs, "reprocess/clear_replaced.sql")
        for name in PUBLISH_ORDER:
            run_sql_file(runs, f"publish/{name}.sql")
        run_sql_file(runs, "reprocess/refresh_entities.sql")
    assert view_mismatches(runs) == {}
    assert runs.execute("select count(*) from entity_pairs where n_articles <= 0").fetchall() == [
        (0,)
    ]
    loads = runs.execute("select distinct load_id from entity_days order by 1").fetchall()
    assert loads == [("L1b",), ("L2",), ("L3",)]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    home = tmp_path / "home"
    home.mkdir()
    return Settings(home=home)


def test_every_version_has_the_views_of_its_publish(settings: Settings) -> None:
    with connect(settings) as con:
        migrate(con)
        run_sql_file(con, "stage/reset.sql")
        live = {}
        for version, (articles, mention_rows, moves) in enumerate(RUNS, start=1):
            stage_run(con, articles, mention_rows, moves)
            publish_staged(con)
            create_views(con)
            write_snapshot(con, settings, version)
            live[version] = {v: sorted(con.execute(f"from {v}").fetchall()) for v in REFERENCE}
    for version, views in live.items():
        with duckdb.connect(str(version_path(settings, version))) as snap:
            assert {v: sorted(snap.execute(f"from {v}").fetchall()) for v in REFERENCE} == views
            assert view_mismatches(snap) == {}
    assert live[1] != live[len(RUNS)]


def test_views_on_a_day_without_mentions(con: duckdb.DuckDBPyConnection) -> None:
    stage_run(con, [article("x1", at(3), "L1")], [])
    publish_staged(con)
    assert view_mismatches(con) == {}
    create_views(con)
    assert con.execute("select * from agg_source_articles_daily").fetchall() == [
        ("Wire", at(3).date(), 1)
    ]
    window_end = con.execute("select distinct window_end from agg_top_entities").fetchall()
    assert window_end == []  # no mentions: no ranked entities
