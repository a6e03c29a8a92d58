"""sql/checks: no rows on consistent data; the right check fires for each kind of damage."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pytest

from flows.warehouse import fetch_frame, sql_files

Insert = Callable[..., None]
LOAD_ID = "load-1"

ARTICLES = {
    "a1": ("Ann Lee visits Türkiye", "Le café 📰 hosted Ann Lee and Bob Roe."),
    "a2": ("Markets calm", "Bob Roe said nothing."),
}
# (mention_id, article_id, entity_id, surface, in_title)
MENTIONS = [
    ("m1", "a1", "e_turkiye", "Türkiye", True),
    ("m2", "a1", "e_ann", "Ann Lee", False),
    ("m3", "a1", "e_bob", "Bob Roe", False),
    ("m4", "a2", "e_bob", "Bob Roe", False),
]


def run_checks(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows returned by each check file for LOAD_ID."""
    return {
        name.removeprefix("checks/"): fetch_frame(con, name, {"load_id": LOAD_ID}).height
        for name in sql_files("checks")
    }


@pytest.fixture
def loaded(con: duckdb.DuckDBPyConnection, insert: Insert) -> duckdb.DuckDBPyConnection:
    """A consistent published load: ledger row, articles, entities (also staged), mentions."""
    insert(
        "articles",
        *({"article_id": a, "title": t, "body": b} for a, (t, b) in ARTICLES.items()),
    )
    entities = [{"entity_id": e} for e in sorted({m[2] for m in MENTIONS})]
    insert("entities", *entities)
    insert("staging.entities", *entities)
    rows = []
    for mention_id, article_id, entity_id, surface, in_title in MENTIONS:
        title, body = ARTICLES[article_id]
        start = (title if in_title else body).index(surface)
        rows.append(
            {
                "mention_id": mention_id,
                "article_id": article_id,
                "entity_id": entity_id,
                "surface": surface,
                "start_char": start,
                "end_char": start + len(surface),
                "in_title": in_title,
            }
        )
    insert("mentions", *rows)
    insert(
        "loads",
        {"load_id": LOAD_ID, "n_loaded": len(ARTICLES), "n_mentions": len(MENTIONS)},
    )
    return con


def test_check_files_exist() -> None:
    names = {name.split("/")[-1] for name in sql_files("checks")}
    assert {"mention_offsets_match.sql", "duplicates_point_at_articles.sql"} <= names


def test_consistent_load_passes_every_check(loaded: duckdb.DuckDBPyConnection) -> None:
    assert run_checks(loaded) == dict.fromkeys(run_checks(loaded), 0)


# (case id, statements that damage the consistent load, the checks expected to return rows)
DAMAGE: list[tuple[str, list[str], set[str]]] = [
    (
        "offsets-shifted",
        [
            "update mentions set start_char = start_char + 1, end_char = end_char + 1 where mention_id = 'm2'"
        ],
        {"mention_offsets_match.sql"},
    ),
    (
        "surface-differs",
        ["update mentions set surface = 'Ann Leo' where mention_id = 'm2'"],
        {"mention_offsets_match.sql"},
    ),
    (
        "offsets-past-the-text",
        ["update mentions set end_char = 500 where mention_id = 'm4'"],
        {"mention_offsets_match.sql"},
    ),
    (
        "negative-start",
        ["update mentions set start_char = -1 where mention_id = 'm1'"],
        {"mention_offsets_match.sql"},
    ),
    (
        "empty-span",
        ["update mentions set end_char = start_char where mention_id = 'm1'"],
        {"mention_offsets_match.sql"},
    ),
    (
        "title-offsets-read-in-body",
        ["update mentions set in_title = false where mention_id = 'm1'"],
        {"mention_offsets_match.sql"},
    ),
    (
        "duplicate-of-missing-article",
        ["insert into duplicates values ('load-1', 'b.jsonl', 2, 'x1', 'h1', 'never-stored')"],
        {"duplicates_point_at_articles.sql"},
    ),
    (
        "mention-of-missing-article",
        ["update mentions set article_id = 'gone' where mention_id = 'm4'"],
        {"mentions_have_articles.sql"},
    ),
    (
        "mention-of-missing-entity",
        ["update mentions set entity_id = 'gone' where mention_id = 'm4'"],
        {"mentions_have_entities.sql"},
    ),
    (
        "article-id-stored-twice",
        [
            "insert into articles select * replace ('load-0' as load_id, "
            "'other' as content_hash) from articles where article_id = 'a2'"
        ],
        {"unique_article_keys.sql"},
    ),
    (
        "content-hash-stored-twice",
        [
            "insert into articles select * replace ('a9' as article_id, 'load-0' as load_id) "
            "from articles where article_id = 'a2'"
        ],
        {"unique_article_keys.sql"},
    ),
    (
        "mention-id-stored-twice",
        [
            "insert into mentions from mentions where mention_id = 'm4'",
            f"update loads set n_mentions = n_mentions + 1 where load_id = '{LOAD_ID}'",
        ],
        {"unique_entity_and_mention_ids.sql"},
    ),
    (
        "entity-id-stored-twice",
        ["insert into entities from entities where entity_id = 'e_bob'"],
        {"unique_entity_and_mention_ids.sql"},
    ),
    (
        "ledger-n-loaded-wrong",
        [f"update loads set n_loaded = 3 where load_id = '{LOAD_ID}'"],
        {"load_counts_match.sql"},
    ),
    (
        "ledger-n-loaded-null",
        [f"update loads set n_loaded = null where load_id = '{LOAD_ID}'"],
        {"load_counts_match.sql"},
    ),
    (
        "article-of-load-missing",
        [
            "delete from mentions where article_id = 'a2'",
            "delete from articles where article_id = 'a2'",
        ],
        {"load_counts_match.sql"},
    ),
    (
        "ledger-n-mentions-wrong",
        [f"update loads set n_mentions = 0 where load_id = '{LOAD_ID}'"],
        {"load_counts_match.sql"},
    ),
    # A broken mention of another load (bad offsets, unknown entity) is not this load's concern.
    (
        "other-load-mention-broken",
        [
            "insert into mentions values "
            "('old', 'a2', 'gone', 'Bob Roe', 1, 8, false, 0, 1.0, 0.0, 'load-0')"
        ],
        set(),
    ),
]


@pytest.mark.parametrize(
    ("statements", "failing"), [c[1:] for c in DAMAGE], ids=[c[0] for c in DAMAGE]
)
def test_damage_is_caught_by_the_right_check(
    loaded: duckdb.DuckDBPyConnection, statements: list[str], failing: set[str]
) -> None:
    for statement in statements:
        loaded.execute(statement)
    results = run_checks(loaded)
    assert {name for name, n in results.items() if n} == failing


def test_load_counts_report_expected_and_actual(loaded: duckdb.DuckDBPyConnection) -> None:
    loaded.execute(f"update loads set n_loaded = 5 where load_id = '{LOAD_ID}'")
    rows = fetch_frame(loaded, "checks/load_counts_match.sql", {"load_id": LOAD_ID}).rows()
    assert rows == [("articles", 5, 2)]


def test_offsets_check_names_the_mention(loaded: duckdb.DuckDBPyConnection) -> None:
    loaded.execute("update mentions set surface = 'Bob R.' where mention_id = 'm3'")
    frame = fetch_frame(loaded, "checks/mention_offsets_match.sql", {"load_id": LOAD_ID})
    assert frame.get_column("mention_id").to_list() == ["m3"]
