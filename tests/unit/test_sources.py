"""The sources file: good entries parse, every bad entry is a ValueError that names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.sources import FeedSource, load_sources, parse_sources, url_problem

GOOD = """
[[feed]]
url = "https://example.com/rss.xml"
name = "Example"
fetch_pages = true

[[feed]]
url = "  http://news.example.org:8080/feed?x=1  "
"""


def test_parses_feeds_in_order_with_defaults() -> None:
    assert parse_sources(GOOD) == [
        FeedSource("https://example.com/rss.xml", "Example", True),
        FeedSource("http://news.example.org:8080/feed?x=1", None, False),
    ]


def test_empty_file_means_no_feeds() -> None:
    assert parse_sources("") == []


def test_load_sources_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('[[feed]]\nurl = "ftp://example.com/x"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"sources\.toml: feed #1 .*ftp"):
        load_sources(path)
    with pytest.raises(ValueError, match="cannot read sources file"):
        load_sources(tmp_path / "missing.toml")


def test_sources_are_frozen() -> None:
    source = FeedSource("https://example.com/rss.xml")
    with pytest.raises(AttributeError):
        source.url = "https://other.example/"  # type: ignore[misc]


BAD = [
    ("not toml", "[[feed]\nurl=", "not valid TOML"),
    ("unknown top key", '[[feeds]]\nurl = "https://a.example/"', "unknown top-level key"),
    ("feed not array", '[feed]\nurl = "https://a.example/"', "array of tables"),
    ("no url", '[[feed]]\nname = "x"', r"feed #1: 'url' is required"),
    ("url not string", "[[feed]]\nurl = 3", "'url' is required"),
    (
        "typo key",
        '[[feed]]\nurl = "https://a.example/"\nfetch_page = true',
        r"unknown key.*fetch_page",
    ),
    ("file url", '[[feed]]\nurl = "file:///etc/passwd"', "local files are not fetched"),
    ("local path", '[[feed]]\nurl = "/data/feed.xml"', "local files are not fetched"),
    ("other scheme", '[[feed]]\nurl = "ftp://a.example/x"', "only http and https"),
    ("no host", '[[feed]]\nurl = "http:///path"', "not a valid host"),
    ("dot-dot host", '[[feed]]\nurl = "http://../../etc"', "not a valid host"),
    ("escaped host", '[[feed]]\nurl = "http://a%2f..%2f/x"', "not a valid host"),
    ("credentials", '[[feed]]\nurl = "https://u:pw@a.example/"', "credentials"),
    ("bad port", '[[feed]]\nurl = "https://a.example:99999/"', "bad host or port"),
    ("space", '[[feed]]\nurl = "https://a.example/a b"', "whitespace"),
    ("name type", '[[feed]]\nurl = "https://a.example/"\nname = 1', "'name' must be a string"),
    ("pages type", '[[feed]]\nurl = "https://a.example/"\nfetch_pages = "yes"', "true or false"),
    (
        "duplicate",
        '[[feed]]\nurl = "https://a.example/"\n[[feed]]\nurl = "https://a.example/"',
        r"feed #2 repeats the url of feed #1",
    ),
]


@pytest.mark.parametrize(("text", "message"), [(t, m) for _, t, m in BAD], ids=[i for i, *_ in BAD])
def test_bad_entries_are_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_sources(text, origin="sources.toml")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/",
        "http://127.0.0.1:8000/rss",
        "http://[::1]/feed",
        "https://bücher.de/",
    ],
)
def test_fetchable_urls(url: str) -> None:
    assert url_problem(url) is None
