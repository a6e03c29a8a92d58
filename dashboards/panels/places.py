"""Map: the places the news mentions, at their linked coordinates, sized by mentions.

Drawn with Vega-Lite (a projection, graticule and circles) so it needs no map tiles and
works offline.
"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from dashboards.state import query
from dashboards.widgets import show_table, window_picker

MAX_PLACES = 2000


def render() -> None:
    st.title("Map")
    start, end = window_picker("map")
    places = query("map_places", start=start, end=end, limit=MAX_PLACES)
    if places.is_empty():
        st.info("No place with coordinates is mentioned in this window.")
        return
    st.caption(f"{places.height:,} places with coordinates; circle area ∝ mentions.")
    st.altair_chart(world_map(places), width="stretch")
    show_table(places.drop("entity_id"))


def world_map(places: pl.DataFrame) -> alt.LayerChart:
    sphere = alt.Chart(alt.sphere()).mark_geoshape(fill="#eef4f8", stroke="#b0c4d4")
    graticule = alt.Chart(alt.graticule(step=[30, 30])).mark_geoshape(
        stroke="#d5e0e8", strokeWidth=0.5
    )
    points = (
        alt.Chart(places.to_pandas())
        .mark_circle(color="#d9480f", opacity=0.65, stroke="white", strokeWidth=0.5)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            size=alt.Size("n_mentions:Q", scale=alt.Scale(range=[25, 1600]), title="Mentions"),
            tooltip=["canonical_name", "entity_type", "country_code", "n_mentions", "n_articles"],
        )
    )
    return (sphere + graticule + points).project("equalEarth").properties(height=480)
