"""Saved HTML article pages: one raw record per page, main text found by trafilatura.

Settings were chosen on the article-extraction benchmark (benchmarks/html_extraction.py):
precision-first extraction without comments, then a few general boilerplate-line rules
(teaser links, "Tags", newsletter and copyright lines) that trafilatura keeps.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.etree
import polars as pl
import trafilatura

from flows.core.readers.exports import Reject, _reject
from flows.core.readers.feeds import clean_authors
from flows.core.reasons import Reason
from flows.core.schemas import RAW_RECORDS

HTML_EXTRACTOR = f"trafilatura {trafilatura.__version__}"

# Comments are reader text, not the article; favouring precision drops more page chrome.
EXTRACT_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
}

# Lines that are page furniture wherever they occur: teaser links into other articles,
# tag lists, calls to subscribe or share, copyright notices, CMS shortcodes left unrendered.
_BOILERPLATE = re.compile(
    r"(?i)^\s*(?:"
    r"(?:read|see) (?:more|also)\s*:\s*\w|also read\s*:|\[?related\s*:|don'?t miss\b"
    r"|tags?\s*:?\s*$|tagged\s*:|share (?:this|on)\b|subscribe (?:to|now|for)\b"
    r"|sign up (?:for|to)\b|copyright\b|follow us\b|tell us what you think|have a tip\?"
    r"|advertisement\s*$|\[\w+\s[^\]]*=[^\]]*\]"
    r")"
)
# "Some other headline [VIDEO]": a link to another story, labelled by kind.
_LABELLED_TEASER = re.compile(r"\S.*\s\[[A-Z]{3,}(?: [A-Z]+)*\]\W*$")
_TAGS_HEADER = re.compile(r"(?i)^\s*tags?\s*:?\s*$")


def parse_html(uri: str, text: str) -> tuple[pl.DataFrame, list[Reject]]:
    """One page -> (RAW_RECORDS frame of one row, []) or (empty frame, [one reject])."""
    try:
        doc = trafilatura.bare_extraction(text, with_metadata=True, **EXTRACT_OPTIONS)
    except (ValueError, TypeError, lxml.etree.LxmlError) as exc:
        message = f"HTML could not be parsed: {type(exc).__name__}: {exc}"
        return _frame(uri, []), [_reject(uri, None, Reason.MISSING_BODY, message, text)]
    body = main_text(doc.text, doc.title) if doc is not None else None
    if doc is None or body is None:
        message = "page has no extractable main text"
        raw = (doc.title if doc is not None else None) or text
        return _frame(uri, []), [_reject(uri, None, Reason.MISSING_BODY, message, raw)]
    row = {
        "input_record": 1,
        "title": doc.title or None,
        "summary": doc.description or None,
        "body": body,
        "url": doc.url or None,
        "source_name": doc.sitename or None,
        "origin_source": None,
        "authors": clean_authors([doc.author]) if doc.author else None,
        "published_raw": doc.date or None,
    }
    return _frame(uri, [row]), []


def main_text(extracted: str | None, title: str | None = None) -> str | None:
    """trafilatura's lines -> paragraphs separated by a blank line, boilerplate lines removed.

    A first line repeating the title is the headline, which already has its own field.
    """
    if not extracted:
        return None
    paragraphs: list[str] = []
    after_tags_header = False
    for line in extracted.splitlines():
        line = line.strip()
        if not line:
            continue
        # The line after a bare "Tags" header is the tag list itself.
        if after_tags_header and ("," in line or len(line.split()) <= 3):
            after_tags_header = False
            continue
        after_tags_header = False
        if _BOILERPLATE.search(line) or _LABELLED_TEASER.search(line):
            after_tags_header = bool(_TAGS_HEADER.match(line))
            continue
        paragraphs.append(line)
    if paragraphs and title and _words(paragraphs[0]) == _words(title):
        paragraphs.pop(0)
    return "\n\n".join(paragraphs) or None


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _frame(uri: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    rows = [row | {"input_uri": uri, "input_format": "html"} for row in rows]
    return pl.DataFrame(rows, schema=RAW_RECORDS)
