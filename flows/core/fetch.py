"""Polite, bounded HTTP fetching of feeds (and their teaser items' pages) into landing.

Reliability and manners in one place: every request names Wirehouse in its User-Agent,
waits its turn per host, sends the validators of the last fetch so unchanged feeds cost a
304, retries only what may pass with time (connect errors, timeouts, 429, 5xx) with
jittered exponential backoff, and stops reading at a size cap. A URL that cannot be
fetched becomes a reject row (the URL as input_uri), never an exception; only a landing
folder that cannot be written raises, since that is the operator's problem, not the URL's.
Synchronous and Prefect-free: a flow task wraps ``fetch_sources``.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from importlib import metadata
from types import TracebackType
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

from flows.core.reasons import Reason
from flows.core.sources import url_problem

FetchStatus = Literal["fetched", "not_modified", "failed"]
Validators = dict[str, dict[str, str]]
"""{url: {"etag": ..., "last_modified": ...}}; a key with {} = fetched, no validators given."""


def _package_version() -> str:
    try:
        return metadata.version("wirehouse")
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"


USER_AGENT = f"Wirehouse/{_package_version()} (+https://github.com/wirehouse; news warehouse)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# 501 and 505 say the server will never do this; the other 5xx (and 429) may pass with time.
_PERMANENT_5XX = frozenset({501, 505})
_MESSAGE_CHARS = 300


@dataclass(frozen=True)
class FetchPolicy:
    """Knobs of the fetcher; the defaults are what a polite crawler uses."""

    connect_timeout: float = 10.0
    read_timeout: float = 10.0  # per read: a silent server fails after this long
    max_seconds: float = 120.0  # whole body: a server trickling bytes fails after this long
    retries: int = 3  # extra attempts after the first, for transient errors only
    backoff_base: float = 1.0  # retry n waits base * 2**n seconds, jittered to 50-100 %
    backoff_cap: float = 30.0
    retry_after_cap: float = 120.0  # a longer Retry-After gives up rather than retry early
    min_host_interval: float = 1.0  # seconds between request starts to the same host
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    seed: int = 0  # jitter is derived from (seed, url, attempt): runs are reproducible
    user_agent: str = USER_AGENT

    def __post_init__(self) -> None:
        if self.retries < 0 or self.max_redirects < 0 or self.max_bytes <= 0:
            raise ValueError("retries and max_redirects must be >= 0 and max_bytes > 0")


@dataclass(frozen=True)
class Fetched:
    """What one GET (with its retries and redirects) gave; ``body`` only when fetched."""

    url: str
    final_url: str
    status: FetchStatus
    body: bytes | None = None
    validators: dict[str, str] | None = None
    reason: Reason | None = None
    message: str | None = None
    http_status: int | None = None
    attempts: int = 1


@dataclass(frozen=True)
class _Transient:
    """A failure worth retrying; ``retry_after`` is the server's own wish, in seconds."""

    final_url: str
    message: str
    retry_after: float | None = None
    http_status: int | None = None


class HostRateLimiter:
    """At least ``min_interval`` seconds between request starts to one host."""

    def __init__(
        self, min_interval: float, clock: Callable[[], float], sleep: Callable[[float], None]
    ) -> None:
        self._min_interval = min_interval
        self._clock = clock
        self._sleep = sleep
        self._next_start: dict[str, float] = {}

    def wait(self, host: str) -> None:
        ready = self._next_start.get(host)
        now = self._clock()
        if ready is not None and ready > now:
            self._sleep(ready - now)
            now = max(ready, self._clock())
        self._next_start[host] = now + self._min_interval


class Fetcher:
    """An httpx.Client with manners; use as a context manager or call ``close()``.

    ``clock``/``sleep`` (monotonic seconds) are injectable so tests never really wait;
    ``transport`` lets tests swap the network (e.g. ``httpx.MockTransport``).
    """

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
        trust_env: bool = True,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._clock = clock
        self._sleep = sleep
        self._limiter = HostRateLimiter(self.policy.min_host_interval, clock, sleep)
        self._client = httpx.Client(
            headers={"User-Agent": self.policy.user_agent},
            timeout=httpx.Timeout(self.policy.read_timeout, connect=self.policy.connect_timeout),
            follow_redirects=False,  # followed by hand: each hop is checked and rate-limited
            transport=transport,
            trust_env=trust_env,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self, url: str, validators: Mapping[str, str] | None = None, accept: str = FEED_ACCEPT
    ) -> Fetched:
        """GET one URL, conditionally when validators are given; never raises for the URL."""
        problem = url_problem(url)
        if problem:
            return _failed(url, url, Reason.FETCH_FAILED, f"refused: {problem}")
        known = dict(validators or {})
        headers = {"Accept": accept} | _conditional_headers(known)
        attempt = 1
        while True:
            outcome = self._attempt(url, headers, known)
            if isinstance(outcome, Fetched):
                return replace(outcome, attempts=attempt)
            wait, give_up = self._retry_wait(url, attempt, outcome)
            if give_up:
                reason = Reason.FETCH_FAILED
                return _failed(
                    url, outcome.final_url, reason, give_up, outcome.http_status, attempt
                )
            self._sleep(wait)
            attempt += 1

    def _retry_wait(self, url: str, attempt: int, outcome: _Transient) -> tuple[float, str | None]:
        """Seconds to wait before the next attempt, or why there is none.

        A Retry-After beyond the cap gives up: retrying sooner than the server asked is rude,
        and waiting longer than the cap would stall the whole run for one feed.
        """
        if attempt > self.policy.retries:
            return 0.0, f"{outcome.message}; gave up after {attempt} attempts"
        wait = self._backoff(url, attempt - 1)
        if outcome.retry_after is not None:
            if outcome.retry_after > self.policy.retry_after_cap:
                cap = self.policy.retry_after_cap
                return 0.0, (
                    f"{outcome.message}; Retry-After {outcome.retry_after:.0f} s exceeds the "
                    f"{cap:.0f} s cap, not retried"
                )
            wait = max(wait, outcome.retry_after)
        return wait, None

    def _attempt(
        self, url: str, headers: dict[str, str], known: dict[str, str]
    ) -> Fetched | _Transient:
        """One try: follow up to max_redirects hops by hand, checking each target."""
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            self._limiter.wait(urlsplit(current).hostname or "")
            try:
                with self._client.stream("GET", current, headers=headers) as response:
                    if response.status_code not in _REDIRECTS:
                        return self._read(url, current, response, known)
                    location = response.headers.get("location", "").strip()
                    target = urljoin(current, location)
                    problem = url_problem(target) if location else "no Location header"
                    if problem:
                        message = (
                            f"HTTP {response.status_code} redirect to {target!r} refused: {problem}"
                        )
                        return _failed(
                            url,
                            current,
                            Reason.FETCH_FAILED,
                            one_line(message),
                            response.status_code,
                        )
                    current = target
            except httpx.TimeoutException as exc:
                return _Transient(current, f"timed out ({type(exc).__name__})")
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                return _Transient(current, one_line(f"{type(exc).__name__}: {exc}"))
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                message = one_line(f"{type(exc).__name__}: {exc}")
                return _failed(url, current, Reason.FETCH_FAILED, message)
        message = f"more than {self.policy.max_redirects} redirects"
        return _failed(url, current, Reason.FETCH_FAILED, message)

    def _read(
        self, url: str, current: str, response: httpx.Response, known: dict[str, str]
    ) -> Fetched | _Transient:
        code = response.status_code
        status_text = one_line(f"HTTP {code} {response.reason_phrase}")
        if code == 304:
            if not known:
                message = f"{status_text} to a request that was not conditional"
                return _failed(url, current, Reason.FETCH_FAILED, message, code)
            fresh = known | _response_validators(response)
            return Fetched(url, current, "not_modified", validators=fresh, http_status=code)
        if code == 429 or (500 <= code <= 599 and code not in _PERMANENT_5XX):
            return _Transient(current, status_text, _retry_after(response), code)
        if not 200 <= code <= 299:
            return _failed(url, current, Reason.FETCH_FAILED, status_text, code)
        return self._read_body(url, current, response)

    def _read_body(self, url: str, current: str, response: httpx.Response) -> Fetched:
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            message = f"Content-Length {declared} bytes exceeds the {limit}-byte limit"
            return _failed(url, current, Reason.FETCH_TOO_LARGE, message, response.status_code)
        deadline = self._clock() + self.policy.max_seconds
        body = bytearray()
        # iter_bytes() undoes Content-Encoding, so the cap also bounds gzip bombs.
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > limit:
                message = f"body exceeds the {limit}-byte limit; stopped reading"
                return _failed(url, current, Reason.FETCH_TOO_LARGE, message, response.status_code)
            if self._clock() > deadline:
                message = f"body took longer than {self.policy.max_seconds:.0f} s; stopped reading"
                return _failed(url, current, Reason.FETCH_FAILED, message, response.status_code)
        validators = _response_validators(response)
        return Fetched(
            url, current, "fetched", bytes(body), validators, http_status=response.status_code
        )

    def _backoff(self, url: str, attempt: int) -> float:
        """Exponential, capped, with 'equal jitter' from a seed: never near zero, reproducible."""
        delay = min(self.policy.backoff_cap, self.policy.backoff_base * 2**attempt)
        rng = random.Random(f"{self.policy.seed}:{url}:{attempt}")
        return delay / 2 + rng.uniform(0, delay / 2)


def _conditional_headers(known: Mapping[str, str]) -> dict[str, str]:
    headers = {}
    if known.get("etag"):
        headers["If-None-Match"] = known["etag"]
    if known.get("last_modified"):
        headers["If-Modified-Since"] = known["last_modified"]
    return headers


def _response_validators(response: httpx.Response) -> dict[str, str]:
    found = {
        "etag": response.headers.get("etag"),
        "last_modified": response.headers.get("last-modified"),
    }
    return {key: value for key, value in found.items() if value}


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds (delta-seconds or an HTTP date); None when absent or unreadable."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - time.time())


def _failed(
    url: str,
    final_url: str,
    reason: Reason,
    message: str,
    http_status: int | None = None,
    attempts: int = 1,
) -> Fetched:
    return Fetched(
        url,
        final_url,
        "failed",
        reason=reason,
        message=message,
        http_status=http_status,
        attempts=attempts,
    )


def one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= _MESSAGE_CHARS else line[: _MESSAGE_CHARS - 1] + "…"
