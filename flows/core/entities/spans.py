"""Map spans found in a flat list of texts back onto articles' titles and bodies."""

from __future__ import annotations

import polars as pl

from flows.core.schemas import ARTICLE_SPANS


def article_spans(texts: pl.DataFrame, raw: pl.DataFrame) -> pl.DataFrame:
    """`raw` indexes [titles..., bodies...] of `texts` (in row order); attach article ids."""
    if texts.height == 0 or raw.height == 0:
        return pl.DataFrame(schema=ARTICLE_SPANS)
    n = texts.height
    ids = texts.select(pl.col("article_id"), pl.int_range(n, dtype=pl.UInt32).alias("row"))
    located = raw.with_columns(
        in_title=pl.col("text_index") < n,
        row=(pl.col("text_index") % n).cast(pl.UInt32),
    )
    return (
        located.join(ids, on="row", how="inner")
        .select(list(ARTICLE_SPANS.names()))
        .cast(dict(ARTICLE_SPANS))
    )
