"""Where a syndicated article came from: origin markers in its body, found for a whole batch.

Three kinds of marker, in this order of trust (the first found wins, and only fills an
origin_source the reader left null):
1. an origin line as the first or last line of the body: "Originally published by X",
   "This article originally appeared on X", "First published on X", or the feed teaser
   "... Read Full Article at X." (the same pattern the text reader uses for its teaser line);
   the line says nothing about the story, so it is removed from the body (a teaser before
   "Read Full Article" is kept, only the marker goes);
2. a wire-agency credit opening the body: "LONDON (Reuters) -", "(AP) —",
   "WASHINGTON, Dec 5 (AFP) –"; the agency's name becomes the origin, and the dateline stays
   in the body, where it belongs to the article's first sentence.
A body that is a single line is never emptied: its marker only sets the origin.
"""

from __future__ import annotations

import re

import polars as pl

from flows.core.readers.text import SYNDICATION_MARKER

# abbreviation (lowercase) -> the name stored as origin_source
AGENCIES: dict[str, str] = {
    "reuters": "Reuters",
    "ap": "Associated Press",
    "afp": "Agence France-Presse",
    "dpa": "Deutsche Presse-Agentur",
    "ani": "Asian News International",
    "pti": "Press Trust of India",
    "ians": "Indo-Asian News Service",
    "upi": "United Press International",
    "xinhua": "Xinhua",
    "efe": "EFE",
    "ansa": "ANSA",
    "kyodo": "Kyodo News",
    "yonhap": "Yonhap",
    "aap": "Australian Associated Press",
    "tass": "TASS",
    "bernama": "Bernama",
    "bloomberg": "Bloomberg",
}

_ORIGIN_LINE = (
    r"(?i)^[\s*_>\-–—]*(?:"
    r"this (?:article|story|post|piece) (?:was )?(?:originally|first) "
    r"(?:appeared|published|posted|ran)"
    r"|(?:originally|first) (?:published|appeared|posted|ran))"
    r" (?:by|on|in|at|with) (?P<origin>.+?)[\s*_]*$"
)
# clauses after the name: "... on December 5, 2024.", "... and is republished with permission."
_ORIGIN_TAIL = (
    r"(?i)(?:,?\s+(?:on|in)\s+(?:\p{L}+\.?\s+)?\d.*"
    r"|,?\s+and\s+(?:is\s+|was\s+|has\s+been\s+)?(?:re)?(?:published|posted|shared|reproduced).*"
    r"|,?\s+(?:under|with)\s+(?:a\s+)?(?:permission|licen[cs]e|creative\s+commons).*"
    r"|[\s.,;:!]+)$"
)
# a name, a domain or a URL of at most 80 characters, not a sentence ("First published in 1925,
# the novel ..." opens a body about a book and is no marker)
_ORIGIN_NAME = r"^(?:\p{Lu}|www\.|https?://|[\p{Ll}\d\-]+\.\p{Ll}{2,})[^\n]{0,79}$"
_SENTENCE_BREAK = r"[.!?]\s+\p{Lu}"

# "LONDON", "ST. LOUIS", "New Delhi, Dec. 5", "UNITED NATIONS, December 5, 2024": capitalised
# place words and an optional date; "Shares of the Party (AP)" (lowercase words) is no dateline
_PLACE_WORD = r"\p{Lu}[\p{L}.'’\-]*"
_DATELINE = (
    rf"{_PLACE_WORD}(?:[ /]{_PLACE_WORD}){{0,3}}"
    r"(?:,\s*\p{Lu}\p{L}{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?,?"
)
_WIRE_CREDIT = (
    rf"^\s*(?:{_DATELINE}\s*)?"
    r"\((?P<agency>(?i:" + "|".join(re.escape(a) for a in AGENCIES) + r"))\)"
    r"\s*(?:[-–—:]|\s|$)"
)

# Marker lines (a teaser with its marker at most) are short; looking only this far into each
# end keeps the capturing regexes (slow per character) off long paragraphs.
MAX_MARKER_CHARS = 1_000
_WITHOUT_FIRST_LINE = r"^\s*[^\n]*\s*"
_WITHOUT_LAST_LINE = r"\s*[^\n]*\s*$"
# Every marker line holds one of these words: a line without them is no marker, and the
# capturing regexes above run only on the few lines that have them.
_MARKER_WORDS = r"(?i)(?:originally|first|full article) "


def _marker(line: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(origin, what stays of the line) for one line; origin null when it is no marker."""
    named = line.str.extract(_ORIGIN_LINE, 1).str.replace(_ORIGIN_TAIL, "").str.strip_chars()
    named = pl.when(named.str.contains(_ORIGIN_NAME) & ~named.str.contains(_SENTENCE_BREAK)).then(
        named
    )
    teaser = line.str.extract_groups(SYNDICATION_MARKER)
    syndicated = teaser.struct.field("origin").str.strip_chars()
    origin = pl.coalesce(named, syndicated.replace("", None))
    kept = (
        pl.when(named.is_not_null())
        .then(pl.lit(""))
        .otherwise(teaser.struct.field("teaser").fill_null("").str.strip_chars())
    )
    return origin, kept


def _end_lines(frame: pl.DataFrame) -> pl.DataFrame:
    """_first and _last: the body's first and last line (whitespace at the body's ends
    trimmed), null when longer than MAX_MARKER_CHARS or when the body is null."""
    window = MAX_MARKER_CHARS + 1
    stripped = pl.col("body").str.strip_chars()
    lines = frame.select(
        _first=stripped.str.slice(0, window).str.split("\n").list.first(),
        _last=stripped.str.slice(-window).str.split("\n").list.last(),
    )
    short = {
        c: pl.when(pl.col(c).str.len_chars() <= MAX_MARKER_CHARS).then(c) for c in lines.columns
    }
    return lines.with_columns(**short)


def _drop_line(body: pl.Expr, pattern: str, kept: pl.Expr, *, at_end: bool) -> pl.Expr:
    rest = body.str.replace(pattern, "")
    joined = pl.concat_str([rest, kept] if at_end else [kept, rest], separator="\n\n")
    return pl.when(kept == "").then(rest).otherwise(joined)


def with_origin(frame: pl.DataFrame) -> pl.DataFrame:
    """Fill null origin_source from markers in body and remove origin lines from body.

    Needs columns body and origin_source (other columns pass through untouched).
    """
    lines = _end_lines(frame)
    words = [pl.col(c).str.contains(_MARKER_WORDS).fill_null(False) for c in lines.columns]
    rows = lines.select(pl.any_horizontal(words)).to_series().arg_true()
    body, origin = frame.get_column("body"), frame.get_column("origin_source")
    if rows.len():
        marked = _strip_markers(
            pl.concat([frame.select(body, origin), lines], how="horizontal")[rows]
        )
        body = body.clone().scatter(rows, marked.get_column("body"))
        origin = origin.clone().scatter(rows, marked.get_column("origin_source"))
    wire = body.str.extract(_WIRE_CREDIT, 1).str.to_lowercase()
    agency = wire.replace_strict(AGENCIES, default=None, return_dtype=pl.String)
    return frame.with_columns(body=body, origin_source=pl.coalesce(origin, agency))


def _strip_markers(frame: pl.DataFrame) -> pl.DataFrame:
    """Origin from the end lines' markers (origin_source first), marker lines out of body.

    Needs body, origin_source, _first and _last (see _end_lines); returns body, origin_source.
    """
    multi_line = pl.col("body").str.contains("\n")
    first_origin, first_kept = _marker(pl.col("_first"))
    last_origin, last_kept = _marker(pl.col("_last"))
    marked = frame.with_columns(
        _first_origin=first_origin,
        _first_kept=pl.when(multi_line).then(first_kept),
        _last_origin=pl.when(multi_line).then(last_origin),
        _last_kept=pl.when(multi_line).then(last_kept),
    )
    body = pl.col("body")
    body = (
        pl.when(pl.col("_first_origin").is_not_null() & multi_line)
        .then(_drop_line(body, _WITHOUT_FIRST_LINE, pl.col("_first_kept"), at_end=False))
        .otherwise(body)
    )
    cleaned = marked.with_columns(body=body)
    # the last line is looked at again only if it is still a separate line
    body = pl.col("body")
    still_multi = body.str.contains("\n")
    body = (
        pl.when(pl.col("_last_origin").is_not_null() & still_multi)
        .then(_drop_line(body, _WITHOUT_LAST_LINE, pl.col("_last_kept"), at_end=True))
        .otherwise(body)
    )
    return cleaned.select(
        body, origin_source=pl.coalesce("origin_source", "_first_origin", "_last_origin")
    )
