"""Property tests: readers and the normalizer never raise on arbitrary input, and every
record they detect comes out as a row or a reject (nothing silently dropped)."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.core.normalize import normalize_records
from flows.core.readers import parse_paths
from flows.core.readers.exports import parse_csv, parse_jsonl

FUZZ_EXAMPLES = int(os.environ.get("WIREHOUSE_FUZZ_EXAMPLES", "150"))
fuzz = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SUFFIXES = (".txt", ".jsonl", ".csv", ".json", ".txt.gz", ".jsonl.gz", ".dat")

json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
record = st.dictionaries(
    st.sampled_from(["title", "Title", "body", "text", "url", "author", "authors", "date", "x"]),
    json_value,
    max_size=6,
)


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)


@fuzz
@given(data=st.binary(max_size=2_000), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_never_raise(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"input{suffix}"
    _write(path, data)
    parsed = parse_paths([path], max_file_bytes=1 << 20)
    normalized = normalize_records(parsed.records, max_field_chars=10_000)
    assert parsed.n_files == 1
    assert normalized.articles.height + normalized.rejects.height == parsed.records.height
    if parsed.records.height == 0:
        assert parsed.rejects.height >= 1 or not data.strip() or suffix != ".txt"


@fuzz
@given(records=st.lists(record, max_size=8), junk=st.lists(st.text(max_size=30), max_size=3))
def test_jsonl_records_are_all_accounted_for(records: list[dict], junk: list[str]) -> None:
    lines = [json.dumps(r) for r in records] + [j for j in junk if j.strip()]
    text = "\n".join(lines)
    frame, rejects = parse_jsonl("fuzz.jsonl", text)
    detected = sum(1 for line in text.splitlines() if line.strip())
    assert frame.height + len(rejects) == detected
    normalized = normalize_records(frame, max_field_chars=10_000)
    assert normalized.articles.height + normalized.rejects.height == frame.height


@fuzz
@given(
    header=st.lists(
        st.sampled_from(["title", "body", "url", "Author", "date", "x"]), min_size=1, max_size=5
    ),
    cells=st.lists(st.lists(st.text(max_size=20), max_size=6), max_size=6),
)
def test_csv_rows_are_all_accounted_for(header: list[str], cells: list[list[str]]) -> None:
    def quote(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"'

    text = ",".join(header) + "\n" + "\n".join(",".join(quote(c) for c in row) for row in cells)
    frame, rejects = parse_csv("fuzz.csv", text)
    non_blank = [row for row in cells if any(c.strip() for c in row)]
    assert frame.height + len(rejects) <= len(cells)
    assert frame.height + len(rejects) >= len([r for r in non_blank if len(r) == len(header)])
    normalize_records(frame, max_field_chars=10_000)
