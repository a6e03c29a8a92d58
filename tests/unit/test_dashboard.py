"""Dashboard pieces without a browser: escaping, the network picture, which version is read,
and how Streamlit is started."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from dashboards.data import current_snapshot, run_query
from dashboards.launch import streamlit_command
from dashboards.render import Span, cooccurrence_dot, entity_href, highlight
from flows.cli import build_parser
from flows.settings import Settings
from flows.snapshots import point_readers_at, version_path
from flows.warehouse import migrate, run_sql_file, sql_files


def test_highlight_links_mentions_and_escapes_everything_else() -> None:
    text = "<b>Hama</b> & Damascus"
    spans = [
        Span(3, 7, "e/1", "Hama", "GPE"),
        Span(14, 22, 'x" onclick="alert(1)', "Dam<ascus", "GPE"),
    ]
    html = highlight(text, spans)
    assert html.startswith("&lt;b&gt;<a href=")
    assert ">Hama</a>&lt;/b&gt; &amp; <a " in html
    assert "onclick=" not in html.replace("%22+onclick%3D%22", "")
    assert 'title="Dam&lt;ascus · GPE"' in html
    assert f'href="{entity_href("e/1")}"' in html
    assert "<b>" not in html


def test_highlight_shows_each_mentions_confidence_on_hover() -> None:
    html = highlight("Bases in Tartus.", [Span(9, 15, "t", "Tartus", "GPE", 0.3217)])
    assert 'title="Tartus · confidence 0.32 · GPE"' in html


def test_highlight_skips_overlapping_and_out_of_range_spans() -> None:
    text = "New York City"
    spans = [
        Span(0, 8, "ny", "New York", "GPE"),
        Span(4, 13, "yc", "York City", "GPE"),  # overlaps the first: skipped
        Span(10, 99, "bad", "Bad", "GPE"),  # beyond the text: skipped
        Span(5, 5, "empty", "Empty", "GPE"),
    ]
    html = highlight(text, spans)
    assert re.sub(r"<[^>]+>", "", html) == text
    assert html.count("<a ") == 1


def test_entity_href_is_relative_and_encoded() -> None:
    assert entity_href("a b&c") == "entities?entity=a+b%26c"


def test_cooccurrence_dot_quotes_names() -> None:
    dot = cooccurrence_dot('Say "hi"\\', "PERSON", [("Line\nbreak", "ORG", 3), ("B", "GPE", 1)])
    assert 'label="Say \\"hi\\"\\\\"' in dot
    assert 'label="Line break"' in dot
    assert dot.count(" -- ") == 2
    assert dot.startswith("graph cooccurrence {") and dot.endswith("}")


def _publish(settings: Settings, version: int) -> None:
    """A minimal published version: the schema and views, as a snapshot would have them."""
    path = version_path(settings, version)
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        migrate(con)
        for name in sql_files("views"):
            run_sql_file(con, name)
    point_readers_at(settings, version)


def test_the_snapshot_key_follows_publishes_and_rollbacks(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    assert current_snapshot(settings) is None
    _publish(settings, 1)
    first = current_snapshot(settings)
    assert first is not None and first.version == 1
    assert first.path == version_path(settings, 1)
    assert run_query(first.path, "overview_totals")["n_articles"].to_list() == [0]
    _publish(settings, 2)
    second = current_snapshot(settings)
    assert second is not None and second.version == 2 and second.key != first.key
    point_readers_at(settings, 1)  # a rollback
    again = current_snapshot(settings)
    assert again is not None and again.version == 1 and again.key != second.key


def test_queries_are_read_only(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    _publish(settings, 1)
    snapshot = current_snapshot(settings)
    assert snapshot is not None
    with pytest.raises(duckdb.Error, match="read-only"):
        run_query(snapshot.path, "../schema/020_articles")  # a write: refused by the connection
    with pytest.raises(ValueError, match="unknown SQL file"):
        run_query(snapshot.path, "../../pyproject")  # outside sql/: never loaded


def test_streamlit_runs_local_headless_and_quiet() -> None:
    command = streamlit_command(8600)
    assert "--server.headless=true" in command
    assert "--server.address=127.0.0.1" in command
    assert "--browser.gatherUsageStats=false" in command
    assert "--server.port=8600" in command
    assert command[-len(command) + 4].endswith("app.py")


def test_the_cli_has_a_dashboard_command() -> None:
    args = build_parser().parse_args(["dashboard", "--port", "9000"])
    assert args.port == 9000
    assert build_parser().parse_args(["dashboard"]).port == 8501
