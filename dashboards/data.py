"""Which published version to read, and its query files, without Streamlit.

The dashboard reads only published data. It resolves the version readers see now and
opens that version's own file, so every query of one page render reads the same version
even if a run publishes (swaps published/news.duckdb) in the middle of it; the version's
identity is the cache key, so a new publish is new data and an unchanged one is free.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from flows.readers import open_sandboxed
from flows.settings import Settings
from flows.snapshots import current_version, version_path
from flows.warehouse import fetch_frame

QUERY_FOLDER = "dashboards"


@dataclass(frozen=True)
class Snapshot:
    """One published version: the file to open and a key that changes with every publish."""

    path: Path
    version: int | None
    key: tuple[int | None, int, int]


def current_snapshot(settings: Settings) -> Snapshot | None:
    """The version readers see now, or None before the first publish."""
    try:
        stat = settings.published_db.stat()
    except FileNotFoundError:
        return None
    version = current_version(settings)
    # A version file is never rewritten once linked in; a rollback re-links an older one.
    path = version_path(settings, version) if version is not None else settings.published_db
    return Snapshot(path=path, version=version, key=(version, stat.st_ino, stat.st_mtime_ns))


def run_query(path: Path, name: str, params: dict[str, Any] | None = None) -> pl.DataFrame:
    """sql/dashboards/<name>.sql on one published file, read-only; values are bound, never
    spliced into the SQL text."""
    with open_sandboxed(path) as con:
        return fetch_frame(con, f"{QUERY_FOLDER}/{name}.sql", params)


def query_snapshot(
    settings: Settings, snapshot: Snapshot, name: str, params: dict[str, Any] | None = None
) -> pl.DataFrame:
    """Like run_query; if the version was pruned meanwhile (five newer publishes), the
    current one answers instead."""
    try:
        return run_query(snapshot.path, name, params)
    except duckdb.IOException:
        fresh = current_snapshot(settings)
        if fresh is None or fresh.path == snapshot.path:
            raise
        return run_query(fresh.path, name, params)
