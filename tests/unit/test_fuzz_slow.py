"""Long property runs (10,000+ examples): the readers and the normalizer never raise on
arbitrary input, and every record they detect comes out as a row or a reject.

Derandomized, so a CI failure reproduces locally with the same examples.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from flows.core.normalize import normalize_records
from flows.core.readers import input_format, parse_paths
from flows.core.readers.exports import parse_csv, parse_jsonl
from flows.core.readers.files import Decoded, FileReject, read_text
from flows.core.readers.text import parse_text_files
from flows.core.reasons import REASON_CODES
from tests.fixtures.inputs import jsonl_record

pytestmark = [pytest.mark.slow]

MAX_FILE_BYTES = 1 << 20
MAX_FIELD_CHARS = 2_000

# Examples per test; the total is asserted below so the suite keeps its promised size.
EXAMPLES = {
    "bytes_files": 2_500,
    "jsonl_text": 2_000,
    "csv_text": 2_500,
    "text_files": 1_000,
    "mutated_records": 2_000,
}
RECORDS_PER_EXAMPLE = 5


def fuzz(name: str) -> settings:
    return settings(
        max_examples=EXAMPLES[name],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


def test_the_suite_runs_at_least_ten_thousand_examples() -> None:
    assert sum(EXAMPLES.values()) >= 10_000
    assert EXAMPLES["mutated_records"] * RECORDS_PER_EXAMPLE >= 10_000


# ---- oracles: how many records a reader must account for, from the documented rules ----


def jsonl_detected(text: str) -> int:
    """A JSON array of values is one record per item; otherwise one per non-blank line."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except ValueError:
            items = None
        if isinstance(items, list):
            return len(items)
    return sum(1 for line in text.splitlines() if line.strip())


def csv_detected(text: str) -> int:
    """Non-blank data rows up to an unreadable spot, plus one reject for that spot (the
    rest of the file); a missing or unreadable header is one reject."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        next(reader)
    except (StopIteration, csv.Error):
        return 1
    n = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return n
        except csv.Error:
            return n + 1
        if any(cell.strip() for cell in row):
            n += 1


def file_detected(path: Path, text: str) -> int:
    fmt = input_format(path, text)
    if fmt == "text":
        return 1
    if fmt == "csv":
        return csv_detected(text)
    return jsonl_detected(text)


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)


# ---- strategies ----

SUFFIXES = (".txt", ".jsonl", ".json", ".csv", ".dat", ".txt.gz", ".jsonl.gz", ".csv.gz")
KEYS = ("title", "Title", "headline", "body", "text", "url", "link", "author", "authors", "date")
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=6,
)
json_line = st.dictionaries(st.sampled_from(KEYS), json_value, max_size=5).map(json.dumps)
# Text biased towards the characters the readers treat specially.
tricky_text = st.text(
    alphabet=st.characters(codec="utf-8")
    | st.sampled_from(list('\n\r\t ",{}[]:\\\x00\x0b\x0c\x1c\u2028\u200b\ufeff\x85\xa0')),
    max_size=300,
)
bytes_data = st.one_of(
    st.binary(max_size=2_000),
    tricky_text.map(lambda t: t.encode("utf-8")),
    st.lists(json_line, max_size=6).map(lambda lines: "\n".join(lines).encode()),
    tricky_text.map(lambda t: t.encode("utf-16")),
)


# ---- readers ----


@fuzz("bytes_files")
@given(data=bytes_data, suffix=st.sampled_from(SUFFIXES))
@example(data=b"\x1f\x8b\x08\x00garbage", suffix=".jsonl.gz")
@example(data=b"\xff\xfe" + b"\x00\xd8" * 3, suffix=".txt")  # UTF-16 BOM, lone surrogates
@example(data=b'a,b\n"open', suffix=".csv")
def test_files_of_arbitrary_bytes_never_raise(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"input{suffix}"
    _write(path, data)
    decoded = read_text(path, MAX_FILE_BYTES)
    assert isinstance(decoded, Decoded | FileReject)
    parsed = parse_paths([path], max_file_bytes=MAX_FILE_BYTES)
    assert parsed.n_files == 1
    if isinstance(decoded, FileReject):
        assert decoded.reason.value in REASON_CODES
        expected = 1
    else:
        expected = file_detected(path, decoded.text)
    assert parsed.records.height + parsed.rejects.height == expected
    assert set(parsed.rejects.get_column("reason_code")) <= set(REASON_CODES)
    assert parsed.rejects.get_column("input_uri").null_count() == 0


@fuzz("jsonl_text")
@given(
    lines=st.lists(json_line | tricky_text, max_size=8),
    separator=st.sampled_from(["\n", "\r\n", "\n\n"]),
)
@example(lines=['[{"title": "a", "body": "b"}, 3, "x"]'], separator="\n")
def test_parse_jsonl_accounts_for_every_record(lines: list[str], separator: str) -> None:
    text = separator.join(lines)
    frame, rejects = parse_jsonl("fuzz.jsonl", text)
    assert frame.height + len(rejects) == jsonl_detected(text)
    assert all(r["reason_code"] in REASON_CODES and r["input_record"] for r in rejects)


@fuzz("csv_text")
@given(
    header=st.lists(
        st.sampled_from(["title", "body", "url", "Author", "date", "x", ""]), max_size=5
    ),
    rows=st.lists(st.lists(tricky_text, max_size=6), max_size=6),
    quote=st.booleans(),
    tail=tricky_text,
)
def test_parse_csv_accounts_for_every_row(
    header: list[str], rows: list[list[str]], quote: bool, tail: str
) -> None:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if quote else value

    text = ",".join(header) + "\n" + "\n".join(",".join(cell(c) for c in row) for row in rows)
    text += tail
    frame, rejects = parse_csv("fuzz.csv", text)
    assert frame.height + len(rejects) == csv_detected(text)
    assert all(r["reason_code"] in REASON_CODES for r in rejects)


@fuzz("text_files")
@given(contents=st.lists(tricky_text, min_size=1, max_size=5))
def test_parse_text_files_gives_one_record_per_file(contents: list[str]) -> None:
    uris = [f"file_{i}.txt" for i in range(len(contents))]
    frame = parse_text_files(uris, contents)
    assert frame.get_column("input_uri").to_list() == uris
    normalized = normalize_records(frame, max_field_chars=MAX_FIELD_CHARS)
    assert normalized.articles.height + normalized.rejects.height == len(contents)


# ---- normalizer on mutated valid records ----

ODD_STRINGS = st.sampled_from(
    [
        "",
        "   ",
        "\u200b\ufeff",
        "\x00\x07\x1b",
        "x" * (MAX_FIELD_CHARS + 1),
        "javascript:alert(1)",
        "file:///etc/passwd",
        "http://[::1]:80/a#frag",
        "https://exämple.com:443/?utm_source=x&b=2&a=1",
        "http://",
        "//no-scheme.example/path",
        "2024-02-30",
        "Thu, 05 Dec 2024 10:00:00 +0530",
        "99999-01-01",
        "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
        "e\u0301\u0300\u0327",
        "\ud7ff\U0010ffff",
        "A & B and C; D | E",
    ]
)
mutation = st.tuples(
    st.sampled_from(
        ["title", "text", "url", "publisher", "authors", "published", "summary", "origin"]
    ),
    st.one_of(
        ODD_STRINGS,
        tricky_text,
        st.none(),
        st.integers(),
        st.lists(st.text(max_size=10), max_size=3),
        st.just({"nested": True}),
        st.just("__drop__"),
    ),
)


def mutated(i: int, changes: list[tuple[str, object]]) -> dict[str, object]:
    record = jsonl_record(i, summary="A summary.", origin="Wire")
    for key, value in changes:
        if value == "__drop__":
            record.pop(key, None)
        else:
            record[key] = value
    return record


@fuzz("mutated_records")
@given(
    changes=st.lists(
        st.lists(mutation, max_size=4),
        min_size=RECORDS_PER_EXAMPLE,
        max_size=RECORDS_PER_EXAMPLE,
    ),
    start=st.integers(0, 1_000),
)
def test_normalizer_on_mutated_records_never_raises(
    changes: list[list[tuple[str, object]]], start: int
) -> None:
    records = [mutated(start + i, c) for i, c in enumerate(changes)]
    text = "\n".join(json.dumps(r) for r in records)
    frame, rejects = parse_jsonl("mutated.jsonl", text)
    assert frame.height + len(rejects) == RECORDS_PER_EXAMPLE
    normalized = normalize_records(frame, max_field_chars=MAX_FIELD_CHARS)
    articles = normalized.articles
    assert articles.height + normalized.rejects.height == frame.height
    assert set(normalized.rejects.get_column("reason_code")) <= set(REASON_CODES)
    assert articles.get_column("title").null_count() == 0
    assert articles.get_column("body").null_count() == 0
    for url in articles.get_column("url").drop_nulls():
        assert url.startswith(("http://", "https://")), url
    assert all(len(t) <= MAX_FIELD_CHARS for t in articles.get_column("body"))


# ---- inputs that break a reader today (production fixes pending) ----


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, '{"a":' * 100_000, '{"title": "ok", "body": "fine"}\n' + "[" * 100_000],
)
def test_deeply_nested_json_is_a_reject_not_a_crash(text: str) -> None:
    frame, rejects = parse_jsonl("deep.jsonl", text)
    assert frame.height + len(rejects) == max(1, text.count("\n") + 1)
    assert rejects and rejects[-1]["reason_code"] == "MALFORMED_JSON"


def test_csv_cell_over_128k_chars_does_not_lose_the_rest_of_the_file() -> None:
    long_body = "word " * 40_000  # 200,000 characters, under the default 1,000,000 cap
    text = f'title,body\nLong one,"{long_body}"\nShort one,A short body\n'
    frame, rejects = parse_csv("long.csv", text)
    assert frame.height == 2 and rejects == []
