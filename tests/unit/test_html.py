"""HTML article pages: one record per page via trafilatura, or one reject."""

from __future__ import annotations

import polars as pl
import pytest

from flows.core.readers.html import HTML_EXTRACTOR, main_text, parse_html
from flows.core.reasons import Reason
from flows.core.schemas import RAW_RECORDS, REJECTS

URI = "mem://page.html"

PARAGRAPHS = [
    "The harbour authority reopened the northern basin on Thursday after three weeks of "
    "repairs to the sea wall, allowing container ships to dock again at full capacity.",
    "Engineers had found cracks in the wall after the November storms, and the authority "
    "closed the basin as a precaution while divers inspected the foundations in detail.",
    "Shipping companies said the closure had cost them several days of delays, as vessels "
    "waited offshore or were diverted to smaller ports along the coast further south.",
    "The authority said it would publish a full report on the repairs early next year, "
    "including the cost of the work and a plan for strengthening the remaining sections.",
]

ARTICLE_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Harbour basin reopens after repairs | Harbor Times</title>
  <meta property="og:title" content="Harbour basin reopens after repairs">
  <meta property="og:site_name" content="Harbor Times">
  <meta name="description" content="Ships dock again after sea-wall repairs.">
  <meta name="author" content="Anna Keller">
  <meta property="article:published_time" content="2024-12-05T10:00:00+00:00">
  <link rel="canonical" href="https://harbor.example/news/basin-reopens">
</head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
  <article>
    <h1>Harbour basin reopens after repairs</h1>
    {"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
  </article>
  <footer><p>Contact us</p><a href="/privacy">Privacy policy</a></footer>
</body>
</html>
"""

NAVIGATION_ONLY = """<!DOCTYPE html>
<html><head><title>Harbor Times - Home</title></head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
  <li><a href="/sport">Sport</a></li></ul></nav>
  <footer><a href="/privacy">Privacy</a></footer>
</body></html>
"""


def test_article_page_fields() -> None:
    frame, rejects = parse_html(URI, ARTICLE_PAGE)
    assert rejects == []
    assert frame.schema == RAW_RECORDS
    row = frame.row(0, named=True)
    assert row["input_uri"] == URI
    assert row["input_record"] == 1
    assert row["input_format"] == "html"
    assert row["title"] == "Harbour basin reopens after repairs"
    assert row["body"] == "\n\n".join(PARAGRAPHS)
    assert row["authors"] == ["Anna Keller"]
    assert row["published_raw"] == "2024-12-05"
    assert row["url"] == "https://harbor.example/news/basin-reopens"
    assert row["source_name"] == "Harbor Times"
    assert row["summary"] == "Ships dock again after sea-wall repairs."


@pytest.mark.parametrize("page", [NAVIGATION_ONLY, "<html><body></body></html>", "plain words"])
def test_page_without_main_text_is_one_reject(page: str) -> None:
    frame, rejects = parse_html(URI, page)
    assert frame.schema == RAW_RECORDS
    assert frame.height == 0
    assert len(rejects) == 1
    assert set(rejects[0]) == set(REJECTS.names())
    assert rejects[0]["input_record"] is None
    assert rejects[0]["reason_code"] == Reason.MISSING_BODY.value
    assert pl.DataFrame(rejects, schema=REJECTS).height == 1


@pytest.mark.parametrize(
    ("extracted", "expected"),
    [
        ("First.\nSecond.", "First.\n\nSecond."),
        ("Text.\nREAD MORE: Another story entirely\nMore text.", "Text.\n\nMore text."),
        ("Text.\nTags\nport, ships, storms", "Text."),
        ("Text.\nStorm hits coast [VIDEO]", "Text."),
        ("Text.\ncopyright Harbor Times 2024", "Text."),
        ("[CNET]\nSee more photos:", "[CNET]\n\nSee more photos:"),  # kept: not boilerplate
        ("", None),
        ("Tags", None),
    ],
)
def test_main_text_paragraphs_and_boilerplate(extracted: str, expected: str | None) -> None:
    assert main_text(extracted) == expected


def test_extractor_is_named_with_its_version() -> None:
    assert HTML_EXTRACTOR.startswith("trafilatura ")
    assert HTML_EXTRACTOR.split(" ", 1)[1][0].isdigit()


def test_headline_repeated_as_first_line_is_dropped() -> None:
    assert main_text("Port Reopens!\nShips dock.", "Port reopens") == "Ships dock."
    assert main_text("Ships dock.\nPort reopens", "Port reopens") == "Ships dock.\n\nPort reopens"
