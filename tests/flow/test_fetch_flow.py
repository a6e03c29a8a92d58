"""Feeds fetched by the flow: files land in the day's partition, load like any input, are
asked for conditionally next time, and a failing URL becomes a reject row."""

from __future__ import annotations

import pytest

from flows.core.sources import FeedSource
from flows.settings import Settings
from tests.flow.helpers import rows, run
from tests.unit.test_feeds import RSS2
from tests.unit.test_fetch import Reply, Server, server  # noqa: F401 - the server fixture

pytestmark = [pytest.mark.flow]


def test_feed_urls_are_fetched_loaded_and_asked_for_conditionally(
    settings: Settings,
    server: Server,  # noqa: F811
) -> None:
    feed = server.serve(
        "/rss.xml",
        Reply(body=RSS2.encode(), headers={"ETag": '"v1"'}),
    )
    missing = server.url("/gone.xml")
    feeds = (FeedSource(feed), FeedSource(missing))
    fetching = settings.with_(feeds=feeds)

    state, report = run([], fetching)
    assert state.is_completed() and report.status == "published", report
    assert report.n_loaded >= 2
    landed = {uri for (uri,) in rows(settings, "select distinct input_uri from articles")}
    day = settings.logical_date.date().isoformat()
    assert all(f"/landing/{day}/feeds/127.0.0.1/" in uri for uri in landed)
    failed = rows(
        settings, "select input_uri, message from rejects where reason_code = 'FETCH_FAILED'"
    )
    assert [uri for uri, _ in failed] == [missing] and "404" in failed[0][1]
    n_rejects = rows(settings, "select count(*) from rejects")[0][0]
    assert report.n_records == report.n_loaded + report.n_duplicates + n_rejects
    assert rows(settings, "select url, etag from fetch_validators") == [(feed, '"v1"')]

    server.serve("/rss.xml", Reply(304))
    state, again = run([], fetching)
    assert again.n_loaded == 0
    *_, headers = [h for path, h in server.requests if path == "/rss.xml"]
    assert headers.get("if-none-match") == '"v1"'
