"""RSS 2.0, RSS 1.0/RDF and Atom feeds: one raw record per item, via feedparser.

feedparser absorbs the dialects (CDATA, namespaces, entity-escaped HTML, RDF sequences) so
this module only maps its normalised entries onto RAW_RECORDS. Every item ends up either as
a record or as a reject, never silently dropped: items = records + rejects.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime
from typing import Any

import feedparser
import lxml.etree
import lxml.html
import polars as pl

from flows.core.dates import parse_published
from flows.core.readers.exports import Reject, _reject
from flows.core.reasons import Reason
from flows.core.schemas import RAW_RECORDS, subset

# Block-level tags: their boundaries are paragraph breaks once the markup is gone.
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figure",
        "figcaption",
        "header",
        "footer",
        "aside",
        "address",
        "hr",
    ]
)
_DROPPED = ("script", "style", "noscript", "template")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_EMAIL_WITH_NAME = re.compile(r"^\s*<?[\w.+-]+@[\w.-]+>?\s*\((?P<name>[^)]*)\)\s*$")
# "and" only in one case: "Loud And Quiet" is a name, "A and B" / "A AND B" are two.
_AUTHOR_SEPARATORS = re.compile(r"\s+(?:and|AND|&)\s+|[;,|]")
# A role after a name: "Ana Fernández (Design)".
_ROLE = re.compile(r"(\S)\s*\([^()]*\)?\s*$")
_UTF8 = {"content-type": "application/xml; charset=utf-8"}


def parse_feed(uri: str, text: str) -> tuple[pl.DataFrame, list[Reject]]:
    """A feed document -> (RAW_RECORDS frame, rejects); record number = item position from 1."""
    # Bytes, never str: feedparser treats a str that looks like a URL or a path as one and
    # fetches or opens it. The text is already decoded, so its XML declaration must not win.
    parsed = feedparser.parse(text.encode("utf-8"), response_headers=_UTF8)
    if not parsed.entries and not parsed.get("version"):
        problem = parsed.get("bozo_exception") or "no RSS/Atom root element"
        # No reason code names "not a feed"; WRONG_TYPE (content is not the kind the file
        # claims to be) is the closest of the closed set.
        message = f"not a parseable RSS/Atom feed: {problem}"
        return _empty(), [_reject(uri, None, Reason.WRONG_TYPE, message, text)]
    source_name = _plain(parsed.feed.get("title_detail")) or None
    rows: list[dict[str, Any]] = []
    fallback_dates: list[str | None] = []
    rejects: list[Reject] = []
    for number, entry in enumerate(parsed.entries, 1):
        row = _entry_row(entry)
        if all(row[k] is None for k in ("title", "summary", "body", "url")):
            raw = str({k: v for k, v in entry.items() if isinstance(v, str)})
            message = "feed item has no title, text or link"
            # MISSING_TITLE: what normalization would say of it, so dashboards group them.
            rejects.append(_reject(uri, number, Reason.MISSING_TITLE, message, raw))
            continue
        rows.append(row | {"input_record": number, "source_name": source_name})
        fallback_dates.append(_iso_date(entry))
    frame = pl.DataFrame(rows, schema=_ROW_SCHEMA) if rows else pl.DataFrame(schema=_ROW_SCHEMA)
    frame = _with_parseable_dates(frame, fallback_dates)
    return frame.select(
        pl.lit(uri).alias("input_uri"), pl.lit("feed").alias("input_format"), pl.all()
    ).select(list(RAW_RECORDS.names())).cast(dict(RAW_RECORDS)), rejects


# One item's columns: the raw record without what is the same for the whole file.
_ROW_SCHEMA = subset(RAW_RECORDS, drop=("input_uri", "input_format"))


def _entry_row(entry: Any) -> dict[str, Any]:
    summary = _plain(entry.get("summary_detail")) or None
    return {
        "title": _plain(entry.get("title_detail")) or None,
        "summary": summary,
        # Most feeds carry only a teaser; it stands in for the body (the article is still a
        # dated, titled, linked item worth counting) until full text is available.
        "body": _body(entry) or summary,
        "url": _link(entry),
        "origin_source": None,
        "authors": clean_authors(_author_strings(entry)) or None,
        "published_raw": entry.get("published") or entry.get("updated") or None,
    }


def _plain(detail: Any) -> str:
    """A feedparser text construct as plain text (HTML types are stripped to paragraphs)."""
    if not detail or not detail.get("value"):
        return ""
    value = str(detail["value"])
    if "html" in str(detail.get("type", "")):
        return html_paragraphs(value)
    return value.strip()


def _body(entry: Any) -> str | None:
    """content:encoded / atom:content, when the feed carries full text.

    feedparser also files media:description captions under content, so HTML content wins
    over plain text, and the longest wins among equals.
    """
    contents = entry.get("content") or []
    ranked = sorted(
        contents,
        key=lambda c: ("html" in str(c.get("type", "")), len(c.get("value") or "")),
        reverse=True,
    )
    for content in ranked:
        text = _plain(content)
        if text:
            return text
    return None


def _link(entry: Any) -> str | None:
    """The item's link; a permalink guid stands in when the link is missing."""
    link = entry.get("link")
    if link:
        return str(link).strip()
    guid = str(entry.get("id") or "").strip()
    # feedparser sets guidislink only when the guid is a permalink (isPermaLink not "false").
    if entry.get("guidislink") and guid.startswith(("http://", "https://")):
        return guid
    return None


def _author_strings(entry: Any) -> list[str]:
    """The raw author text first: feedparser's own name/e-mail split cuts long TLDs
    ("desk@harbor.example (Anna)" -> name "ple (Anna"), so its names only add co-authors."""
    raw = [str(entry["author"])] if entry.get("author") else []
    others = [str(a.get("name") or "") for a in (entry.get("authors") or [])[1:]]
    return raw + others


def clean_authors(values: list[str]) -> list[str]:
    """ "a@x.com (Name)" -> Name; bare e-mails dropped; "A and B" / "A, B" split; de-duplicated."""
    out: list[str] = []
    for value in values:
        match = _EMAIL_WITH_NAME.match(value)
        if match:
            value = match["name"]
        for part in _AUTHOR_SEPARATORS.split(value):
            name = " ".join(_EMAIL.sub(" ", _ROLE.sub(r"\1", part)).split()).strip(" <>()\"'")
            if name and name not in out:
                out.append(name)
    return out


def html_paragraphs(markup: str) -> str:
    """HTML -> text with entities decoded, one blank line between block-level paragraphs."""
    if "<" not in markup and "&" not in markup:
        return markup.strip()
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return markup.strip()
    for element in root.iter(*_DROPPED):
        element.drop_tree()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _BLOCKS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    text = root.text_content()
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def _iso_date(entry: Any) -> str | None:
    """feedparser's own UTC reading of the item date, as ISO 8601."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    moment = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _with_parseable_dates(frame: pl.DataFrame, fallback: list[str | None]) -> pl.DataFrame:
    """Keep the raw date when the pipeline parses it; else use feedparser's reading of it.

    Feeds use zone names the pipeline's formats do not know ("EST", "PDT"); feedparser does.
    """
    fallback_col = pl.Series("fallback", fallback, dtype=pl.String)
    understood = parse_published(pl.col("published_raw")).is_not_null()
    return frame.with_columns(
        published_raw=pl.when(understood | fallback_col.is_null())
        .then(pl.col("published_raw"))
        .otherwise(fallback_col)
    )


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=RAW_RECORDS)
