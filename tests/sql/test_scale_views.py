"""benchmarks/scale_views.py: the generated warehouse the view benchmarks time is published
the product's way (a first version, then one more day) and its views agree with their plain
definitions."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from benchmarks.scale_views import build
from flows.settings import Settings
from tests.sql.test_aggregates import view_mismatches


@pytest.mark.slow  # a few seconds: two publishes and snapshots of 330 articles
def test_a_small_generated_warehouse(tmp_path: Path) -> None:
    built = build(Settings(home=tmp_path / "home"), 300, days=10, delta=30)
    assert built.counts["articles"] == 330
    assert built.counts["loads"] == 11  # one run per day, the delta's day included
    assert 15 * 330 <= built.counts["mentions"] <= 35 * 330
    assert built.snapshot.name == "v000002.duckdb"
    with duckdb.connect(str(built.snapshot)) as con:
        assert view_mismatches(con) == {}
        stories, copies = con.execute(
            "select count(distinct story_id), count(*) from articles"
        ).fetchone()  # type: ignore[misc]
        top = con.execute(
            "select max(n_mentions) > 5 * avg(n_mentions) from "
            "(select entity_id, count(*) as n_mentions from mentions group by all)"
        ).fetchone()
    assert stories < copies  # syndicated copies share stories
    assert top == (True,)  # a few entities get most mentions
