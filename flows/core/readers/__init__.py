"""Readers: files in, raw records and rejects out, whatever the input kind."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from flows.core.readers.exports import parse_csv, parse_jsonl
from flows.core.readers.feeds import parse_feed
from flows.core.readers.files import Decoded, FileReject, read_text
from flows.core.readers.html import parse_html
from flows.core.readers.text import parse_text_files
from flows.core.reasons import Reason
from flows.core.schemas import RAW_RECORDS, REJECTS

FORMAT_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".html": "html",
    ".htm": "html",
}


@dataclass(frozen=True)
class Parsed:
    """Raw records (RAW_RECORDS) and rejects (REJECTS) of a batch of files."""

    records: pl.DataFrame
    rejects: pl.DataFrame
    n_files: int


def input_format(path: Path, text: str | None = None) -> str | None:
    """Choose a reader by extension (after .gz); sniff content when the extension is unknown."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = Path(name).suffix
    if suffix in FORMAT_BY_SUFFIX:
        return FORMAT_BY_SUFFIX[suffix]
    if text is None:
        return None
    head = text.lstrip()[:200].lower()
    if head.startswith(("{", "[")):
        return "jsonl"
    if head.startswith("<?xml") or head.startswith(("<rss", "<feed", "<rdf")):
        return "feed"
    if head.startswith(("<!doctype html", "<html")):
        return "html"
    return "text"


def parse_paths(paths: Iterable[Path], max_file_bytes: int) -> Parsed:
    """Read every file; a file that cannot be read becomes one reject, never an exception."""
    texts: dict[str, list[str]] = {"uris": [], "contents": []}
    frames: list[pl.DataFrame] = []
    rejects: list[dict[str, Any]] = []
    n_files = 0
    for path in paths:
        n_files += 1
        decoded = read_text(path, max_file_bytes)
        if isinstance(decoded, FileReject):
            rejects.append(_file_reject(decoded))
            continue
        fmt = input_format(path, decoded.text)
        if fmt == "text":
            texts["uris"].append(decoded.uri)
            texts["contents"].append(decoded.text)
            continue
        frame, more = _parse_export(decoded, fmt)
        frames.append(frame)
        rejects.extend(more)
    if texts["uris"]:
        frames.append(parse_text_files(texts["uris"], texts["contents"]))
    records = pl.concat(frames) if frames else pl.DataFrame(schema=RAW_RECORDS)
    return Parsed(records, pl.DataFrame(rejects, schema=REJECTS), n_files)


def _parse_export(decoded: Decoded, fmt: str | None) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
    if fmt == "csv":
        return parse_csv(decoded.uri, decoded.text)
    if fmt == "feed":
        return parse_feed(decoded.uri, decoded.text)
    if fmt == "html":
        return parse_html(decoded.uri, decoded.text)
    return parse_jsonl(decoded.uri, decoded.text)


def _file_reject(reject: FileReject) -> dict[str, Any]:
    return {
        "input_uri": reject.uri,
        "input_record": None,
        "reason_code": reject.reason.value,
        "message": reject.message,
        "raw": reject.raw,
    }


__all__ = ["Parsed", "Reason", "input_format", "parse_paths"]
