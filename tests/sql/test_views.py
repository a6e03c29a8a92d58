"""sql/views on tiny tables: daily counts, top entities, co-occurrence, sources, trending."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import duckdb
import pytest

from flows.warehouse import run_sql_file, sql_files
from tests.sql.test_aggregates import rebuild_aggregates

Insert = Callable[..., None]

END = date(2024, 12, 31)  # the latest day with data
RUN_DAY = datetime(2024, 12, 30, tzinfo=UTC)  # interval_start of articles without a date

ENTITIES = {
    "e_ann": ("Ann Lee", "PERSON"),
    "e_bob": ("Bob Roe", "PERSON"),
    "e_cy": ("Abe Cy", "PERSON"),  # sorts first by name: ties must be broken by articles first
    "e_dan": ("Dan Old", "PERSON"),
    "e_paris": ("Paris", "GPE"),
}


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


# (article_id, published_at, source_name, mentions per entity)
ARTICLES: list[tuple[str, datetime | None, str | None, dict[str, int]]] = [
    ("a1", at(END, 10), "Coast Daily", {"e_ann": 2, "e_bob": 1, "e_paris": 1}),
    # 23:30 at UTC-5 is 04:30 UTC the next day: it counts for END.
    (
        "a9",
        datetime(2024, 12, 30, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
        "Coast Daily",
        {"e_ann": 1},
    ),
    ("a5", None, None, {"e_bob": 1}),  # no date: counts for the run's day
    ("a2", at(END - timedelta(days=6)), "Wire", {"e_ann": 1, "e_cy": 1, "e_bob": 1}),
    ("a6", at(END - timedelta(days=7)), "Wire", {"e_bob": 1}),
    ("a3", at(END - timedelta(days=10)), "Wire", {"e_bob": 3, "e_cy": 3}),
    ("a7", at(END - timedelta(days=29)), "Wire", {"e_paris": 1}),
    ("a8", at(END - timedelta(days=30)), "Wire", {"e_paris": 1, "e_dan": 1}),
    ("a4", at(END - timedelta(days=40)), "Wire", {"e_cy": 5}),
]


def day_of(published_at: datetime | None) -> date:
    return (published_at or RUN_DAY).astimezone(UTC).date()


@pytest.fixture
def views(con: duckdb.DuckDBPyConnection, insert: Insert) -> duckdb.DuckDBPyConnection:
    insert(
        "entities",
        *(
            {"entity_id": e, "canonical_name": n, "entity_type": t}
            for e, (n, t) in ENTITIES.items()
        ),
    )
    insert(
        "articles",
        *(
            {
                "article_id": a,
                "published_at": published,
                "source_name": source,
                "interval_start": RUN_DAY,
            }
            for a, published, source, _ in ARTICLES
        ),
    )
    mentions = [
        {
            "mention_id": f"{a}-{e}-{i}",
            "article_id": a,
            "entity_id": e,
            "surface": ENTITIES[e][0],
            "start_char": i,
            "end_char": i + 1,
        }
        for a, _, _, counts in ARTICLES
        for e, n in counts.items()
        for i in range(n)
    ]
    insert("mentions", *mentions)
    rebuild_aggregates(con)  # the rows were published directly
    for name in sql_files("views"):
        run_sql_file(con, name)
    return con


def test_views_are_created(views: duckdb.DuckDBPyConnection) -> None:
    names = {
        n
        for (n,) in views.execute(
            "select view_name from duckdb_views() where not internal"
        ).fetchall()
    }
    assert names == {
        "article_days",
        "agg_entity_mentions_daily",
        "agg_top_entities",
        "agg_entity_cooccurrence",
        "agg_source_articles_daily",
        "agg_entity_tone_daily",
        "agg_entity_stories_daily",
        "agg_trending_entities",
    }


def test_article_days_are_utc_whatever_the_session_zone(
    views: duckdb.DuckDBPyConnection,
) -> None:
    views.execute("set TimeZone = 'America/New_York'")
    days = dict(views.execute("select article_id, day from article_days").fetchall())
    assert days == {a: day_of(published) for a, published, _, _ in ARTICLES}
    assert days["a9"] == END
    assert days["a5"] == date(2024, 12, 30)


def test_entity_mentions_daily(views: duckdb.DuckDBPyConnection) -> None:
    mentions: Counter[tuple[str, date]] = Counter()
    articles: defaultdict[tuple[str, date], set[str]] = defaultdict(set)
    for a, published, _, counts in ARTICLES:
        for e, n in counts.items():
            mentions[e, day_of(published)] += n
            articles[e, day_of(published)].add(a)
    expected = sorted(
        (e, ENTITIES[e][0], ENTITIES[e][1], d, n, len(articles[e, d]))
        for (e, d), n in mentions.items()
    )
    rows = views.execute(
        "select entity_id, canonical_name, entity_type, day, n_mentions, n_articles "
        "from agg_entity_mentions_daily order by all"
    ).fetchall()
    assert rows == expected
    # Spot check: two articles on END mention Ann (a1 twice, a9 once).
    assert ("e_ann", "Ann Lee", "PERSON", END, 3, 2) in rows


# (window_days, entity_type, [(canonical_name, n_mentions, n_articles, rank)])
TOP_CASES: list[tuple[int, str, list[tuple[str, int, int, int]]]] = [
    (7, "PERSON", [("Ann Lee", 4, 3, 1), ("Bob Roe", 3, 3, 2), ("Abe Cy", 1, 1, 3)]),
    (7, "GPE", [("Paris", 1, 1, 1)]),
    # 30 days: END-29 is in, END-30 and END-40 are out; Ann and Abe tie on mentions,
    # Ann has more articles.
    (30, "PERSON", [("Bob Roe", 7, 5, 1), ("Ann Lee", 4, 3, 2), ("Abe Cy", 4, 2, 3)]),
    (30, "GPE", [("Paris", 2, 2, 1)]),
]


@pytest.mark.parametrize(("window_days", "entity_type", "expected"), TOP_CASES)
def test_top_entities(
    views: duckdb.DuckDBPyConnection,
    window_days: int,
    entity_type: str,
    expected: list[tuple[str, int, int, int]],
) -> None:
    rows = views.execute(
        "select canonical_name, n_mentions, n_articles, rank, window_end from agg_top_entities "
        "where window_days = ? and entity_type = ? order by rank",
        [window_days, entity_type],
    ).fetchall()
    assert [r[:4] for r in rows] == expected
    assert {r[4] for r in rows} == {END}


def test_top_entities_windows(views: duckdb.DuckDBPyConnection) -> None:
    windows = views.execute(
        "select distinct window_days from agg_top_entities order by 1"
    ).fetchall()
    assert windows == [(7,), (30,)]


def test_cooccurrence_pairs_once(views: duckdb.DuckDBPyConnection) -> None:
    rows = views.execute(
        "select entity_id_a, entity_id_b, canonical_name_a, canonical_name_b, n_articles "
        "from agg_entity_cooccurrence order by all"
    ).fetchall()
    assert rows == [
        ("e_ann", "e_bob", "Ann Lee", "Bob Roe", 2),  # a1, a2
        ("e_ann", "e_cy", "Ann Lee", "Abe Cy", 1),  # a2
        ("e_ann", "e_paris", "Ann Lee", "Paris", 1),  # a1
        ("e_bob", "e_cy", "Bob Roe", "Abe Cy", 2),  # a2, a3 (three mentions each count once)
        ("e_bob", "e_paris", "Bob Roe", "Paris", 1),  # a1
        ("e_dan", "e_paris", "Dan Old", "Paris", 1),  # a8
    ]
    assert all(a < b for a, b, *_ in rows)


def test_source_articles_daily(views: duckdb.DuckDBPyConnection) -> None:
    expected = Counter((source or "(unknown)", day_of(p)) for _, p, source, _ in ARTICLES)
    rows = views.execute(
        "select source_name, day, n_articles from agg_source_articles_daily order by all"
    ).fetchall()
    assert rows == sorted((s, d, n) for (s, d), n in expected.items())
    assert ("Coast Daily", END, 2) in rows
    assert ("(unknown)", date(2024, 12, 30), 1) in rows


def test_trending_entities(views: duckdb.DuckDBPyConnection) -> None:
    rows = views.execute(
        "select canonical_name, n_recent, n_baseline, trend_score "
        "from agg_trending_entities order by trend_score desc"
    ).fetchall()
    assert rows == [
        # recent = 7 days up to END; baseline = the 28 days before; score = recent / (base/4 + 1)
        ("Ann Lee", 4, 0, 4.0),
        ("Bob Roe", 3, 4, 1.5),  # baseline a6 (END-7) + a3
        ("Paris", 1, 2, 0.667),  # baseline a7 + a8 (END-30)
        ("Abe Cy", 1, 3, 0.571),  # a4 (END-40) is outside the baseline
    ]
    # Dan was mentioned only before the recent window: not trending.
    assert "Dan Old" not in {r[0] for r in rows}


def test_views_on_empty_tables(con: duckdb.DuckDBPyConnection) -> None:
    for name in sql_files("views"):
        run_sql_file(con, name)
    for view in (
        "agg_entity_mentions_daily",
        "agg_top_entities",
        "agg_entity_cooccurrence",
        "agg_source_articles_daily",
        "agg_trending_entities",
    ):
        assert con.execute(f"select count(*) from {view}").fetchall() == [(0,)], view


def test_views_can_be_refreshed(views: duckdb.DuckDBPyConnection) -> None:
    before = views.execute("from agg_top_entities order by all").fetchall()
    for name in sql_files("views"):
        run_sql_file(views, name)
    assert views.execute("from agg_top_entities order by all").fetchall() == before
