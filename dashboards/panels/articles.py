"""Articles: find articles by title, source, entity and days; read one with its mentions."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards.render import Span, entity_link, highlight
from dashboards.state import query
from dashboards.widgets import entity_picker, show_table, window_picker

MAX_RESULTS = 200


def render() -> None:
    st.title("Articles")
    left, middle, right = st.columns(3)
    with left:
        title = st.text_input("Title contains", key="articles-title")
        start, end = window_picker("articles")
    with middle:
        sources = query("articles_sources").get_column("source_name").to_list()
        source = st.selectbox(
            "Source",
            ["", *sources],
            format_func=lambda value: value or "All sources",
            key="articles-source",
        )
    with right:
        entity_id = entity_picker("articles", optional=True)

    found = query(
        "articles_search",
        title=title.strip(),
        source=source,
        entity_id=entity_id,
        start=start,
        end=end,
        limit=MAX_RESULTS,
    )
    if found.is_empty():
        st.info("No articles match these filters.")
        return
    more = " (the newest shown)" if found.height == MAX_RESULTS else ""
    noun = "article" if found.height == 1 else "articles"
    st.caption(f"{found.height:,} {noun}{more}")
    show_table(found.drop("article_id"), height=260)

    st.divider()
    article_id = pick_article(found)
    if article_id:
        show_article(article_id)


def pick_article(found: pl.DataFrame) -> str:
    """The article to read: ?article=ID from a link, else one of the results."""
    ids = found.get_column("article_id").to_list()
    labels = {
        row["article_id"]: f"{row['day']} · {row['title']}" for row in found.iter_rows(named=True)
    }
    linked = st.query_params.get("article")
    if linked and linked not in labels:
        ids.insert(0, linked)
        labels[linked] = f"(linked) {linked}"
    index = ids.index(linked) if linked in ids else 0
    return st.selectbox(
        "Read article", ids, index=index, format_func=labels.__getitem__, key="articles-open"
    )


def show_article(article_id: str) -> None:
    detail = query("article_detail", article_id=article_id)
    if detail.is_empty():
        st.info("This article is not in the published data.")
        return
    article = detail.row(0, named=True)
    mentions = query("article_mentions", article_id=article_id)
    spans = {True: [], False: []}
    for row in mentions.iter_rows(named=True):
        spans[row["in_title"]].append(
            Span(
                row["start_char"],
                row["end_char"],
                row["entity_id"],
                row["canonical_name"],
                row["entity_type"],
                row["confidence"],
            )
        )
    st.html(f"<h3>{highlight(article['title'], spans[True])}</h3>")
    meta = [
        str(article["day"]),
        article["source_name"] or "unknown source",
        ", ".join(article["authors"] or []),
        article["language"] or "",
        f"tone {article['tone']:+.2f}" if article["tone"] is not None else "",
    ]
    st.caption(" · ".join(part for part in meta if part))
    if article["url"]:
        st.markdown(f"[Original]({article['url']})" if _safe_url(article["url"]) else "")
    st.html(
        '<div style="white-space:pre-wrap;line-height:1.6">'
        f"{highlight(article['body'], spans[False])}</div>"
    )
    entities = mentions.unique("entity_id", keep="first", maintain_order=True)
    if entities.height:
        links = " ".join(
            entity_link(row["entity_id"], row["canonical_name"], row["entity_type"])
            for row in entities.sort("canonical_name").iter_rows(named=True)
        )
        st.html(f"<p><b>Entities in this article:</b> {links}</p>")


def _safe_url(url: str) -> bool:
    """Only web links become clickable (no javascript: or data: URLs from the data)."""
    return url.lower().startswith(("http://", "https://")) and not any(c in url for c in "()<> ")
