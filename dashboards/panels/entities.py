"""Entities: who and what the news mentions, over time, together, and in which tone."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from dashboards.render import cooccurrence_dot
from dashboards.state import query
from dashboards.widgets import entity_picker, show_table, type_picker, window_picker

TOP_PER_TYPE = 10
PARTNERS = 25


def render() -> None:
    st.title("Entities")
    left, right = st.columns(2)
    with left:
        start, end = window_picker("entities")
    with right:
        entity_type = type_picker("entities")

    st.subheader("Top entities")
    top = query("entities_top", start=start, end=end, entity_type=entity_type, limit=TOP_PER_TYPE)
    if top.is_empty():
        st.info("No entity is mentioned in this window.")
    else:
        # st.table: small, and its names are page text (searchable, and checked by tests).
        st.table(top.drop("entity_id"))

    st.subheader("Trending (last 7 days vs the 28 before)")
    trending = query("entities_trending", entity_type=entity_type, limit=20)
    show_table(trending.drop("entity_id"))

    st.divider()
    st.subheader("One entity")
    preselected = st.query_params.get("entity")
    entity_id = entity_picker("entities", preselected)
    if entity_id:
        one_entity(entity_id, start, end)


def one_entity(entity_id: str, start: date, end: date) -> None:
    detail = query("entity_detail", entity_id=entity_id)
    if detail.is_empty():
        st.info("This entity is not in the published data.")
        return
    entity = detail.row(0, named=True)
    st.markdown(
        f"**{entity['canonical_name']}** ({entity['entity_type']}): "
        f"{entity['n_mentions']:,} mentions in {entity['n_articles']:,} articles"
    )

    st.markdown("**Daily mentions: articles (every copy) vs unique stories**")
    daily = query("entity_daily", entity_id=entity_id, start=start, end=end)
    if daily.is_empty():
        st.info("Not mentioned in this window.")
    else:
        st.line_chart(daily, x="day", y=["n_articles", "n_stories"], height=260)

    st.markdown("**Tone over time** (VADER, −1 negative … 1 positive)")
    tone = query("entity_tone", entity_id=entity_id, start=start, end=end)
    if not tone.is_empty():
        st.line_chart(tone, x="day", y=["avg_sentence_tone", "avg_article_tone"], height=220)

    st.markdown("**Mentioned together with**")
    partners = query("entity_cooccurrence", entity_id=entity_id, limit=PARTNERS)
    if partners.is_empty():
        st.info("No other entity appears in its articles.")
        return
    table, picture = st.columns([2, 3])
    with table:
        show_table(partners.drop("entity_id"))
    picture.graphviz_chart(network(entity, partners))


def network(entity: dict, partners: pl.DataFrame) -> str:
    rows = partners.select("canonical_name", "entity_type", "n_articles").iter_rows()
    return cooccurrence_dot(entity["canonical_name"], entity["entity_type"], rows)
