"""Overview: how much arrived, from where, in which languages, and how the last run went."""

from __future__ import annotations

import streamlit as st

from dashboards.state import query
from dashboards.widgets import show_table, window_picker

TOP_SOURCES = 8


def render() -> None:
    st.title("Overview")
    totals = query("overview_totals").row(0, named=True)
    columns = st.columns(4)
    columns[0].metric("Articles", f"{totals['n_articles']:,}")
    columns[1].metric("Sources", f"{totals['n_sources']:,}")
    columns[2].metric("Entities", f"{totals['n_entities']:,}")
    columns[3].metric("Mentions", f"{totals['n_mentions']:,}")
    last_run()

    start, end = window_picker("overview")
    st.subheader("Articles per day, by source")
    daily = query("overview_articles_daily", start=start, end=end, top_sources=TOP_SOURCES)
    if daily.is_empty():
        st.info("No articles in this window.")
    else:
        st.bar_chart(daily, x="day", y="n_articles", color="source_name", height=320)

    left, right = st.columns(2)
    with left:
        st.subheader("Top sources")
        show_table(query("overview_top_sources", start=start, end=end, limit=20))
    with right:
        st.subheader("Languages")
        languages = query("overview_languages", start=start, end=end)
        st.bar_chart(languages, x="language", y="n_articles", height=260)


def last_run() -> None:
    """The newest run and its audit: the first thing to check when numbers look wrong."""
    runs = query("overview_last_run")
    if runs.is_empty():
        return
    run = runs.row(0, named=True)
    audit = {True: "audit passed", False: "audit FAILED", None: "no audit"}[run["audit_success"]]
    text = (
        f"Last run **{run['load_id']}**: {run['status']}, {audit}"
        f" ({run['audit'] or 'no details'}); {run['n_loaded'] or 0} loaded,"
        f" {run['n_duplicates'] or 0} duplicates, {run['n_rejected'] or 0} rejected."
    )
    if run["audit_success"] is False:
        st.warning(text)
    else:
        st.success(text)
