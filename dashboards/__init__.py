"""The Streamlit dashboard: the published warehouse at a glance (`wirehouse dashboard`)."""
