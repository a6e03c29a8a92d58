"""Entity linking: turn NER spans into mentions of canonical entities.

One real-world entity becomes one row of ``entities`` however it is written. The batch-wide
work (typing, gazetteer and demonym resolution, cross-article merging, short person names)
is done with Polars joins; only acronym definitions need the text next to a span, and that
Python work is limited to the few spans a regex has already flagged. The rules are written
up for users in docs/entity-linking.md.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

import polars as pl

from flows.core.entities.demonyms import demonyms
from flows.core.entities.gazetteer import GPE_KINDS, base_name_expr, name_key_expr, places

log = logging.getLogger(__name__)

SPAN_SCHEMA = pl.Schema(
    {
        "article_id": pl.String,
        "in_title": pl.Boolean,
        "start_char": pl.Int32,
        "end_char": pl.Int32,
        "surface": pl.String,
        "label": pl.String,
        "sentence_index": pl.Int32,
        "confidence": pl.Float64,
    }
)
TEXT_SCHEMA = pl.Schema({"article_id": pl.String, "title": pl.String, "body": pl.String})
MENTION_SCHEMA = pl.Schema(
    {
        "article_id": pl.String,
        "entity_id": pl.String,
        "surface": pl.String,
        "start_char": pl.Int32,
        "end_char": pl.Int32,
        "in_title": pl.Boolean,
        "sentence_index": pl.Int32,
        "confidence": pl.Float64,
    }
)
ENTITY_SCHEMA = pl.Schema(
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
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "MISC")

# Resolution carried by every working row; an acronym copies its long form's resolution.
_RESOLUTION = (
    "entity_type",
    "canonical_key",
    "fixed_name",
    "geonames_id",
    "country_code",
    "latitude",
    "longitude",
)
_GEO = ("geonames_id", "latitude", "longitude")
_TEXT_KEYS = ["article_id", "in_title"]

# A short form as written in running text: "HTS", "U.N.", "IRGC", "DoD".
_ACRONYM = r"\p{Lu}[\p{L}\p{N}&.\-]{1,11}"
_NOT_WORD = r"(?:[^\p{L}\p{N}]|$)"
_WINDOW = 40
_SHORT_AFTER_PAREN = rf"^\s*\(\s*({_ACRONYM})\s*\)"
_SHORT_AFTER_COMMA = rf"^\s*,\s*(?:or\s+|also known as\s+|known as\s+)?({_ACRONYM}){_NOT_WORD}"
_SHORT_BEFORE_COMMA = rf"(?:^|[^\p{{L}}\p{{N}}])({_ACRONYM})\s*[,:–—]\s*$"
_SHORT_BEFORE_PAREN = rf"(?:^|[^\p{{L}}\p{{N}}])({_ACRONYM})\s*\(\s*$"

# Words an acronym may skip or use: "Hayat Tahrir al-Sham" -> HTS, "al-Qaeda in ..." -> AQ...
_PARTICLES = frozenset(
    "a al an and ar as ash at ad az bin bint ibn de del della der des di du el for in la le "
    "les of on the to van von y".split()
)
_WORD_SPLIT = re.compile(r"[\s\-‐‑–—/]+")

# Sentence ends used to place added mentions between spans whose sentence is known.
_SENTENCE_BREAK = r"[.!?]+[\"'”’)\]]*[ \t]+[\"“‘(\[]?[\p{Lu}\p{N}]|\n\s*"


@dataclass(frozen=True)
class LinkResult:
    """Mentions (one per linked span) and the entities they point to."""

    mentions: pl.DataFrame
    entities: pl.DataFrame


def link_mentions(spans: pl.DataFrame, texts: pl.DataFrame) -> LinkResult:
    """Link NER spans to canonical entities; see docs/entity-linking.md for the rules."""
    texts = _prepare_texts(texts)
    work = _prepare_spans(spans, texts)
    if work.is_empty():
        return LinkResult(MENTION_SCHEMA.to_frame(), ENTITY_SCHEMA.to_frame())
    work = _resolve(work)
    definitions = _acronym_definitions(work, texts)
    work = _apply_acronyms(work, definitions)
    work = pl.concat([work, _acronym_mentions(work, definitions, texts)], how="diagonal")
    work = _link_short_person_names(work)
    work = _with_entity_ids(work)
    return LinkResult(_mentions(work), _entities(work))
