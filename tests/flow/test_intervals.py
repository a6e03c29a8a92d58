"""Logical days through the real flow: backfill order, reprocessing one day, Parquet export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.backfill import backfill, plan
from flows.errors import UserError
from flows.export import export_parquet
from flows.fingerprint import fingerprint_file
from flows.runner import landing_partition
from flows.settings import Settings
from tests.fixtures.inputs import write_good_corpus
from tests.flow.helpers import assert_same_warehouse_whatever_the_batches, rows

pytestmark = [pytest.mark.flow]

DAYS = (date(2024, 12, 4), date(2024, 12, 5), date(2024, 12, 6))


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three days of landed files; the JSONL and text articles carry no date of their own,
    so their day comes from the interval."""
    root = tmp_path_factory.mktemp("landing")
    for k, day in enumerate(DAYS):
        write_good_corpus(root / day.isoformat(), n_text=2, n_jsonl=2, start=10 * k)
    return root


def warehouse(tmp_path: Path, landing: Path, name: str) -> Settings:
    return Settings(home=tmp_path / name, landing=landing)


def test_backfill_forwards_and_backwards_give_the_same_warehouse(
    tmp_path: Path, landing: Path
) -> None:
    forwards = warehouse(tmp_path, landing, "forwards")
    backwards = warehouse(tmp_path, landing, "backwards")
    assert backfill(forwards, DAYS[0], DAYS[-1], "none", dry_run=False) == 0
    assert backfill(backwards, DAYS[-1], DAYS[0], "none", dry_run=False) == 0
    assert fingerprint_file(forwards.published_db) == fingerprint_file(backwards.published_db)
    per_day = rows(
        forwards,
        "select (interval_start at time zone 'UTC')::date, count(*) from articles group by 1 "
        "order by 1",
    )
    assert [d for d, _ in per_day] == list(DAYS) and all(n == 5 for _, n in per_day)


def test_reprocessing_one_day_replaces_exactly_its_rows(tmp_path: Path, landing: Path) -> None:
    settings = warehouse(tmp_path, landing, "wh")
    backfill(settings, DAYS[0], DAYS[-1], "none", dry_run=False)
    other_days = (
        "select {cols} from {table} {join} "
        "where (a.interval_start at time zone 'UTC')::date <> '2024-12-05' order by all"
    )
    queries = {
        "articles": other_days.format(cols="a.*", table="articles as a", join=""),
        "mentions": other_days.format(
            cols="m.*", table="mentions as m", join="join articles as a using (article_id)"
        ),
    }
    before = {name: rows(settings, q) for name, q in queries.items()}
    day5_before = rows(settings, "select load_id from articles where interval_start = '2024-12-05'")

    assert backfill(settings, DAYS[1], DAYS[1], "all", dry_run=False) == 0

    assert {name: rows(settings, q) for name, q in queries.items()} == before  # byte-identical
    day5_after = rows(settings, "select load_id from articles where interval_start = '2024-12-05'")
    assert len(day5_after) == len(day5_before) == 5
    assert set(day5_after).isdisjoint(day5_before)  # the day's rows were written again
    statuses = rows(settings, "select status, count(*) from loads group by 1 order by 1")
    assert statuses == [("published", 3), ("replaced", 1)]
    clean = warehouse(tmp_path, landing, "clean")
    backfill(clean, DAYS[0], DAYS[-1], "none", dry_run=False)
    assert fingerprint_file(settings.published_db) == fingerprint_file(clean.published_db)


def test_backfill_plan_follows_the_ledger_and_the_landing_zone(
    tmp_path: Path, landing: Path
) -> None:
    settings = warehouse(tmp_path, landing, "wh")
    backfill(settings, DAYS[0], DAYS[0], "none", dry_run=False)
    before = fingerprint_file(settings.published_db)
    first, last = date(2024, 12, 3), DAYS[1]
    assert [p.action for p in plan(settings, first, last, "none")] == ["skip", "skip", "run"]
    assert [p.action for p in plan(settings, first, last, "all")] == ["skip", "reprocess", "run"]
    assert backfill(settings, first, last, "all", dry_run=True) == 0
    assert fingerprint_file(settings.published_db) == before  # a dry run loads nothing


def test_run_without_paths_needs_the_days_landing_partition(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "wh", landing=tmp_path / "landing")
    with pytest.raises(UserError, match="no landing partition"):
        landing_partition(settings)
    (tmp_path / "landing" / settings.logical_date.date().isoformat()).mkdir(parents=True)
    assert landing_partition(settings).name == settings.logical_date.date().isoformat()


def test_parquet_export_reads_back_to_the_published_counts(tmp_path: Path, landing: Path) -> None:
    settings = warehouse(tmp_path, landing, "wh")
    backfill(settings, DAYS[0], DAYS[-1], "none", dry_run=False)
    target = tmp_path / "export"
    written = export_parquet(settings, target)
    with duckdb.connect(str(settings.published_db), read_only=True) as con:
        for table in ("articles", "mentions", "entities", "agg_entity_mentions_daily"):
            published = con.execute(f"select count(*) from {table}").fetchone()[0]
            glob = str(target / table / "**" / "*.parquet")
            read_back = duckdb.execute(
                "select count(*) from read_parquet($glob, hive_partitioning = true)",
                {"glob": glob},
            ).fetchone()[0]
            assert published == read_back == written[table] > 0, table
    days = duckdb.execute(
        "select distinct day from read_parquet($glob, hive_partitioning = true) order by 1",
        {"glob": str(target / "articles" / "**" / "*.parquet")},
    ).fetchall()
    expected = rows(settings, "select distinct day from article_days order by 1", published=True)
    assert days == expected and set(DAYS) <= {d for (d,) in days}  # undated text: interval day
    assert sorted(p.name for p in (target / "articles").iterdir()) == [
        f"day={d.isoformat()}" for (d,) in expected
    ]


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_warehouse_as_one_process(
    tmp_path: Path, landing: Path
) -> None:
    from distributed import LocalCluster

    local = warehouse(tmp_path, landing, "local")
    backfill(local, DAYS[0], DAYS[1], "none", dry_run=False)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        on_dask = warehouse(tmp_path, landing, "dask").with_(dask_address=cluster.scheduler_address)
        assert backfill(on_dask, DAYS[0], DAYS[1], "none", dry_run=False) == 0
        workers = cluster.scheduler_info["workers"]
        assert len(workers) == 2
    assert_same_warehouse_whatever_the_batches(on_dask.published_db, local.published_db)
