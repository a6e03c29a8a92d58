"""URL canonicalization, publication dates and language detection (Polars expressions)."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from flows.core.dates import parse_published
from flows.core.language import LANGUAGES, detect_languages
from flows.core.schemas import UTC_TS
from flows.core.urls import canonical_url, url_domain

# (input, canonical URL)
URL_CASES: list[tuple[str | None, str | None]] = [
    ("https://example.com/a", "https://example.com/a"),
    ("HTTP://Example.COM/Path/To", "http://example.com/Path/To"),
    ("HTTPS://EXAMPLE.COM/A?B=1", "https://example.com/A?B=1"),
    ("http://example.com:80/a", "http://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("https://example.com:8443/a", "https://example.com:8443/a"),
    ("http://example.com:8080", "http://example.com:8080/"),
    ("https://example.com/a#section-2", "https://example.com/a"),
    ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
    ("https://example.com/a?z=1&z=0", "https://example.com/a?z=0&z=1"),
    (
        "https://example.com/a?utm_source=x&utm_medium=y&id=7&at_campaign=c&fbclid=f&gclid=g",
        "https://example.com/a?id=7",
    ),
    ("https://example.com/a?UTM_Source=x", "https://example.com/a"),
    ("https://example.com/a?utm_source=x#frag", "https://example.com/a"),
    ("https://example.com/a?", "https://example.com/a"),
    ("https://example.com/a?&&b=1&", "https://example.com/a?b=1"),
    ("https://example.com/a?attach=1", "https://example.com/a?attach=1"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com?x=1", "https://example.com/?x=1"),
    ("https://example.com./a", "https://example.com/a"),
    ("  https://example.com/a  ", "https://example.com/a"),
    ("ftp://example.com/a", None),
    ("mailto:desk@example.com", None),
    ("javascript:void(0)", None),
    ("//example.com/a", None),
    ("example.com/a", None),
    ("https://", None),
    ("https://exa mple.com/a", None),
    ("", None),
    (None, None),
]


def _canonical(values: list[str | None]) -> list[str | None]:
    frame = pl.DataFrame({"u": values}, schema={"u": pl.String})
    return frame.select(canonical_url(pl.col("u"))).to_series().to_list()


@pytest.mark.parametrize(("url", "expected"), URL_CASES)
def test_canonical_url(url: str | None, expected: str | None) -> None:
    assert _canonical([url]) == [expected]


def test_canonical_url_is_idempotent() -> None:
    first = _canonical([u for u, _ in URL_CASES])
    assert _canonical(first) == first


def test_same_article_links_agree() -> None:
    links = [
        "https://www.example.com/story?id=5&utm_source=tw",
        "HTTPS://WWW.EXAMPLE.COM:443/story?utm_medium=social&id=5#comments",
        "https://www.example.com/story?fbclid=abc&id=5",
    ]
    assert len(set(_canonical(links))) == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com:80/a", "https://example.com:80/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
    ],
)
def test_canonical_url_keeps_non_default_port(url: str, expected: str) -> None:
    assert _canonical([url]) == [expected]


# (canonical URL, domain)
DOMAIN_CASES: list[tuple[str | None, str | None]] = [
    ("https://www.bbc.co.uk/news", "bbc.co.uk"),
    ("https://news.example.com/a", "news.example.com"),
    ("http://example.com/", "example.com"),
    ("https://example.com:8443/a", "example.com"),
    ("https://www.example.com?x=1", "example.com"),
    ("https://wwwexample.com/", "wwwexample.com"),
    (None, None),
]


@pytest.mark.parametrize(("url", "domain"), DOMAIN_CASES)
def test_url_domain(url: str | None, domain: str | None) -> None:
    frame = pl.DataFrame({"u": [url]}, schema={"u": pl.String})
    assert frame.select(url_domain(pl.col("u"))).item() == domain


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


# (raw value, expected UTC instant)
DATE_CASES: list[tuple[str | None, datetime | None]] = [
    ("2024-12-05T10:30:00+02:00", _utc(2024, 12, 5, 8, 30)),
    ("2024-12-05T10:30:00-05:00", _utc(2024, 12, 5, 15, 30)),
    ("2024-12-05T10:30:00+0530", _utc(2024, 12, 5, 5, 0)),
    ("2024-12-05T10:30+01:00", _utc(2024, 12, 5, 9, 30)),
    ("2024-12-05T10:30:00Z", _utc(2024, 12, 5, 10, 30)),
    ("2024-12-05T10:30Z", _utc(2024, 12, 5, 10, 30)),
    ("2024-12-05T10:30:00.123456Z", _utc(2024, 12, 5, 10, 30, 0, 123456)),
    ("2024-12-05T10:30:00.5+01:00", _utc(2024, 12, 5, 9, 30, 0, 500000)),
    ("2024-12-05 10:30:00 UTC", _utc(2024, 12, 5, 10, 30)),
    ("Thu, 05 Dec 2024 10:30:00 GMT", _utc(2024, 12, 5, 10, 30)),
    ("Thu, 5 Dec 2024 10:30:00 GMT", _utc(2024, 12, 5, 10, 30)),
    ("Thu, 05 Dec 2024 10:30:00 +0100", _utc(2024, 12, 5, 9, 30)),
    ("Thu, 05 Dec 2024 22:30:00 -0500", _utc(2024, 12, 6, 3, 30)),
    ("Thu, 05 Dec 2024 10:30 GMT", _utc(2024, 12, 5, 10, 30)),
    ("05 Dec 2024 10:30:00 +0000", _utc(2024, 12, 5, 10, 30)),
    # Naive values are UTC.
    ("2024-12-05T10:30:00", _utc(2024, 12, 5, 10, 30)),
    ("2024-12-05 10:30:00", _utc(2024, 12, 5, 10, 30)),
    ("2024-12-05 10:30", _utc(2024, 12, 5, 10, 30)),
    ("2024-12-05T10:30:00.25", _utc(2024, 12, 5, 10, 30, 0, 250000)),
    ("2024-12-05", _utc(2024, 12, 5)),
    ("2024/12/05", _utc(2024, 12, 5)),
    ("5 December 2024", _utc(2024, 12, 5)),
    ("5 Dec 2024", _utc(2024, 12, 5)),
    ("December 5, 2024", _utc(2024, 12, 5)),
    ("Dec 5, 2024", _utc(2024, 12, 5)),
    ("05.12.2024", _utc(2024, 12, 5)),
    ("  2024-12-05  ", _utc(2024, 12, 5)),
    ("garbage", None),
    ("2024-13-45", None),
    ("yesterday", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("value", "expected"), DATE_CASES)
def test_parse_published(value: str | None, expected: datetime | None) -> None:
    frame = pl.DataFrame({"d": [value]}, schema={"d": pl.String})
    out = frame.select(parse_published(pl.col("d")))
    assert out.schema.dtypes() == [UTC_TS]
    assert out.item() == expected


def test_parse_published_batch_keeps_length() -> None:
    values = [v for v, _ in DATE_CASES]
    frame = pl.DataFrame({"d": values}, schema={"d": pl.String})
    assert frame.select(parse_published(pl.col("d"))).to_series().to_list() == [
        e for _, e in DATE_CASES
    ]


def test_parse_published_naive_iso_minutes() -> None:
    frame = pl.DataFrame({"d": ["2024-12-05T10:30"]})
    assert frame.select(parse_published(pl.col("d"))).item() == _utc(2024, 12, 5, 10, 30)


# (text, expected language)
LANGUAGE_CASES: list[tuple[str | None, str]] = [
    ("The minister said that the plan was ready and the vote is set for the spring.", "en"),
    ("Le ministre a dit que la réforme est prête pour les élections dans la région.", "fr"),
    ("Der Minister sagte, dass die Reform nicht mit den Plänen von der Regierung passt.", "de"),
    (
        "El ministro dijo que los planes de la reforma para las elecciones son como se esperaba.",
        "es",
    ),
    ("Il ministro ha detto che la riforma della legge per gli elettori non è pronta.", "it"),
    ("Министр заявил, что реформа будет готова к весне.", "ru"),
    ("", "und"),
    (None, "und"),
    ("12345 678 90 2024", "und"),
    ("Hama", "und"),
    ("   \n\t ", "und"),
]


@pytest.mark.parametrize(("text", "language"), LANGUAGE_CASES)
def test_detect_language(text: str | None, language: str) -> None:
    assert detect_languages(pl.Series([text], dtype=pl.String)).to_list() == [language]


def test_detect_languages_keeps_length_and_order() -> None:
    texts = [t for t, _ in LANGUAGE_CASES]
    # Reversed and repeated so a join that reorders rows would show.
    batch = texts[::-1] + texts
    expected = [lang for _, lang in LANGUAGE_CASES][::-1] + [lang for _, lang in LANGUAGE_CASES]
    out = detect_languages(pl.Series(batch, dtype=pl.String))
    assert out.len() == len(batch)
    assert out.to_list() == expected
    assert set(out.to_list()) <= set(LANGUAGES)


def test_detect_languages_empty_series() -> None:
    assert detect_languages(pl.Series([], dtype=pl.String)).to_list() == []


def test_url_and_date_expressions_keep_the_input_column_name() -> None:
    frame = pl.DataFrame({"link": ["HTTP://A.example/x"], "when": ["2024-12-05"]})
    out = frame.select(canonical_url(pl.col("link")), parse_published(pl.col("when")))
    assert out.columns == ["link", "when"]
    assert out.row(0) == ("http://a.example/x", _utc(2024, 12, 5))
