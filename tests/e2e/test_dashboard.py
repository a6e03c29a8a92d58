"""The dashboard in a real browser: every page renders the warehouse's data, filters cannot
inject SQL, and a run that publishes while a page is open shows up without a restart.

Drives Debian's Chromium through Playwright (no browser download). Screenshots go to
tests/artifacts/dashboard/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from flows.settings import REPO_ROOT, SAMPLE_DIR
from tests.conftest import SHARED_DATA
from tests.e2e.cli import Running, query_json, run_in_group, start_group
from tests.fixtures.inputs import jsonl_record, write_good_corpus, write_jsonl, write_malformed

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.browser]

ARTIFACTS = REPO_ROOT / "tests" / "artifacts" / "dashboard"
TIMEOUT_MS = 90_000
INJECTION = "'; drop table articles; --"
# Streamlit's own error boxes and tracebacks; a page may show none of them.
ERROR_SELECTORS = ('[data-testid="stException"]', '[data-testid="stAlertContentError"]')
ERROR_TEXTS = ("Traceback", "Page not found", "Exception:")
REAL_FEEDS = 3  # feeds from ../shared/data/corpora/news-feeds, when that corpus is present


def chromium_executable() -> str:
    """Debian's Chromium (or WIREHOUSE_CHROMIUM); skip only when there is no browser."""
    candidates = [os.environ.get("WIREHOUSE_CHROMIUM"), shutil.which("chromium")]
    candidates += [shutil.which("chromium-browser"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip("no Chromium on this machine (install Debian's `chromium` package)")


@dataclass
class Dashboard:
    url: str
    env: dict[str, str]
    published: Path
    server: Running


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(url: str, server: Running, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            done = server.finish(timeout=5)
            raise AssertionError(f"the dashboard exited: {done.stdout}\n{done.stderr}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}_stcore/health", timeout=2) as answer,
        ):
            if answer.status == 200:
                return
        time.sleep(0.5)
    raise AssertionError(f"the dashboard did not answer within {timeout} s")


def _first_inputs(folder: Path) -> list[str]:
    """The bundled sample, invented articles in every format, malformed files (rejects), and
    a few real feeds when the shared corpora are present."""
    write_good_corpus(folder / "good", n_text=6, n_jsonl=30)
    write_malformed(folder / "bad")
    inputs = [str(SAMPLE_DIR), str(folder / "good"), str(folder / "bad")]
    feeds = SHARED_DATA / "corpora" / "news-feeds" / "feeds"
    if feeds.is_dir():
        inputs += [str(path) for path in sorted(feeds.glob("*.xml"))[:REAL_FEEDS]]
    return inputs


@pytest.fixture
def dashboard(tmp_path: Path, cli_env: dict[str, str]) -> Iterator[Dashboard]:
    chromium_executable()  # skip before building anything when there is no browser
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    first = run_in_group(["run", *_first_inputs(tmp_path / "inputs")], cli_env)
    assert first.returncode == 0, first.stderr
    port = _free_port()
    server = start_group(["dashboard", "--port", str(port)], cli_env)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_healthy(url, server)
        published = Path(cli_env["WIREHOUSE_HOME"]) / "published" / "news.duckdb"
        yield Dashboard(url, cli_env, published, server)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.proc.pid, signal.SIGTERM)
        server.finish(timeout=30)


@pytest.fixture
def page(dashboard: Dashboard) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=["--no-sandbox"]
        )
        try:
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            tab.set_default_timeout(TIMEOUT_MS)
            yield tab
        finally:
            browser.close()


def open_page(page, url: str) -> None:  # noqa: ANN001 (playwright's Page)
    page.goto(url)
    page.get_by_test_id("stSidebarNav").wait_for()
    settle(page)


# Streamlit marks its app element with the script state ("initial", "running", "notRunning").
RUN_FINISHED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidget"]');
}"""


def settle(page) -> None:  # noqa: ANN001
    """Wait until Streamlit has finished the script run."""
    page.wait_for_timeout(500)
    page.wait_for_function(RUN_FINISHED, timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)


def assert_no_errors(page, where: str) -> None:  # noqa: ANN001
    for selector in ERROR_SELECTORS:
        assert page.locator(selector).count() == 0, f"{where}: {page.inner_text('body')[:2000]}"
    text = page.inner_text("body")
    for needle in ERROR_TEXTS:
        assert needle not in text, f"{where}: {needle!r} on the page:\n{text[:2000]}"


def shot(page, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def see(page, text: str | re.Pattern[str]) -> None:  # noqa: ANN001
    page.get_by_text(text).first.wait_for(state="visible")


def shown_value(widget) -> str:  # noqa: ANN001
    """What a select box shows (its text, or its combobox input's value)."""
    inputs = widget.locator("input")
    return widget.inner_text() + " " + (inputs.first.input_value() if inputs.count() else "")


def articles_metric(page) -> int:  # noqa: ANN001
    value = page.get_by_test_id("stMetricValue").first.inner_text()
    return int(value.replace(",", ""))


def published_count(env: dict[str, str]) -> int:
    (row,) = query_json("select count(*) as n from articles", env)
    return row["n"]


def test_every_page_shows_the_warehouse_and_follows_a_publish(
    dashboard: Dashboard,
    page,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    n_articles = published_count(dashboard.env)

    # Overview: totals, the last run's audit, articles per day by source (a Vega chart).
    open_page(page, dashboard.url)
    see(page, "Articles per day, by source")
    see(page, re.compile(r"Last run .*: published, audit passed"))
    assert articles_metric(page) == n_articles
    page.locator(".vega-embed svg").first.wait_for()
    see(page, "TROIB News")  # the seed article's source, in the top sources table
    assert_no_errors(page, "overview")
    shot(page, "overview")

    # Entities: the seed's places, one entity's daily chart, co-occurrence table and network.
    open_page(page, f"{dashboard.url}entities")
    see(page, "Top entities")
    page.get_by_label("Find an entity").fill("Hama")
    page.get_by_label("Find an entity").press("Enter")
    settle(page)
    see(page, re.compile(r"^Hama \(GPE"))
    see(page, "Daily mentions: articles (every copy) vs unique stories")
    network = page.get_by_test_id("stGraphVizChart").locator("svg")
    network.wait_for()
    for place in ("Hama", "Syria", "Damascus"):
        assert network.get_by_text(place, exact=True).count() >= 1, place
    assert_no_errors(page, "entities")
    shot(page, "entities")

    # Map: a projection with one circle per linked place (Vega's SVG marks), and the table.
    open_page(page, f"{dashboard.url}map")
    see(page, re.compile(r"\d+ places with coordinates"))
    circles = page.locator('.vega-embed svg [aria-label*="canonical_name: "]')
    circles.first.wait_for()
    assert circles.count() >= 3
    for place in ("Hama", "Damascus"):
        assert page.locator(f'.vega-embed svg [aria-label*="canonical_name: {place};"]').count()
    assert_no_errors(page, "map")
    shot(page, "map")

    # Articles: search by title, read the seed article with its mentions linked to entities.
    open_page(page, f"{dashboard.url}articles")
    page.get_by_label("Title contains").fill("Syrian military")
    page.get_by_label("Title contains").press("Enter")
    settle(page)
    see(page, "1 article")
    mention = page.locator('a[href^="entities?entity="]', has_text="Damascus").first
    mention.wait_for()
    assert_no_errors(page, "articles")
    shot(page, "articles")
    mention.click()
    page.wait_for_url(re.compile(r"/entities\?entity="))
    settle(page)
    see(page, re.compile(r"^Damascus \(GPE"))
    assert_no_errors(page, "entity link")

    # Data quality: runs, audit results, rejects by reason with examples.
    open_page(page, f"{dashboard.url}quality")
    see(page, "Recent runs")
    see(page, re.compile(r"\d+ expectations, 0 failed"))
    see(page, "Rejects by reason")
    assert page.get_by_text("No rejected records.").count() == 0
    examples = page.get_by_test_id("stSelectbox").filter(has_text="Examples of")
    assert re.search(r"Examples of\s+[A-Z][A-Z_]+_[A-Z]+", shown_value(examples))  # a reason
    assert_no_errors(page, "quality")
    shot(page, "quality")

    # A filter value that looks like SQL is only a value: no results, nothing changed.
    before = dashboard.published.stat()
    open_page(page, f"{dashboard.url}articles")
    page.get_by_label("Title contains").fill(INJECTION)
    page.get_by_label("Title contains").press("Enter")
    settle(page)
    see(page, "No articles match these filters.")
    page.get_by_label("Find an entity").fill(INJECTION)
    page.get_by_label("Find an entity").press("Enter")
    settle(page)
    see(page, "No entity matches that name.")
    assert_no_errors(page, "injection")
    after = dashboard.published.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_size,
    )
    assert published_count(dashboard.env) == n_articles

    # A run publishes while the overview is open: no error during it, new data after it,
    # without reloading the page or restarting the dashboard.
    open_page(page, dashboard.url)
    new = write_jsonl(
        tmp_path / "new.jsonl",
        [jsonl_record(i, publisher="Late Wire") for i in range(2000, 2025)],
    )
    run = start_group(["run", str(new)], dashboard.env)
    while run.proc.poll() is None:
        assert_no_errors(page, "during the run")
        page.wait_for_timeout(500)
    done = run.finish(timeout=60)
    assert done.returncode == 0, done.stderr
    expected = published_count(dashboard.env)
    assert expected == n_articles + 25
    page.wait_for_function(
        "n => [...document.querySelectorAll('[data-testid=\"stMetricValue\"]')]"
        ".some(e => e.innerText.replace(/,/g, '') === String(n))",
        arg=expected,
        timeout=TIMEOUT_MS,
    )
    settle(page)
    see(page, "Late Wire")
    assert_no_errors(page, "after the publish")
    shot(page, "overview-after-publish")
