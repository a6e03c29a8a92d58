"""The audit: Great Expectations suites from expectations/ run on the staged rows.

GX 1.x cannot validate DuckDB through SQLAlchemy, so staged tables arrive as pandas
frames (DuckDB -> Arrow -> pandas) and run through an ephemeral context's pandas
datasource. GX is imported lazily: it costs seconds, and only runs that stage data pay it.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import polars as pl

from flows.settings import REPO_ROOT

EXPECTATIONS_DIR = REPO_ROOT / "expectations"
SUITES: tuple[str, ...] = ("articles", "entities", "mentions", "rejects")
AUDIT_ROWS = pl.Schema(
    {
        "suite": pl.String,
        "expectation": pl.String,
        "column_name": pl.String,
        "success": pl.Boolean,
        "unexpected_count": pl.Int64,
        "details": pl.String,
    }
)


@dataclass(frozen=True)
class AuditOutcome:
    success: bool
    rows: pl.DataFrame  # AUDIT_ROWS
    summary: str


@cache
def load_suite_definition(name: str) -> dict[str, Any]:
    if name not in SUITES:
        raise ValueError(f"unknown expectation suite: {name}")
    return json.loads((EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def run_suites(frames: dict[str, Any], parameters: dict[str, Any]) -> AuditOutcome:
    """Validate each pandas frame against the suite of the same name."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # GX announces its temporary docs folder at INFO; a run's output should stay ours.
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("staging")
    rows: list[dict[str, Any]] = []
    for name, frame in frames.items():
        definition = load_suite_definition(name)
        suite = context.suites.add(
            gx.ExpectationSuite(name=name, expectations=definition["expectations"])
        )
        batch = (
            source.add_dataframe_asset(name)
            .add_batch_definition_whole_dataframe(name)
            .get_batch(batch_parameters={"dataframe": frame})
        )
        result = batch.validate(suite, expectation_parameters=parameters)
        rows.extend(_result_rows(name, result))
    table = pl.DataFrame(rows, schema=AUDIT_ROWS)
    failed = table.filter(~pl.col("success"))
    return AuditOutcome(failed.height == 0, table, summarize(table))


def _result_rows(suite: str, result: Any) -> list[dict[str, Any]]:
    rows = []
    for item in result.results:
        config = item.expectation_config
        kwargs = config.kwargs
        column = kwargs.get("column") or ",".join(
            str(kwargs[k]) for k in ("column_A", "column_B") if k in kwargs
        )
        details = item.result or {}
        error = (item.exception_info or {}).get("exception_message")
        rows.append(
            {
                "suite": suite,
                "expectation": config.type,
                "column_name": column or None,
                "success": bool(item.success),
                "unexpected_count": details.get("unexpected_count"),
                "details": error or _short(details),
            }
        )
    return rows


def _short(details: dict[str, Any]) -> str | None:
    keep = {k: details[k] for k in ("observed_value", "partial_unexpected_list") if k in details}
    return json.dumps(keep, default=str)[:500] if keep else None


def summarize(rows: pl.DataFrame) -> str:
    """One paragraph a user can act on: which expectations failed and how badly."""
    failed = rows.filter(~pl.col("success"))
    if failed.height == 0:
        return f"all {rows.height} expectations passed"
    parts = [
        f"{r['suite']}.{r['column_name'] or '*'} {r['expectation']}"
        + (f" ({r['unexpected_count']} rows)" if r["unexpected_count"] is not None else "")
        for r in failed.iter_rows(named=True)
    ]
    return f"{failed.height} of {rows.height} expectations failed: " + "; ".join(parts)


def audit_parameters(
    logical_date: datetime,
    languages: tuple[str, ...],
    entity_types: tuple[str, ...],
    reason_codes: tuple[str, ...],
) -> dict[str, Any]:
    import pandas as pd

    return {
        "max_published_at": pd.Timestamp(logical_date) + pd.Timedelta(days=1),
        "min_published_at": pd.Timestamp("1900-01-01", tz="UTC"),
        "languages": list(languages),
        "entity_types": list(entity_types),
        "reason_codes": list(reason_codes),
    }
