"""URL canonicalization as Polars expressions.

Two links to the same article should give the same article_id: scheme and host are
lower-cased, default ports, fragments and tracking parameters dropped, remaining query
parameters sorted. Only http(s) URLs are kept; anything else becomes null.
"""

from __future__ import annotations

import polars as pl

# Credentials ("user:pw@") are dropped: they must never be stored or define the domain.
URL_PARTS = r"^(?i)(?P<scheme>https?)://(?:[^/?#\s@]*@)?(?P<host>[^/?#\s@]+)(?P<path>[^?#\s]*)(?:\?(?P<query>[^#\s]*))?(?:#\S*)?$"
TRACKING_PARAM = (
    r"(?i)^(?:utm_[^=]*|at_[^=]*|fbclid|gclid|gclsrc|dclid|msclkid|yclid|mc_cid|mc_eid|"
    r"_ga|_gl|igshid|ref_src|cmpid|icid|ito|ns_mchannel|ns_source|ns_campaign|ocid|smid)(?:=|$)"
)


def canonical_url(url: pl.Expr) -> pl.Expr:
    # Each step reads the previous one's fields (pl.field), so the URL is parsed once.
    parts = url.str.strip_chars().str.extract_groups(URL_PARTS)
    parts = parts.struct.with_fields(
        scheme=pl.field("scheme").str.to_lowercase(),
        host=pl.field("host").str.to_lowercase(),
        path=pl.when(pl.field("path") == "").then(pl.lit("/")).otherwise(pl.field("path")),
        query=pl.field("query")
        .fill_null("")
        .str.split("&")
        .list.eval(
            pl.element().filter((pl.element() != "") & ~pl.element().str.contains(TRACKING_PARAM))
        )
        .list.sort()
        .list.join("&"),
    )
    scheme, host = pl.field("scheme"), pl.field("host")
    default_port = pl.when(scheme == "http").then(pl.lit(":80")).otherwise(pl.lit(":443"))
    parts = parts.struct.with_fields(
        host=pl.when(host.str.ends_with(default_port))
        .then(host.str.head(-3 - (scheme == "https").cast(pl.Int64)))
        .otherwise(host)
        .str.strip_chars_end(".")
    )
    base = pl.concat_str(scheme, pl.lit("://"), host, pl.field("path"))
    query = pl.field("query")
    canonical = (
        pl.when(host.is_null() | (host == ""))
        .then(pl.lit(None, pl.String))
        .when(query == "")
        .then(base)
        .otherwise(pl.concat_str(base, pl.lit("?"), query))
    )
    return parts.struct.with_fields(_canonical=canonical).struct.field("_canonical").name.keep()


def url_domain(canonical: pl.Expr) -> pl.Expr:
    """Registered host without a leading "www.", e.g. "www.bbc.co.uk" -> "bbc.co.uk"."""
    return canonical.str.extract(r"^https?://(?:www\.)?([^/:?#]+)", 1)
