"""The plain-text article format, parsed for a whole batch of files with Polars expressions.

Rules (decided by content, documented in docs/input-formats.md):
- lines are stripped; blank lines only separate paragraphs;
- the first non-blank line is the title;
- the second line is a teaser only when it carries a syndication marker
  ("... Read Full Article at X."): it becomes the summary (marker removed) and
  origin_source = X; otherwise it is the first body paragraph;
- the last line is a byline when it reads "<Name> for <Publisher>" with a capitalised name
  of 1-5 words and no sentence punctuation at the end: authors = [Name],
  source_name = Publisher;
- everything between is the body, paragraphs joined by a blank line.
"""

from __future__ import annotations

import polars as pl

from flows.core.schemas import RAW_RECORDS

SYNDICATION_MARKER = (
    r"(?i)^(?P<teaser>.*?)\s*Read (?:the )?Full Article (?:at|on) (?P<origin>[^\s].*?)\.?$"
)
_NAME_WORD = r"\p{Lu}[\w.'’\-]*"
BYLINE = (
    rf"^(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})\s+for\s+"
    r'(?P<publisher>\S.{0,78}?[^\s.!?;:,"”])$'
)


def parse_text_files(uris: list[str], contents: list[str]) -> pl.DataFrame:
    """One article per file; returns RAW_RECORDS rows (title/body may be null -> rejected later)."""
    frame = pl.DataFrame({"input_uri": uris, "content": contents}, schema_overrides={})
    paragraphs = (
        pl.col("content")
        .str.replace_all(r"\r\n?", "\n")
        .str.split("\n")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )
    frame = frame.select("input_uri", paragraphs.alias("lines"))
    second = pl.col("lines").list.get(1, null_on_oob=True)
    last = pl.col("lines").list.last()
    n_lines = pl.col("lines").list.len()
    frame = frame.with_columns(
        teaser=second.str.extract_groups(SYNDICATION_MARKER),
        byline=pl.when(n_lines >= 3).then(last.str.extract_groups(BYLINE)).otherwise(None),
    )
    has_teaser = pl.col("teaser").struct.field("origin").is_not_null() & (n_lines >= 3)
    has_byline = pl.col("byline").struct.field("name").is_not_null()
    body_start = 1 + has_teaser.cast(pl.Int64)
    body_len = n_lines - body_start - has_byline.cast(pl.Int64)
    body = pl.col("lines").list.slice(body_start, body_len.clip(lower_bound=0)).list.join("\n\n")
    return frame.select(
        "input_uri",
        input_record=pl.lit(1, pl.Int64),
        input_format=pl.lit("text"),
        title=pl.col("lines").list.first(),
        summary=pl.when(has_teaser).then(
            pl.col("teaser").struct.field("teaser").str.strip_chars().replace("", None)
        ),
        body=pl.when(body_len > 0).then(body),
        url=pl.lit(None, pl.String),
        source_name=pl.when(has_byline).then(pl.col("byline").struct.field("publisher")),
        origin_source=pl.when(has_teaser).then(pl.col("teaser").struct.field("origin")),
        authors=pl.when(has_byline).then(pl.concat_list(pl.col("byline").struct.field("name"))),
        published_raw=pl.lit(None, pl.String),
    ).cast(dict(RAW_RECORDS))
