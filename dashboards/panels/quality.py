"""Data quality: recent runs, what each audit checked, and why records were rejected."""

from __future__ import annotations

import streamlit as st

from dashboards.state import query
from dashboards.widgets import show_table

RECENT_RUNS = 50
EXAMPLES = 20


def render() -> None:
    st.title("Data quality")
    st.subheader("Recent runs")
    runs = query("quality_runs", limit=RECENT_RUNS)
    show_table(runs)

    st.subheader("Audit results per expectation")
    audited = runs.filter(runs.get_column("audit_success").is_not_null())
    load_ids = audited.get_column("load_id").to_list()
    load_id = st.selectbox(
        "Run",
        ["", *load_ids],
        format_func=lambda value: value or "Latest audited run",
        key="quality-run",
    )
    results = query("quality_audit", load_id=load_id)
    if results.is_empty():
        st.info("No audit results yet.")
    else:
        failed = results.filter(~results.get_column("success")).height
        summary = f"{results.height} expectations, {failed} failed ({results['load_id'][0]})"
        (st.warning if failed else st.success)(summary)
        show_table(results.drop("load_id"))
    with st.expander("Every expectation across all audited runs"):
        show_table(query("quality_audit_history"))

    st.subheader("Rejects by reason")
    rejects = query("quality_rejects")
    if rejects.is_empty():
        st.success("No rejected records.")
        return
    show_table(rejects)
    reason = st.selectbox(
        "Examples of", rejects.get_column("reason_code").to_list(), key="quality-reason"
    )
    show_table(query("quality_reject_examples", reason_code=reason, limit=EXAMPLES))
