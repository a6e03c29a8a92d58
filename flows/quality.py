"""The audit: Great Expectations suites from expectations/ run on the staged rows.

GX 1.x cannot validate DuckDB through SQLAlchemy, so staged rows arrive as pandas frames
(DuckDB -> Arrow -> pandas) and run through an ephemeral context's pandas datasource.
GX is imported lazily: it costs seconds, and only runs that stage data pay it.

Memory and time stay bounded by splitting each suite in two:
- row-wise expectations (each row passes or fails on its own) run chunk by chunk over the
  staged rows; a chunk's result per expectation is combined with the others' (success when
  every chunk succeeds, unexpected rows summed, the first examples kept), which is exactly
  the whole frame's result;
- uniqueness expectations run on the rows whose value another staged row also holds (the
  `audit_<suite>_keys.sql` queries): a value held once can never fail them, so GX finds the
  same unexpected rows and count as on the whole column.
Columns that only a not-null expectation reads arrive as presence flags (1.0, or null when
missing), so long texts and ids stay in DuckDB (`flows/suites.py` says which); a double
because pandas then shows a missing value as NaN, as it did for the text column itself, so
the recorded examples read the same.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import polars as pl

from flows.suites import (
    expectation_columns,
    load_suite_definition,
    split_suite,
)

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

# GX keeps up to 20 example values per expectation (result_format BASIC); so do we.
EXAMPLES = 20


@dataclass(frozen=True)
class AuditOutcome:
    success: bool
    rows: pl.DataFrame  # AUDIT_ROWS
    summary: str


def gx_import() -> Any:
    """Great Expectations, imported on first use (seconds) and kept quiet."""
    import great_expectations as gx

    # GX announces its temporary docs folder at INFO; a run's output should stay ours.
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return gx


@cache
def _batch_definitions(name: str) -> tuple[Any, Any, Any, Any]:
    """(rows suite, rows batch definition, keys suite, keys batch definition) of one suite.

    Built once per process in one ephemeral context: every chunk and every later run (a
    backfill's days) reuses them instead of re-registering assets.
    """
    gx = gx_import()
    context = _context()
    source = context.data_sources.add_pandas(f"staging_{name}")
    expectations = load_suite_definition(name)["expectations"]
    parts = []
    for part, positions in zip(("rows", "keys"), split_suite(name), strict=True):
        configs = [expectations[p] | {"meta": {"position": p}} for p in positions]
        suite = context.suites.add(gx.ExpectationSuite(name=f"{name}.{part}", expectations=configs))
        batch = source.add_dataframe_asset(f"{name}.{part}").add_batch_definition_whole_dataframe(
            part
        )
        parts += [suite, batch]
    return tuple(parts)  # type: ignore[return-value]


@cache
def _context() -> Any:
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx_import().get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


@dataclass
class _Result:
    """One expectation's result, accumulated over chunks."""

    expectation: dict[str, Any]
    success: bool = True
    unexpected_count: int | None = None
    examples: list[Any] | None = None
    observed: tuple[Any] | None = None  # (observed_value,) once a chunk reported one
    error: str | None = None

    def add(self, item: Any) -> None:
        details = item.result or {}
        first_failure = self.success and not item.success
        self.success = self.success and bool(item.success)
        count = details.get("unexpected_count")
        if count is not None:
            self.unexpected_count = (self.unexpected_count or 0) + int(count)
        if "partial_unexpected_list" in details:
            kept = self.examples or []
            self.examples = (kept + list(details["partial_unexpected_list"]))[:EXAMPLES]
        if "observed_value" in details and (self.observed is None or first_failure):
            self.observed = (details["observed_value"],)  # the first failing chunk's
        self.error = self.error or (item.exception_info or {}).get("exception_message")

    def row(self, suite: str) -> dict[str, Any]:
        columns = expectation_columns(self.expectation)
        details: dict[str, Any] = {}
        if self.observed is not None:
            details["observed_value"] = self.observed[0]
        if self.examples is not None:
            details["partial_unexpected_list"] = self.examples
        return {
            "suite": suite,
            "expectation": self.expectation["type"],
            "column_name": ",".join(columns) or None,
            "success": self.success,
            "unexpected_count": self.unexpected_count,
            "details": self.error or _short(details),
        }


def validate_suite(
    name: str, row_chunks: Iterable[Any], keys: Any | None, parameters: dict[str, Any]
) -> list[dict[str, Any]]:
    """Audit rows of one suite, in suite order: ``row_chunks`` are pandas frames of
    audit_<name>.sql (at least one, possibly empty), ``keys`` the frame of its keys query."""
    rows_suite, rows_batch, keys_suite, keys_batch = _batch_definitions(name)
    expectations = load_suite_definition(name)["expectations"]
    results = {p: _Result(expectations[p]) for p in range(len(expectations))}
    # A generator, not a list: the chunks are read from DuckDB one at a time as GX asks for
    # them, so only one is ever in memory (a list would hold the whole run's rows).
    work: Iterator[tuple[Any, Any, Any]] = itertools.chain(
        ((rows_suite, rows_batch, chunk) for chunk in row_chunks),
        [(keys_suite, keys_batch, keys)] if keys_suite.expectations else [],
    )
    for suite, batch_definition, frame in work:
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        validated = batch.validate(suite, expectation_parameters=parameters)
        for item in validated.results:
            results[item.expectation_config.meta["position"]].add(item)
    return [results[p].row(name) for p in sorted(results)]


def outcome_of(rows: list[dict[str, Any]]) -> AuditOutcome:
    table = pl.DataFrame(rows, schema=AUDIT_ROWS)
    failed = table.filter(~pl.col("success"))
    return AuditOutcome(failed.height == 0, table, summarize(table))


def _short(details: dict[str, Any]) -> str | None:
    return json.dumps(details, default=str)[:500] if details else None


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
