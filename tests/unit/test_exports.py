"""JSONL/JSON and CSV exports: column aliases, authors, per-record rejects."""

from __future__ import annotations

import json
from typing import Any

import pytest

from flows.core.readers.exports import parse_csv, parse_jsonl
from flows.core.schemas import RAW_RECORDS, REJECTS

URI = "mem://export"


def _jsonl(*records: Any) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"


def _check_shapes(frame: Any, rejects: list[dict[str, Any]]) -> None:
    assert frame.schema == RAW_RECORDS
    for reject in rejects:
        assert set(reject) == set(REJECTS.names())
        assert reject["input_uri"] == URI


# (case id, input record, field -> expected value); aliases are matched case-insensitively.
ALIAS_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "canonical-names",
        {
            "title": "T",
            "body": "B",
            "url": "https://e.com/a",
            "source": "S",
            "author": "Ann Lee",
            "published": "2024-12-05",
            "summary": "Sum",
        },
        {
            "title": "T",
            "body": "B",
            "url": "https://e.com/a",
            "source_name": "S",
            "authors": ["Ann Lee"],
            "published_raw": "2024-12-05",
            "summary": "Sum",
        },
    ),
    (
        "alternate-names-mixed-case",
        {
            "Title": "T",
            "TEXT": "B",
            "Link": "https://e.com/b",
            "Publisher": "P",
            "Authors": ["Ann Lee"],
            "Date": "2024-12-06",
            "Description": "D",
        },
        {
            "title": "T",
            "body": "B",
            "url": "https://e.com/b",
            "source_name": "P",
            "authors": ["Ann Lee"],
            "published_raw": "2024-12-06",
            "summary": "D",
        },
    ),
    ("content", {"title": "T", "Content": "C"}, {"body": "C"}),
    ("published_at", {"title": "T", "body": "B", "PUBLISHED_AT": "x"}, {"published_raw": "x"}),
    (
        "missing-fields-are-null",
        {"title": "T"},
        {"body": None, "url": None, "authors": None, "summary": None, "published_raw": None},
    ),
    ("null-alias-falls-through", {"title": "T", "body": None, "text": "B"}, {"body": "B"}),
    ("authors-list", {"title": "T", "authors": ["A B", "C D"]}, {"authors": ["A B", "C D"]}),
    ("authors-and", {"title": "T", "author": "A B and C D"}, {"authors": ["A B", "C D"]}),
    ("authors-semicolon", {"title": "T", "author": "A B; C D"}, {"authors": ["A B", "C D"]}),
    ("authors-comma-and", {"title": "T", "author": "A, B & C"}, {"authors": ["A", "B", "C"]}),
    (
        "authors-name-with-and-inside",
        {"title": "T", "author": "Sandy Andrews"},
        {"authors": ["Sandy Andrews"]},
    ),
    (
        "unknown-columns-ignored",
        {"title": "T", "body": "B", "score": 3, "tags": [1, 2]},
        {"title": "T"},
    ),
]


@pytest.mark.parametrize(
    ("record", "expected"), [c[1:] for c in ALIAS_CASES], ids=[c[0] for c in ALIAS_CASES]
)
def test_jsonl_aliases(record: dict[str, Any], expected: dict[str, Any]) -> None:
    frame, rejects = parse_jsonl(URI, _jsonl(record))
    _check_shapes(frame, rejects)
    assert rejects == []
    row = frame.row(0, named=True)
    assert {key: row[key] for key in expected} == expected
    assert row["input_format"] == "jsonl"
    assert row["input_record"] == 1


# A CSV header is chosen once per file (first alias present), so the per-record fallback
# from a null alias to the next one is a JSON-only case.
CSV_ALIAS_CASES = [c for c in ALIAS_CASES if c[0] != "null-alias-falls-through"]


@pytest.mark.parametrize(
    ("record", "expected"), [c[1:] for c in CSV_ALIAS_CASES], ids=[c[0] for c in CSV_ALIAS_CASES]
)
def test_csv_aliases(record: dict[str, Any], expected: dict[str, Any]) -> None:
    """The same mapping for CSV headers (lists written as "; "-joined cells)."""
    cells = {k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in record.items()}
    header = ",".join(cells)
    values = ",".join("" if v is None else f'"{v}"' for v in cells.values())
    frame, rejects = parse_csv(URI, f"{header}\n{values}\n")
    _check_shapes(frame, rejects)
    assert rejects == []
    row = frame.row(0, named=True)
    assert {key: row[key] for key in expected} == expected
    assert row["input_format"] == "csv"


def test_jsonl_alias_chosen_per_record() -> None:
    text = _jsonl(
        {"title": "One", "text": "first body", "link": "https://e.com/1"},
        {"Title": "Two", "body": "second body", "url": "https://e.com/2"},
        {"headline": "Three", "content": "third body"},
    )
    frame, rejects = parse_jsonl(URI, text)
    assert rejects == []
    assert frame.select("title", "body", "url").rows() == [
        ("One", "first body", "https://e.com/1"),
        ("Two", "second body", "https://e.com/2"),
        ("Three", "third body", None),
    ]


def test_jsonl_authors_mixed_list_and_string() -> None:
    text = _jsonl(
        {"title": "a", "authors": ["Ann Lee"]},
        {"title": "b", "authors": "Bob Roe and Cy Dee"},
        {"title": "c"},
    )
    frame, rejects = parse_jsonl(URI, text)
    assert rejects == []
    assert frame.get_column("authors").to_list() == [["Ann Lee"], ["Bob Roe", "Cy Dee"], None]


# (case id, file text, expected kept record numbers, expected rejects as (record, reason))
JSONL_REJECT_CASES: list[tuple[str, str, list[int], list[tuple[int, str]]]] = [
    (
        "malformed-line",
        _jsonl({"title": "a"}, "{not json", {"title": "c"}),
        [1, 3],
        [(2, "MALFORMED_JSON")],
    ),
    (
        "blank-lines-keep-line-numbers",
        "\n" + _jsonl({"title": "a"}) + "\n\n" + '{"title": "b"\n',
        [2],
        [(5, "MALFORMED_JSON")],
    ),
    (
        "not-an-object",
        _jsonl([1, 2], "42", '"text"', {"title": "x"}),
        [4],
        [(1, "NOT_AN_OBJECT"), (2, "NOT_AN_OBJECT"), (3, "NOT_AN_OBJECT")],
    ),
    ("title-is-number", _jsonl({"title": 5, "body": "x"}), [], [(1, "WRONG_TYPE")]),
    ("body-is-object", _jsonl({"title": "t", "body": {"p": "x"}}), [], [(1, "WRONG_TYPE")]),
    ("body-is-bool", _jsonl({"title": "t", "text": True}), [], [(1, "WRONG_TYPE")]),
    ("authors-not-strings", _jsonl({"title": "t", "authors": [1, 2]}), [], [(1, "WRONG_TYPE")]),
    ("unknown-column-any-type", _jsonl({"title": "t", "views": 10, "meta": {"a": 1}}), [1], []),
    (
        "json-array-file",
        json.dumps([{"title": "a", "body": "x"}, 7, {"Title": "c", "text": "z"}], indent=1),
        [1, 3],
        [(2, "NOT_AN_OBJECT")],
    ),
    ("empty-array", "[]", [], []),
]


@pytest.mark.parametrize(
    ("text", "kept", "rejected"),
    [c[1:] for c in JSONL_REJECT_CASES],
    ids=[c[0] for c in JSONL_REJECT_CASES],
)
def test_jsonl_rejects(text: str, kept: list[int], rejected: list[tuple[int, str]]) -> None:
    frame, rejects = parse_jsonl(URI, text)
    _check_shapes(frame, rejects)
    assert frame.get_column("input_record").to_list() == kept
    assert [(r["input_record"], r["reason_code"]) for r in rejects] == rejected
    assert all(r["message"] for r in rejects)


def test_jsonl_reject_keeps_raw_line_and_reason() -> None:
    _, rejects = parse_jsonl(URI, _jsonl({"title": "a"}, '{"title": "b",}'))
    assert rejects[0]["raw"] == '{"title": "b",}'
    assert rejects[0]["message"].startswith("invalid JSON")


def test_wrong_type_message_names_the_field() -> None:
    _, rejects = parse_jsonl(URI, _jsonl({"title": "t", "published": 1733400000}))
    assert rejects[0]["reason_code"] == "WRONG_TYPE"
    assert "published_raw" in rejects[0]["message"]
    assert "int" in rejects[0]["message"]


# (case id, CSV text, expected kept record numbers, expected rejects as (record, reason))
CSV_CASES: list[tuple[str, str, list[int], list[tuple[int | None, str]]]] = [
    ("good", "title,body\nA,a\nB,b\n", [1, 2], []),
    ("crlf", "title,body\r\nA,a\r\nB,b\r\n", [1, 2], []),
    ("quoted-newline", 'title,body\nA,"line one\nline two"\nB,b\n', [1, 2], []),
    ("ragged-short", "title,body,url\nA,a,u\nB,b\nC,c,u\n", [1, 3], [(2, "MALFORMED_CSV")]),
    ("ragged-long", "title,body\nA,a,extra\nB,b\n", [2], [(1, "MALFORMED_CSV")]),
    ("blank-row-skipped", "title,body\nA,a\n\nB,b\n", [1, 3], []),
    (
        "unterminated-quote-at-eof",
        'title,body\nA,a\nB,"never closed\n',
        [1],
        [(2, "MALFORMED_CSV")],
    ),
    ("header-only", "title,body\n", [], []),
    ("empty", "", [], [(None, "MALFORMED_CSV")]),
]


@pytest.mark.parametrize(
    ("text", "kept", "rejected"), [c[1:] for c in CSV_CASES], ids=[c[0] for c in CSV_CASES]
)
def test_csv_records_and_rejects(
    text: str, kept: list[int], rejected: list[tuple[int | None, str]]
) -> None:
    frame, rejects = parse_csv(URI, text)
    _check_shapes(frame, rejects)
    assert frame.get_column("input_record").to_list() == kept
    assert [(r["input_record"], r["reason_code"]) for r in rejects] == rejected
    assert all(r["message"] for r in rejects)


def test_csv_quoted_newline_kept_in_cell() -> None:
    frame, _ = parse_csv(URI, 'title,body\nA,"line one\nline two"\n')
    assert frame.get_column("body").to_list() == ["line one\nline two"]


def test_csv_empty_cells_are_null_and_unknown_columns_dropped() -> None:
    frame, rejects = parse_csv(URI, "Title,Body,URL,Author,notes\nA,,,,x\n")
    assert rejects == []
    row = frame.row(0, named=True)
    assert row["title"] == "A"
    assert row["body"] is None
    assert row["url"] is None
    assert row["authors"] is None
    assert "notes" not in frame.columns
    assert frame.columns == list(RAW_RECORDS.names())


@pytest.mark.parametrize(
    "header",
    [
        "*,title,body",  # a Polars wildcard, were it read as a column expression
        "^.*$,title,body",  # a Polars regex
        "input_record,title,body",  # the name of the record-number column
    ],
)
def test_csv_header_names_are_only_names(header: str) -> None:
    frame, rejects = parse_csv(URI, f"{header}\nx,A,a\n,B,\n")
    assert rejects == []
    assert frame.select("input_record", "title", "body").rows() == [(1, "A", "a"), (2, "B", None)]


def test_csv_ragged_row_reject_keeps_raw() -> None:
    _, rejects = parse_csv(URI, "title,body,url\nA,a\n")
    assert rejects[0]["raw"] == "A,a"
    assert "2 fields" in rejects[0]["message"]
