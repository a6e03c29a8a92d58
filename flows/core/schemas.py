"""Polars schemas of every frame that crosses a stage boundary, declared once.

The DDL in sql/schema, these schemas and the expectation suites must agree; a unit test
checks that they do.
"""

from __future__ import annotations

import polars as pl

UTC_TS = pl.Datetime("us", "UTC")

# What a reader produces: one row per input record, fields still raw text.
RAW_RECORDS = pl.Schema(
    {
        "input_uri": pl.String,
        "input_record": pl.Int64,
        "input_format": pl.String,
        "title": pl.String,
        "summary": pl.String,
        "body": pl.String,
        "url": pl.String,
        "source_name": pl.String,
        "origin_source": pl.String,
        "authors": pl.List(pl.String),
        "published_raw": pl.String,
    }
)

# One row per input record (or whole file) that did not load.
REJECTS = pl.Schema(
    {
        "input_uri": pl.String,
        "input_record": pl.Int64,
        "reason_code": pl.String,
        "message": pl.String,
        "raw": pl.String,
    }
)

# A normalized article before keys: article_id and content_hash are computed by the stage
# SQL (DuckDB's sha256 is stable across versions; Polars' hash is not).
NORMALIZED = pl.Schema(
    {
        "url": pl.String,
        "source_name": pl.String,
        "source_domain": pl.String,
        "origin_source": pl.String,
        "title": pl.String,
        "summary": pl.String,
        "body": pl.String,
        "authors": pl.List(pl.String),
        "published_at": UTC_TS,
        "date_unparsed": pl.Boolean,
        "language": pl.String,
        "word_count": pl.Int32,
        "tone": pl.Float64,
        "tone_positive": pl.Float64,
        "tone_negative": pl.Float64,
        "extractor": pl.String,
        "input_uri": pl.String,
        "input_record": pl.Int64,
    }
)

# What the entity step reads back from staging: only articles new to the warehouse.
ARTICLE_TEXTS = pl.Schema({"article_id": pl.String, "title": pl.String, "body": pl.String})

# Articles not stored because an earlier copy (this batch or the warehouse) already is.
DUPLICATES = pl.Schema(
    {
        "input_uri": pl.String,
        "input_record": pl.Int64,
        "article_id": pl.String,
        "content_hash": pl.String,
    }
)

MENTIONS = pl.Schema(
    {
        "mention_id": pl.String,
        "article_id": pl.String,
        "entity_id": pl.String,
        "surface": pl.String,
        "start_char": pl.Int32,
        "end_char": pl.Int32,
        "in_title": pl.Boolean,
        "sentence_index": pl.Int32,
        "confidence": pl.Float64,
        "tone": pl.Float64,
    }
)

ENTITIES = pl.Schema(
    {
        "entity_id": pl.String,
        "canonical_name": pl.String,
        "entity_type": pl.String,
        "aliases": pl.List(pl.String),
        "geonames_id": pl.Int64,
        "country_code": pl.String,
        "latitude": pl.Float64,
        "longitude": pl.Float64,
    }
)

# NER spans mapped onto articles (offsets index the title when in_title, else the body),
# with the character bounds of the sentence that holds each span.
ARTICLE_SPANS = pl.Schema(
    {
        "article_id": pl.String,
        "in_title": pl.Boolean,
        "start_char": pl.Int32,
        "end_char": pl.Int32,
        "surface": pl.String,
        "label": pl.String,
        "sentence_index": pl.Int32,
        "confidence": pl.Float64,
        "sentence_start": pl.Int32,
        "sentence_end": pl.Int32,
    }
)


def subset(schema: pl.Schema, drop: tuple[str, ...]) -> pl.Schema:
    """A schema without some columns: one declaration, several views of it."""
    return pl.Schema({name: dtype for name, dtype in schema.items() if name not in drop})


ENTITY_TYPES: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC", "NORP", "MISC")


def empty(schema: pl.Schema) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)
