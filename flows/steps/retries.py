"""Retry policy for the tasks that touch files and the database: transient I/O only.

Parsing, extraction and the audit are deterministic, so retrying them would only repeat a
failure; the ledger and discovery steps can meet a busy disk or a file being replaced.
"""

from __future__ import annotations

from prefect.tasks import exponential_backoff

# 1 s, then 2 s (with jitter), so a briefly busy disk gets a second and a third chance.
IO_BACKOFF = exponential_backoff(backoff_factor=1)
