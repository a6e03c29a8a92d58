"""Entity linking rules, one table per rule, on tiny hand-written texts."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import polars as pl
import pytest

from flows.core.entities.linking import (
    ENTITY_SCHEMA,
    MENTION_SCHEMA,
    SPAN_SCHEMA,
    LinkResult,
    entities_from_votes,
    is_acronym_of,
    link_mentions,
)

# (surface, label) tagged in order of appearance; a surface may repeat.
Tags = list[tuple[str, str]]


@dataclass
class Article:
    """A test article: texts plus the spans an NER step would have produced."""

    article_id: str
    body: str
    body_tags: Tags = field(default_factory=list)
    title: str = ""
    title_tags: Tags = field(default_factory=list)


def _spans(article_id: str, text: str, tags: Tags, in_title: bool) -> list[dict]:
    """Locate each tagged surface after the previous one; sentence = count of '. ' before it."""
    rows, position = [], 0
    for surface, label in tags:
        start = text.index(surface, position)
        position = start + len(surface)
        rows.append(
            {
                "article_id": article_id,
                "in_title": in_title,
                "start_char": start,
                "end_char": position,
                "surface": surface,
                "label": label,
                "sentence_index": text[:start].count(". "),
                "confidence": 0.9,
            }
        )
    return rows


def frames(*articles: Article) -> tuple[pl.DataFrame, pl.DataFrame]:
    rows = []
    for a in articles:
        rows += _spans(a.article_id, a.title, a.title_tags, True)
        rows += _spans(a.article_id, a.body, a.body_tags, False)
    texts = pl.DataFrame(
        [(a.article_id, a.title, a.body) for a in articles],
        schema=["article_id", "title", "body"],
        orient="row",
    )
    return pl.DataFrame(rows, schema=SPAN_SCHEMA), texts


def link(*articles: Article) -> LinkResult:
    return link_mentions(*frames(*articles))


def named(result: LinkResult) -> pl.DataFrame:
    """Mentions with their entity's name and type, for readable assertions."""
    columns = ["entity_id", "canonical_name", "entity_type", "country_code"]
    return result.mentions.join(result.entities.select(columns), on="entity_id", how="left")


def entity_of(result: LinkResult, surface: str, article_id: str | None = None) -> dict:
    mentions = named(result).filter(pl.col("surface") == surface)
    if article_id is not None:
        mentions = mentions.filter(pl.col("article_id") == article_id)
    ids = mentions["entity_id"].unique()
    assert ids.len() == 1, f"{surface!r} maps to {ids.to_list()}"
    return result.entities.filter(pl.col("entity_id") == ids[0]).row(0, named=True)


def assert_valid(result: LinkResult, *articles: Article) -> None:
    """Invariants every result must meet, whatever the rules decided."""
    assert result.mentions.schema == MENTION_SCHEMA
    assert result.entities.schema == ENTITY_SCHEMA
    texts = {a.article_id: (a.title, a.body) for a in articles}
    for m in result.mentions.iter_rows(named=True):
        title, body = texts[m["article_id"]]
        text = title if m["in_title"] else body
        assert text[m["start_char"] : m["end_char"]] == m["surface"]
        assert 0.0 <= m["confidence"] <= 1.0
    ordered = result.mentions.sort("article_id", "in_title", "start_char")
    clash = ordered.with_columns(
        previous_end=pl.col("end_char").shift(1).over("article_id", "in_title")
    ).filter(pl.col("start_char") < pl.col("previous_end"))
    assert clash.is_empty(), clash
    entities = result.entities
    assert entities["entity_id"].is_unique().all()
    assert set(result.mentions["entity_id"]) == set(entities["entity_id"])
    for e in entities.iter_rows(named=True):
        assert e["aliases"] == sorted(set(e["aliases"]))
        assert e["canonical_name"] in e["aliases"]
        assert e["entity_type"] in {"PERSON", "ORG", "GPE", "LOC", "NORP", "MISC"}


# --- output shape -------------------------------------------------------------------------


def test_empty_input_keeps_schemas() -> None:
    texts = pl.DataFrame(schema={"article_id": pl.String, "title": pl.String, "body": pl.String})
    result = link_mentions(SPAN_SCHEMA.to_frame(), texts)
    assert result.mentions.schema == MENTION_SCHEMA and result.mentions.is_empty()
    assert result.entities.schema == ENTITY_SCHEMA and result.entities.is_empty()


def test_entity_ids_are_md5_of_type_and_key_and_stable_across_batches() -> None:
    first = link(Article("a", "Acme Corp hired staff.", [("Acme Corp", "ORG")]))
    second = link(Article("z", "Staff left ACME CORP's office.", [("ACME CORP's", "ORG")]))
    expected = hashlib.md5(b"ORG:acme corp").hexdigest()
    assert first.entities["entity_id"].to_list() == [expected]
    assert second.entities["entity_id"].to_list() == [expected]


# --- types ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "label", "entity_type", "country_code"),
    [
        ("Lucas Dupont", "PER", "PERSON", None),
        ("Acme Corp", "ORG", "ORG", None),
        ("Hama", "LOC", "GPE", "SY"),
        ("Texas", "LOC", "GPE", "US"),
        ("Hmeimim", "LOC", "LOC", None),  # unknown to the gazetteer
        ("Middle East", "LOC", "LOC", None),  # a region, not a place
        ("Europe", "LOC", "LOC", None),  # a continent: GeoNames id, still LOC
        ("Syrian", "MISC", "NORP", "SY"),
        ("Kurdish", "MISC", "NORP", None),
        ("Islamist", "MISC", "MISC", None),
        ("Olympics", "MISC", "MISC", None),
        ("Russia", "ORG", "GPE", "RU"),  # exact country name: GPE whatever the label
        ("Russia", "MISC", "GPE", "RU"),
        ("Aleppo", "ORG", "ORG", None),  # ORG: only country names are re-typed
        ("Idlib", "MISC", "GPE", "SY"),  # MISC: a city of 100k+ is re-typed
        ("Christmas", "MISC", "MISC", None),  # ... a town of 1k is not
        ("Ramadan", "MISC", "MISC", None),
        ("Syrian", "ORG", "ORG", None),  # only MISC demonyms become NORP
        ("Lucas", "FOO", "MISC", None),  # unknown labels are MISC
    ],
)
def test_entity_types(surface: str, label: str, entity_type: str, country_code: str | None) -> None:
    article = Article("a", f"Word {surface} word.", [(surface, label)])
    result = link(article)
    entity = entity_of(result, surface)
    assert (entity["entity_type"], entity["country_code"]) == (entity_type, country_code)
    assert_valid(result, article)


@pytest.mark.parametrize(
    ("surface", "country_code"),
    [
        ("Hama", "SY"),
        ("Syria", "SY"),
        ("Damascus", "SY"),
        ("Homs", "SY"),
        ("Aleppo", "SY"),
        ("Idlib", "SY"),
        ("Tartus", "SY"),
        ("Russia", "RU"),
        ("Iran", "IR"),
        ("Türkiye", "TR"),
        ("Moscow", "RU"),
    ],
)
def test_places_resolve_with_coordinates(surface: str, country_code: str) -> None:
    entity = entity_of(link(Article("a", f"In {surface} today.", [(surface, "LOC")])), surface)
    assert entity["entity_type"] == "GPE"
    assert entity["country_code"] == country_code
    assert entity["geonames_id"] is not None
    assert entity["latitude"] is not None and entity["longitude"] is not None


def test_turkiye_and_turkey_in_two_articles_are_one_country() -> None:
    result = link(
        Article("a", "Türkiye closed the border.", [("Türkiye", "LOC")]),
        Article("b", "Turkey reopened it.", [("Turkey", "LOC")]),
    )
    assert result.entities.height == 1
    turkey = result.entities.row(0, named=True)
    assert turkey["entity_type"] == "GPE" and turkey["country_code"] == "TR"
    assert turkey["geonames_id"] == 298795 and turkey["canonical_name"] == "Turkey"
    assert turkey["aliases"] == ["Turkey", "Türkiye"]
    assert turkey["latitude"] is not None and turkey["longitude"] is not None


@pytest.mark.parametrize("surfaces", [("Syrian",), ("Syrian", "Syrians")])
def test_demonyms_are_norp_with_country_and_no_coordinates(surfaces: tuple[str, ...]) -> None:
    body = " and ".join(surfaces) + " voices."
    result = link(Article("a", body, [(s, "MISC") for s in surfaces]))
    assert result.entities.height == 1
    norp = result.entities.row(0, named=True)
    assert (norp["entity_type"], norp["canonical_name"], norp["country_code"]) == (
        "NORP",
        "Syrian",
        "SY",
    )
    assert norp["latitude"] is None and norp["longitude"] is None and norp["geonames_id"] is None
    assert norp["aliases"] == sorted(surfaces)


def test_possessive_canonicalizes_but_mention_keeps_the_text() -> None:
    article = Article(
        "a",
        "Jets from Russia's base flew. Russia denied it.",
        [("Russia's", "LOC"), ("Russia", "LOC")],
    )
    result = link(article)
    assert result.entities.height == 1
    russia = result.entities.row(0, named=True)
    assert russia["canonical_name"] == "Russia" and russia["aliases"] == ["Russia"]
    first = result.mentions.row(0, named=True)
    assert (first["surface"], first["start_char"], first["end_char"]) == ("Russia's", 10, 18)
    assert_valid(result, article)


# --- acronyms -------------------------------------------------------------------------------

HTS = "Hayat Tahrir al-Sham"


@pytest.mark.parametrize(
    ("body", "tags"),
    [
        (f"{HTS} (HTS) took the town. Later HTS left.", [(HTS, "ORG")]),
        (f"{HTS} (HTS) took the town. Later HTS left.", [(HTS, "ORG"), ("HTS", "ORG")]),
        (f"HTS, {HTS}, took the town. Later HTS left.", [(HTS, "ORG")]),
        (f"Commonly referred to as HTS, {HTS}, it left.", [("HTS", "ORG"), (HTS, "ORG")]),
        (f"HTS ({HTS}) took the town. Later HTS left.", [(HTS, "ORG")]),
        (f"{HTS}, or HTS, took the town. Later HTS left.", [(HTS, "MISC"), ("HTS", "ORG")]),
        (f"{HTS}, known as HTS, took the town.", [(HTS, "ORG")]),
        (f"HTS: {HTS} took the town. Later HTS left.", [(HTS, "ORG")]),
        (f"The HTS – {HTS} – took the town.", [(HTS, "ORG")]),
    ],
)
def test_acronym_defined_next_to_long_form(body: str, tags: Tags) -> None:
    article = Article("a", body, tags)
    result = link(article)
    assert result.entities.height == 1
    entity = result.entities.row(0, named=True)
    assert entity["canonical_name"] == HTS and entity["aliases"] == ["HTS", HTS]
    occurrences = len(re.findall(r"(?<!\w)HTS(?!\w)", body))
    assert result.mentions.filter(pl.col("surface") == "HTS").height == occurrences
    assert_valid(result, article)


def test_seed_like_article_gives_one_org_with_both_names() -> None:
    body = (
        f"The {HTS} terrorist group attacked. Officials met in Hama. "
        f"Commonly referred to as HTS, {HTS}, the group is banned. "
        "Observers expect HTS to advance, and HTS's allies agree."
    )
    article = Article(
        "a",
        body,
        [(HTS, "ORG"), ("Hama", "LOC"), ("HTS", "ORG"), (HTS, "ORG")],
        title="HTS nears Hama",
        title_tags=[("Hama", "LOC")],
    )
    result = link(article)
    orgs = result.entities.filter(pl.col("entity_type") == "ORG")
    assert orgs.height == 1
    org = orgs.row(0, named=True)
    assert org["canonical_name"] == HTS and org["aliases"] == ["HTS", HTS]
    hts = named(result).filter(pl.col("surface") == "HTS")
    # the tagged HTS, the two untagged body ones and the untagged one in the title
    assert hts.height == 4 and hts["entity_type"].unique().to_list() == ["ORG"]
    assert hts.filter(pl.col("in_title")).height == 1
    assert_valid(result, article)


def test_added_acronym_mentions_get_the_sentence_between_their_neighbours() -> None:
    body = f"{HTS} (HTS) formed. Nothing here. Then HTS left Hama. Quiet. Hama slept."
    article = Article("a", body, [(HTS, "ORG"), ("Hama", "LOC"), ("Hama", "LOC")])
    result = link(article)
    added = result.mentions.filter(pl.col("surface") == "HTS").sort("start_char")
    assert added["sentence_index"].to_list() == [0, 2]
    assert added["confidence"].to_list() == [0.9, 0.9]
    assert_valid(result, article)


def test_acronym_inside_a_tagged_span_is_not_added() -> None:
    body = f"{HTS} (HTS) formed. HTS-led forces advanced."
    article = Article("a", body, [(HTS, "ORG"), ("HTS-led", "MISC")])
    result = link(article)
    assert result.mentions.filter(pl.col("surface") == "HTS").height == 1
    assert_valid(result, article)


def test_acronym_definitions_are_per_article() -> None:
    result = link(
        Article("a", f"{HTS} (HTS) formed.", [(HTS, "ORG")]),
        Article("b", "HTS said little.", [("HTS", "ORG")]),
    )
    assert entity_of(result, "HTS", "a")["canonical_name"] == HTS
    assert entity_of(result, "HTS", "b")["canonical_name"] == "HTS"


def test_capitalised_word_after_a_comma_is_not_a_definition() -> None:
    body = "Syrian Democratic Forces, US officials said, advanced."
    result = link(Article("a", body, [("Syrian Democratic Forces", "ORG"), ("US", "LOC")]))
    assert entity_of(result, "US")["entity_type"] == "GPE"
    assert result.entities.height == 2


@pytest.mark.parametrize(
    ("short", "long", "expected"),
    [
        ("HTS", HTS, True),
        ("SDF", "Syrian Democratic Forces", True),
        ("ISIL", "Islamic State of Iraq and the Levant", True),
        ("AQAP", "al-Qaeda in the Arabian Peninsula", True),
        ("SOHR", "Syrian Observatory for Human Rights", True),
        ("U.N.", "United Nations", True),
        ("DoD", "Department of Defense", True),
        ("MBS", "Mohammed bin Salman", True),
        ("HT", HTS, False),  # "Sham" is capitalised, so it must count
        ("PKK", "Kurdistan Workers' Party", False),
        ("US", "Syrian Democratic Forces", False),
        ("H", "Hayat", False),
        ("French", "French Foreign Ministry", False),
    ],
)
def test_is_acronym_of(short: str, long: str, expected: bool) -> None:
    assert is_acronym_of(short, long) is expected


# --- short person names ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "short", "full"),
    [
        (["Lucas Dupont", "Dupont"], "Dupont", "Lucas Dupont"),
        (["Dupont", "Lucas Dupont"], "Dupont", "Lucas Dupont"),  # order does not matter
        (["Lucas Dupont", "Lucas"], "Lucas", "Lucas Dupont"),  # contained as a word
        (["Lucas Dupont", "Marie Dupont", "Dupont"], "Dupont", None),  # ambiguous
        (["Bashar al-Assad", "al-Assad", "Assad"], "Assad", "Bashar al-Assad"),
        (["Bashar al-Assad", "al-Assad"], "al-Assad", "Bashar al-Assad"),
        (["Bashar al-Assad", "Hafez al-Assad", "Assad"], "Assad", None),
        (["Lucas Dupont", "Dupont's"], "Dupont's", "Lucas Dupont"),
    ],
)
def test_short_person_names(names: list[str], short: str, full: str | None) -> None:
    article = Article("a", ". ".join(names) + ".", [(n, "PER") for n in names])
    result = link(article)
    entity = entity_of(result, short)
    assert entity["entity_type"] == "PERSON"
    if full is None:
        assert entity["canonical_name"] == short
    else:
        assert entity["entity_id"] == entity_of(result, full)["entity_id"]
        assert entity["canonical_name"] == full
    assert_valid(result, article)


def test_short_person_name_does_not_cross_articles() -> None:
    result = link(
        Article("a", "Lucas Dupont spoke.", [("Lucas Dupont", "PER")]),
        Article("b", "Dupont spoke.", [("Dupont", "PER")]),
    )
    assert result.entities.height == 2


# --- cross-article merging ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "label", "aliases"),
    [
        ("Hezbollah", "Hezbollah's", "ORG", ["Hezbollah"]),
        ("Kremlin", "the Kremlin", "ORG", ["Kremlin"]),
        ("Erdoğan", "Erdogan", "PER", ["Erdogan", "Erdoğan"]),
        (HTS, "HAYAT TAHRIR AL-SHAM", "ORG", ["HAYAT TAHRIR AL-SHAM", HTS]),
        (HTS, "Hayat Tahrir al Sham", "ORG", ["Hayat Tahrir al Sham", HTS]),
    ],
)
def test_canonical_key_merges_across_articles(
    first: str, second: str, label: str, aliases: list[str]
) -> None:
    # the first spelling is used twice, so it wins the canonical-name vote
    result = link(
        Article("a", f"Then {first} and {first} spoke.", [(first, label), (first, label)]),
        Article("b", f"Today {second} spoke.", [(second, label)]),
    )
    assert result.entities.height == 1
    entity = result.entities.row(0, named=True)
    assert entity["canonical_name"] == first
    assert entity["aliases"] == aliases


@pytest.mark.parametrize(
    ("tags", "types"),
    [
        # a place tagged LOC once pulls the article's PER/MISC spans of that name along
        ([("Hama", "LOC"), ("Hama", "PER"), ("Hama", "MISC")], ["GPE"]),
        # a one-word PER naming a large place is that place, even with no LOC evidence
        ([("Hama", "PER"), ("Hama", "PER")], ["GPE"]),
        ([("Marlow", "PER"), ("Marlow", "PER")], ["PERSON"]),  # a small town: stays a name
        ([("Barcelona", "ORG"), ("Barcelona", "LOC")], ["GPE", "ORG"]),  # club and city
    ],
)
def test_place_types_agree_within_an_article(tags: Tags, types: list[str]) -> None:
    body = " then ".join(surface for surface, _ in tags) + "."
    result = link(Article("a", body, tags))
    assert sorted(result.entities["entity_type"]) == types


def test_place_agreement_does_not_cross_articles() -> None:
    result = link(
        Article("a", "Marlow is calm.", [("Marlow", "LOC")]),
        Article("b", "Marlow said so.", [("Marlow", "PER")]),
    )
    assert entity_of(result, "Marlow", "b")["entity_type"] == "PERSON"


@pytest.mark.parametrize(
    ("surface", "confidence", "expected", "country_code"),
    [
        ("Tartus", 0.32, "GPE", "SY"),  # the model unsure of ORG; a city of 458k people
        ("Tartus", 0.86, "ORG", None),  # sure of it: a club or a body named after the city
        ("Tartus", 0.5, "ORG", None),  # even odds are not "unsure"
        ("Texas", 0.4, "GPE", "US"),  # a US state
        ("Acme Corp", 0.2, "ORG", None),  # not a place, however unsure
        ("Christmas", 0.2, "ORG", None),  # a town of 1k people is too small to overrule
    ],
)
def test_unsure_organisation_that_names_a_large_place(
    surface: str, confidence: float, expected: str, country_code: str | None
) -> None:
    spans, texts = frames(Article("a", f"Bases in {surface} and more.", [(surface, "ORG")]))
    result = link_mentions(spans.with_columns(confidence=pl.lit(confidence)), texts)
    entity = entity_of(result, surface, "a")
    assert (entity["entity_type"], entity["country_code"]) == (expected, country_code)
    assert named(result)["confidence"].to_list() == [confidence]


@pytest.mark.parametrize(
    ("surface", "label", "expected"),
    [
        ("Hama", "PER", "GPE"),  # a city of ~700k people
        ("Syria", "PER", "GPE"),  # a country
        ("Paris Hilton", "PER", "PERSON"),  # more than one word: a person's name
        ("Dupont", "PER", "PERSON"),  # not a place at all
    ],
)
def test_one_word_person_that_names_a_large_place(surface: str, label: str, expected: str) -> None:
    result = link(Article("a", f"Then {surface} spoke.", [(surface, label)]))
    assert entity_of(result, surface, "a")["entity_type"] == expected


def test_a_name_with_a_defined_acronym_is_one_organization() -> None:
    body = "Hayat Tahrir al-Sham (HTS) advanced. Later Hayat Tahrir al-Sham and HTS held on."
    tags = [("Hayat Tahrir al-Sham", "PER"), ("Hayat Tahrir al-Sham", "ORG"), ("HTS", "PER")]
    result = link(Article("a", body, tags))
    assert result.entities.height == 1
    entity = result.entities.row(0, named=True)
    assert entity["entity_type"] == "ORG"
    assert entity["aliases"] == ["HTS", "Hayat Tahrir al-Sham"]


# --- input hygiene --------------------------------------------------------------------------


def test_spans_whose_offsets_do_not_match_are_dropped() -> None:
    spans, texts = frames(Article("a", "Acme Corp hired.", [("Acme Corp", "ORG")]))
    bad = spans.with_columns(pl.lit("Acme Inc").alias("surface"))
    missing = spans.with_columns(pl.lit("zzz").alias("article_id"))
    result = link_mentions(pl.concat([spans, bad, missing]), texts)
    assert result.mentions["surface"].to_list() == ["Acme Corp"]


def test_overlapping_spans_keep_the_earliest_then_longest() -> None:
    body = "abcdefghijklmnopqrstuvwxyz"
    rows = [(0, 10), (5, 20), (15, 25), (0, 4)]  # greedy keeps 0-10 and 15-25
    spans = pl.DataFrame(
        [("a", False, s, e, body[s:e], "ORG", 0, 0.5) for s, e in rows],
        schema=SPAN_SCHEMA,
        orient="row",
    )
    texts = pl.DataFrame({"article_id": ["a"], "title": [""], "body": [body]})
    result = link_mentions(spans, texts)
    kept = result.mentions.select("start_char", "end_char").rows()
    assert kept == [(0, 10), (15, 25)]


def test_title_and_body_offsets_are_independent() -> None:
    article = Article(
        "a", "Hama is calm.", [("Hama", "LOC")], title="Hama", title_tags=[("Hama", "LOC")]
    )
    result = link(article)
    assert result.mentions.select("in_title", "start_char").rows() == [(True, 0), (False, 0)]
    assert result.entities.height == 1
    assert_valid(result, article)


def test_entities_from_votes_of_several_batches_equal_one_batch() -> None:
    """The run links its new articles a batch at a time; the entities it stages are built from
    the summed name votes and must not depend on where the batches were cut."""
    articles = [
        Article(
            "a",
            "Acme Corp hired Lucas Dupont. Dupont moved to Hama.",
            [("Acme Corp", "ORG"), ("Lucas Dupont", "PER"), ("Dupont", "PER"), ("Hama", "LOC")],
        ),
        Article(
            "b", "ACME CORP said ACME CORP grew.", [("ACME CORP", "ORG"), ("ACME CORP", "ORG")]
        ),
        Article("c", "Acme Corp left Türkiye.", [("Acme Corp", "ORG"), ("Türkiye", "LOC")]),
        Article("d", "Turkey and Acme Corp.", [("Turkey", "LOC"), ("Acme Corp", "ORG")]),
    ]
    whole = link(*articles)
    for cut in (1, 2, 3):
        parts = [link(*articles[:cut]), link(*articles[cut:])]
        votes = pl.concat([p.votes for p in parts])
        assert entities_from_votes(votes).equals(whole.entities), cut
        assert (
            pl.concat([p.mentions for p in parts])
            .sort("article_id")
            .equals(whole.mentions.sort("article_id"))
        )
    acme = whole.entities.filter(pl.col("entity_type") == "ORG").row(0, named=True)
    # two batches each see one spelling; only the summed votes can pick "Acme Corp" (3 vs 2)
    assert acme["canonical_name"] == "Acme Corp" and "ACME CORP" in acme["aliases"]
