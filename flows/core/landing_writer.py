"""Where fetched bodies land, and writing them there atomically.

``<landing>/<YYYY-MM-DD>/feeds/<host>/<sha256(url)[:16]>.xml`` (pages: ``pages/…/.html``):
the same partition `wirehouse run --date` reads, so fetched files are ordinary inputs. The
name depends only on the requested URL, so a re-fetch replaces its file instead of piling up
copies. Whatever a URL contains, the path stays inside the landing folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

LandingKind = Literal["feeds", "pages"]
SUFFIXES: dict[LandingKind, str] = {"feeds": ".xml", "pages": ".html"}
_UNSAFE = re.compile(r"[^a-z0-9.-]+")
_DOTS = re.compile(r"\.{2,}")
_MAX_HOST_CHARS = 100
UNKNOWN_HOST = "unknown-host"


def landing_path(landing: Path, day: date, kind: LandingKind, url: str) -> Path:
    """The file a URL's body lands in; raises ValueError if it would escape the landing dir."""
    if kind not in SUFFIXES:
        raise ValueError(f"unknown landing kind {kind!r}")
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    # Same layout as flows.intervals.partition_dir: <landing>/<YYYY-MM-DD>/.
    path = landing / day.isoformat() / kind / safe_host(url) / f"{digest}{SUFFIXES[kind]}"
    # Defence in depth: safe_host already rules out separators and "..".
    if not path.resolve().is_relative_to(landing.resolve()):
        raise ValueError(f"landing path for {url!r} escapes {landing}")
    return path


def safe_host(url: str) -> str:
    """The URL's host as one harmless folder name: lower-case [a-z0-9.-], no leading dot
    (discovery skips hidden folders), never "." or "..", bounded length."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    host = _UNSAFE.sub("_", host.lower())
    host = _DOTS.sub(".", host).strip(".")[:_MAX_HOST_CHARS].strip(".")
    return host or UNKNOWN_HOST


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a hidden temp file beside the target, fsync, then os.replace.

    A reader (or a crash) never sees a half-written file under the final name, and the
    hidden temp name keeps discovery from picking up leftovers.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
