"""sql/stage/article_bands.sql, queries/shared_bands.sql, stage/stories.sql,
publish/article_bands.sql and the stories view on tiny tables.

Bands are written by hand (a letter per shared bucket) so each test states exactly which
articles share a band; one test runs real texts through flows/core/stories.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from itertools import permutations
from typing import Any

import duckdb
import polars as pl
import pytest

from flows.core.stories import BAND_SCHEMA, band_hashes
from flows.steps.stage import assign_stories
from flows.warehouse import run_sql_file
from tests.sql.test_aggregates import rebuild_aggregates

Insert = Callable[..., None]
# article_id -> bucket letters it falls in (letter = a (band, band_hash) pair)
Bands = dict[str, str]


def day(n: int, hour: int = 12) -> datetime:
    return datetime(2024, 12, n, hour, tzinfo=UTC)


def hand_bands(bands: Bands) -> pl.DataFrame:
    """Bands for hand-made buckets: letter -> (band index, hash) kept distinct per letter."""
    rows = [
        {"article_id": article_id, "band": ord(letter) % 16, "band_hash": ord(letter) * 1000}
        for article_id, letters in bands.items()
        for letter in letters
    ]
    return pl.DataFrame(rows, schema=BAND_SCHEMA)


def stage_batch(
    con: duckdb.DuckDBPyConnection,
    insert: Insert,
    articles: dict[str, datetime | None],
    bands: pl.DataFrame,
    load: str = "load-1",
) -> None:
    """Stage one batch's articles as sql/stage/articles.sql leaves them (story_id =
    article_id) and their bands; published_at None falls back to interval_start (day 6)."""
    rows = [
        {"article_id": a, "story_id": a, "published_at": at, "load_id": load}
        for a, at in articles.items()
    ]
    if rows:
        insert("staging.articles", *rows)
    con.register("batch_bands", bands.to_arrow())
    try:
        run_sql_file(con, "stage/article_bands.sql")
    finally:
        con.unregister("batch_bands")


def stage(
    con: duckdb.DuckDBPyConnection,
    insert: Insert,
    articles: dict[str, datetime | None],
    bands: pl.DataFrame,
    load: str = "load-1",
) -> None:
    """A run of one batch: staged, then clustered into stories as the stage step does."""
    run_sql_file(con, "stage/reset.sql")
    stage_batch(con, insert, articles, bands, load)
    assign_stories(con)


def publish(con: duckdb.DuckDBPyConnection) -> None:
    run_sql_file(con, "publish/articles.sql")
    run_sql_file(con, "publish/article_bands.sql")
    run_sql_file(con, "publish/story_moves.sql")


def load(
    con: duckdb.DuckDBPyConnection,
    insert: Insert,
    articles: dict[str, datetime | None],
    bands: Bands,
) -> None:
    stage(con, insert, articles, hand_bands({a: bands.get(a, "") for a in articles}))
    publish(con)


def stories(con: duckdb.DuckDBPyConnection, table: str = "main.articles") -> dict[str, Any]:
    rows = con.execute(f"select article_id, story_id, is_canonical from {table}").fetchall()
    return {article_id: (story_id, canonical) for article_id, story_id, canonical in rows}


def test_near_copy_joins_the_earlier_article_then_a_later_batch_joins_too(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    # A' shares one band with A; B shares none; A'' (next batch) shares one band with A' only
    load(con, insert, {"a": day(1), "a2": day(2), "b": day(1)}, {"a": "xy", "a2": "xz", "b": "uv"})
    assert stories(con) == {"a": ("a", True), "a2": ("a", False), "b": ("b", True)}
    load(con, insert, {"a3": day(3)}, {"a3": "zw"})
    assert stories(con)["a3"] == ("a", False)
    assert con.execute("select count(*) from main.article_bands").fetchall() == [(8,)]


def test_earliest_means_published_at_then_article_id(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    # z9 was published first although its id sorts last; y1/y2 tie on time -> smaller id
    stage(
        con,
        insert,
        {"a1": day(3), "z9": day(1), "y2": day(2), "y1": day(2)},
        hand_bands({"a1": "p", "z9": "p", "y2": "q", "y1": "q"}),
    )
    assert stories(con, "staging.articles") == {
        "a1": ("z9", False),
        "z9": ("z9", True),
        "y1": ("y1", True),
        "y2": ("y1", False),
    }


def test_missing_published_at_uses_the_run_day(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    # no date -> interval_start (Dec 6) counts: later than Dec 5, earlier than Dec 7
    stage(con, insert, {"n": None, "e": day(7)}, hand_bands({"n": "p", "e": "p"}))
    assert stories(con, "staging.articles")["e"] == ("n", False)
    stage(con, insert, {"n": None, "e": day(5)}, hand_bands({"n": "p", "e": "p"}))
    assert stories(con, "staging.articles")["n"] == ("e", False)


def test_batch_clusters_transitively(con: duckdb.DuckDBPyConnection, insert: Insert) -> None:
    # a~b (p), b~c (q), c~d (r): a and d share nothing, yet it is one story
    bands = {"d": "r", "c": "qr", "b": "pq", "a": "p", "lone": "s"}
    stage(
        con,
        insert,
        {"a": day(4), "b": day(3), "c": day(2), "d": day(1), "lone": day(1)},
        hand_bands(bands),
    )
    got = stories(con, "staging.articles")
    assert {a: s for a, (s, _) in got.items()} == {
        "a": "d",
        "b": "d",
        "c": "d",
        "d": "d",
        "lone": "lone",
    }


def test_short_article_without_bands_is_its_own_story(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    stage(con, insert, {"short": day(1), "long": day(2)}, hand_bands({"long": "p"}))
    assert stories(con, "staging.articles") == {"short": ("short", True), "long": ("long", True)}


def test_an_earlier_copy_loaded_later_renames_the_published_story(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    load(con, insert, {"b": day(5)}, {"b": "p"})
    load(con, insert, {"a": day(1)}, {"a": "p"})
    assert stories(con) == {"b": ("a", False), "a": ("a", True)}


def test_a_bridge_merges_the_stories_it_links_under_the_earliest_copy(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    load(con, insert, {"s1": day(2), "t1": day(1)}, {"s1": "p", "t1": "q"})
    # the bridge and its batch mate share a component; t1 is the earliest of all
    load(con, insert, {"bridge": day(3), "mate": day(4)}, {"bridge": "pqm", "mate": "m"})
    assert stories(con) == {
        "s1": ("t1", False),
        "t1": ("t1", True),
        "bridge": ("t1", False),
        "mate": ("t1", False),
    }


@pytest.mark.parametrize(
    "later",
    [
        *(tuple((a,) for a in order) for order in permutations("bcd")),
        (("b", "c", "d"),),
        (("d", "b"), ("c",)),
    ],
)
def test_batching_does_not_matter_when_the_earliest_copy_comes_first(
    con: duckdb.DuckDBPyConnection, insert: Insert, later: tuple[tuple[str, ...], ...]
) -> None:
    # every copy shares a band with "a", the earliest; "x" is another story
    articles = {"a": day(1), "b": day(2), "c": day(3), "d": day(4), "x": day(2)}
    bands = {"a": "pq", "b": "p", "c": "q", "d": "qp", "x": "z"}
    load(con, insert, articles, bands)
    expected = stories(con)
    assert {a: s for a, (s, _) in expected.items()} == {
        "a": "a",
        "b": "a",
        "c": "a",
        "d": "a",
        "x": "x",
    }
    con.execute("delete from main.articles; delete from main.article_bands")
    load(con, insert, {"a": articles["a"], "x": articles["x"]}, bands)
    for batch in later:
        load(con, insert, {a: articles[a] for a in batch}, bands)
    assert stories(con) == expected


def test_a_chain_link_loaded_late_joins_the_two_stories(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    # a~b~c, a and c unlike: one batch, or c before b, gives the same single story
    articles = {"a": day(1), "b": day(2), "c": day(3)}
    bands = {"a": "p", "b": "pq", "c": "q"}
    load(con, insert, articles, bands)
    assert {s for s, _ in stories(con).values()} == {"a"}
    con.execute("delete from main.articles; delete from main.article_bands")
    for article_id in ("a", "c", "b"):
        load(con, insert, {article_id: articles[article_id]}, bands)
    assert {a: s for a, (s, _) in stories(con).items()} == {"a": "a", "c": "a", "b": "a"}


@pytest.mark.parametrize("published_first", [True, False])
def test_batch_components_linked_by_a_published_story_become_one_story(
    con: duckdb.DuckDBPyConnection, insert: Insert, published_first: bool
) -> None:
    # a~c (p), b~c (q), a and b unlike: a batch holding a and b (two components) joins the
    # published c through both, so it is one story, named after a, the earliest
    articles = {"a": day(1), "b": day(3), "c": day(5)}
    bands = {"a": "p", "b": "q", "c": "pq"}
    batches = [("c",), ("a", "b")] if published_first else [("a", "b"), ("c",)]
    for batch in batches:
        load(con, insert, {a: articles[a] for a in batch}, bands)
    assert stories(con) == {"a": ("a", True), "b": ("a", False), "c": ("a", False)}


def test_restaged_article_is_not_its_own_candidate(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    # reprocessing re-stages "a" with a new text that also resembles "old": the staged copy,
    # not the published row about to be replaced, joins old's story (and, earlier, names it)
    load(con, insert, {"a": day(1), "old": day(3)}, {"a": "p", "old": "q"})
    stage(con, insert, {"a": day(1)}, hand_bands({"a": "pq"}))
    assert stories(con, "staging.articles") == {"a": ("a", True)}
    moves = con.execute("select old_story_id, new_story_id from staging.story_moves").fetchall()
    assert moves == [("old", "a")]


def test_stale_bands_are_cleared(con: duckdb.DuckDBPyConnection, insert: Insert) -> None:
    stale = pl.DataFrame([{"article_id": "gone", "band": 0, "band_hash": 1}], schema=BAND_SCHEMA)
    con.register("stale", stale.to_arrow())
    con.execute("insert into staging.article_bands select * from stale")
    stage(con, insert, {"a": day(1)}, hand_bands({"a": "pq"}))
    assert con.execute(
        "select article_id, count(*) from staging.article_bands group by all"
    ).fetchall() == [("a", 2)]


@pytest.mark.parametrize("cuts", [(5,), (1, 4), (2, 1, 2), (1, 1, 1, 1, 1)])
def test_stories_of_a_run_do_not_depend_on_its_batches(
    con: duckdb.DuckDBPyConnection, insert: Insert, cuts: tuple[int, ...]
) -> None:
    # c~e (p), e~a (q), b~d (r); published "old" shares s with d and names nothing earlier
    load(con, insert, {"old": day(3)}, {"old": "s"})
    articles = {"e": day(4), "c": day(2), "b": day(5), "a": day(6), "d": day(1)}
    bands = {"c": "p", "e": "pq", "a": "q", "b": "r", "d": "rs"}
    names = list(articles)
    run_sql_file(con, "stage/reset.sql")
    start = 0
    for size in cuts:
        batch = names[start : start + size]
        batch_bands = hand_bands({a: bands[a] for a in batch})
        stage_batch(con, insert, {a: articles[a] for a in batch}, batch_bands)
        start += size
    assign_stories(con)
    assert stories(con, "staging.articles") == {
        "a": ("c", False),
        "b": ("d", False),
        "c": ("c", True),
        "d": ("d", True),
        "e": ("c", False),
    }
    moves = con.execute("select old_story_id, new_story_id from staging.story_moves").fetchall()
    assert moves == [("old", "d")]


def test_publish_appends_bands_once(con: duckdb.DuckDBPyConnection, insert: Insert) -> None:
    stage(con, insert, {"a": day(1), "b": day(2)}, hand_bands({"a": "pq", "b": "q"}))
    publish(con)
    first = con.execute("from main.article_bands order by all").fetchall()
    publish(con)
    publish(con)
    assert con.execute("from main.article_bands order by all").fetchall() == first
    assert len(first) == 3


def test_publish_drops_bands_of_articles_a_reprocess_removed(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    load(con, insert, {"a": day(1), "b": day(2)}, {"a": "pq", "b": "r"})
    con.execute("delete from main.articles where article_id = 'b'")  # as clear_replaced does
    # "a" is re-staged with a new text: its old bands give way to the new ones
    stage(con, insert, {"a": day(1)}, hand_bands({"a": "s"}))
    con.execute("delete from main.articles where article_id = 'a'")
    publish(con)
    rows = con.execute("select article_id, band_hash from main.article_bands").fetchall()
    assert rows == [("a", ord("s") * 1000)]


def test_story_columns_survive_publish(con: duckdb.DuckDBPyConnection, insert: Insert) -> None:
    stage(con, insert, {"a": day(1), "b": day(2)}, hand_bands({"a": "p", "b": "p"}))
    publish(con)
    assert (
        stories(con)
        == stories(con, "staging.articles")
        == {
            "a": ("a", True),
            "b": ("a", False),
        }
    )


def test_real_texts_cluster_through_stories_py(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    words = [f"w{i}" for i in range(400)]
    text = " ".join(words[:200])
    edited = "By A Writer. " + " ".join(words[:100] + ["changed", "here"] + words[102:200])
    frame = pl.DataFrame(
        {
            "article_id": ["orig", "copy", "other"],
            "title": ["Harbour", "Harbour", "Else"],
            "body": [text, edited, " ".join(words[200:])],
        }
    )
    stage(con, insert, {"orig": day(1), "copy": day(2), "other": day(1)}, band_hashes(frame))
    assert stories(con, "staging.articles") == {
        "orig": ("orig", True),
        "copy": ("orig", False),
        "other": ("other", True),
    }


@pytest.fixture
def story_views(con: duckdb.DuckDBPyConnection, insert: Insert) -> duckdb.DuckDBPyConnection:
    load(
        con,
        insert,
        {"a": day(1, 9), "a2": day(1, 10), "b": day(1, 11), "a3": day(2)},
        {"a": "p", "a2": "p", "a3": "p", "b": "q"},
    )
    insert("entities", {"entity_id": "e1"}, {"entity_id": "e2"})
    mentions = [("a", "e1"), ("a", "e1"), ("a2", "e1"), ("b", "e1"), ("a3", "e1"), ("b", "e2")]
    insert(
        "mentions",
        *(
            {
                "mention_id": f"m{i}",
                "article_id": a,
                "entity_id": e,
                "surface": "x",
                "start_char": i,
                "end_char": i + 1,
            }
            for i, (a, e) in enumerate(mentions)
        ),
    )
    rebuild_aggregates(con)  # the rows were published directly
    run_sql_file(con, "views/000_article_days.sql")
    run_sql_file(con, "views/070_agg_entity_stories_daily.sql")
    return con


def test_view_counts_every_copy_as_reach_and_each_story_once(
    story_views: duckdb.DuckDBPyConnection,
) -> None:
    rows = story_views.execute(
        "select entity_id, day::varchar, n_articles, n_stories "
        "from agg_entity_stories_daily order by all"
    ).fetchall()
    assert rows == [
        ("e1", "2024-12-01", 3, 2),  # a, a2 (one story) and b
        ("e1", "2024-12-02", 1, 1),  # a3: story a again, counted once on its own day
        ("e2", "2024-12-01", 1, 1),
    ]
