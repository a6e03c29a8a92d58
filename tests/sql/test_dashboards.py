"""sql/dashboards on tiny tables: one test (or more) per query file the dashboard runs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from flows.settings import REPO_ROOT
from flows.warehouse import fetch_frame, run_sql_file, sql_files
from tests.sql.conftest import Insert
from tests.sql.test_aggregates import rebuild_aggregates

DAY = date(2024, 12, 5)
EARLY = date(2024, 12, 1)
RUN_DAY = date(2024, 12, 6)  # interval_start of articles without a date (conftest default)
ALL = {"start": date(2000, 1, 1), "end": date(2100, 1, 1)}
INJECTION = "'; drop table articles; --"

SEED_TITLE = "Syrian army leaves Hama"
SEED_BODY = "Hama, in Syria, was left on Thursday, Damascus said."


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def dash(con: duckdb.DuckDBPyConnection, insert: Insert) -> duckdb.DuckDBPyConnection:
    """Two copies of one story (a1, a2), an older article (a3), an undated one (a4)."""
    insert(
        "entities",
        {
            "entity_id": "e_hama",
            "canonical_name": "Hama",
            "entity_type": "GPE",
            "latitude": 35.13,
            "longitude": 36.75,
            "country_code": "SY",
        },
        {"entity_id": "e_syria", "canonical_name": "Syria", "entity_type": "GPE", "latitude": 35.0},
        {
            "entity_id": "e_dam",
            "canonical_name": "Damascus",
            "entity_type": "GPE",
            "aliases": ["Dimashq"],
            "latitude": 33.51,
            "longitude": 36.29,
        },
        {"entity_id": "e_ann", "canonical_name": "Ann Lee", "entity_type": "PERSON"},
    )
    insert(
        "articles",
        {
            "article_id": "a1",
            "title": SEED_TITLE,
            "body": SEED_BODY,
            "published_at": at(DAY),
            "source_name": "Wire",
            "story_id": "a1",
            "is_canonical": True,
            "tone": -0.5,
        },
        {
            "article_id": "a2",
            "title": SEED_TITLE + " (copy)",
            "body": SEED_BODY,
            "published_at": at(DAY, 14),
            "source_name": "Mirror",
            "story_id": "a1",
            "is_canonical": False,
            "tone": -0.3,
        },
        {
            "article_id": "a3",
            "title": "Ann Lee visits Damascus",
            "body": "Ann Lee arrived in Damascus.",
            "published_at": at(EARLY),
            "source_name": "Wire",
            "language": "fr",
            "story_id": "a3",
        },
        {"article_id": "a4", "title": "A quiet day", "body": "Nothing happened.", "story_id": "a4"},
    )
    hama, syria, dam = SEED_BODY.index("Hama"), SEED_BODY.index("Syria"), SEED_BODY.index("Dam")
    insert(
        "mentions",
        {"mention_id": "m1", "article_id": "a1", "entity_id": "e_hama", "surface": "Hama",
         "start_char": SEED_TITLE.index("Hama"), "end_char": SEED_TITLE.index("Hama") + 4,
         "in_title": True, "tone": 0.1},
        {"mention_id": "m2", "article_id": "a1", "entity_id": "e_hama", "surface": "Hama",
         "start_char": hama, "end_char": hama + 4, "tone": -0.3},
        {"mention_id": "m3", "article_id": "a1", "entity_id": "e_syria", "surface": "Syria",
         "start_char": syria, "end_char": syria + 5},
        {"mention_id": "m4", "article_id": "a1", "entity_id": "e_dam", "surface": "Damascus",
         "start_char": dam, "end_char": dam + 8},
        {"mention_id": "m5", "article_id": "a2", "entity_id": "e_hama", "surface": "Hama",
         "start_char": hama, "end_char": hama + 4, "tone": -0.5},
        {"mention_id": "m6", "article_id": "a2", "entity_id": "e_syria", "surface": "Syria",
         "start_char": syria, "end_char": syria + 5},
        {"mention_id": "m7", "article_id": "a3", "entity_id": "e_ann", "surface": "Ann Lee",
         "start_char": 0, "end_char": 7},
        {"mention_id": "m8", "article_id": "a3", "entity_id": "e_dam", "surface": "Damascus",
         "start_char": 19, "end_char": 27},
    )  # fmt: skip
    insert(
        "loads",
        {"load_id": "load-0", "started_at": at(EARLY, 1), "status": "failed_audit",
         "audit_success": False, "audit_summary": "1 of 2 expectations failed"},
        {"load_id": "load-1", "started_at": at(RUN_DAY, 1), "status": "published",
         "audit_success": True, "audit_summary": "all 2 expectations passed", "n_loaded": 4,
         "published_version": 1},
        {"load_id": "load-2", "started_at": at(RUN_DAY, 2), "status": "no_new_data"},
    )  # fmt: skip
    insert(
        "audit_results",
        {"load_id": "load-0", "suite": "articles", "expectation": "not_null",
         "column_name": "title", "success": False, "unexpected_count": 3},
        {"load_id": "load-0", "suite": "articles", "expectation": "unique",
         "column_name": "article_id", "success": True, "unexpected_count": 0},
        {"load_id": "load-1", "suite": "articles", "expectation": "not_null",
         "column_name": "title", "success": True, "unexpected_count": 0},
        {"load_id": "load-1", "suite": "articles", "expectation": "unique",
         "column_name": "article_id", "success": True, "unexpected_count": 0},
    )  # fmt: skip
    insert(
        "rejects",
        {"load_id": "load-0", "input_uri": "/in/empty.txt", "reason_code": "EMPTY_FILE"},
        {"load_id": "load-1", "input_uri": "/in/blank.txt", "reason_code": "EMPTY_FILE",
         "raw": "x" * 1000},
        {"load_id": "load-1", "input_uri": "/in/bad.jsonl.gz", "reason_code": "BAD_GZIP"},
    )  # fmt: skip
    rebuild_aggregates(con)  # the rows were published directly
    for name in sql_files("views"):
        run_sql_file(con, name)
    return con


def q(con: duckdb.DuckDBPyConnection, name: str, /, **params: Any) -> pl.DataFrame:
    return fetch_frame(con, f"dashboards/{name}.sql", params)


def test_every_dashboard_query_is_tested_here() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    names = [Path(name).stem for name in sql_files("dashboards")]
    assert names
    untested = [name for name in names if f'"{name}"' not in source]
    assert untested == []


def test_dashboard_queries_only_read() -> None:
    """The dashboard opens the published file read-only; its SQL never tries to write."""
    for name in sql_files("dashboards"):
        text = (REPO_ROOT / "sql" / name).read_text(encoding="utf-8").lower()
        body = "\n".join(line for line in text.splitlines() if not line.startswith("--"))
        assert body.lstrip().startswith(("select", "with")), name
        for word in ("insert ", "update ", "delete ", "drop ", "create ", "copy ", "attach "):
            assert word not in body, (name, word)


# --- overview ------------------------------------------------------------------------------


def test_overview_totals(dash: duckdb.DuckDBPyConnection) -> None:
    row = q(dash, "overview_totals").row(0, named=True)
    assert row == {
        "n_articles": 4,
        "n_sources": 2,
        "n_entities": 4,
        "n_mentions": 8,
        "first_day": EARLY,
        "last_day": RUN_DAY,
    }


def test_overview_articles_daily_groups_the_quieter_sources(
    dash: duckdb.DuckDBPyConnection,
) -> None:
    rows = q(dash, "overview_articles_daily", top_sources=1, **ALL).rows()
    assert rows == [
        (EARLY, "Wire", 1),
        (DAY, "(other sources)", 1),
        (DAY, "Wire", 1),
        (RUN_DAY, "(other sources)", 1),  # a4 has no source: "(unknown)"
    ]
    one_day = q(dash, "overview_articles_daily", top_sources=5, start=DAY, end=DAY).rows()
    assert one_day == [(DAY, "Mirror", 1), (DAY, "Wire", 1)]


def test_overview_languages(dash: duckdb.DuckDBPyConnection) -> None:
    assert q(dash, "overview_languages", **ALL).rows() == [("en", 3), ("fr", 1)]
    assert q(dash, "overview_languages", start=DAY, end=DAY).rows() == [("en", 2)]


def test_overview_top_sources(dash: duckdb.DuckDBPyConnection) -> None:
    rows = q(dash, "overview_top_sources", limit=2, **ALL).rows()
    assert rows == [("Wire", 2, EARLY, DAY), ("(unknown)", 1, RUN_DAY, RUN_DAY)]


def test_overview_last_run_is_the_newest_whatever_its_status(
    dash: duckdb.DuckDBPyConnection,
) -> None:
    row = q(dash, "overview_last_run").row(0, named=True)
    assert (row["load_id"], row["status"], row["audit_success"]) == ("load-2", "no_new_data", None)


# --- entities ------------------------------------------------------------------------------


def test_entities_top_ranks_within_each_type_and_window(dash: duckdb.DuckDBPyConnection) -> None:
    rows = q(dash, "entities_top", entity_type="", limit=2, **ALL)
    assert rows.select("entity_type", "rank", "canonical_name", "n_mentions").rows() == [
        ("GPE", 1, "Hama", 3),
        ("GPE", 2, "Damascus", 2),
        ("PERSON", 1, "Ann Lee", 1),
    ]
    people = q(dash, "entities_top", entity_type="PERSON", limit=10, start=DAY, end=DAY)
    assert people.is_empty()
    early = q(dash, "entities_top", entity_type="GPE", limit=10, start=EARLY, end=EARLY)
    assert early.get_column("canonical_name").to_list() == ["Damascus"]


def test_entities_lookup_by_name_or_alias(dash: duckdb.DuckDBPyConnection) -> None:
    def names(name: str) -> list[str]:
        return q(dash, "entities_lookup", name=name, limit=10)["canonical_name"].to_list()

    assert names("") == ["Hama", "Damascus", "Syria", "Ann Lee"]  # most mentioned first
    assert names("DAMAS") == ["Damascus"]
    assert names("dimashq") == ["Damascus"]  # an alias
    assert names("%") == []  # not a LIKE pattern
    assert names(INJECTION) == []


def test_entity_detail(dash: duckdb.DuckDBPyConnection) -> None:
    row = q(dash, "entity_detail", entity_id="e_hama").row(0, named=True)
    assert (row["canonical_name"], row["n_mentions"], row["n_articles"]) == ("Hama", 3, 2)
    assert q(dash, "entity_detail", entity_id=INJECTION).is_empty()


def test_entity_daily_counts_articles_and_unique_stories(dash: duckdb.DuckDBPyConnection) -> None:
    assert q(dash, "entity_daily", entity_id="e_hama", **ALL).rows() == [(DAY, 2, 1)]
    assert q(dash, "entity_daily", entity_id="e_dam", **ALL).rows() == [(EARLY, 1, 1), (DAY, 1, 1)]
    assert q(dash, "entity_daily", entity_id="e_dam", start=DAY, end=DAY).rows() == [(DAY, 1, 1)]


def test_entity_tone(dash: duckdb.DuckDBPyConnection) -> None:
    (row,) = q(dash, "entity_tone", entity_id="e_hama", **ALL).rows(named=True)
    assert row["day"] == DAY and row["n_mentions"] == 3
    assert row["avg_sentence_tone"] == pytest.approx((0.1 - 0.3 - 0.5) / 3, abs=1e-4)
    assert row["avg_article_tone"] == pytest.approx((-0.5 - 0.5 - 0.3) / 3, abs=1e-4)


def test_entities_trending(dash: duckdb.DuckDBPyConnection) -> None:
    everything = q(dash, "entities_trending", entity_type="", limit=10)
    assert everything["canonical_name"].to_list()[0] == "Hama"
    people = q(dash, "entities_trending", entity_type="PERSON", limit=10)
    assert people["canonical_name"].to_list() == ["Ann Lee"]
    assert q(dash, "entities_trending", entity_type=INJECTION, limit=10).is_empty()
    view = dash.execute(
        "select entity_id, n_recent, n_baseline, trend_score from agg_trending_entities"
    ).fetchall()
    mine = everything.select("entity_id", "n_recent", "n_baseline", "trend_score").rows()
    assert sorted(mine) == sorted(view)


def test_entities_top_and_map_match_the_daily_view(dash: duckdb.DuckDBPyConnection) -> None:
    for start, end in ((EARLY, RUN_DAY), (DAY, DAY), (EARLY, EARLY)):
        view = dash.execute(
            "select entity_id, sum(n_mentions)::bigint, sum(n_articles)::bigint "
            "from agg_entity_mentions_daily where day between $s and $e group by all",
            {"s": start, "e": end},
        ).fetchall()
        top = q(dash, "entities_top", entity_type="", limit=99, start=start, end=end)
        assert sorted(top.select("entity_id", "n_mentions", "n_articles").rows()) == sorted(view)
        places = q(dash, "map_places", limit=99, start=start, end=end)
        located = {"e_hama", "e_dam"}
        expected = sorted(row for row in view if row[0] in located)
        assert sorted(places.select("entity_id", "n_mentions", "n_articles").rows()) == expected


def test_entity_cooccurrence_matches_the_view(dash: duckdb.DuckDBPyConnection) -> None:
    for entity_id in ("e_hama", "e_syria", "e_dam", "e_ann"):
        mine = q(dash, "entity_cooccurrence", entity_id=entity_id, limit=10)
        view = dash.execute(
            "select if(entity_id_a = $e, entity_id_b, entity_id_a), n_articles "
            "from agg_entity_cooccurrence where $e in (entity_id_a, entity_id_b)",
            {"e": entity_id},
        ).fetchall()
        assert sorted(mine.select("entity_id", "n_articles").rows()) == sorted(view), entity_id
    top = q(dash, "entity_cooccurrence", entity_id="e_hama", limit=1).rows()
    assert top == [("e_syria", "Syria", "GPE", 2)]


# --- map -----------------------------------------------------------------------------------


def test_map_places_only_with_both_coordinates(dash: duckdb.DuckDBPyConnection) -> None:
    rows = q(dash, "map_places", limit=10, **ALL)
    assert rows.select("canonical_name", "latitude", "longitude", "n_mentions").rows() == [
        ("Hama", 35.13, 36.75, 3),
        ("Damascus", 33.51, 36.29, 2),
    ]  # Syria has no longitude, Ann Lee no coordinates
    early = q(dash, "map_places", limit=10, start=EARLY, end=EARLY)
    assert early.select("canonical_name", "n_mentions").rows() == [("Damascus", 1)]


# --- articles ------------------------------------------------------------------------------


def test_articles_sources(dash: duckdb.DuckDBPyConnection) -> None:
    assert q(dash, "articles_sources").rows() == [("Wire", 2), ("Mirror", 1)]


def search(con: duckdb.DuckDBPyConnection, **filters: Any) -> list[str]:
    params = {"title": "", "source": "", "entity_id": "", "limit": 10, **ALL, **filters}
    return q(con, "articles_search", **params)["article_id"].to_list()


def test_articles_search_filters(dash: duckdb.DuckDBPyConnection) -> None:
    assert search(dash) == ["a4", "a2", "a1", "a3"]  # newest first
    assert search(dash, title="HAMA") == ["a2", "a1"]
    assert search(dash, title="(copy)") == ["a2"]
    assert search(dash, source="Wire") == ["a1", "a3"]
    assert search(dash, entity_id="e_dam") == ["a1", "a3"]
    assert search(dash, entity_id="e_dam", source="Wire", title="ann") == ["a3"]
    assert search(dash, start=DAY, end=DAY) == ["a2", "a1"]
    assert search(dash, limit=1) == ["a4"]


def test_filter_values_that_look_like_sql_match_nothing_and_change_nothing(
    dash: duckdb.DuckDBPyConnection,
) -> None:
    assert search(dash, title=INJECTION) == []
    assert search(dash, source=INJECTION) == []
    assert search(dash, entity_id=INJECTION) == []
    assert search(dash, title="%") == []  # contains(), not LIKE: % is a character
    assert dash.execute("select count(*) from articles").fetchone() == (4,)


def test_article_detail(dash: duckdb.DuckDBPyConnection) -> None:
    row = q(dash, "article_detail", article_id="a1").row(0, named=True)
    assert (row["title"], row["day"], row["source_name"]) == (SEED_TITLE, DAY, "Wire")
    assert q(dash, "article_detail", article_id="a4")["day"].to_list() == [RUN_DAY]
    assert q(dash, "article_detail", article_id=INJECTION).is_empty()


def test_article_mentions_in_text_order_title_first(dash: duckdb.DuckDBPyConnection) -> None:
    rows = q(dash, "article_mentions", article_id="a1")
    assert rows.select("in_title", "surface", "canonical_name").rows() == [
        (True, "Hama", "Hama"),
        (False, "Hama", "Hama"),
        (False, "Syria", "Syria"),
        (False, "Damascus", "Damascus"),
    ]
    for row in rows.iter_rows(named=True):
        text = SEED_TITLE if row["in_title"] else SEED_BODY
        assert text[row["start_char"] : row["end_char"]] == row["surface"]
    assert rows["confidence"].is_between(0.0, 1.0).all()  # shown on hover


# --- data quality --------------------------------------------------------------------------


def test_quality_runs_newest_first(dash: duckdb.DuckDBPyConnection) -> None:
    assert q(dash, "quality_runs", limit=2)["load_id"].to_list() == ["load-2", "load-1"]


def test_quality_audit_latest_audited_run_or_a_chosen_one(dash: duckdb.DuckDBPyConnection) -> None:
    latest = q(dash, "quality_audit", load_id="")
    assert set(latest["load_id"]) == {"load-1"}  # load-2 had no audit
    chosen = q(dash, "quality_audit", load_id="load-0")
    assert chosen.select("expectation", "success").rows() == [("not_null", False), ("unique", True)]
    assert q(dash, "quality_audit", load_id=INJECTION).is_empty()


def test_quality_audit_history(dash: duckdb.DuckDBPyConnection) -> None:
    rows = q(dash, "quality_audit_history")
    assert rows.select("expectation", "n_runs", "n_failed").rows() == [
        ("not_null", 2, 1),
        ("unique", 2, 0),
    ]
    assert rows["last_failed_at"].to_list()[0] == at(EARLY, 1)


def test_quality_rejects_by_reason(dash: duckdb.DuckDBPyConnection) -> None:
    rows = q(dash, "quality_rejects")
    assert rows.select("reason_code", "n_rejects", "n_runs").rows() == [
        ("EMPTY_FILE", 2, 2),
        ("BAD_GZIP", 1, 1),
    ]


def test_quality_reject_examples(dash: duckdb.DuckDBPyConnection) -> None:
    rows = q(dash, "quality_reject_examples", reason_code="EMPTY_FILE", limit=10)
    assert rows["input_uri"].to_list() == ["/in/blank.txt", "/in/empty.txt"]  # newest run first
    assert len(rows["raw_preview"][0]) == 300
    assert q(dash, "quality_reject_examples", reason_code=INJECTION, limit=10).is_empty()
