"""What a run did, as one frozen record the CLI prints and tests assert on."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RunReport:
    load_id: str
    status: str  # published | no_new_data | failed_audit
    warehouse: str
    n_files: int = 0
    n_unchanged_files: int = 0
    n_records: int = 0
    n_loaded: int = 0
    n_duplicates: int = 0
    n_rejected: int = 0
    rejects_by_reason: dict[str, int] = field(default_factory=dict)
    n_unparsed_dates: int = 0
    n_entities: int = 0
    n_new_entities: int = 0
    n_mentions: int = 0
    audit_success: bool | None = None
    audit_summary: str = ""
    published_version: int | None = None
    published_path: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
