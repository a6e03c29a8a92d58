"""Render query results for a terminal: aligned table, CSV or JSON rows."""

from __future__ import annotations

import json
from typing import Any

import polars as pl

FORMATS = ("table", "csv", "json")
_MAX_CELL = 60


def render(frame: pl.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return frame.with_columns(_flatten_lists(frame)).write_csv()
    if fmt == "json":
        return json.dumps(frame.to_dicts(), default=str, ensure_ascii=False, indent=1)
    return aligned(frame)


def _flatten_lists(frame: pl.DataFrame) -> list[pl.Expr]:
    return [
        pl.col(name).list.join("; ")
        for name, dtype in frame.schema.items()
        if dtype == pl.List(pl.String)
    ]


def aligned(frame: pl.DataFrame) -> str:
    header = list(frame.columns)
    rows = [[_cell(v) for v in row] for row in frame.iter_rows()]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.append(f"({frame.height} row{'s' if frame.height != 1 else ''})")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"
