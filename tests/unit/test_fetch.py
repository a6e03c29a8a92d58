"""The HTTP fetcher against a local server: retries, limits, redirects, 304s, landing paths.

No internet: a ThreadingHTTPServer on 127.0.0.1 serves inline fixtures. Time is a fake
clock whose sleep only advances it, so backoff and rate limits cost no real waiting.
"""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from flows.core.feed_fetch import fetch_sources, rejects_frame
from flows.core.fetch import (
    USER_AGENT,
    Fetcher,
    FetchPolicy,
    HostRateLimiter,
)
from flows.core.landing_writer import landing_path, safe_host, write_atomic
from flows.core.readers import parse_paths
from flows.core.reasons import REASON_CODES, Reason
from flows.core.schemas import REJECTS
from flows.core.sources import FeedSource

DAY = date(2024, 12, 6)
NEXT_DAY = date(2024, 12, 7)

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Harbor News</title>
<item><title>Full story</title><link>/full</link><description>Teaser one.</description>
<content:encoded><![CDATA[<p>The whole text of the story.</p>]]></content:encoded></item>
<item><title>Teaser story</title><link>/pages/a1</link><description>Teaser two.</description></item>
<item><title>Relative teaser</title><link>a2.html</link><description>Teaser three.</description></item>
<item><title>Gone teaser</title><link>/pages/gone</link><description>Teaser four.</description></item>
</channel></rss>"""
PAGE = b"<html><head><title>A page</title></head><body><article><p>Full text.</p></article></body></html>"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    send_length: bool = True


Route = Callable[[dict[str, str]], Reply]


@dataclass
class Server:
    """What the test server answers per path, and every request it received."""

    base: str = ""
    routes: dict[str, list[Reply] | Route] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, *replies: Reply) -> str:
        """Replies in order; the last one repeats."""
        self.routes[path] = list(replies)
        return self.url(path)

    def count(self, path: str) -> int:
        return sum(1 for seen, _ in self.requests if seen == path)

    def reply(self, path: str, headers: dict[str, str]) -> Reply:
        with self.lock:
            self.requests.append((path, headers))
            route = self.routes.get(path)
            if route is None:
                return Reply(404, b"not here")
            if callable(route):
                return route(headers)
            return route.pop(0) if len(route) > 1 else route[0]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        state: Server = self.server.state  # type: ignore[attr-defined]
        reply = state.reply(self.path, {k.lower(): v for k, v in self.headers.items()})
        if reply.delay:
            state.stop.wait(reply.delay)
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.send_length:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:  # the client gave up (timeout test): nothing to tell it
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield state
    state.stop.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=2)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def fetcher_for(clock: FakeClock, **policy: Any) -> Fetcher:
    # trust_env=False: a proxy set in the environment must not intercept 127.0.0.1.
    options = {"read_timeout": 2.0, "connect_timeout": 2.0} | policy
    return Fetcher(FetchPolicy(**options), clock=clock, sleep=clock.sleep, trust_env=False)


def sha16(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def test_feed_lands_in_partition_and_reads_like_any_input(
    server: Server, clock: FakeClock, tmp_path: Path
) -> None:
    url = server.serve("/rss.xml", Reply(body=FEED, headers={"ETag": '"v1"'}))
    with fetcher_for(clock) as fetcher:
        outcome = fetch_sources([FeedSource(url)], tmp_path, DAY, {}, fetcher)
    (result,) = outcome.results
    expected = tmp_path / "2024-12-06" / "feeds" / "127.0.0.1" / f"{sha16(url)}.xml"
    assert (result.status, result.path, result.http_status) == ("fetched", expected, 200)
    assert expected.read_bytes() == FEED
    assert outcome.validators == {url: {"etag": '"v1"'}}
    assert outcome.rejects.schema == REJECTS and outcome.rejects.height == 0
    _, headers = server.requests[0]
    assert headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("Wirehouse/") and "+https://" in USER_AGENT
    assert "application/rss+xml" in headers["accept"]
    assert "if-none-match" not in headers
    parsed = parse_paths([expected], max_file_bytes=1 << 20)
    assert parsed.records.height == 4 and parsed.rejects.height == 0
    assert not list(expected.parent.glob(".*")), "no temp file left behind"


def test_a_latin1_feed_keeps_its_accents(server: Server, clock: FakeClock, tmp_path: Path) -> None:
    feed = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel>'
        "<title>Le Café</title><item><title>Été à Genève</title><link>/ete</link>"
        "<description>Déjà vu près du lac.</description></item></channel></rss>"
    ).encode("latin-1")
    headers = {"Content-Type": "application/rss+xml; charset=ISO-8859-1"}
    url = server.serve("/latin1.xml", Reply(body=feed, headers=headers))
    with fetcher_for(clock) as fetcher:
        (result,) = fetch_sources([FeedSource(url)], tmp_path, DAY, {}, fetcher).results
    assert result.status == "fetched" and result.path is not None
    parsed = parse_paths([result.path], max_file_bytes=1 << 20)
    row = parsed.records.row(0, named=True)
    assert (row["title"], row["source_name"]) == ("Été à Genève", "Le Café")
    assert row["summary"] == "Déjà vu près du lac."


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_twice_then_200_is_retried_with_backoff(
    server: Server, clock: FakeClock, tmp_path: Path, status: int
) -> None:
    url = server.serve("/flaky", Reply(status), Reply(status), Reply(body=FEED))
    with fetcher_for(clock, min_host_interval=0) as fetcher:
        got = fetcher.get(url)
    assert (got.status, got.attempts, server.count("/flaky")) == ("fetched", 3, 3)
    # Backoff base 1 s: retry n waits 50-100 % of 2**n s (no rate limit in this test).
    assert len(clock.sleeps) == 2
    assert 0.5 <= clock.sleeps[0] <= 1.0 and 1.0 <= clock.sleeps[1] <= 2.0


def test_backoff_jitter_is_seeded(server: Server, tmp_path: Path) -> None:
    url = server.serve("/down", Reply(503))
    runs = []
    for seed in (7, 7, 8):
        clock = FakeClock()
        with fetcher_for(clock, retries=2, seed=seed, min_host_interval=0) as fetcher:
            assert fetcher.get(url).status == "failed"
        runs.append(clock.sleeps)
    assert runs[0] == runs[1] != runs[2]


@pytest.mark.parametrize(("status", "requests"), [(404, 1), (403, 1), (501, 1), (500, 3)])
def test_permanent_errors_fail_at_once_transient_ones_after_retries(
    server: Server, clock: FakeClock, tmp_path: Path, status: int, requests: int
) -> None:
    url = server.serve("/x", Reply(status))
    with fetcher_for(clock, retries=2) as fetcher:
        outcome = fetch_sources([FeedSource(url)], tmp_path, DAY, {}, fetcher)
    assert server.count("/x") == requests
    (result,) = outcome.results
    assert (result.status, result.reason, result.http_status) == (
        "failed",
        Reason.FETCH_FAILED,
        status,
    )
    row = outcome.rejects.row(0, named=True)
    assert row["input_uri"] == url and row["input_record"] is None and row["raw"] is None
    assert row["reason_code"] == "FETCH_FAILED" and f"HTTP {status}" in row["message"]
    assert ("gave up after 3 attempts" in row["message"]) == (requests == 3)
    assert not (tmp_path / "2024-12-06").exists()


def test_timeout_is_a_transient_failure(server: Server, clock: FakeClock) -> None:
    url = server.serve("/slow", Reply(body=FEED, delay=1.5))
    with fetcher_for(clock, read_timeout=0.3, retries=1) as fetcher:
        got = fetcher.get(url)
    assert (got.status, got.reason, server.count("/slow")) == ("failed", Reason.FETCH_FAILED, 2)
    assert "timed out" in (got.message or "") and "gave up after 2 attempts" in (got.message or "")


def test_connection_refused_is_retried_then_fails(clock: FakeClock) -> None:
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with fetcher_for(clock, retries=1) as fetcher:
        got = fetcher.get(f"http://127.0.0.1:{port}/rss")
    assert got.status == "failed" and got.attempts == 2 and "ConnectError" in (got.message or "")


@pytest.mark.parametrize("send_length", [True, False], ids=["declared", "streamed"])
def test_body_over_the_limit_is_refused(
    server: Server, clock: FakeClock, tmp_path: Path, send_length: bool
) -> None:
    url = server.serve("/big", Reply(body=b"x" * 50_000, send_length=send_length))
    with fetcher_for(clock, max_bytes=1_000) as fetcher:
        outcome = fetch_sources([FeedSource(url)], tmp_path, DAY, {}, fetcher)
    (result,) = outcome.results
    assert (result.status, result.reason, result.path) == ("failed", Reason.FETCH_TOO_LARGE, None)
    assert outcome.rejects.get_column("reason_code").to_list() == ["FETCH_TOO_LARGE"]
    assert "1000-byte limit" in (result.message or "")
    assert server.count("/big") == 1  # too large is not transient
    assert not (tmp_path / "2024-12-06").exists()


def test_conditional_get_gives_not_modified_and_writes_nothing(
    server: Server, clock: FakeClock, tmp_path: Path
) -> None:
    stamp = "Thu, 05 Dec 2024 10:00:00 GMT"

    def conditional(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(body=FEED, headers={"ETag": '"v1"', "Last-Modified": stamp})

    server.routes["/rss.xml"] = conditional
    url = server.url("/rss.xml")
    with fetcher_for(clock) as fetcher:
        first = fetch_sources([FeedSource(url)], tmp_path, DAY, {}, fetcher)
        assert first.validators == {url: {"etag": '"v1"', "last_modified": stamp}}
        second = fetch_sources([FeedSource(url)], tmp_path, NEXT_DAY, first.validators, fetcher)
    (result,) = second.results
    assert (result.status, result.path, result.http_status) == ("not_modified", None, 304)
    assert second.validators == first.validators and second.rejects.height == 0
    assert not (tmp_path / "2024-12-07").exists()
    _, headers = server.requests[-1]
    assert headers["if-none-match"] == '"v1"' and headers["if-modified-since"] == stamp


def test_304_without_validators_is_a_failure(server: Server, clock: FakeClock) -> None:
    url = server.serve("/odd", Reply(304))
    with fetcher_for(clock) as fetcher:
        got = fetcher.get(url)
    assert got.status == "failed" and "not conditional" in (got.message or "")


def test_redirect_is_followed_and_named_by_the_requested_url(
    server: Server, clock: FakeClock, tmp_path: Path
) -> None:
    url = server.serve("/old", Reply(301, headers={"Location": "/new"}))
    server.serve("/new", Reply(body=FEED))
    with fetcher_for(clock) as fetcher:
        outcome = fetch_sources([FeedSource(url)], tmp_path, DAY, {}, fetcher)
    (result,) = outcome.results
    assert result.status == "fetched" and result.final_url == server.url("/new")
    assert result.path is not None and result.path.name == f"{sha16(url)}.xml"


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("file:///etc/passwd", "local files are not fetched"),
        ("gopher://example.com/", "only http and https"),
        ("http://../../etc", "not a valid host"),
        ("", "no Location header"),
    ],
)
def test_redirect_to_a_refused_target_fails(
    server: Server, clock: FakeClock, location: str, message: str
) -> None:
    url = server.serve("/jump", Reply(302, headers={"Location": location} if location else {}))
    with fetcher_for(clock) as fetcher:
        got = fetcher.get(url)
    assert got.status == "failed" and got.reason == Reason.FETCH_FAILED
    assert message in (got.message or "") and server.count("/jump") == 1


def test_redirect_loop_stops_after_max_redirects(server: Server, clock: FakeClock) -> None:
    url = server.serve("/loop", Reply(302, headers={"Location": "/loop"}))
    with fetcher_for(clock) as fetcher:
        got = fetcher.get(url)
    assert got.status == "failed" and "more than 5 redirects" in (got.message or "")
    assert server.count("/loop") == 6


def test_retry_after_is_honoured(server: Server, clock: FakeClock) -> None:
    url = server.serve("/busy", Reply(429, headers={"Retry-After": "7"}), Reply(body=FEED))
    with fetcher_for(clock) as fetcher:
        got = fetcher.get(url)
    assert got.status == "fetched" and clock.sleeps == [7.0]


def test_retry_after_beyond_the_cap_gives_up(server: Server, clock: FakeClock) -> None:
    url = server.serve("/later", Reply(503, headers={"Retry-After": "3600"}))
    with fetcher_for(clock, retry_after_cap=60) as fetcher:
        got = fetcher.get(url)
    assert got.status == "failed" and server.count("/later") == 1 and clock.sleeps == []
    assert "Retry-After 3600 s exceeds the 60 s cap" in (got.message or "")


def test_requests_to_one_host_are_spaced(server: Server, clock: FakeClock) -> None:
    for path in ("/a", "/b", "/c"):
        server.serve(path, Reply(body=FEED))
    with fetcher_for(clock, min_host_interval=1.0) as fetcher:
        for path in ("/a", "/b", "/c"):
            assert fetcher.get(server.url(path)).status == "fetched"
    # The fake clock stands still during real requests, so each wait is the full interval.
    assert clock.sleeps == [1.0, 1.0]


def test_rate_limiter_is_per_host() -> None:
    clock = FakeClock()
    limiter = HostRateLimiter(2.0, clock, clock.sleep)
    limiter.wait("a")
    limiter.wait("b")  # another host: no wait
    clock.now += 0.5
    limiter.wait("a")  # 1.5 s left of a's interval
    limiter.wait("a")
    assert clock.sleeps == [1.5, 2.0]


def test_refused_urls_make_no_request(server: Server, clock: FakeClock, tmp_path: Path) -> None:
    with fetcher_for(clock) as fetcher:
        outcome = fetch_sources(
            [FeedSource("file:///etc/passwd"), FeedSource("http://../../etc")],
            tmp_path,
            DAY,
            {},
            fetcher,
        )
    assert [r.status for r in outcome.results] == ["failed", "failed"]
    assert outcome.rejects.get_column("input_uri").to_list() == [
        "file:///etc/passwd",
        "http://../../etc",
    ]
    assert server.requests == []


def test_fetch_pages_fetches_only_teaser_items_once(
    server: Server, clock: FakeClock, tmp_path: Path
) -> None:
    url = server.serve("/feeds/rss.xml", Reply(body=FEED))
    server.serve("/pages/a1", Reply(body=PAGE, headers={"ETag": '"p1"'}))
    server.serve("/feeds/a2.html", Reply(body=PAGE))
    with fetcher_for(clock) as fetcher:
        first = fetch_sources([FeedSource(url, fetch_pages=True)], tmp_path, DAY, {}, fetcher)
        again = fetch_sources(
            [FeedSource(url, fetch_pages=True)], tmp_path, DAY, first.validators, fetcher
        )
    statuses = {(r.kind, r.url.removeprefix(server.base), r.status) for r in first.results}
    assert statuses == {
        ("feeds", "/feeds/rss.xml", "fetched"),
        ("pages", "/pages/a1", "fetched"),
        ("pages", "/feeds/a2.html", "fetched"),  # relative link resolved against the feed
        ("pages", "/pages/gone", "failed"),
    }
    assert server.count("/full") == 0, "items with full text need no page"
    page = next(r for r in first.results if r.url.endswith("/pages/a1"))
    assert page.path == tmp_path / "2024-12-06" / "pages" / "127.0.0.1" / f"{sha16(page.url)}.html"
    assert page.path.read_bytes() == PAGE and server.requests[1][1]["accept"].startswith(
        "text/html"
    )
    (reject,) = first.rejects.iter_rows(named=True)
    assert reject["input_uri"] == server.url("/pages/gone") and "HTTP 404" in reject["message"]
    assert f"page linked from {url}" in reject["message"]
    assert first.validators[page.url] == {"etag": '"p1"'}
    # Second run: known pages are not requested again; the failed one is retried.
    assert server.count("/pages/a1") == 1 and server.count("/feeds/a2.html") == 1
    assert server.count("/pages/gone") == 2
    skipped = [r for r in again.results if r.kind == "pages" and r.status == "not_modified"]
    assert len(skipped) == 2


def test_fetch_pages_on_a_non_feed_requests_nothing_more(
    server: Server, clock: FakeClock, tmp_path: Path
) -> None:
    url = server.serve("/not-a-feed", Reply(body=PAGE))
    with fetcher_for(clock) as fetcher:
        outcome = fetch_sources([FeedSource(url, fetch_pages=True)], tmp_path, DAY, {}, fetcher)
    # The file still lands: the pipeline's feed reader rejects it (WRONG_TYPE) when it reads it.
    assert [r.status for r in outcome.results] == ["fetched"] and len(server.requests) == 1


def test_rejects_frame_has_exactly_the_rejects_schema() -> None:
    frame = rejects_frame([])
    assert frame.schema == REJECTS and frame.height == 0
    assert {"FETCH_FAILED", "FETCH_TOO_LARGE"} <= set(REASON_CODES)


HOSTILE = [
    "http://../../etc",
    "http://a/..%2f..%2f",
    "http://%2e%2e/%2e%2e/x",
    "http://..%2f..%2fetc/passwd",
    "http://a\\..\\..\\b/",
    "http://.hidden/x",
    "http://user:pw@evil.example/x",
    "http://[::1]:8080/x",
    "http:///no-host",
    "http://" + "a." * 200 + "com/",
    "http://ÉVIL.example/x",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_urls_stay_inside_the_landing_dir(tmp_path: Path, url: str) -> None:
    landing = tmp_path / "landing"
    path = landing_path(landing, DAY, "pages", url)
    partition = (landing / "2024-12-06" / "pages").resolve()
    assert path.resolve().parent.parent == partition
    host = path.parent.name
    assert host not in ("", ".", "..") and not host.startswith(".") and len(host) <= 100
    assert set(host) <= set("abcdefghijklmnopqrstuvwxyz0123456789.-_")
    write_atomic(path, b"<html></html>")
    assert path.read_bytes() == b"<html></html>"
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == [path]


def test_safe_host_examples() -> None:
    assert safe_host("https://News.Example.COM:8443/x") == "news.example.com"
    assert safe_host("http://../../etc") == "unknown-host"
    assert safe_host("http://[::1]/") == "_1"


def test_write_atomic_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "d" / "f.xml"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["f.xml"]
