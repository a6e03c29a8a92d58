"""Which extractor produced an article's body, by input format, with its version.

Stored on every article (`articles.extractor`) so a body can be traced to the code that
produced it, and re-extracted when that code improves.
"""

from __future__ import annotations

from importlib import metadata

import polars as pl


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


_WIREHOUSE = _version("wirehouse")

EXTRACTORS: dict[str, str] = {
    "text": f"wirehouse text reader {_WIREHOUSE}",
    "jsonl": f"wirehouse jsonl reader {_WIREHOUSE}",
    "csv": f"wirehouse csv reader {_WIREHOUSE}",
    "feed": f"feedparser {_version('feedparser')}",
    "html": f"trafilatura {_version('trafilatura')}",
}


def extractor_expr(input_format: pl.Expr) -> pl.Expr:
    return input_format.replace_strict(EXTRACTORS, default=None, return_dtype=pl.String)
