"""RSS 2.0, RSS 1.0/RDF and Atom feeds: field mapping, dates, authors, rejects."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import feedparser
import polars as pl
import pytest

from flows.core.dates import parse_published
from flows.core.readers.feeds import clean_authors, html_paragraphs, parse_feed
from flows.core.reasons import Reason
from flows.core.schemas import RAW_RECORDS, REJECTS
from flows.settings import REPO_ROOT

URI = "mem://feed.xml"
NEWS_FEEDS = REPO_ROOT.parent / "shared" / "data" / "corpora" / "news-feeds"

RSS2 = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Harbor Times</title>
  <link>https://harbor.example/</link>
  <description>Port news</description>
  <item>
    <title><![CDATA[Port reopens & ships return]]></title>
    <link>https://harbor.example/port?utm_source=rss</link>
    <description>&lt;p&gt;Ships are back &amp;amp; busy.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>First paragraph &amp; more.</p>
      <p>Second <em>paragraph</em>.</p><script>track()</script>]]></content:encoded>
    <author>desk@harbor.example (Anna Keller)</author>
    <pubDate>Thu, 05 Dec 2024 10:00:00 +0100</pubDate>
  </item>
  <item>
    <title>Cranes idle</title>
    <link>https://harbor.example/cranes</link>
    <description>Plain teaser.</description>
    <author>news@harbor.example</author>
    <pubDate>Thu, 05 Dec 2024 10:00:00 GMT</pubDate>
  </item>
  <item>
    <guid isPermaLink="true">https://harbor.example/guid-only</guid>
    <title>Link from the guid</title>
    <pubDate>Thu, 05 Dec 2024 10:00:00 EST</pubDate>
  </item>
  <item>
    <description></description>
  </item>
</channel>
</rss>
"""

RDF = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://wire.example/">
    <title>Capital Wire</title>
    <link>https://wire.example/</link>
    <description>Wire</description>
    <items><rdf:Seq><rdf:li rdf:resource="https://wire.example/1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://wire.example/1">
    <title>Budget passes</title>
    <link>https://wire.example/1</link>
    <description>The vote was close.</description>
    <dc:creator>Marc Olsen and Sofia Brandt</dc:creator>
    <dc:date>2024-12-05T08:30:00+01:00</dc:date>
  </item>
</rdf:RDF>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Northern Post</title>
  <id>urn:example:post</id>
  <updated>2024-12-05T12:00:00Z</updated>
  <entry>
    <title>Ice road opens</title>
    <id>urn:example:post:1</id>
    <link href="https://post.example/ice"/>
    <updated>2024-12-05T11:45:00Z</updated>
    <author><name>Ines Laurent</name></author>
    <content type="html">&lt;h2&gt;Lead&lt;/h2&gt;&lt;p&gt;Trucks cross the lake.&lt;br/&gt;Slowly.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;One&lt;/li&gt;&lt;li&gt;Two&lt;/li&gt;&lt;/ul&gt;</content>
  </entry>
</feed>
"""


def _check_shapes(frame: pl.DataFrame, rejects: list[dict[str, Any]]) -> None:
    assert frame.schema == RAW_RECORDS
    assert set(frame.get_column("input_format")) <= {"feed"}
    for reject in rejects:
        assert set(reject) == set(REJECTS.names())
        assert reject["input_uri"] == URI


def _parsed_dates(frame: pl.DataFrame) -> list[datetime | None]:
    return frame.select(parse_published(pl.col("published_raw"))).to_series().to_list()


def test_rss2_fields() -> None:
    frame, rejects = parse_feed(URI, RSS2)
    _check_shapes(frame, rejects)
    first = frame.row(0, named=True)
    assert first["input_record"] == 1
    assert first["title"] == "Port reopens & ships return"
    assert first["summary"] == "Ships are back & busy."
    assert first["body"] == "First paragraph & more.\n\nSecond paragraph."
    assert first["url"] == "https://harbor.example/port?utm_source=rss"
    assert first["authors"] == ["Anna Keller"]
    assert first["source_name"] == "Harbor Times"
    assert first["published_raw"] == "Thu, 05 Dec 2024 10:00:00 +0100"
    second = frame.row(1, named=True)
    assert second["body"] == second["summary"]  # without full text, the teaser is the body
    assert second["authors"] is None  # a bare e-mail is not a name


def test_rss2_dates_parse_including_zone_names() -> None:
    frame, _ = parse_feed(URI, RSS2)
    assert _parsed_dates(frame) == [
        datetime(2024, 12, 5, 9, 0, tzinfo=UTC),
        datetime(2024, 12, 5, 10, 0, tzinfo=UTC),
        # "EST" is unknown to the pipeline's formats: feedparser's reading is used instead.
        datetime(2024, 12, 5, 15, 0, tzinfo=UTC),
    ]
    assert frame.get_column("published_raw")[2] == "2024-12-05T15:00:00Z"


def test_permalink_guid_stands_in_for_missing_link() -> None:
    frame, _ = parse_feed(URI, RSS2)
    assert frame.get_column("url")[2] == "https://harbor.example/guid-only"


def test_empty_item_is_a_reject_and_nothing_is_dropped() -> None:
    frame, rejects = parse_feed(URI, RSS2)
    assert frame.get_column("input_record").to_list() == [1, 2, 3]
    assert [(r["input_record"], r["reason_code"]) for r in rejects] == [
        (4, Reason.MISSING_TITLE.value)
    ]
    assert frame.height + len(rejects) == len(feedparser.parse(RSS2.encode()).entries)


def test_rss1_rdf_dc_fields() -> None:
    frame, rejects = parse_feed(URI, RDF)
    _check_shapes(frame, rejects)
    assert rejects == []
    row = frame.row(0, named=True)
    assert row["title"] == "Budget passes"
    assert row["authors"] == ["Marc Olsen", "Sofia Brandt"]
    assert row["source_name"] == "Capital Wire"
    assert _parsed_dates(frame) == [datetime(2024, 12, 5, 7, 30, tzinfo=UTC)]


def test_atom_updated_only_and_html_content() -> None:
    frame, rejects = parse_feed(URI, ATOM)
    _check_shapes(frame, rejects)
    row = frame.row(0, named=True)
    assert row["published_raw"] == "2024-12-05T11:45:00Z"
    assert row["body"] == "Lead\n\nTrucks cross the lake. Slowly.\n\nOne\n\nTwo"
    assert row["authors"] == ["Ines Laurent"]
    assert row["url"] == "https://post.example/ice"
    assert row["source_name"] == "Northern Post"


@pytest.mark.parametrize(
    "text",
    [
        "this is not xml at all, just words",
        "<html><body><p>An ordinary web page</p></body></html>",
        "https://harbor.example/feed.xml",  # must not be fetched as a URL
        "/etc/hostname",  # must not be opened as a path
    ],
)
def test_not_a_feed_is_one_file_reject(text: str) -> None:
    frame, rejects = parse_feed(URI, text)
    _check_shapes(frame, rejects)
    assert frame.height == 0
    assert len(rejects) == 1
    assert rejects[0]["input_record"] is None
    assert rejects[0]["reason_code"] == Reason.WRONG_TYPE.value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["editor@x.com (Harriet Marsden)"], ["Harriet Marsden"]),
        (["Kim Barker and Oleksandra Mykolyshyn"], ["Kim Barker", "Oleksandra Mykolyshyn"]),
        (["A, B & C"], ["A", "B", "C"]),
        (["only@mail.example"], []),
        (["Macarena  Vidal Liy", "Macarena Vidal Liy"], ["Macarena Vidal Liy"]),
    ],
)
def test_clean_authors(raw: list[str], expected: list[str]) -> None:
    assert clean_authors(raw) == expected


def test_html_paragraphs_decodes_entities_and_drops_scripts() -> None:
    markup = "<div><p>Caf&eacute; &lt;open&gt;</p><style>p{}</style><p>Next</p></div>"
    assert html_paragraphs(markup) == "Café <open>\n\nNext"


@pytest.mark.corpora
def test_news_feeds_corpus() -> None:
    folder = NEWS_FEEDS / "feeds"
    if not folder.exists():
        pytest.skip(f"needs {folder} (shared corpora are not present on this machine)")
    paths = sorted(folder.glob("*.xml"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        items = feedparser.parse(text.encode("utf-8")).entries
        frame, rejects = parse_feed(str(path), text)
        assert frame.schema == RAW_RECORDS
        assert frame.height + len(rejects) == len(items), path.name
        dated = {
            n for n, item in enumerate(items, 1) if item.get("published") or item.get("updated")
        }
        parsed = frame.with_columns(at=parse_published(pl.col("published_raw")))
        ok = set(parsed.filter(pl.col("at").is_not_null()).get_column("input_record"))
        assert dated <= ok, f"{path.name}: items {sorted(dated - ok)} lost their date"
        authors = frame.get_column("authors").explode().drop_nulls()
        assert not authors.str.contains("@").any(), path.name
