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
from flows.core.schemas import (
    ARTICLE_SPANS,
    ARTICLE_TEXTS,
    ENTITIES,
    MENTIONS,
    subset,
)

log = logging.getLogger(__name__)

# The linker's contract, as views of the declarations in core/schemas.py.
SPAN_SCHEMA = subset(ARTICLE_SPANS, ("sentence_start", "sentence_end"))
TEXT_SCHEMA = ARTICLE_TEXTS
MENTION_SCHEMA = subset(MENTIONS, ("mention_id", "tone"))
ENTITY_SCHEMA = ENTITIES
# How often each base name names an entity, with the entity's resolution: what entities are
# built from, and what a batch-by-batch run accumulates between batches.
NAME_VOTES = pl.Schema(
    {
        "entity_id": pl.String,
        "base": pl.String,
        "direct": pl.UInt32,
        "total": pl.UInt32,
        "entity_type": pl.String,
        "fixed_name": pl.String,
        "country_code": pl.String,
        "geonames_id": pl.Int64,
        "latitude": pl.Float64,
        "longitude": pl.Float64,
    }
)

# A MISC span exactly naming a city this large is taken to be that city (see _entity_type).
MISC_CITY_MIN_POPULATION = 100_000
# An ORG span the model itself gives less than even odds (calibrated ``confidence``) is
# retyped as the place the gazetteer knows by that name. On CoNLL-2003 dev this changes 15
# spans (10 right, 4 were organisations, 1 a person), on train 20 (14 right, 5 organisations,
# 1 not a name); applied to every such ORG span it was wrong 9 times in 10 (sports clubs).
UNSURE_ORG_CONFIDENCE = 0.5

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
_ENTITY_ATTRIBUTES = ("entity_type", "fixed_name", "country_code", *_GEO)
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
# fmt: off
_PARTICLES = frozenset({
    "a", "ad", "al", "an", "and", "ar", "as", "ash", "at", "az", "bin", "bint", "de", "del",
    "della", "der", "des", "di", "du", "el", "for", "ibn", "in", "la", "le", "les", "of", "on",
    "the", "to", "van", "von", "y",
})
# fmt: on
_WORD_SPLIT = re.compile(r"[\s\-‐‑–—/]+")

# Sentence ends used to place added mentions between spans whose sentence is known.
_SENTENCE_BREAK = r"[.!?]+[\"'”’)\]]*[ \t]+[\"“‘(\[]?[\p{Lu}\p{N}]|\n\s*"


@dataclass(frozen=True)
class LinkResult:
    """Mentions (one per linked span), the entities they point to, and the name votes the
    entities were built from (``NAME_VOTES``; see ``entities_from_votes``)."""

    mentions: pl.DataFrame
    entities: pl.DataFrame
    votes: pl.DataFrame


def link_mentions(spans: pl.DataFrame, texts: pl.DataFrame) -> LinkResult:
    """Link NER spans to canonical entities; see docs/entity-linking.md for the rules."""
    texts = _prepare_texts(texts)
    work = _prepare_spans(spans, texts)
    if work.is_empty():
        empty = (MENTION_SCHEMA, ENTITY_SCHEMA, NAME_VOTES)
        return LinkResult(*(schema.to_frame() for schema in empty))
    work = _resolve(work)
    definitions = _acronym_definitions(work, texts)
    work = _apply_acronyms(work, definitions)
    work = _acronym_owners_are_organizations(work, definitions)
    work = pl.concat([work, _acronym_mentions(work, definitions, texts)], how="diagonal")
    work = _link_short_person_names(work)
    work = _with_entity_ids(work)
    votes = _name_votes(work)
    return LinkResult(_mentions(work), entities_from_votes(votes), votes)


def _prepare_texts(texts: pl.DataFrame) -> pl.DataFrame:
    """One row per article with non-null title and body."""
    return (
        texts.select(TEXT_SCHEMA.names())
        .cast(dict(TEXT_SCHEMA))
        .with_columns(pl.col("title", "body").fill_null(""))
        .unique("article_id", keep="first", maintain_order=True)
    )


def _span_text() -> pl.Expr:
    """The text a span's offsets index: the title for title spans, else the body."""
    return pl.when(pl.col("in_title")).then(pl.col("title")).otherwise(pl.col("body"))


def _prepare_spans(spans: pl.DataFrame, texts: pl.DataFrame) -> pl.DataFrame:
    """Typed, verified, non-overlapping spans with their base name and name key.

    A span whose offsets do not reproduce its surface cannot yield a valid mention, so it is
    dropped (and counted in a warning) rather than passed on.
    """
    frame = (
        spans.select(SPAN_SCHEMA.names())
        .cast(dict(SPAN_SCHEMA))
        .with_columns(pl.col("label").str.strip_chars().str.to_uppercase())
    )
    length = pl.col("end_char") - pl.col("start_char")
    valid = (
        pl.col("in_title").is_not_null()
        & (pl.col("start_char") >= 0)
        & (length > 0)
        & (_span_text().str.slice(pl.col("start_char"), length) == pl.col("surface"))
    )
    frame = frame.join(texts, on="article_id", how="left").filter(valid.fill_null(False))
    if dropped := spans.height - frame.height:
        log.warning("dropped %d spans whose offsets do not match their text", dropped)
    frame = _drop_overlaps(frame.drop("title", "body"))
    return (
        frame.with_columns(base=base_name_expr(pl.col("surface")))
        .with_columns(key=name_key_expr(pl.col("base")))
        .filter(pl.col("key") != "")
        .with_row_index("row")
    )


def _drop_overlaps(frame: pl.DataFrame) -> pl.DataFrame:
    """Keep non-overlapping spans per text: the earliest start wins, then the longest span.

    This is the greedy left-to-right choice. Each round keeps every span that overlaps
    nothing before it and drops the spans overlapping one of those; NER output rarely
    overlaps, so one round is the usual case.
    """
    frame = frame.sort(
        [*_TEXT_KEYS, "start_char", "end_char"], descending=[False, False, False, True]
    )
    while True:
        previous_end = pl.col("end_char").cum_max().shift(1).over(_TEXT_KEYS)
        frame = frame.with_columns(_clash=(pl.col("start_char") < previous_end).fill_null(False))
        if not frame["_clash"].any():
            return frame.drop("_clash")
        kept_end = pl.when(pl.col("_clash")).then(-1).otherwise(pl.col("end_char"))
        previous_kept_end = kept_end.cum_max().shift(1).over(_TEXT_KEYS)
        frame = frame.filter(~(pl.col("_clash") & (pl.col("start_char") < previous_kept_end)))


def _entity_type() -> pl.Expr:
    """Map CoNLL labels to entity types using the gazetteer and demonym joins.

    ORG and MISC spans that are exactly a country name become GPE, so "Russia" is one entity
    however the model labelled it. MISC spans that exactly name a US state or a city of at
    least MISC_CITY_MIN_POPULATION people also become GPE: MISC is never a place or an
    organisation, so such a span is a mislabelled place ("Idlib" in "Idlib province"),
    whereas an ORG span named after a city is often a club, and stays ORG unless the model
    was unsure of it (UNSURE_ORG_CONFIDENCE). A one-word PER span that names a country, a US
    state or such a city is a place too ("Hama" said three times in a war report); a
    person's full name has more than one word. Unknown labels count as MISC.
    """
    label = pl.col("label")
    is_place = pl.col("kind").is_in(list(GPE_KINDS))
    is_country = pl.col("kind") == "country"
    is_known_place = pl.col("kind").is_in(["country", "admin1"]) | (
        (pl.col("kind") == "city") & (pl.col("population") >= MISC_CITY_MIN_POPULATION)
    )
    one_word = ~pl.col("base").str.contains(r"\s")
    return (
        pl.when((label == "PER") & one_word & is_known_place)
        .then(pl.lit("GPE"))
        .when(label == "PER")
        .then(pl.lit("PERSON"))
        .when(label == "LOC")
        .then(pl.when(is_place).then(pl.lit("GPE")).otherwise(pl.lit("LOC")))
        .when(is_country)
        .then(pl.lit("GPE"))
        .when((label == "ORG") & is_known_place & (pl.col("confidence") < UNSURE_ORG_CONFIDENCE))
        .then(pl.lit("GPE"))
        .when(label == "ORG")
        .then(pl.lit("ORG"))
        .when(pl.col("demonym").is_not_null())
        .then(pl.lit("NORP"))
        .when(is_known_place)
        .then(pl.lit("GPE"))
        .otherwise(pl.lit("MISC"))
    )


def _agree_on_places(work: pl.DataFrame) -> pl.DataFrame:
    """Within an article, PER and MISC spans of a name typed GPE elsewhere become that GPE.

    One name in one article almost always means one thing, and NER labels for the same
    string vary ("Hama" tagged LOC once and PER three times). ORG spans keep their type,
    because a club and its city ("Barcelona") do share an article.
    """
    places_here = (
        work.filter(pl.col("entity_type") == "GPE")
        .select("article_id", "key", _gpe_here=pl.lit(True))
        .unique()
    )
    agrees = (
        pl.col("_gpe_here").fill_null(False)
        & pl.col("label").is_in(["PER", "MISC"])
        & pl.col("entity_type").is_in(["PERSON", "MISC"])
    )
    return (
        work.join(places_here, on=["article_id", "key"], how="left")
        .with_columns(entity_type=pl.when(agrees).then(pl.lit("GPE")).otherwise("entity_type"))
        .drop("_gpe_here")
    )


def _resolve(work: pl.DataFrame) -> pl.DataFrame:
    """Type every span and give it a canonical key, plus place or nationality attributes.

    Places key on their GeoNames id (so "Türkiye" and "Turkey" meet), demonyms on their
    canonical adjective ("Syrians" -> "Syrian"), everything else on its own name key.
    """
    work = (
        work.join(places(), on="key", how="left")
        .join(demonyms(), on="key", how="left")
        .with_columns(entity_type=_entity_type())
    )
    work = _agree_on_places(work)
    placed = pl.col("entity_type").is_in(["GPE", "LOC"]) & pl.col("geonames_id").is_not_null()
    norp = pl.col("entity_type") == "NORP"
    return work.with_columns(
        *[pl.when(placed).then(pl.col(c)).alias(c) for c in _GEO],
        canonical_key=pl.when(placed)
        .then(pl.format("geonames:{}", pl.col("geonames_id")))
        .when(norp)
        .then(name_key_expr(pl.col("demonym")))
        .otherwise(pl.col("key")),
        # Countries keep GeoNames' English name ("Turkey" for "Türkiye"); cities and states
        # take the spelling the articles use ("Hama", not the transliteration "Ḩamāh").
        fixed_name=pl.when(placed & (pl.col("kind") == "country"))
        .then("place_name")
        .when(norp)
        .then("demonym"),
        country_code=pl.when(placed).then("country_code").when(norp).then("demonym_country_code"),
        names_entity=pl.lit(True),
        linked_short=pl.lit(False),
    ).drop("place_name", "kind", "population", "demonym", "demonym_country_code")


def is_acronym_of(short: str, long: str) -> bool:
    """Whether ``short`` spells initials of ``long``'s words, in order.

    Capitalised words must each give their initial; particles ("al", "of", "the") and other
    lower-case words may give theirs or be skipped. Hyphenated parts count as words, so
    "Hayat Tahrir al-Sham" yields HTS and "al-Qaeda in the Arabian Peninsula" yields AQAP.
    Dots and other marks in the short form are ignored ("U.N.").
    """
    letters = "".join(c for c in short if c.isalnum()).upper()
    if not 2 <= len(letters) <= 10 or sum(c.isupper() for c in short) < 2:
        return False
    words = [w.lstrip("\"'“‘(") for w in _WORD_SPLIT.split(long)]
    reachable = {0}
    for word in filter(None, words):
        required = word[0].isupper() and word.lower() not in _PARTICLES
        initial = word[0].upper()
        step = {i + 1 for i in reachable if i < len(letters) and letters[i] == initial}
        reachable = step if required else step | reachable
        if not reachable:
            return False
    return len(letters) in reachable


def _definition_windows(work: pl.DataFrame, texts: pl.DataFrame) -> pl.DataFrame:
    """Multi-word spans with the short form a definition pattern finds next to them.

    Patterns: "Long Form (LF)", "Long Form, or LF", "LF, Long Form", "LF (Long Form)".
    One row per (span, short form) found; most spans yield none.
    """
    lo = pl.max_horizontal(pl.col("start_char") - _WINDOW, 0)
    before = _span_text().str.slice(lo, pl.col("start_char") - lo)
    after = _span_text().str.slice(pl.col("end_char"), _WINDOW)
    found = {
        "paren_after": after.str.extract(_SHORT_AFTER_PAREN, 1),
        "comma_after": after.str.extract(_SHORT_AFTER_COMMA, 1),
        "comma_before": before.str.extract(_SHORT_BEFORE_COMMA, 1),
        "paren_before": pl.when(after.str.contains(r"^\s*\)")).then(
            before.str.extract(_SHORT_BEFORE_PAREN, 1)
        ),
    }
    return (
        work.filter(pl.col("entity_type") != "NORP", pl.col("base").str.contains(r"\S[\s\-‐]+\S"))
        .select("row", *_TEXT_KEYS, "start_char", "end_char", "base")
        .join(texts, on="article_id")
        .select("row", *_TEXT_KEYS, "start_char", "base", **found)
        .unpivot(index=["row", *_TEXT_KEYS, "start_char", "base"], value_name="short")
        .drop_nulls("short")
    )


def _acronym_definitions(work: pl.DataFrame, texts: pl.DataFrame) -> pl.DataFrame:
    """(article_id, short, row of the long form span) per acronym defined in an article.

    When one short form is defined twice in an article, the first definition in reading
    order (title, then body) wins.
    """
    windows = _definition_windows(work, texts)
    pairs = windows.select("short", "base").rows()
    keep = pl.Series([is_acronym_of(short, long) for short, long in pairs], dtype=pl.Boolean)
    return (
        windows.filter(keep)
        .sort(["article_id", "in_title", "start_char"], descending=[False, True, False])
        .unique(["article_id", "short"], keep="first", maintain_order=True)
        .select("article_id", "short", "row")
    )


def _definition_resolution(work: pl.DataFrame, definitions: pl.DataFrame) -> pl.DataFrame:
    """Each definition with its long form's resolution and confidence."""
    long_forms = work.select("row", "confidence", *_RESOLUTION)
    return definitions.join(long_forms, on="row").drop("row")


def _acronym_owners_are_organizations(
    work: pl.DataFrame, definitions: pl.DataFrame
) -> pl.DataFrame:
    """A name defined with an acronym ("Hayat Tahrir al-Sham (HTS)") is an organization
    unless it is a place: people and things rarely get one. Every span of that name in the
    article takes the type, so a name the model typed two ways becomes one entity."""
    owners = (
        definitions.join(work.select("row", "canonical_key"), on="row")
        .select("article_id", "canonical_key", _owner=pl.lit(True))
        .unique()
    )
    marked = work.join(owners, on=["article_id", "canonical_key"], how="left")
    becomes_org = pl.col("_owner").fill_null(False) & pl.col("entity_type").is_in(
        ["PERSON", "MISC", "ORG"]
    )
    return marked.with_columns(
        entity_type=pl.when(becomes_org).then(pl.lit("ORG")).otherwise("entity_type")
    ).drop("_owner")


def _apply_acronyms(work: pl.DataFrame, definitions: pl.DataFrame) -> pl.DataFrame:
    """Point spans that are exactly a defined short form to their long form's entity."""
    resolution = _definition_resolution(work, definitions).drop("confidence")
    matched = work.join(
        resolution,
        left_on=["article_id", "base"],
        right_on=["article_id", "short"],
        how="left",
        suffix="_acronym",
    )
    linked = pl.col("canonical_key_acronym").is_not_null()
    return matched.with_columns(
        *[pl.when(linked).then(f"{c}_acronym").otherwise(c).alias(c) for c in _RESOLUTION],
        names_entity=pl.col("names_entity") & ~linked,
        linked_short=linked,
    ).drop([f"{c}_acronym" for c in _RESOLUTION])


def _find_bare_acronyms(definitions: pl.DataFrame, texts: pl.DataFrame) -> pl.DataFrame:
    """Whole-word, exact-case occurrences of each defined short form in its article.

    Python regex work here is proportional to articles that define an acronym.
    """
    schema = {"article_id": pl.String, "in_title": pl.Boolean, "start_char": pl.Int32}
    found: list[tuple[str, bool, int, str]] = []
    wanted = definitions.join(texts, on="article_id").select("article_id", "short", "title", "body")
    for article_id, short, title, body in wanted.iter_rows():
        pattern = re.compile(rf"(?<!\w){re.escape(short)}(?!\w)")
        for in_title, text in ((True, title), (False, body)):
            found.extend((article_id, in_title, m.start(), short) for m in pattern.finditer(text))
    frame = pl.DataFrame(found, schema={**schema, "surface": pl.String}, orient="row")
    return frame.with_columns(
        end_char=(pl.col("start_char") + pl.col("surface").str.len_chars()).cast(pl.Int32)
    )


def _place_between_spans(found: pl.DataFrame, work: pl.DataFrame) -> pl.DataFrame:
    """Drop occurrences overlapping an existing span; attach the neighbouring spans.

    Existing spans do not overlap each other, so the nearest span starting at or before an
    occurrence, and the nearest starting after it, are the only ones it could overlap.
    """
    spans = work.select(*_TEXT_KEYS, "start_char", "end_char", "sentence_index").sort("start_char")
    before = spans.rename(
        {"start_char": "prev_start", "end_char": "prev_end", "sentence_index": "prev_sentence"}
    )
    after = spans.rename({"start_char": "next_start", "sentence_index": "next_sentence"})
    joined = (
        found.sort("start_char")
        .join_asof(
            before,
            left_on="start_char",
            right_on="prev_start",
            by=_TEXT_KEYS,
            check_sortedness=False,
        )
        .join_asof(
            after.drop("end_char"),
            left_on="start_char",
            right_on="next_start",
            by=_TEXT_KEYS,
            strategy="forward",
            check_sortedness=False,
        )
    )
    clear_before = pl.col("prev_end").is_null() | (pl.col("prev_end") <= pl.col("start_char"))
    clear_after = pl.col("next_start").is_null() | (pl.col("next_start") >= pl.col("end_char"))
    return joined.filter(clear_before & clear_after)


def _sentence_index() -> pl.Expr:
    """Sentence of an added mention, anchored on the spans around it.

    Start from the previous span's sentence (0 at the start of the text), add the sentence
    breaks a simple splitter finds between that span and the mention, and never exceed the
    next span's sentence. Indices therefore stay consistent with the NER step's own.
    """
    gap_start = pl.col("prev_end").fill_null(0)
    gap = _span_text().str.slice(gap_start, pl.col("start_char") - gap_start)
    index = pl.col("prev_sentence").fill_null(0) + gap.str.count_matches(_SENTENCE_BREAK)
    capped = pl.min_horizontal(index, pl.col("next_sentence").fill_null(index))
    return capped.cast(pl.Int32)


def _acronym_mentions(
    work: pl.DataFrame, definitions: pl.DataFrame, texts: pl.DataFrame
) -> pl.DataFrame:
    """Mentions for bare short forms that NER missed, linked like their definition.

    Their confidence is the long form span's: the definition is the evidence for them.
    """
    if definitions.is_empty():
        return work.clear()
    found = _drop_overlaps(_place_between_spans(_find_bare_acronyms(definitions, texts), work))
    resolution = _definition_resolution(work, definitions).rename({"short": "surface"})
    return (
        found.join(texts, on="article_id")
        .with_columns(sentence_index=_sentence_index())
        .join(resolution, on=["article_id", "surface"])
        .select(
            *_TEXT_KEYS,
            "start_char",
            "end_char",
            "surface",
            "sentence_index",
            "confidence",
            *_RESOLUTION,
            base=pl.col("surface"),
            names_entity=pl.lit(False),
            linked_short=pl.lit(True),
        )
    )


def _person_name_containment(work: pl.DataFrame) -> pl.DataFrame:
    """(article_id, short, full) for person names of one article contained in a longer one.

    A one-word name is contained when it is one of the longer name's words ("Dupont",
    "Lucas" in "Lucas Dupont"); a longer name when it ends the other ("al Assad" in
    "Bashar al Assad"). Names are compared as keys.
    """
    people = (
        work.filter(pl.col("entity_type") == "PERSON", ~pl.col("linked_short"))
        .select("article_id", name="canonical_key")
        .unique()
        .with_columns(words=pl.col("name").str.split(" "))
    )
    fulls = people.filter(pl.col("words").list.len() >= 2)
    by_word = fulls.select("article_id", full="name", short="words").explode("short")
    by_suffix = (
        fulls.with_columns(k=pl.int_ranges(1, pl.col("words").list.len()))
        .explode("k")
        .select("article_id", full="name", short=pl.col("words").list.slice("k").list.join(" "))
    )
    return (
        pl.concat([by_word, by_suffix])
        .unique()
        .filter(pl.col("short") != pl.col("full"))
        .join(people.select("article_id", short="name"), on=["article_id", "short"], how="semi")
    )


def _short_name_targets(work: pl.DataFrame) -> pl.DataFrame:
    """(article_id, short, full) where exactly one fullest name in the article fits ``short``.

    A candidate contained in another candidate ("al Assad" in "Bashar al Assad", both
    fitting "Assad") is not a separate reading, so only maximal candidates are counted.
    """
    keys = ["article_id", "short", "full"]
    pairs = _person_name_containment(work)
    outer = pairs.rename({"short": "full", "full": "outer"})
    inner = (
        pairs.join(outer, on=["article_id", "full"])
        .join(pairs.rename({"full": "outer"}), on=["article_id", "short", "outer"], how="semi")
        .select(keys)
    )
    return (
        pairs.join(inner, on=keys, how="anti")
        .group_by("article_id", "short")
        .agg(pl.col("full").first(), candidates=pl.len())
        .filter(pl.col("candidates") == 1)
        .drop("candidates")
    )


def _link_short_person_names(work: pl.DataFrame) -> pl.DataFrame:
    """Point short person names to the one full name in the same article that fits them."""
    targets = _short_name_targets(work).with_columns(entity_type=pl.lit("PERSON"))
    matched = work.join(
        targets,
        left_on=["article_id", "entity_type", "canonical_key"],
        right_on=["article_id", "entity_type", "short"],
        how="left",
    )
    linked = pl.col("full").is_not_null() & ~pl.col("linked_short")
    return matched.with_columns(
        canonical_key=pl.when(linked).then("full").otherwise("canonical_key"),
        names_entity=pl.col("names_entity") & ~linked,
    ).drop("full")


def entity_id(entity_type: str, canonical_key: str) -> str:
    """Stable id: md5 of "TYPE:key", the same in every run and batch."""
    return hashlib.md5(f"{entity_type}:{canonical_key}".encode()).hexdigest()


def _with_entity_ids(work: pl.DataFrame) -> pl.DataFrame:
    """Attach entity ids, hashing each distinct (type, key) once."""
    pairs = work.select("entity_type", "canonical_key").unique()
    ids = [entity_id(t, k) for t, k in pairs.iter_rows()]
    pairs = pairs.with_columns(entity_id=pl.Series(ids, dtype=pl.String))
    return work.join(pairs, on=["entity_type", "canonical_key"], how="left")


def _mentions(work: pl.DataFrame) -> pl.DataFrame:
    """Output mentions in text order: per article, title first."""
    return (
        work.with_columns(pl.col("confidence").clip(0.0, 1.0))
        .select(MENTION_SCHEMA.names())
        .cast(dict(MENTION_SCHEMA))
        .sort(["article_id", "in_title", "start_char"], descending=[False, True, False])
    )


def _name_votes(work: pl.DataFrame) -> pl.DataFrame:
    """Per (entity, base name): spans naming the entity directly, all spans, its resolution.

    Votes of several batches add up (``entities_from_votes``), so a run that links its
    articles batch by batch builds the same entities as one that links them all at once.
    """
    return (
        work.sort("entity_id", "base", "article_id", "in_title", "start_char")
        .group_by("entity_id", "base", maintain_order=True)
        .agg(
            pl.col("names_entity").sum().alias("direct"),
            pl.len().alias("total"),
            *[pl.col(c).drop_nulls().first() for c in _ENTITY_ATTRIBUTES],
        )
        .cast(dict(NAME_VOTES))
        .select(NAME_VOTES.names())
    )


def _voted_names(votes: pl.DataFrame) -> pl.DataFrame:
    """Most frequent base name among the spans that name each entity directly.

    Linked short forms ("HTS", "Dupont") only vote when nothing else names the entity.
    Ties go to the alphabetically first name so the choice is deterministic.
    """
    return (
        votes.sort(["entity_id", "direct", "total", "base"], descending=[False, True, True, False])
        .unique("entity_id", keep="first", maintain_order=True)
        .select("entity_id", voted="base")
    )


def entities_from_votes(votes: pl.DataFrame) -> pl.DataFrame:
    """One row per entity (``ENTITIES``) from name votes of one or more batches: the voted
    canonical name (a gazetteer's fixed name wins), every base name as an alias, and the
    place attributes."""
    summed = (
        votes.sort("entity_id", "base")
        .group_by("entity_id", "base", maintain_order=True)
        .agg(
            pl.col("direct").sum(),
            pl.col("total").sum(),
            *[pl.col(c).drop_nulls().first() for c in _ENTITY_ATTRIBUTES],
        )
    )
    grouped = summed.group_by("entity_id", maintain_order=True).agg(
        pl.col("base").alias("aliases"),
        *[pl.col(c).drop_nulls().first() for c in _ENTITY_ATTRIBUTES],
    )
    return (
        grouped.join(_voted_names(summed), on="entity_id")
        .with_columns(canonical_name=pl.coalesce("fixed_name", "voted"))
        .with_columns(
            aliases=pl.concat_list("aliases", pl.col("canonical_name")).list.unique().list.sort()
        )
        .select(ENTITY_SCHEMA.names())
        .cast(dict(ENTITY_SCHEMA))
        .sort("entity_id")
    )
