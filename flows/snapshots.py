"""Published snapshots: complete read-only copies of the warehouse, swapped in atomically.

DuckDB lets one process hold a file read-write or many read-only, never both. Readers
therefore open published/news.duckdb, a hard link to the newest version file; a new
version is written beside it and linked over it with os.replace, so a reader sees either
the old or the new version, whole, and never waits for the writer.

A version is a copy of the live file, made by the operating system after a checkpoint, with
the writer's own tables dropped from it. The live file holds nothing else (staged rows have
a file of their own), so no table is decoded and compressed again: the cost is a file copy,
at disk speed, and the views. Applying each run's rows to a copy of the previous version
instead did the run's work twice and cost more than the copy.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb

from flows.settings import Settings
from flows.warehouse import run_sql_file, sql_files

KEEP_VERSIONS = 5
_VERSION_FILE = re.compile(r"^v(\d{6})\.duckdb$")


def versions_dir(settings: Settings) -> Path:
    return settings.published_dir / "versions"


def version_path(settings: Settings, version: int) -> Path:
    return versions_dir(settings) / f"v{version:06d}.duckdb"


def published_versions(settings: Settings) -> list[int]:
    folder = versions_dir(settings)
    if not folder.is_dir():
        return []
    found = (_VERSION_FILE.match(p.name) for p in folder.iterdir())
    return sorted(int(m.group(1)) for m in found if m)


def current_version(settings: Settings) -> int | None:
    """Version readers see now (the file published/news.duckdb is a link to)."""
    try:
        current = settings.published_db.stat()
    except FileNotFoundError:
        return None
    for version in reversed(published_versions(settings)):
        if os.path.samestat(version_path(settings, version).stat(), current):
            return version
    return None


def write_snapshot(con: duckdb.DuckDBPyConnection, settings: Settings, version: int) -> None:
    """Write version ``version`` of the published tables and views and point readers at it.

    The live file is copied after a checkpoint; this process holds the only writer's lock,
    so nothing changes it meanwhile."""
    folder = versions_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    final = version_path(settings, version)
    tmp = final.with_name(final.name + ".tmp")
    tmp.unlink(missing_ok=True)
    run_sql_file(con, "snapshot/checkpoint_live.sql")
    shutil.copyfile(settings.db_path, tmp)
    run_sql_file(con, "snapshot/attach.sql", {"path": str(tmp)})
    try:
        run_sql_file(con, "snapshot/drop_unpublished.sql")
        _create_views(con)
    finally:
        run_sql_file(con, "meta/use_live.sql")
        run_sql_file(con, "snapshot/detach.sql")
    os.replace(tmp, final)
    point_readers_at(settings, version)
    prune(settings)


def _create_views(con: duckdb.DuckDBPyConnection) -> None:
    """The published views, created inside the snapshot (its default catalog meanwhile)."""
    run_sql_file(con, "snapshot/use_snapshot.sql")
    for name in sql_files("views"):
        run_sql_file(con, name)


def point_readers_at(settings: Settings, version: int) -> None:
    """Atomically make published/news.duckdb the given version (also used by rollback)."""
    link_tmp = settings.published_db.with_name(".news.duckdb.link")
    link_tmp.unlink(missing_ok=True)
    os.link(version_path(settings, version), link_tmp)
    os.replace(link_tmp, settings.published_db)


def prune(settings: Settings, keep: int = KEEP_VERSIONS) -> None:
    current = current_version(settings)
    for version in published_versions(settings)[:-keep]:
        if version != current:
            version_path(settings, version).unlink(missing_ok=True)
