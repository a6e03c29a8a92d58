"""Published snapshots: complete read-only copies of the warehouse, swapped in atomically.

DuckDB lets one process hold a file read-write or many read-only, never both. Readers
therefore open published/news.duckdb, a hard link to the newest version file; a new
version is written beside it and linked over it with os.replace, so a reader sees either
the old or the new version, whole, and never waits for the writer.

An ordinary publish writes its version incrementally: a file copy of the previous version
(the operating system's copy, no decoding) plus the run's staged rows applied by the same
publish/*.sql files as the live file, so its cost follows the new data rather than the
warehouse. A first version, a reprocessing run, a schema change or a recovery copies the
live file itself instead, then drops the writer's own tables from the copy: the live file
holds nothing else (staged rows have a file of their own), so no table is decoded and
compressed again. So does an incremental write whose row counts do not match the live file.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import duckdb

from flows.settings import Settings
from flows.warehouse import fetch_frame, run_sql_file, sql_files

log = logging.getLogger(__name__)

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


def write_snapshot(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    version: int,
    delta: Sequence[str] = (),
) -> bool:
    """Write version ``version`` of the published tables and views and point readers at it.

    ``delta`` names the publish/*.sql files (in publish order) that turn the previous version
    into this one; empty means start from a copy of the live file. Returns True when the
    version was written incrementally.
    """
    folder = versions_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    final = version_path(settings, version)
    tmp = final.with_name(final.name + ".tmp")
    previous = version_path(settings, version - 1)
    written = False
    if delta and previous.is_file():
        try:
            written = _write_incremental(con, previous, tmp, delta)
        except duckdb.Error as exc:  # e.g. a previous version written by older code
            log.warning("incremental snapshot failed (%s); copying every table", exc)
            tmp.unlink(missing_ok=True)
    if not written:
        _write_full(con, settings, tmp)
    os.replace(tmp, final)
    point_readers_at(settings, version)
    prune(settings)
    return written


def _write_full(con: duckdb.DuckDBPyConnection, settings: Settings, tmp: Path) -> None:
    """The live file, copied after a checkpoint (this process holds the only writer's lock,
    so nothing changes it meanwhile), less the tables readers do not get."""
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


def _write_incremental(
    con: duckdb.DuckDBPyConnection, previous: Path, tmp: Path, delta: Sequence[str]
) -> bool:
    """Previous version + this run's staged rows; False (and no file) when it cannot apply."""
    shutil.copyfile(previous, tmp)
    run_sql_file(con, "snapshot/attach.sql", {"path": str(tmp)})
    mismatched = None
    try:
        if fetch_frame(con, "snapshot/same_schema.sql").item():
            # With the snapshot as the default catalog, the files' main.<table> is the
            # snapshot's and staging.<table> still the staging file's.
            run_sql_file(con, "snapshot/use_snapshot.sql")
            for name in delta:
                run_sql_file(con, f"publish/{name}.sql")
            run_sql_file(con, "meta/use_live.sql")
            run_sql_file(con, "snapshot/replace_ledger.sql")
            mismatched = fetch_frame(con, "snapshot/compare_counts.sql")
            if mismatched.height == 0:
                _create_views(con)
    finally:
        run_sql_file(con, "meta/use_live.sql")
        run_sql_file(con, "snapshot/detach.sql")
    if mismatched is None or mismatched.height:
        if mismatched is not None:
            log.warning("incremental snapshot differs from the live file: %s", mismatched.rows())
        tmp.unlink(missing_ok=True)
        return False
    return True


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
