"""Feeds (and their teaser items' pages) fetched into the day's landing partition.

Builds on the polite client in fetch.py: one result per URL, updated validators to remember,
and a REJECTS row per failure so nothing fetched or failed goes unaccounted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import urljoin

import polars as pl

from flows.core.fetch import FEED_ACCEPT, PAGE_ACCEPT, Fetcher, FetchStatus, Validators, one_line
from flows.core.landing_writer import LandingKind, landing_path, write_atomic
from flows.core.readers.feeds import parse_feed
from flows.core.readers.files import Decoded, read_text
from flows.core.reasons import Reason
from flows.core.schemas import REJECTS
from flows.core.sources import FeedSource


@dataclass(frozen=True)
class FetchResult:
    """One URL's outcome; ``path`` is the landing file written (fetched only)."""

    url: str
    final_url: str
    kind: LandingKind
    status: FetchStatus
    path: Path | None = None
    reason: Reason | None = None
    message: str | None = None
    validators: dict[str, str] | None = None
    http_status: int | None = None


@dataclass(frozen=True)
class FetchOutcome:
    """Every result, the validators to remember next time, and a REJECTS row per failure."""

    results: tuple[FetchResult, ...]
    validators: Validators
    rejects: pl.DataFrame

    def count(self, status: FetchStatus) -> int:
        return sum(1 for result in self.results if result.status == status)


def fetch_sources(
    sources: Iterable[FeedSource],
    landing: Path,
    day: date,
    validators: Mapping[str, Mapping[str, str]],
    fetcher: Fetcher,
) -> FetchOutcome:
    """Fetch each feed (and, with fetch_pages, its teaser items' pages) into day's landing.

    ``validators`` is not modified; the outcome carries the updated copy, in which a URL's
    entry changes only once its file is safely written (a crash never loses a body).
    """
    known: Validators = {url: dict(value) for url, value in validators.items()}
    results: list[FetchResult] = []
    for source in sources:
        feed = _fetch_one(fetcher, source.url, "feeds", landing, day, known)
        results.append(feed)
        if source.fetch_pages and feed.status == "fetched" and feed.path is not None:
            for link in teaser_links(feed.path, feed.final_url, fetcher.policy.max_bytes):
                results.append(_fetch_page(fetcher, link, feed.url, landing, day, known))
    return FetchOutcome(tuple(results), known, rejects_frame(results))


def teaser_links(feed_path: Path, base_url: str, max_bytes: int) -> list[str]:
    """Links of the feed's items that carry no full text, resolved against the feed URL.

    parse_feed fills body from summary when an item has no content:encoded, so body equal
    to summary (or no body at all) means "teaser only". A feed the reader cannot parse gives
    no links here; the pipeline rejects the file itself when it reads it.
    """
    decoded = read_text(feed_path, max_bytes)  # the pipeline's own decoding rules
    if not isinstance(decoded, Decoded):
        return []
    frame, _ = parse_feed(str(feed_path), decoded.text)
    teasers = frame.filter(
        pl.col("url").is_not_null()
        & (pl.col("body").is_null() | (pl.col("body") == pl.col("summary")))
    )
    links = (urljoin(base_url, link.strip()) for link in teasers.get_column("url").to_list())
    return list(dict.fromkeys(link for link in links if link))


def rejects_frame(results: Iterable[FetchResult]) -> pl.DataFrame:
    """A REJECTS row per failed URL: input_uri = the URL, no record number, no raw text."""
    rows = [
        {
            "input_uri": result.url,
            "input_record": None,
            "reason_code": (result.reason or Reason.FETCH_FAILED).value,
            "message": result.message or "fetch failed",
            "raw": None,
        }
        for result in results
        if result.status == "failed"
    ]
    return pl.DataFrame(rows, schema=REJECTS)


def _fetch_page(
    fetcher: Fetcher, link: str, feed_url: str, landing: Path, day: date, known: Validators
) -> FetchResult:
    # The warehouse keeps the first copy of an article and never updates it, so a page
    # already fetched (its URL is remembered, this run or an earlier one) is not asked again.
    if link in known:
        message = "page already fetched; not requested again"
        return FetchResult(link, link, "pages", "not_modified", message=message)
    result = _fetch_one(fetcher, link, "pages", landing, day, known)
    if result.status == "failed":
        return replace(result, message=one_line(f"page linked from {feed_url}: {result.message}"))
    return result


def _fetch_one(
    fetcher: Fetcher, url: str, kind: LandingKind, landing: Path, day: date, known: Validators
) -> FetchResult:
    accept = FEED_ACCEPT if kind == "feeds" else PAGE_ACCEPT
    got = fetcher.get(url, known.get(url), accept=accept)
    path = None
    if got.status == "fetched":
        path = landing_path(landing, day, kind, url)
        write_atomic(path, got.body or b"")
    if got.status != "failed":
        known[url] = dict(got.validators or {})
    return FetchResult(
        url=url,
        final_url=got.final_url,
        kind=kind,
        status=got.status,
        path=path,
        reason=got.reason,
        message=got.message,
        validators=got.validators,
        http_status=got.http_status,
    )
