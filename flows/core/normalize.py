"""Raw records -> normalized articles, as one Polars query over the whole batch.

Record-level rules live here (a record missing its title or body, or with a field over
the size cap, becomes a reject); batch-level rules are expectations in the audit.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from flows.core.dates import parse_published
from flows.core.extractors import extractor_expr
from flows.core.language import detect_languages
from flows.core.origin import with_origin
from flows.core.reasons import Reason
from flows.core.schemas import NORMALIZED, REJECTS
from flows.core.tone import tone_scores
from flows.core.urls import canonical_url, url_domain

_CONTROL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\x{200B}\x{FEFF}]"
_PREVIEW = 300


@dataclass(frozen=True)
class Normalized:
    articles: pl.DataFrame
    rejects: pl.DataFrame
    n_unparsed_dates: int


def clean_line(text: pl.Expr) -> pl.Expr:
    """NFC, control characters removed, every whitespace run -> one space, trimmed."""
    cleaned = text.str.normalize("NFC").str.replace_all(_CONTROL, "").str.replace_all(r"\s+", " ")
    return cleaned.str.strip_chars().replace("", None)


def clean_paragraphs(text: pl.Expr) -> pl.Expr:
    """Like clean_line, but a whitespace run holding a line break becomes a paragraph break."""
    cleaned = (
        text.str.normalize("NFC").str.replace_all(_CONTROL, "").str.replace_all(r"\r\n?", "\n")
    )
    cleaned = cleaned.str.replace_all(r"[^\S\n]+", " ").str.replace_all(r" ?\n[\s]*", "\n\n")
    return cleaned.str.strip_chars().replace("", None)


def clean_authors(authors: pl.Expr) -> pl.Expr:
    names = authors.list.eval(
        pl.element().str.normalize("NFC").str.replace_all(r"\s+", " ").str.strip_chars(" ,;")
    )
    names = names.list.eval(pl.element().filter(pl.element().str.len_chars() > 0)).list.unique(
        maintain_order=True
    )
    return pl.when(names.list.len() > 0).then(names)


def normalize_records(records: pl.DataFrame, max_field_chars: int) -> Normalized:
    cleaned = records.with_columns(
        title=clean_line(pl.col("title")),
        summary=clean_paragraphs(pl.col("summary")),
        body=clean_paragraphs(pl.col("body")),
        source_name=clean_line(pl.col("source_name")),
        origin_source=clean_line(pl.col("origin_source")),
        authors=clean_authors(pl.col("authors")),
        url=canonical_url(pl.col("url")),
    )
    cleaned = with_origin(cleaned)  # origin lines leave the body before it is measured
    reason = _reject_reason(max_field_chars)
    flagged = cleaned.with_columns(reason.alias("reason_code"))
    rejects = _rejects(flagged.filter(pl.col("reason_code").is_not_null()), max_field_chars)
    good = flagged.filter(pl.col("reason_code").is_null())
    published_at = parse_published(pl.col("published_raw"))
    articles = good.with_columns(
        source_domain=url_domain(pl.col("url")),
        extractor=extractor_expr(pl.col("input_format")),
        published_at=published_at,
        date_unparsed=pl.col("published_raw").is_not_null() & published_at.is_null(),
        word_count=pl.col("body").str.count_matches(r"\S+").cast(pl.Int32),
        language=detect_languages(
            good.select(pl.concat_str("title", "body", separator="\n")).to_series()
        ),
    )
    text = articles.select(pl.concat_str("title", "body", separator="\n")).to_series()
    articles = pl.concat([articles, tone_scores(text)], how="horizontal")
    articles = articles.select(list(NORMALIZED.names()))
    articles = articles.cast(dict(NORMALIZED))
    return Normalized(articles, rejects, int(articles.get_column("date_unparsed").sum()))


def _reject_reason(max_field_chars: int) -> pl.Expr:
    too_large = pl.any_horizontal(
        pl.col(c).str.len_chars().fill_null(0) > max_field_chars
        for c in ("title", "body", "summary")
    )
    return (
        pl.when(too_large)
        .then(pl.lit(Reason.FIELD_TOO_LARGE.value))
        .when(pl.col("title").is_null())
        .then(pl.lit(Reason.MISSING_TITLE.value))
        .when(pl.col("body").is_null())
        .then(pl.lit(Reason.MISSING_BODY.value))
    )


def _rejects(bad: pl.DataFrame, max_field_chars: int) -> pl.DataFrame:
    message = (
        pl.when(pl.col("reason_code") == Reason.FIELD_TOO_LARGE.value)
        .then(pl.lit(f"a text field is longer than {max_field_chars} characters"))
        .when(pl.col("reason_code") == Reason.MISSING_TITLE.value)
        .then(pl.lit("record has no title"))
        .otherwise(pl.lit("record has no body text"))
    )
    raw = pl.concat_str(
        pl.col("title").fill_null("").str.slice(0, _PREVIEW),
        pl.col("body").fill_null("").str.slice(0, _PREVIEW),
        separator="\n",
    )
    return bad.select(
        "input_uri", "input_record", "reason_code", message.alias("message"), raw.alias("raw")
    ).cast(dict(REJECTS))
