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
TEXT_FIELDS = ("title", "body", "url", "source_name", "published_raw", "summary", "origin_source")


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
    """Select and rename mapped columns (all String, authors already a list or a string)."""
    chosen, _ = pick_columns(frame.columns)
    exprs: list[pl.Expr] = [
        pl.lit(uri).alias("input_uri"),
        pl.col("input_record").cast(pl.Int64),
        pl.lit(fmt).alias("input_format"),
    ]
    for target in TEXT_FIELDS:
        source = chosen.get(target)
        exprs.append(
            pl.col(source).alias(target) if source else pl.lit(None, pl.String).alias(target)
        )
    authors = chosen.get("authors")
    if authors is None:
        exprs.append(pl.lit(None, pl.List(pl.String)).alias("authors"))
    elif frame.schema[authors] == pl.List(pl.String):
        exprs.append(pl.col(authors).alias("authors"))
    else:
        exprs.append(split_authors(pl.col(authors).cast(pl.String)).alias("authors"))
    return frame.select(exprs).select(list(RAW_RECORDS.names())).cast(dict(RAW_RECORDS))
