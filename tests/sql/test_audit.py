"""The audit queries and the chunked validation give the result of validating whole frames.

The reference is the plain way: every staged column (titles and bodies included) in one
pandas frame per suite, validated by GX at once. The audit must record the same rows.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import duckdb
import pytest

from flows.core.language import LANGUAGES
from flows.core.reasons import REASON_CODES
from flows.core.schemas import ENTITY_TYPES
from flows.quality import audit_parameters, gx_import, validate_suite
from flows.steps.audit import audit_rows
from flows.suites import (
    SUITES,
    key_columns,
    load_suite_definition,
    needed_columns,
    split_expectations,
    split_suite,
)
from flows.warehouse import fetch_frame
from tests.sql.conftest import LOGICAL_DATE, Insert

# The plain way, as a reference only: every column of every staged row, at once.
WHOLE_FRAMES = {
    "articles": "select * exclude (authors) from staging.articles",
    "entities": "select * exclude (aliases) from staging.entities",
    "mentions": """
        select m.*, length(case when m.in_title then a.title else a.body end) as text_length
        from staging.mentions as m left join staging.articles as a using (article_id)""",
    "rejects": "select * from staging.rejects",
}

A1 = "a" * 32
A2 = "b" * 32
A3 = "e" * 32  # staged twice (mentions do not point at it: the reference frame, a join,
# would repeat their rows, while the audit keeps one row per mention)


def _stage_faulty_rows(con: duckdb.DuckDBPyConnection, insert: Insert) -> None:
    """Staged rows breaking every expectation at least once, several more than once."""
    insert(
        "staging.articles",
        {"article_id": A1, "title": "Paris news", "body": "Macron spoke in Paris today."},
        {"article_id": A2, "content_hash": "h-dup", "tone": 2.0, "language": "xx"},
        {
            "article_id": "c" * 31,
            "content_hash": "h-dup",
            "published_at": datetime(1800, 1, 1, tzinfo=UTC),
        },
        {"article_id": A3, "body": "gone", "word_count": 0, "input_uri": None},
        {"article_id": None, "title": None, "content_hash": None},
        {"article_id": "d" * 32, "published_at": datetime(2100, 1, 1, tzinfo=UTC)},
        {"article_id": A3},
    )
    con.execute("update staging.articles set body = null where body = 'gone'")
    insert(
        "staging.entities",
        {"entity_id": "e1", "country_code": "FR", "latitude": 48.8, "longitude": 2.3},
        {"entity_id": "e1"},
        {"entity_id": "e2", "canonical_name": None, "entity_type": "THING"},
        {"entity_id": None, "latitude": 91.0, "longitude": -181.0, "country_code": "FRA"},
    )
    insert(
        "staging.mentions",
        {"mention_id": "m1", "article_id": A1, "entity_id": "e1", "start_char": 0, "end_char": 6},
        {"mention_id": "m1", "article_id": A1, "entity_id": "e1", "start_char": 0, "end_char": 6},
        {"mention_id": "m2", "article_id": A1, "entity_id": "e1", "start_char": 5, "end_char": 5},
        {"mention_id": "m3", "article_id": A1, "entity_id": None, "start_char": -1, "end_char": 3},
        {"mention_id": "m4", "article_id": A2, "entity_id": "e1", "start_char": 0, "end_char": 99},
        {
            "mention_id": "m5",
            "article_id": A2,
            "entity_id": "e2",
            "start_char": 0,
            "end_char": 40,
            "in_title": True,
            "sentence_index": -1,
            "confidence": 1.5,
        },
        {
            "mention_id": None,
            "article_id": "nowhere",
            "entity_id": "e1",
            "start_char": 1,
            "end_char": 2,
            "tone": -2.0,
        },
        {"mention_id": "m6", "article_id": None, "entity_id": "e1", "start_char": 1, "end_char": 2},
    )
    insert(
        "staging.rejects",
        {"input_uri": "mem://1", "input_record": 1, "reason_code": REASON_CODES[0]},
        {"input_uri": None, "input_record": 2, "reason_code": "NOT_A_REASON", "message": None},
    )


def _parameters() -> dict[str, Any]:
    return audit_parameters(LOGICAL_DATE, LANGUAGES, ENTITY_TYPES, REASON_CODES)


def _whole_frame_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    from great_expectations.data_context.types.base import ProgressBarsConfig

    gx = gx_import()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("reference")
    rows = []
    for name in SUITES:
        definition = load_suite_definition(name)
        suite = context.suites.add(
            gx.ExpectationSuite(name=name, expectations=definition["expectations"])
        )
        frame = con.sql(WHOLE_FRAMES[name]).pl().to_pandas()
        batch = (
            source.add_dataframe_asset(name)
            .add_batch_definition_whole_dataframe(name)
            .get_batch(batch_parameters={"dataframe": frame})
        )
        result = batch.validate(suite, expectation_parameters=_parameters())
        for item in result.results:
            kwargs = item.expectation_config.kwargs
            column = kwargs.get("column") or ",".join(
                str(kwargs[k]) for k in ("column_A", "column_B") if k in kwargs
            )
            details = item.result or {}
            rows.append(
                {
                    "suite": name,
                    "expectation": item.expectation_config.type,
                    "column_name": column,
                    "success": bool(item.success),
                    "unexpected_count": details.get("unexpected_count"),
                    "examples": details.get("partial_unexpected_list"),
                }
            )
    return rows


def _value(example: Any) -> Any:
    """An example value as a number when it is one: pandas gives an integer column with
    nulls as floats, so a chunk without nulls shows 10 where the whole frame showed 10.0."""
    if isinstance(example, list | tuple):
        return [_value(v) for v in example]
    try:
        return float(example)
    except (TypeError, ValueError):
        return example


def _comparable(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Order-free view of audit rows: examples compared as sorted JSON texts."""
    out = []
    for row in rows:
        examples = row.get("examples")
        if "details" in row:
            examples = json.loads(row["details"])["partial_unexpected_list"]
        texts = sorted(json.dumps(_value(v), default=str) for v in examples or [])
        out.append(
            (
                row["suite"],
                row["expectation"],
                row["column_name"],
                row["success"],
                row["unexpected_count"],
                tuple(texts),
            )
        )
    return sorted(out)


@pytest.mark.parametrize("chunk_rows", [2, 1_000])
def test_chunked_audit_equals_whole_frame_validation(
    con: duckdb.DuckDBPyConnection, insert: Insert, chunk_rows: int
) -> None:
    _stage_faulty_rows(con, insert)
    rows = audit_rows(con, _parameters(), chunk_rows=chunk_rows)
    reference = _whole_frame_rows(con)
    assert _comparable(rows) == _comparable(reference)
    failed = {(r["suite"], r["column_name"]) for r in rows if not r["success"]}
    # every suite has failures, including both uniqueness keys of articles
    assert {("articles", "article_id"), ("articles", "content_hash")} <= failed
    assert {s for s, _ in failed} == set(SUITES)


def test_audit_rows_follow_the_suites_in_order(
    con: duckdb.DuckDBPyConnection, insert: Insert
) -> None:
    _stage_faulty_rows(con, insert)
    rows = audit_rows(con, _parameters(), chunk_rows=2)
    expected = [
        (name, e["type"]) for name in SUITES for e in load_suite_definition(name)["expectations"]
    ]
    assert [(r["suite"], r["expectation"]) for r in rows] == expected


def test_empty_staging_passes_every_expectation(con: duckdb.DuckDBPyConnection) -> None:
    rows = audit_rows(con, _parameters())
    total = sum(len(load_suite_definition(name)["expectations"]) for name in SUITES)
    assert len(rows) == total
    assert all(r["success"] and r["unexpected_count"] == 0 for r in rows)


@pytest.mark.parametrize("suite", SUITES)
def test_audit_query_returns_exactly_what_the_suite_reads(
    con: duckdb.DuckDBPyConnection, insert: Insert, suite: str
) -> None:
    _stage_faulty_rows(con, insert)
    frame = fetch_frame(con, f"queries/audit_{suite}.sql")
    staged = con.sql(f"select * from staging.{suite}").pl()
    needs = needed_columns(suite)
    assert set(frame.columns) == set(needs)
    assert frame.height == staged.height  # one row per staged row
    for column, need in needs.items():
        values = frame.get_column(column).to_list()
        if need == "presence":  # a flag: the value itself is not needed
            flags = [None if v is None else 1.0 for v in staged.get_column(column).to_list()]
            assert sorted(values, key=repr) == sorted(flags, key=repr), column
            assert None in values, f"{column}: the test stages a null"
        elif column in staged.columns:  # the staged values themselves, maybe widened
            assert sorted(map(repr, values)) == sorted(map(repr, staged[column].to_list()))


@pytest.mark.parametrize("suite", SUITES)
def test_keys_query_returns_only_repeated_values(
    con: duckdb.DuckDBPyConnection, insert: Insert, suite: str
) -> None:
    keys = key_columns(suite)
    if not keys:
        return
    _stage_faulty_rows(con, insert)
    frame = fetch_frame(con, f"queries/audit_{suite}_keys.sql")
    assert set(frame.columns) == set(keys)
    for column in keys:
        values = frame.get_column(column).drop_nulls()
        assert values.len() >= 2
        assert values.is_duplicated().all(), column


def test_row_wise_and_key_expectations_are_told_apart() -> None:
    rows, keys = split_suite("articles")
    types = [e["type"] for e in load_suite_definition("articles")["expectations"]]
    assert {types[p] for p in keys} == {"expect_column_values_to_be_unique"}
    assert len(rows) + len(keys) == len(types)


def test_an_expectation_that_cannot_be_chunked_is_refused() -> None:
    whole_table = {"type": "expect_table_row_count_to_equal", "kwargs": {"value": 3}}
    with pytest.raises(ValueError, match="neither row-wise nor a key expectation"):
        split_expectations("articles", [whole_table])


def test_validation_holds_one_chunk_at_a_time() -> None:
    """The chunks are read as GX validates them, so the audit's memory is one chunk's
    whatever the run's size: a chunk must be gone before the one after the next is read."""
    import weakref

    import pandas as pd

    alive = {"now": 0, "most": 0}

    def released() -> None:
        alive["now"] -= 1

    def chunks() -> Any:
        for i in range(8):
            frame = pd.DataFrame({"entity_type": ["PERSON"] * 100, "latitude": [float(i)] * 100})
            weakref.finalize(frame, released)
            alive["now"] += 1
            alive["most"] = max(alive["most"], alive["now"])
            yield frame
            del frame

    keys = pd.DataFrame({column: pd.Series([], dtype=object) for column in key_columns("entities")})
    rows = validate_suite("entities", chunks(), keys, _parameters())
    assert rows and all(r["success"] for r in rows if r["column_name"] == "entity_type")
    # the chunk being validated and, while the next is read, the one before it
    assert alive["most"] <= 2
