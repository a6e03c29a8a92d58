"""The expectation suites in expectations/, and what running them in chunks requires.

Each suite splits into row-wise expectations (a row passes or fails on its own, so results
over chunks of rows add up) and uniqueness expectations (judged over a whole column). The
audit queries return exactly the columns the row-wise ones read (`needed_columns`) and the
repeated keys the uniqueness ones need (`key_columns`); tests/sql/test_audit.py holds the
queries to that.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from flows.settings import REPO_ROOT

EXPECTATIONS_DIR = REPO_ROOT / "expectations"
SUITES: tuple[str, ...] = ("articles", "entities", "mentions", "rejects")

# Expectations judged row by row: a chunk's unexpected rows are the whole frame's rows that
# fall in that chunk, so results over chunks add up. Another type must be classified here
# (or in KEY_EXPECTATIONS) before a suite may use it.
ROW_EXPECTATIONS = frozenset(
    {
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_between",
        "expect_column_values_to_be_in_set",
        "expect_column_value_lengths_to_equal",
        "expect_column_pair_values_a_to_be_greater_than_b",
    }
)
# Expectations over a whole column; they run on the `audit_<suite>_keys.sql` rows.
KEY_EXPECTATIONS = frozenset({"expect_column_values_to_be_unique"})
PRESENCE_ONLY = "expect_column_values_to_not_be_null"


@cache
def load_suite_definition(name: str) -> dict[str, Any]:
    if name not in SUITES:
        raise ValueError(f"unknown expectation suite: {name}")
    return json.loads((EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def expectation_columns(expectation: dict[str, Any]) -> tuple[str, ...]:
    kwargs = expectation["kwargs"]
    return tuple(kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs)


def split_suite(name: str) -> tuple[list[int], list[int]]:
    """Positions of the suite's row-wise and of its key expectations."""
    return split_expectations(name, load_suite_definition(name)["expectations"])


def split_expectations(
    name: str, expectations: list[dict[str, Any]]
) -> tuple[list[int], list[int]]:
    rows, keys = [], []
    for position, expectation in enumerate(expectations):
        kind = expectation["type"]
        if kind in ROW_EXPECTATIONS:
            rows.append(position)
        elif kind in KEY_EXPECTATIONS:
            keys.append(position)
        else:
            raise ValueError(f"{name}: {kind} is neither row-wise nor a key expectation")
    return rows, keys


def needed_columns(name: str) -> dict[str, str]:
    """Column -> "value" or "presence": what audit_<name>.sql must return for the suite's
    row-wise expectations (presence: only a not-null expectation reads the column)."""
    expectations = load_suite_definition(name)["expectations"]
    needs: dict[str, str] = {}
    for position in split_suite(name)[0]:
        expectation = expectations[position]
        need = "presence" if expectation["type"] == PRESENCE_ONLY else "value"
        for column in expectation_columns(expectation):
            needs[column] = "value" if needs.get(column) == "value" else need
    return needs


def key_columns(name: str) -> list[str]:
    """Columns audit_<name>_keys.sql must return (empty: the suite has no key expectation)."""
    expectations = load_suite_definition(name)["expectations"]
    return [c for p in split_suite(name)[1] for c in expectation_columns(expectations[p])]
