"""Map the column names of real exports onto the raw record schema.

Names are matched case-insensitively; the first alias present wins. Unknown columns are
reported, never loaded into core tables.
"""

from __future__ import annotations

import polars as pl

from flows.core.schemas import RAW_RECORDS

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "body": ("body", "text", "content", "article", "articlebody"),
    "url": ("url", "link"),
    "source_name": ("source", "publisher", "source_name", "site", "outlet"),
    "authors": ("authors", "author", "byline"),
    "published_raw": (
        "published",
        "date",
        "published_at",
        "publish_date",
        "pubdate",
        "published_raw",
    ),
    "summary": ("summary", "description", "teaser", "lead"),
    "origin_source": ("origin_source", "origin"),
}


def pick_columns(columns: list[str]) -> tuple[dict[str, str], list[str]]:
    """Return {schema field: input column} and the input columns left unused."""
    by_lower: dict[str, str] = {}
    for column in columns:
        by_lower.setdefault(column.strip().lower(), column)
    chosen: dict[str, str] = {}
    for target, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            if alias in by_lower:
                chosen[target] = by_lower[alias]
                break
    used = set(chosen.values())
    return chosen, [c for c in columns if c not in used]


def split_authors(expr: pl.Expr) -> pl.Expr:
    """ "A, B and C" / "A; B" / "A & B" -> ["A", "B", "C"]; blanks dropped."""
    return (
        expr.str.replace_all(r"(?i)\s+(?:and|&)\s+|;|\|", ",")
        .str.split(",")
        .list.eval(pl.element().str.strip_chars().filter(pl.element().str.len_chars() > 0))
    )


def to_raw_records(frame: pl.DataFrame, uri: str, fmt: str) -> pl.DataFrame:
    """Map columns onto RAW_RECORDS; per record, the first alias holding a value wins."""
    by_lower: dict[str, str] = {}
    for column in frame.columns:
        by_lower.setdefault(column.strip().lower(), column)
    exprs: list[pl.Expr] = [
        pl.lit(uri).alias("input_uri"),
        pl.col("input_record").cast(pl.Int64),
        pl.lit(fmt).alias("input_format"),
    ]
    for target, aliases in FIELD_ALIASES.items():
        present = [by_lower[a] for a in aliases if a in by_lower]
        if target == "authors":
            exprs.append(_authors(frame, present))
        elif present:
            exprs.append(pl.coalesce([pl.col(c).cast(pl.String) for c in present]).alias(target))
        else:
            exprs.append(pl.lit(None, pl.String).alias(target))
    return frame.select(exprs).select(list(RAW_RECORDS.names())).cast(dict(RAW_RECORDS))


def _authors(frame: pl.DataFrame, present: list[str]) -> pl.Expr:
    as_lists = [
        pl.col(c)
        if frame.schema[c] == pl.List(pl.String)
        else split_authors(pl.col(c).cast(pl.String))
        for c in present
    ]
    if not as_lists:
        return pl.lit(None, pl.List(pl.String)).alias("authors")
    return pl.coalesce(as_lists).alias("authors")
