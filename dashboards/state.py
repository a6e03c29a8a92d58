"""Per-session state: the published version a page render reads, and cached query results.

Each script run pins one published version, so all panels of a page agree with each other.
Results are cached per (version, query, parameters): a page that was seen before on the
same version costs no query, and a new publish changes the key, so nothing stale is shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from dashboards.data import Snapshot, current_snapshot, query_snapshot
from flows.settings import Settings

_PINNED = "wirehouse_snapshot"


@st.cache_resource
def app_settings() -> Settings:
    """Read once: the dashboard process serves one warehouse (WIREHOUSE_HOME)."""
    return Settings.from_env()


def pin_snapshot() -> Snapshot | None:
    """Resolve the version readers see now and use it for the rest of this script run."""
    snapshot = current_snapshot(app_settings())
    st.session_state[_PINNED] = snapshot
    return snapshot


def pinned_snapshot() -> Snapshot | None:
    return st.session_state.get(_PINNED)


def query(name: str, /, **params: Any) -> pl.DataFrame:
    """sql/dashboards/<name>.sql with bound parameters, on the pinned version (cached)."""
    snapshot = pinned_snapshot()
    if snapshot is None:
        raise RuntimeError("no published version is pinned for this page")
    return _cached_query(snapshot.key, str(snapshot.path), name, tuple(sorted(params.items())))


@st.cache_data(max_entries=2048, show_spinner=False)
def _cached_query(
    key: tuple[Any, ...], path: str, name: str, params: tuple[tuple[str, Any], ...]
) -> pl.DataFrame:
    snapshot = Snapshot(path=Path(path), version=key[0], key=key)
    return query_snapshot(app_settings(), snapshot, name, dict(params))
