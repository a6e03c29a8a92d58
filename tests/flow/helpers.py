"""Run the real flow and read the real warehouse file in flow tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from flows.core.report import RunReport
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
