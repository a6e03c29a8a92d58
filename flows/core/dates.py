"""Publication dates in the shapes news exports use, parsed to UTC.

Naive timestamps (no offset) are taken as UTC, as documented in docs/input-formats.md.
A value no format matches stays null and is counted, never fatal.
"""

from __future__ import annotations

import polars as pl

from flows.core.schemas import UTC_TS

# Tried in order; the first that parses wins.
AWARE_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%d %H:%M%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%a, %d %b %Y %H:%M:%S %z",
    "%d %b %Y %H:%M:%S %z",
    "%a, %d %b %Y %H:%M %z",
)
NAIVE_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d.%m.%Y",
)
_ZONE_NAMES = r"\s*(?:GMT|UTC|UT|Z)$"


def parse_published(raw: pl.Expr) -> pl.Expr:
    # The two cleaned spellings are struct fields, computed once for all the formats tried.
    text = raw.str.strip_chars().str.replace(r"\s+", " ")
    spellings = pl.struct(text.alias("text"))
    # "…GMT", "…UTC" and a trailing "Z" mean +00:00; normalise so one %z format covers them.
    spellings = spellings.struct.with_fields(
        zoned=pl.field("text")
        .str.replace(_ZONE_NAMES, " +0000")
        .str.replace(r"(\d) \+0000$", "${1}+0000")
    )
    attempts = [
        pl.field("zoned").str.to_datetime(f, strict=False, time_zone="UTC", time_unit="us")
        for f in AWARE_FORMATS
    ]
    attempts += [
        pl.field("text")
        .str.to_datetime(f, strict=False, time_unit="us")
        .dt.replace_time_zone("UTC")
        for f in NAIVE_FORMATS
    ]
    parsed = spellings.struct.with_fields(_parsed=pl.coalesce(attempts).cast(UTC_TS))
    return parsed.struct.field("_parsed").name.keep()
