"""Fingerprints: per-table row count plus an order-independent hash of the rows.

The oracle for "nothing changed" and "same result as a clean run": equal fingerprints
mean equal table contents, whatever order rows were written in.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from flows.warehouse import fetch_frame

Fingerprint = dict[str, tuple[int, int]]


def fingerprint(con: duckdb.DuckDBPyConnection) -> Fingerprint:
    frame = fetch_frame(con, "queries/fingerprint.sql")
    return {name: (int(n), int(h)) for name, n, h in frame.iter_rows()}


def fingerprint_file(path: Path) -> Fingerprint:
    """Fingerprint of a warehouse or snapshot file, opened read-only."""
    with duckdb.connect(str(path), read_only=True) as con:
        return fingerprint(con)
