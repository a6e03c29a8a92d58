"""DuckDB access: connections, SQL files by name, migrations, the single-writer lock.

Every statement the warehouse runs lives in sql/; Python binds parameters and never
splices values into SQL text.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from flows.settings import REPO_ROOT, Settings

SQL_DIR = REPO_ROOT / "sql"
_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")


class WarehouseBusy(RuntimeError):
    """Another process is writing to this warehouse."""


@cache
def load_sql(name: str) -> str:
    """Text of sql/<name>; names are checked so only files inside sql/ can be loaded."""
    path = (SQL_DIR / name).resolve()
    if SQL_DIR.resolve() not in path.parents or path.suffix != ".sql" or not path.is_file():
        raise ValueError(f"unknown SQL file: {name}")
    return path.read_text(encoding="utf-8")


def sql_files(folder: str) -> list[str]:
    """Names of the .sql files in one sql/ folder, in file-name order."""
    return sorted(f"{folder}/{p.name}" for p in (SQL_DIR / folder).glob("*.sql"))


@cache
def sql_parameters(name: str) -> frozenset[str]:
    """The $names a file binds; callers may offer more, DuckDB accepts exactly these."""
    return frozenset(_PARAMETER.findall(load_sql(name)))


def _bind(name: str, params: dict[str, Any] | None) -> dict[str, Any] | None:
    wanted = sql_parameters(name)
    if not wanted:
        return None
    missing = wanted - set(params or {})
    if missing:
        raise ValueError(f"{name} needs parameters {sorted(missing)}")
    return {key: value for key, value in (params or {}).items() if key in wanted}


def run_sql_file(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """Execute one file; files that take parameters hold a single statement."""
    bound = _bind(name, params)
    if bound:
        return con.execute(load_sql(name), bound)
    return con.execute(load_sql(name))


def fetch_frame(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> pl.DataFrame:
    """Run a query file and return its result as a Polars frame (through Arrow)."""
    return con.sql(load_sql(name), params=_bind(name, params)).pl()


def connect(
    settings: Settings, *, read_only: bool = False, staging: bool = False
) -> duckdb.DuckDBPyConnection:
    """The live warehouse file, created (with its schema) on first write. DuckDB's buffer
    pool is capped at settings.duckdb_memory: by default it may cache 80% of RAM, which the
    whole run then appears to use; above the cap it evicts and spills inside the home.

    Writers attach the file rather than open it, for its row group size
    (sql/meta/attach_live.sql), and attach the staging file beside it
    (sql/meta/attach_staging.sql).

    `staging=True` is for tasks that write staging tables only: what they write is stored
    uncompressed. Staged rows live for one run and the publish compresses them into the main
    tables anyway; compressing them at each checkpoint as well took a fifth of the stage
    step. The cost is disk: the staging file keeps room for one run's staged text."""
    if not read_only:
        settings.home.mkdir(parents=True, exist_ok=True)
    config = {"temp_directory": f"{settings.db_path}.tmp"}
    if settings.duckdb_memory:
        config["memory_limit"] = settings.duckdb_memory
    if staging:
        config["force_compression"] = "uncompressed"
    if read_only:
        return duckdb.connect(str(settings.db_path), read_only=True, config=config)
    con = duckdb.connect(config=config)
    try:
        run_sql_file(con, "meta/attach_live.sql", {"path": str(settings.db_path)})
        run_sql_file(con, "meta/attach_staging.sql", {"path": str(settings.staging_db)})
        run_sql_file(con, "meta/use_live.sql")
    except BaseException:
        con.close()
        raise
    return con


def migrate(
    con: duckdb.DuckDBPyConnection, after_each: Callable[[], None] | None = None
) -> list[str]:
    """Apply sql/schema files newer than the recorded version, each in its own transaction,
    so a crash leaves the schema at a recorded version, never half of one file."""
    run_sql_file(con, "schema/001_meta.sql")
    applied = set(fetch_frame(con, "meta/applied_versions.sql").get_column("version"))
    done = []
    for name in sql_files("schema"):
        version = int(Path(name).name.split("_", 1)[0])
        if version in applied:
            continue
        with transaction(con):
            run_sql_file(con, name)
            run_sql_file(con, "meta/record_version.sql", {"version": version, "name": name})
        done.append(name)
        if after_each is not None:
            after_each()
    return done


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """One writer per warehouse: a second run fails fast with a clear message."""
    settings.home.mkdir(parents=True, exist_ok=True)
    fd = os.open(settings.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
            raise WarehouseBusy(
                f"another wirehouse run (pid {holder}) is writing to {settings.home}; "
                "wait for it to finish, then run again"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)
