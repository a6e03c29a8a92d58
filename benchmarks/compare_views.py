"""Do the views and dashboard queries of this checkout return the same rows as those of an
earlier commit, on a real published file?

`python -m benchmarks.compare_views SNAPSHOT [--ref main]` copies the file, creates the
earlier commit's sql/views in a schema `old` of the copy (their unqualified names find the
published tables in `main`), and compares, as multisets of rows: every view read whole, every
dashboard panel query with the dashboard's default parameters and every typical read
(benchmarks/views.py), earlier SQL against current SQL (see `compared` for floating-point
columns). Prints one line per comparison and exits 1 if any differs.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from benchmarks.views import READS, panel_queries, read_params, view_names
from flows.settings import REPO_ROOT
from flows.warehouse import _bind, load_sql, sql_files


def sql_at(ref: str, name: str) -> str | None:
    """sql/<name> as it was at `ref`, or None if it did not exist there."""
    done = subprocess.run(
        ["git", "show", f"{ref}:sql/{name}"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    return done.stdout if done.returncode == 0 else None


def old_view_files(ref: str) -> list[str]:
    done = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{ref}:sql/views"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted(f"views/{name}" for name in done.stdout.split() if name.endswith(".sql"))


FLOATS = (pl.Float32, pl.Float64)


def compared(old: pl.DataFrame, new: pl.DataFrame) -> tuple[bool, int]:
    """(equal, floats that differ by at most 1e-4): rows sorted by their other columns, those
    equal, floating-point columns equal to 9 decimals. A mean rounded to 4 decimals can land
    either side of a tie when its sum is added in another order; those count as the second
    figure, any other difference makes the rows unequal."""
    if old.schema != new.schema or old.height != new.height:
        return False, 0
    if not old.columns:
        return True, 0
    keys = [c for c, t in old.schema.items() if t not in FLOATS] or old.columns
    old, new = old.sort(keys, nulls_last=True), new.sort(keys, nulls_last=True)
    if not old.select(keys).equals(new.select(keys)):
        return False, 0
    ties = 0
    for column in (c for c, t in old.schema.items() if t in FLOATS):
        diff = (old[column] - new[column]).abs()
        if not old[column].is_null().equals(new[column].is_null()) or (diff > 1.0001e-4).any():
            return False, 0
        ties += int((diff > 1e-9).sum())
    return True, ties


def run(con: duckdb.DuckDBPyConnection, schema: str, sql: str, params: Any = None) -> pl.DataFrame:
    con.execute(f"use {schema}")
    return con.sql(sql, params=params).pl()


def compare(snapshot: Path, ref: str) -> list[tuple[str, bool, int, int, int]]:
    results = []
    params = read_params(snapshot)
    panels = panel_queries(snapshot)
    with tempfile.TemporaryDirectory(prefix="wirehouse-compare-") as tmp:
        copy = Path(tmp) / "copy.duckdb"
        shutil.copyfile(snapshot, copy)
        with duckdb.connect(str(copy)) as con:
            con.execute("create schema old")
            con.execute("use old")
            for name in old_view_files(ref):
                con.execute(sql_at(ref, name) or "")
            for view in view_names():
                sql = f"select * from {view}"
                old, new = run(con, "old", sql), run(con, "main", sql)
                results.append((f"view {view}", *compared(old, new), old.height, new.height))
            checks = [(f"panel {n}", f"dashboards/{n}.sql", p) for n, p in panels]
            checks += [(f"read {Path(n).stem}", n, params) for n in sql_files(READS)]
            for label, name, values in checks:
                old_text = sql_at(ref, name) or load_sql(name)
                bound = _bind(name, values)
                old, new = run(con, "old", old_text, bound), run(con, "main", load_sql(name), bound)
                results.append((label, *compared(old, new), old.height, new.height))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare_views")
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--ref", default="main", help="the commit whose SQL is the reference")
    args = parser.parse_args()
    differ = 0
    print(f"{'':<10}{'query':<52}{'rows before':>12}{'rows now':>12}  floats off by 1e-4")
    for label, equal, ties, old_rows, new_rows in compare(args.snapshot, args.ref):
        differ += not equal
        print(
            f"{'same' if equal else 'DIFFERENT':<10}{label:<52}{old_rows:>12,}{new_rows:>12,}"
            f"  {ties or ''}"
        )
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
