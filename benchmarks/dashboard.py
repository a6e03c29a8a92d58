"""Dashboard query times on a large published warehouse:
`python -m benchmarks.dashboard [--articles 100000] [--repeat 3] [--browser]`.

Running 100k articles through the flow takes most of an hour (entity extraction), so this
generates a published warehouse of the same shape directly (benchmarks/scale_views.py:
skewed entity popularity, syndicated stories, a year of daily runs, published by the
product's publish files and snapshot writer) and times, per page, the queries that page runs
with the dashboard's defaults, uncached and each on a fresh read-only connection, as the app
does on a new version. With --browser it also starts
`wirehouse dashboard` on it and times each page in headless Chromium, first and second visit
(the second is served from the per-version cache). Writes benchmarks/DASHBOARD.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.scale_views import build
from dashboards.data import run_query
from flows.settings import REPO_ROOT, Settings

RESULTS = Path(__file__).resolve().parent / "DASHBOARD.md"
# Streamlit's app element goes "initial" -> "running" -> "notRunning" for a page load.
RUN_FINISHED = """() => document.querySelector('[data-testid="stApp"]')
    ?.getAttribute('data-test-script-state') === 'notRunning'"""


def page_queries(path: Path) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """The queries each page runs with its defaults (window: all time), as the app sends them."""
    totals = run_query(path, "overview_totals").row(0, named=True)
    window = {"start": totals["first_day"], "end": totals["last_day"]}
    top = run_query(path, "entities_lookup", {"name": "", "limit": 50})
    entity = top["entity_id"][0]
    articles = run_query(
        path,
        "articles_search",
        {"title": "", "source": "", "entity_id": "", "limit": 200, **window},
    )
    article = articles["article_id"][0]
    lookup = [("overview_totals", {}), ("entities_lookup", {"name": "", "limit": 50})]
    return {
        "Overview": [
            ("overview_totals", {}),
            ("overview_last_run", {}),
            ("overview_articles_daily", {**window, "top_sources": 8}),
            ("overview_top_sources", {**window, "limit": 20}),
            ("overview_languages", window),
        ],
        "Entities": [
            ("overview_totals", {}),
            ("entities_top", {**window, "entity_type": "", "limit": 10}),
            ("entities_trending", {"entity_type": "", "limit": 20}),
            *lookup[1:],
            ("entity_detail", {"entity_id": entity}),
            ("entity_daily", {**window, "entity_id": entity}),
            ("entity_tone", {**window, "entity_id": entity}),
            ("entity_cooccurrence", {"entity_id": entity, "limit": 25}),
        ],
        "Map": [("overview_totals", {}), ("map_places", {**window, "limit": 2000})],
        "Articles": [
            *lookup,
            ("articles_sources", {}),
            ("articles_search", {"title": "", "source": "", "entity_id": "", "limit": 200, **window}),
            ("articles_search", {"title": "topic 99", "source": "", "entity_id": entity,
                                 "limit": 200, **window}),
            ("article_detail", {"article_id": article}),
            ("article_mentions", {"article_id": article}),
        ],
        "Data quality": [
            ("quality_runs", {"limit": 50}),
            ("quality_audit", {"load_id": ""}),
            ("quality_audit_history", {}),
            ("quality_rejects", {}),
            ("quality_reject_examples", {"reason_code": "EMPTY_FILE", "limit": 20}),
        ],
    }  # fmt: skip


def time_queries(path: Path, repeat: int) -> list[tuple[str, str, float]]:
    rows = []
    for page, queries in page_queries(path).items():
        for name, params in queries:
            runs = []
            for _ in range(repeat):
                started = time.perf_counter()
                run_query(path, name, params)
                runs.append(time.perf_counter() - started)
            rows.append((page, name, statistics.median(runs)))
    return rows


def time_browser(home: Path) -> list[tuple[str, float, float]]:
    """Seconds until each page has finished rendering: first visit, then again (cached)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, WIREHOUSE_HOME=str(home))
    server = subprocess.Popen(
        [sys.executable, "-m", "flows", "dashboard", "--port", str(port)],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(240):
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}_stcore/health"):
                break
            time.sleep(0.5)
        rows = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(300_000)
            for name, path in [("Overview", ""), ("Entities", "entities"), ("Map", "map"),
                               ("Articles", "articles"), ("Data quality", "quality")]:  # fmt: skip
                visits = []
                for _ in range(2):
                    started = time.perf_counter()
                    page.goto(url + path)
                    page.get_by_test_id("stSidebarNav").wait_for()
                    page.wait_for_function(RUN_FINISHED)
                    visits.append(time.perf_counter() - started)
                rows.append((name, visits[0], visits[1]))
            browser.close()
        return rows
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def render(
    articles: int,
    build_seconds: float,
    size: int,
    counts: dict[str, int],
    queries: list[tuple[str, str, float]],
    browser: list[tuple[str, float, float]],
    repeat: int,
) -> str:
    lines = [
        "# Dashboard query times",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}; duckdb {duckdb.__version__};"
        f" Python {platform.python_version()}. Measured {date.today().isoformat()}.",
        "",
        f"Command: `python -m benchmarks.dashboard --articles {articles} --repeat {repeat}"
        f"{' --browser' if browser else ''}`",
        "",
        f"Generated published version: {counts['articles']:,} articles, {counts['entities']:,}"
        f" entities, {counts['mentions']:,} mentions, {counts['loads']} runs;"
        f" {size / 2**20:,.0f} MiB; built in {build_seconds:.1f} s.",
        "",
        f"Each query: median of {repeat} runs, uncached, on a fresh read-only connection.",
        "",
        "```",
        f"{'page':<14}{'query':<28}{'ms':>9}",
        "-" * 51,
    ]
    totals: dict[str, float] = {}
    for page, name, seconds in queries:
        lines.append(f"{page:<14}{name:<28}{seconds * 1000:>9.1f}")
        totals[page] = totals.get(page, 0.0) + seconds
    lines.append("-" * 51)
    for page, seconds in totals.items():
        lines.append(f"{page:<14}{'(page total, uncached)':<28}{seconds * 1000:>9.1f}")
    lines.append("```")
    if browser:
        lines += [
            "",
            "In headless Chromium, seconds until the page finished rendering (first visit on a"
            " new version; second visit, results cached). The first page a fresh server renders"
            " also pays for importing the chart libraries into it; timings vary with the load"
            " on the machine:",
            "",
            "```",
            f"{'page':<14}{'first':>8}{'again':>8}",
            "-" * 30,
            *(f"{page:<14}{first:>8.2f}{again:>8.2f}" for page, first, again in browser),
            "```",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dashboard")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="also time pages in Chromium")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wirehouse-dash-bench-") as tmp:
        built = build(Settings(home=Path(tmp)), args.articles)
        queries = time_queries(built.snapshot, args.repeat)
        browser = time_browser(built.settings.home) if args.browser else []
        text = render(
            args.articles,
            built.build_seconds,
            built.snapshot.stat().st_size,
            built.counts,
            queries,
            browser,
            args.repeat,
        )
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
