"""Streamlit entry point (`wirehouse dashboard`): navigation, and a watch for new versions.

Every page reads the published snapshot only, never the live write file, so runs keep
writing while the dashboard is open; when a run publishes, the watcher reruns the open page
on the new version without a restart.
"""

from __future__ import annotations

import streamlit as st

from dashboards.data import current_snapshot
from dashboards.panels import articles, entities, overview, places, quality
from dashboards.state import app_settings, pin_snapshot, pinned_snapshot

WATCH_SECONDS = 5


def main() -> None:
    st.set_page_config(page_title="Wirehouse", page_icon="📰", layout="wide")
    pages = [
        st.Page(overview.render, title="Overview", url_path="overview", default=True),
        st.Page(entities.render, title="Entities", url_path="entities"),
        st.Page(places.render, title="Map", url_path="map"),
        st.Page(articles.render, title="Articles", url_path="articles"),
        st.Page(quality.render, title="Data quality", url_path="quality"),
    ]
    page = st.navigation(pages)
    snapshot = pin_snapshot()
    with st.sidebar:
        watch_publishes()
    if snapshot is None:
        st.title("Wirehouse")
        st.info(
            f"Nothing is published yet in {app_settings().home}. Run `wirehouse run PATH`; "
            "this page updates by itself after the first publish."
        )
        return
    page.run()


@st.fragment(run_every=WATCH_SECONDS)
def watch_publishes() -> None:
    """Rerun the whole page when a run publishes (or a rollback re-points readers)."""
    shown = pinned_snapshot()
    now = current_snapshot(app_settings())
    if (now and now.key) != (shown and shown.key):
        st.rerun()
    if shown is not None:
        version = "?" if shown.version is None else shown.version
        st.caption(f"Published version {version}; checks for a newer one every {WATCH_SECONDS} s.")


main()
