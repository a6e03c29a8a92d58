"""Run the real flow and read the real warehouse file in flow tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from flows.core.report import RunReport
from flows.fingerprint import fingerprint_file
from flows.pipeline import run_pipeline
from flows.settings import Settings


def run(paths: list[Path], settings: Settings) -> tuple[Any, RunReport]:
    """(final Prefect state, the run's report); a failed audit still returns its report."""
    state = run_pipeline([str(p) for p in paths], settings, return_state=True)
    return state, state.result(raise_on_failure=False)


def rows(
    settings: Settings, sql: str, *, published: bool = False, staged: bool = False
) -> list[tuple[Any, ...]]:
    path = settings.published_db if published else settings.db_path
    path = settings.staging_db if staged else path
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


# How far mentions.confidence may differ when the entity step cuts its batches differently
# (sql/queries/fingerprint.sql); measured differences are below 1e-6.
CONFIDENCE_TOLERANCE = 1e-5


def assert_same_warehouse_whatever_the_batches(left: Path, right: Path) -> None:
    """Equal fingerprints but for confidence, and every mention's confidence within tolerance."""
    a, b = fingerprint_file(left), fingerprint_file(right)
    assert a.pop("mention_confidence")[0] == b.pop("mention_confidence")[0]
    assert a == b
    sides = []
    for path in (left, right):
        with duckdb.connect(str(path), read_only=True) as con:
            sides.append(con.sql("select mention_id, confidence from mentions").pl())
    joined = sides[0].join(sides[1], on="mention_id", suffix="_other")
    assert joined.height == a["mentions"][0]
    gap = (joined["confidence"] - joined["confidence_other"]).abs().max()
    assert gap is None or gap <= CONFIDENCE_TOLERANCE, gap
