"""Published versions for users: list them, and roll readers back to an earlier one.

A rollback only moves the readers' pointer (published/news.duckdb); the live warehouse
keeps its data, so the next successful run publishes a version with everything again.
"""

from __future__ import annotations

from flows.errors import EXIT_BUSY, UserError
from flows.settings import Settings
from flows.snapshots import current_version, point_readers_at, published_versions
from flows.warehouse import WarehouseBusy, writer_lock


def versions_text(settings: Settings) -> str:
    kept = published_versions(settings)
    if not kept:
        return "Published versions: none yet"
    current = current_version(settings)
    listed = ", ".join(f"{v}{' (current)' if v == current else ''}" for v in kept)
    return f"Published versions kept: {listed}"


def rollback(settings: Settings, version: int | None) -> int:
    """Atomically point readers at `version` (default: the kept version before the current)."""
    kept = published_versions(settings)
    current = current_version(settings)
    if version is None:
        earlier = [v for v in kept if current is not None and v < current]
        if not earlier:
            raise UserError(f"no earlier published version is kept (kept: {kept or 'none'})")
        version = earlier[-1]
    if version not in kept:
        raise UserError(f"version {version} is not kept; kept versions: {kept or 'none'}")
    try:
        with writer_lock(settings):
            point_readers_at(settings, version)
    except WarehouseBusy as exc:
        raise UserError(str(exc), EXIT_BUSY) from None
    return version
