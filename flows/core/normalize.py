"""Raw records -> normalized articles, as Polars passes over whole columns of a batch.

Record-level rules live here (a record missing its title or body, or with a field over
the size cap, becomes a reject); batch-level rules are expectations in the audit.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

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
MIN_PART_ROWS = 2_000  # smaller batches are not worth a second thread

# Characters NFC leaves as they are wherever they stand (canonical combining class 0, never
# decomposed, never composed with a neighbour; a unit test checks every one against
# unicodedata): ASCII, Latin-1 and Latin Extended, Cyrillic, general punctuation, currency
# signs, kana, CJK ideographs, Hangul syllables. A text made only of them needs no NFC pass.
NFC_SAFE = (
    r"\x00-\x{2FF}\x{400}-\x{482}\x{48A}-\x{52F}\x{2002}-\x{2064}\x{20A0}-\x{20C0}"
    r"\x{3041}-\x{3096}\x{30A1}-\x{30FA}\x{4E00}-\x{9FFF}\x{AC00}-\x{D7A3}"
)
# What clean_line / clean_paragraphs would change in a text (NFC, a control character, other
# whitespace than single spaces and, in paragraphs, single blank lines, ends to trim, or an
# empty text). A text with none of these is already clean: most are, and one scan for this
# pattern costs a fraction of the cleaning passes, which then run only on the others.
_UNCLEAN_COMMON = rf"[^{NFC_SAFE}]|{_CONTROL}|  |^\s|\s$|^$"
UNCLEAN_LINE = rf"{_UNCLEAN_COMMON}|[^\S ]"
UNCLEAN_PARAGRAPHS = rf"{_UNCLEAN_COMMON}|[^\S\n ]| \n|\n |\n\n\n|(?:^|[^\n])\n(?:[^\n]|$)"


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
    """Records -> articles, rejects and the count of dates not understood.

    Each record is normalized on its own, so the batch is cut into one part per Polars
    thread and the parts run side by side: most passes over a text column use one core.
    """
    size = max(MIN_PART_ROWS, math.ceil(records.height / pl.thread_pool_size()))
    parts = [records.slice(start, size) for start in range(0, records.height, size)]
    if len(parts) <= 1:
        return _normalize_part(records, max_field_chars)
    with ThreadPoolExecutor(len(parts)) as pool:
        done = list(pool.map(partial(_normalize_part, max_field_chars=max_field_chars), parts))
    return Normalized(
        pl.concat([d.articles for d in done]),
        pl.concat([d.rejects for d in done]),
        sum(d.n_unparsed_dates for d in done),
    )


def _normalize_part(records: pl.DataFrame, max_field_chars: int) -> Normalized:
    cleaned = records.with_columns(
        authors=clean_authors(pl.col("authors")), url=canonical_url(pl.col("url"))
    ).with_columns(_clean_texts(records))
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
        word_count=_word_count(pl.col("body")),
        _text=pl.concat_str("title", "body", separator="\n"),
    ).with_columns(
        date_unparsed=pl.col("published_raw").is_not_null() & pl.col("published_at").is_null()
    )
    text = articles.get_column("_text")
    articles = articles.with_columns(language=detect_languages(text))
    articles = pl.concat([articles, tone_scores(text)], how="horizontal")
    articles = articles.select(list(NORMALIZED.names()))
    articles = articles.cast(dict(NORMALIZED))
    return Normalized(articles, rejects, int(articles.get_column("date_unparsed").sum()))


def _clean_texts(records: pl.DataFrame) -> list[pl.Series]:
    """The text columns cleaned, each cleaning pass run only on the texts it would change."""
    lines, paragraphs = ("title", "source_name", "origin_source"), ("summary", "body")
    unclean = records.select(
        *(pl.col(c).str.contains(UNCLEAN_LINE) for c in lines),
        *(pl.col(c).str.contains(UNCLEAN_PARAGRAPHS) for c in paragraphs),
    )
    cleaned = []
    for name in (*lines, *paragraphs):
        clean = clean_line if name in lines else clean_paragraphs
        rows = unclean.get_column(name).fill_null(False).arg_true()
        column = records.get_column(name)
        if rows.len():
            fixed = column.gather(rows).to_frame().select(clean(pl.col(name))).to_series()
            column = column.clone().scatter(rows, fixed)
        cleaned.append(column)
    return cleaned


def _word_count(body: pl.Expr) -> pl.Expr:
    """Words (non-whitespace runs) in a cleaned body. Cleaning leaves one space or one
    paragraph break between words, so counting those literals is exact, and cheaper than
    matching every word with a regex."""
    runs = body.str.count_matches(" ", literal=True) + body.str.count_matches("\n\n", literal=True)
    return (runs + (body.str.len_bytes() > 0).cast(pl.UInt32)).cast(pl.Int32)


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
