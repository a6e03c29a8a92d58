"""The sources file: which feeds to fetch over HTTP, one ``[[feed]]`` table per feed.

A bad entry stops the whole file with a ValueError naming it, before any request is made:
a typo in a sources file is the operator's mistake, not a reject of some input.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

_KEYS = frozenset({"url", "name", "fetch_pages"})
# One DNS label: letters, digits and inner hyphens (IDN hosts are checked in their ASCII form).
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True)
class FeedSource:
    """One feed to fetch; ``fetch_pages`` also fetches the linked page of teaser-only items."""

    url: str
    name: str | None = None
    fetch_pages: bool = False


def load_sources(path: Path) -> list[FeedSource]:
    """Read and check a sources file; errors name the file and the entry."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read sources file {path}: {exc}") from exc
    return parse_sources(text, origin=str(path))


def parse_sources(text: str, origin: str = "sources") -> list[FeedSource]:
    """TOML text -> feeds in file order; an empty file means no feeds."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{origin}: not valid TOML: {exc}") from exc
    unknown = sorted(set(document) - {"feed"})
    if unknown:
        raise ValueError(f"{origin}: unknown top-level key(s) {unknown}; expected [[feed]] tables")
    entries = document.get("feed", [])
    if not isinstance(entries, list):
        raise ValueError(f"{origin}: 'feed' must be an array of tables ([[feed]])")
    sources: list[FeedSource] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, 1):
        source = _source(entry, f"{origin}: feed #{number}")
        if source.url in seen:
            # Both would land in the same file; a repeat is a copy-paste slip worth reporting.
            raise ValueError(
                f"{origin}: feed #{number} repeats the url of feed #{seen[source.url]}: "
                f"{source.url}"
            )
        seen[source.url] = number
        sources.append(source)
    return sources


def _source(entry: Any, where: str) -> FeedSource:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: must be a table with a url")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(_KEYS)}")
    url = entry.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ValueError(f"{where}: 'url' is required and must be a non-empty string")
    url = url.strip()
    problem = url_problem(url)
    if problem:
        raise ValueError(f"{where} (url = {url!r}): {problem}")
    name = entry.get("name")
    if name is not None and not isinstance(name, str):
        raise ValueError(f"{where} (url = {url!r}): 'name' must be a string")
    fetch_pages = entry.get("fetch_pages", False)
    if not isinstance(fetch_pages, bool):
        raise ValueError(f"{where} (url = {url!r}): 'fetch_pages' must be true or false")
    return FeedSource(url=url, name=(name or "").strip() or None, fetch_pages=fetch_pages)


def url_problem(url: str) -> str | None:
    """Why a URL cannot be fetched, or None: only absolute http(s) URLs with a real host.

    Local files are plain inputs of `wirehouse run`, never fetched; credentials in a URL
    would end up stored in rejects and validators, so they are refused too.
    """
    if any(ch.isspace() for ch in url):
        return "a URL must not contain whitespace"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file" or not scheme:
        return "local files are not fetched; pass local paths to `wirehouse run` instead"
    if scheme not in ("http", "https"):
        return f"only http and https URLs are fetched, not {scheme}:"
    if "@" in parts.netloc:
        return "credentials in URLs are not allowed"
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"bad host or port: {exc}"
    if not host or not _valid_host(host):
        return f"{host or '(empty)'!r} is not a valid host name"
    return None


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.lower().removesuffix(".").split(".")
    return all(_LABEL.match(label) for label in labels)
