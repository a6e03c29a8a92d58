"""Every path and knob Wirehouse uses, read from the environment in one place.

Tests and flows receive a ``Settings`` object explicitly so nothing depends on globals.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from flows.core.sources import FeedSource

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO_ROOT / "samples"

# Prefect and Great Expectations read their own variables; these defaults keep a plain run
# quiet and offline. A user's own setting always wins (setdefault).
QUIET_ENV = {
    # Failures are reported by the CLI itself (one line, or a traceback for a bug); Prefect's
    # own task-failure tracebacks would repeat them. `wirehouse run -v` shows everything.
    "PREFECT_LOGGING_LEVEL": "CRITICAL",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    # The temporary local server migrates its database on first start; slow disks need time.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    "GX_ANALYTICS_ENABLED": "false",
    "TQDM_DISABLE": "1",
}


def _int(env: dict[str, str], name: str, default: int) -> int:
    value = env.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {value!r}") from exc


@dataclass(frozen=True)
class Settings:
    """Resolved configuration for one process."""

    home: Path
    ner_model: str | None = None
    batch_size: int = 5_000
    max_file_bytes: int = 64 * 1024 * 1024
    # input files parsed, normalized and staged together: bounds the ingest steps' memory
    ingest_batch_bytes: int = 64 * 1024 * 1024
    # DuckDB's buffer pool per connection (its default, 80% of RAM, caches freely); beyond
    # it DuckDB evicts cached blocks and spills to <home>/news.duckdb.tmp. Empty: DuckDB's.
    duckdb_memory: str = "1GB"
    max_field_chars: int = 1_000_000
    ner_processes: int = 0  # 0 = auto: every core (up to 2) for large batches, else 1
    logical_date: datetime = field(default_factory=lambda: datetime.now(UTC))
    verbose: bool = False
    fault: str | None = None  # tests only: "point:kill|raise|sleep=N" (see flows/faults.py)
    landing: Path | None = None  # default: <home>/landing
    reprocess: bool = False  # replace the logical day's rows instead of adding to them
    dask_address: str | None = None  # run parsing and extraction on this Dask scheduler
    feeds: tuple[FeedSource, ...] = ()  # fetched into the day's landing partition first

    @property
    def db_path(self) -> Path:
        return self.home / "news.duckdb"

    @property
    def staging_db(self) -> Path:
        """One run's staged rows, in a file of their own so the live file holds only what
        is published (and a full snapshot can be a copy of it)."""
        return self.home / "staging.duckdb"

    @property
    def published_dir(self) -> Path:
        return self.home / "published"

    @property
    def published_db(self) -> Path:
        """Stable path readers open; always a complete snapshot (hard link to a version)."""
        return self.published_dir / "news.duckdb"

    @property
    def landing_dir(self) -> Path:
        """Date-partitioned drop zone: <landing>/<YYYY-MM-DD>/ holds one logical day's files."""
        return self.landing or self.home / "landing"

    @property
    def schedule_file(self) -> Path:
        """What `wirehouse serve` last registered (for `wirehouse status`)."""
        return self.home / "schedule.json"

    @property
    def lock_path(self) -> Path:
        return self.home / ".writer.lock"

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        home = Path(env.get("WIREHOUSE_HOME") or REPO_ROOT / "warehouse").expanduser()
        return cls(
            home=home.resolve(),
            ner_model=env.get("WIREHOUSE_NER_MODEL") or None,
            batch_size=_int(env, "WIREHOUSE_BATCH_SIZE", 5_000),
            max_file_bytes=_int(env, "WIREHOUSE_MAX_FILE_BYTES", 64 * 1024 * 1024),
            ingest_batch_bytes=_int(env, "WIREHOUSE_INGEST_BATCH_BYTES", 64 * 1024 * 1024),
            duckdb_memory=env.get("WIREHOUSE_DUCKDB_MEMORY", "1GB"),
            max_field_chars=_int(env, "WIREHOUSE_MAX_FIELD_CHARS", 1_000_000),
            ner_processes=_int(env, "WIREHOUSE_NER_PROCESSES", 0),
            verbose=env.get("WIREHOUSE_VERBOSE", "") not in ("", "0", "false"),
            fault=env.get("WIREHOUSE_FAULT") or None,
            landing=Path(env["WIREHOUSE_LANDING"]).expanduser().resolve()
            if env.get("WIREHOUSE_LANDING")
            else None,
            dask_address=env.get("WIREHOUSE_DASK_ADDRESS") or None,
        )


def quiet_third_party_logging(verbose: bool) -> None:
    """Set Prefect/GX defaults before they are imported; verbose keeps their own logging."""
    for name, value in QUIET_ENV.items():
        if verbose and name.endswith("LOGGING_LEVEL"):
            continue
        os.environ.setdefault(name, value)
