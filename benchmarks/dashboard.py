"""Dashboard query times on a large published warehouse:
`python -m benchmarks.dashboard [--articles 100000] [--repeat 3] [--browser]`.

Running 100k articles through the flow takes most of an hour (entity extraction), so this
generates a published version of the same shape directly (skewed entity popularity,
syndicated stories, a year of days, a few hundred runs) and times, per page, the queries
that page runs with the dashboard's defaults, uncached and each on a fresh read-only
connection, as the app does on a new version. With --browser it also starts
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

from dashboards.data import current_snapshot, run_query
from flows.settings import REPO_ROOT, Settings
from flows.snapshots import point_readers_at, version_path
from flows.warehouse import migrate, run_sql_file, sql_files

RESULTS = Path(__file__).resolve().parent / "DASHBOARD.md"
# Streamlit's app element goes "initial" -> "running" -> "notRunning" for a page load.
RUN_FINISHED = """() => document.querySelector('[data-testid="stApp"]')
    ?.getAttribute('data-test-script-state') === 'notRunning'"""

# Generation only (a benchmark fixture, not warehouse logic): parameters are bound.
GENERATE = [
    """
    insert into entities by name
    select
        'e' || i as entity_id,
        'Entity ' || i as canonical_name,
        ['PERSON', 'ORG', 'GPE', 'LOC', 'NORP', 'MISC'][1 + i % 6] as entity_type,
        ['alias ' || i] as aliases,
        case when i % 6 in (2, 3) then 90 - 180 * random() end as latitude,
        case when i % 6 in (2, 3) then 180 - 360 * random() end as longitude
    from range($entities) as t(i)
    """,
    """
    insert into loads (load_id, started_at, finished_at, status, logical_date, n_loaded,
                       audit_success, audit_summary, published_version)
    select 'load-' || d, $first::timestamptz + to_days(d::int), $first::timestamptz
           + to_days(d::int) + interval 5 minute, 'published', $first::timestamptz
           + to_days(d::int), $articles // $days, true, 'all 32 expectations passed', d + 1
    from range($days) as t(d)
    """,
    """
    insert into articles by name
    select
        'a' || i as article_id,
        'https://news.example/' || i as url,
        'Source ' || (floor(200 * pow(random(), 2)))::int as source_name,
        'Story ' || i || ' about topic ' || (i % 997) as title,
        repeat('Officials said the plan would be reviewed next week. ', 40) as body,
        $first::timestamptz + to_days((i % $days)::int) + to_hours((i % 24)::int)
            as published_at,
        now() as ingested_at,
        ['en', 'en', 'en', 'fr', 'de', 'es'][1 + i % 6] as language,
        360 as word_count,
        md5(i::varchar) as content_hash,
        'a' || case when i % 10 < 3 then i - i % 10 else i end as story_id,  -- 30% syndicated
        random() * 2 - 1 as tone,
        'load-' || (i % $days) as load_id,
        $first::timestamptz + to_days((i % $days)::int) as interval_start,
        '/in/' || i || '.txt' as input_uri
    from range($articles) as t(i)
    """,
    """
    insert into mentions by name
    select
        'm' || a || '-' || k as mention_id,
        'a' || a as article_id,
        'e' || (floor($entities * pow(random(), 3)))::int as entity_id,
        'Entity' as surface,
        k * 20 as start_char,
        k * 20 + 6 as end_char,
        k = 0 as in_title,
        k as sentence_index,
        1.0 as confidence,
        random() * 2 - 1 as tone,
        'load-0' as load_id
    from range($articles) as t(a), range($mentions_per_article) as u(k)
    """,
    """
    insert into audit_results by name
    select
        l.load_id, 'articles' as suite, 'expectation_' || k as expectation,
        'column_' || k as column_name, true as success, 0 as unexpected_count
    from loads as l, range(32) as t(k)
    """,
    """
    insert into rejects by name
    select
        'load-' || (i % $days) as load_id, '/in/bad-' || i || '.txt' as input_uri,
        ['EMPTY_FILE', 'MISSING_BODY', 'MALFORMED_JSON'][1 + i % 3] as reason_code,
        'bad' as message, 'raw text' as raw
    from range($articles // 20) as t(i)
    """,
]


def build(settings: Settings, articles: int, days: int = 365) -> Path:
    path = version_path(settings, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    params = {
        "articles": articles,
        "entities": max(1000, articles // 5),
        "mentions_per_article": 12,
        "days": days,
        "first": "2024-01-01 00:00:00+00",
    }
    with duckdb.connect(str(path)) as con:
        migrate(con)
        con.execute("select setseed(0.42)")
        for statement in GENERATE:
            names = {key: value for key, value in params.items() if f"${key}" in statement}
            con.execute(statement, names)
        for name in sql_files("views"):
            run_sql_file(con, name)
    point_readers_at(settings, 1)
    return path


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
        settings = Settings(home=Path(tmp))
        started = time.perf_counter()
        path = build(settings, args.articles)
        build_seconds = time.perf_counter() - started
        snapshot = current_snapshot(settings)
        assert snapshot is not None
        with duckdb.connect(str(path), read_only=True) as con:
            counts = {
                table: con.execute(f"select count(*) from {table}").fetchone()[0]
                for table in ("articles", "entities", "mentions", "loads")
            }
        queries = time_queries(snapshot.path, args.repeat)
        browser = time_browser(settings.home) if args.browser else []
        text = render(
            args.articles,
            build_seconds,
            path.stat().st_size,
            counts,
            queries,
            browser,
            args.repeat,
        )
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
