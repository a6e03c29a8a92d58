"""JSONL/JSON and CSV exports: one article per record, columns mapped by name.

Decoding is per record by necessity (a bad line must become its own reject); everything
after decoding is columnar.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import polars as pl
import polars.selectors as cs

from flows.core.readers.fields import FIELD_ALIASES, split_authors, to_raw_records
from flows.core.readers.files import preview
from flows.core.reasons import Reason

Reject = dict[str, Any]

# The csv module stops at 128 KiB cells by default, which would turn one long record into a
# reject for the whole rest of the file; size is bounded by the file and field caps instead.
csv.field_size_limit(2**31 - 1)


def _reject(uri: str, record: int | None, reason: Reason, message: str, raw: str | None) -> Reject:
    return {
        "input_uri": uri,
        "input_record": record,
        "reason_code": reason.value,
        "message": message,
        "raw": preview(raw),
    }


def parse_jsonl(uri: str, text: str) -> tuple[pl.DataFrame, list[Reject]]:
    """JSON Lines, or a JSON array of objects (record number = position, from 1)."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except (ValueError, RecursionError):
            items = None
        if isinstance(items, list):
            return _records_frame(uri, [(i, item, None) for i, item in enumerate(items, 1)])
    decoded: list[tuple[int, Any, str | None]] = []
    rejects: list[Reject] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            decoded.append((number, json.loads(line), line))
        except (ValueError, RecursionError) as exc:  # deeply nested JSON recurses
            rejects.append(
                _reject(uri, number, Reason.MALFORMED_JSON, f"invalid JSON: {exc}", line)
            )
    frame, more = _records_frame(uri, decoded)
    return frame, rejects + more


def _records_frame(
    uri: str, decoded: list[tuple[int, Any, str | None]]
) -> tuple[pl.DataFrame, list[Reject]]:
    rejects: list[Reject] = []
    objects: list[tuple[int, dict[str, Any]]] = []
    for number, obj, line in decoded:
        if isinstance(obj, dict):
            # Exports mix "Title" and "title" across records; match names case-insensitively.
            objects.append((number, {str(k).strip().lower(): v for k, v in obj.items()}))
        else:
            rejects.append(
                _reject(uri, number, Reason.NOT_AN_OBJECT, "record is not a JSON object", line)
            )
    present = {key for _, obj in objects for key in obj}
    fields = {t: [a for a in al if a in present] for t, al in FIELD_ALIASES.items()}
    fields = {target: aliases for target, aliases in fields.items() if aliases}
    columns: dict[str, list[Any]] = {"input_record": []} | {target: [] for target in fields}
    for number, obj in objects:
        # Per record, the first alias that has a value wins ("text" in one line, "body" in another).
        picked = {
            t: next((obj[a] for a in al if obj.get(a) is not None), None)
            for t, al in fields.items()
        }
        bad = _wrong_type(picked)
        if bad:
            raw = json.dumps(obj, ensure_ascii=False, default=str)
            rejects.append(_reject(uri, number, Reason.WRONG_TYPE, bad, raw))
            continue
        columns["input_record"].append(number)
        for target, value in picked.items():
            columns[target].append(value)
    authors = columns.pop("authors", None)
    schema = {name: pl.String for name in columns} | {"input_record": pl.Int64}
    frame = pl.DataFrame(columns, schema=schema)
    if authors is not None:
        frame = frame.with_columns(_authors_series(authors))
    return to_raw_records(frame, uri, "jsonl"), rejects


def _wrong_type(picked: dict[str, Any]) -> str | None:
    for target, value in picked.items():
        if value is None or isinstance(value, str):
            continue
        if (
            target == "authors"
            and isinstance(value, list)
            and all(isinstance(v, str) for v in value)
        ):
            continue
        return f"field {target!r} should be text, got {type(value).__name__}"
    return None


def _authors_series(values: list[Any]) -> pl.Series:
    """Lists stay lists; strings are split by the shared author rules."""
    lists = pl.Series(
        [v if isinstance(v, list) else None for v in values], dtype=pl.List(pl.String)
    )
    texts = pl.Series([v if isinstance(v, str) else None for v in values], dtype=pl.String)
    split = pl.select(split_authors(pl.lit(texts))).to_series()
    return lists.fill_null(split).alias("authors")


def parse_csv(uri: str, text: str) -> tuple[pl.DataFrame, list[Reject]]:
    """CSV with a header row; record number = data row number (header excluded)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rejects: list[Reject] = []
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        return _empty_raw(uri), [
            _reject(uri, None, Reason.MALFORMED_CSV, f"no header: {exc}", text)
        ]
    rows: list[list[str]] = []
    numbers: list[int] = []
    number = 0
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            message = f"line {reader.line_num}: {exc}; the rest of the file cannot be read"
            rejects.append(_reject(uri, number, Reason.MALFORMED_CSV, message, None))
            break
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            message = f"{len(row)} fields where the header has {len(header)}"
            rejects.append(_reject(uri, number, Reason.MALFORMED_CSV, message, ",".join(row)))
            continue
        rows.append(row)
        numbers.append(number)
    header = _unique_names(header)
    frame = pl.DataFrame(
        {name: [row[i] for row in rows] for i, name in enumerate(header)},
        schema={name: pl.String for name in header},
    ).with_columns(input_record=pl.Series(numbers, dtype=pl.Int64))
    # by type, not by name: a header cell is the user's text, and pl.col() would read "*" or
    # "^.*$" as every column (and "input_record" is the record number, not text)
    frame = frame.with_columns(cs.string().replace("", None))
    return to_raw_records(frame, uri, "csv"), rejects


def _unique_names(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in header:
        name = name.strip() or "column"
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}_{count}")
    return out


def _empty_raw(uri: str) -> pl.DataFrame:
    frame = pl.DataFrame(schema={"input_record": pl.Int64})
    return to_raw_records(frame, uri, "csv")
