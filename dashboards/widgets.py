"""Controls several pages share: the date window and the entity picker."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
import streamlit as st

from dashboards.state import query

WINDOWS: dict[str, int | None] = {
    "All time": None,
    "Last 7 days": 7,
    "Last 30 days": 30,
    "Last 90 days": 90,
    "Last 365 days": 365,
}
CUSTOM = "Custom range"
ENTITY_TYPES = ("", "PERSON", "ORG", "GPE", "LOC", "NORP", "MISC")


def data_bounds() -> tuple[date, date]:
    """First and last day with articles (today twice for an empty warehouse)."""
    totals = query("overview_totals").row(0, named=True)
    today = date.today()
    return totals["first_day"] or today, totals["last_day"] or today


def window_picker(key: str) -> tuple[date, date]:
    """A window ending on the latest day with data, so old warehouses still show something."""
    first, last = data_bounds()
    choice = st.selectbox("Window", [*WINDOWS, CUSTOM], key=f"{key}-window")
    if choice == CUSTOM:
        picked = st.date_input(
            "Days", (first, last), min_value=first, max_value=last, key=f"{key}-days"
        )
        days = list(picked) if isinstance(picked, tuple | list) else [picked]
        return (days[0], days[-1]) if days else (first, last)
    span = WINDOWS[choice]
    start = first if span is None else max(first, last - timedelta(days=span - 1))
    return start, last


def type_picker(key: str) -> str:
    """An entity type, or '' for every type (the query files treat '' as no filter)."""
    return st.selectbox(
        "Entity type",
        ENTITY_TYPES,
        format_func=lambda value: value or "All types",
        key=f"{key}-type",
    )


def entity_picker(key: str, preselected: str | None = None, *, optional: bool = False) -> str:
    """Find an entity by name or alias; returns its id ('' when optional and none chosen)."""
    name = st.text_input("Find an entity", key=f"{key}-name", placeholder="name or alias")
    found = query("entities_lookup", name=name.strip(), limit=50)
    if name.strip() and found.is_empty():
        st.info("No entity matches that name.")
    options = [""] if optional else []
    labels = {"": "Any entity"}
    for row in found.iter_rows(named=True):
        options.append(row["entity_id"])
        labels[row["entity_id"]] = (
            f"{row['canonical_name']} ({row['entity_type']}, {row['n_mentions']} mentions)"
        )
    if preselected and preselected not in labels:
        chosen = query("entity_detail", entity_id=preselected)
        if chosen.height:
            row = chosen.row(0, named=True)
            options.insert(1 if optional else 0, preselected)
            labels[preselected] = f"{row['canonical_name']} ({row['entity_type']})"
    if not options:
        return ""
    index = options.index(preselected) if preselected in options else 0
    return st.selectbox(
        "Entity", options, index=index, format_func=labels.__getitem__, key=f"{key}-entity"
    )


def show_table(frame: pl.DataFrame, **options: Any) -> None:
    """st.dataframe with days as YYYY-MM-DD and times in UTC to the second (Streamlit would
    show a date as midnight and a time in the browser's zone)."""
    readable = frame.with_columns(
        pl.col(pl.Date).dt.strftime("%Y-%m-%d"),
        pl.col(pl.Datetime).dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%d %H:%M:%S"),
    )
    st.dataframe(readable, hide_index=True, **options)
