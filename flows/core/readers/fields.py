"""Map the column names of real exports onto the raw record schema.

Names are matched case-insensitively; the first alias present wins. Unknown columns are
reported, never loaded into core tables.
"""

from __future__ import annotations

import polars as pl

from flows.core.schemas import RAW_RECORDS

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "body": (
        "body",
        "text",
        "content",
        "article",
        "articlebody",
        "body_text",  # ReCOVery-style exports
        "article_text",
        "full_text",
        "maintext",  # news-please
    ),
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


# --- mojibake -------------------------------------------------------------------------------
# Text that was UTF-8 but was decoded as Windows-1252 somewhere upstream (and saved again as
# UTF-8) shows each non-ASCII character as two or three characters: "é" -> "Ã©",
# "’" -> "â€™", a non-breaking space -> "Â" + space. Each such sequence is replaced by the
# character it stands for, for every character of Latin-1 (U+00A0-U+00FF), Latin
# Extended-A (U+0100-U+017F), general punctuation (U+2010-U+205E), "€" and "™". The table is
# derived from the encodings, not written by hand. The five bytes Windows-1252 leaves
# undefined appear either as the matching C1 control character or not at all; the second
# case is only repaired for the right double quote ("â€" alone -> "”"), the one common
# character whose last byte is undefined. Genuine text almost never contains these
# sequences (an upper-case Â/Ã/Å/Ä followed by a symbol), so text without them is untouched.


def _cp1252_view(text: str) -> str:
    """How UTF-8 bytes read as Windows-1252 look (undefined bytes as C1 controls)."""
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


def _mojibake_table() -> dict[str, str]:
    chars = [*range(0xA0, 0x180), *range(0x2010, 0x205F), 0x20AC, 0x2122]
    table = {_cp1252_view(chr(cp)): chr(cp) for cp in chars}
    table["\u00c2 "] = " "  # a non-breaking space whose second byte became a plain space
    table["\u00e2\u20ac"] = "\u201d"  # "”" with its undefined last byte (0x9D) dropped
    # Longest first: replace_many(leftmost=True) prefers the earlier of two patterns.
    return dict(sorted(table.items(), key=lambda item: -len(item[0])))


MOJIBAKE = _mojibake_table()


def repair_mojibake(expr: pl.Expr) -> pl.Expr:
    """Undo UTF-8-read-as-Windows-1252 sequences ("Ã©" -> "é", "â€™" -> "’", "Â " -> " ")."""
    return expr.str.replace_many(list(MOJIBAKE), list(MOJIBAKE.values()), leftmost=True)


# --- authors -------------------------------------------------------------------------------
_QUOTES = "'\"‘’‚‛“”„`´"
# A stringified Python/JSON list, even a hand-edited one: "['A', 'B']", "['A', 'B]",
# "[‘A']", "'A'[]", "['A']]". Quotes and brackets are then only punctuation.
_LIST_FORM = rf"^\s*[{_QUOTES}]?\s*\[|\]\s*[{_QUOTES}]?\s*$"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# "and" / "AND" between names; "Loud And Quiet" (title case) is one name.
_SEPARATORS = r"\s+(?:and|AND)\s+|\s*&\s*|[,;|]"
_SUFFIX = r",(\s*(?:Jr|Sr|II|III|IV|M\.?D|Ph\.?\s?D|D\.?O|R\.?N|MPH|Esq)\.?)(\s*[,;|&\]'\"’”]|\s+(?:and|AND)\s|\s*$)"
_EDGE = rf"^[\s{_QUOTES}()<>\[\]]+|[\s{_QUOTES}()<>\[\]]+$"


def split_authors(expr: pl.Expr) -> pl.Expr:
    """One author string -> a list of names; never raises, blanks dropped.

    Rules, in order (docs/input-formats.md, "Messy export metadata"):
    - mojibake is repaired (repair_mojibake);
    - a stringified list ("['A', 'B']", also half-quoted, curly-quoted or with stray
      brackets) loses its brackets and backslash escapes; its items are split like text;
    - "x@y.com (Name)" -> "Name"; other e-mail addresses are dropped;
    - the text is split on "," ";" "|" "&" and on "and" / "AND" between words, except
      the comma before a suffix ("Jr.", "Sr.", "II", "M.D.", "PhD", "RN", "Esq." ...);
    - each name loses a leading "By" / "By:", a trailing "(role)", and quotes, brackets
      and parentheses at either end ("Matt O'Brien" keeps its apostrophe);
    - empty names are dropped (a list of none becomes null in normalization).
    """
    text = repair_mojibake(expr)
    is_list = text.str.contains(_LIST_FORM)
    text = (
        pl.when(is_list)
        .then(text.str.replace_all(r"[\[\]]", " ").str.replace_all(r"\\(.)", "$1"))
        .otherwise(text)
    )
    text = (
        text.str.replace_all(rf"<?{_EMAIL}>?\s*\(([^()]*)\)", "$1")
        .str.replace_all(rf"<?{_EMAIL}>?", " ")
        .str.replace_all(r"([^\s(])\s*\([^()]*\)", "$1")  # "Name (Design, photos)" -> "Name"
    )
    # "Lisa Quill, M.D." / "Cy Dell, Jr." is one name: hide that comma from the split.
    text = text.str.replace_all(_SUFFIX, "\x01${1}${2}")
    return (
        text.str.replace_all(_SEPARATORS, "\x00")
        .str.replace_all("\x01", ",")
        .str.split("\x00")
        .list.eval(_clean_name(pl.element()))
        .list.eval(pl.element().filter(pl.element().str.len_chars() > 0))
    )


def _clean_name(name: pl.Expr) -> pl.Expr:
    """One name: "By"/"By:" prefix, a trailing (or unclosed) "(role)", and edge punctuation
    dropped; inner whitespace runs -> one space."""
    return (
        name.str.replace_all(_EDGE, "")
        .str.replace(r"(?i)^by(?::\s*|\s+)", "")
        .str.replace(r"([^\s(])\s*\([^()]*\)?$", "$1")
        .str.replace_all(_EDGE, "")
        .str.replace_all(r"\s+", " ")
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
            exprs.append(
                pl.coalesce([repair_mojibake(pl.col(c).cast(pl.String)) for c in present]).alias(
                    target
                )
            )
        else:
            exprs.append(pl.lit(None, pl.String).alias(target))
    return frame.select(exprs).select(list(RAW_RECORDS.names())).cast(dict(RAW_RECORDS))


def _authors(frame: pl.DataFrame, present: list[str]) -> pl.Expr:
    as_lists = [
        pl.col(c)
        .list.eval(_clean_name(repair_mojibake(pl.element())))
        .list.eval(pl.element().filter(pl.element().str.len_chars() > 0))
        if frame.schema[c] == pl.List(pl.String)
        else split_authors(pl.col(c).cast(pl.String))
        for c in present
    ]
    if not as_lists:
        return pl.lit(None, pl.List(pl.String)).alias("authors")
    return pl.coalesce(as_lists).alias("authors")
