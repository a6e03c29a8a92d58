"""Gazetteer, name normalization and demonym table."""

from __future__ import annotations

import os

import polars as pl
import pytest

from flows.core.entities import gazetteer
from flows.core.entities.demonyms import DEMONYM_SCHEMA, demonyms
from flows.core.entities.gazetteer import (
    PLACE_SCHEMA,
    REGION_KEYS,
    base_name_expr,
    lookup_places,
    name_key,
    place_candidates,
    places,
)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Türkiye", "turkiye"),
        ("Russia's", "russia"),
        ("Russia’s,", "russia"),
        ("Syrians'", "syrians"),
        ("the United States", "united states"),
        ("The  Hague", "hague"),
        ("U.S.", "us"),
        ("Hayat Tahrir al-Sham", "hayat tahrir al sham"),
        ("HAYAT TAHRIR AL-SHAM", "hayat tahrir al sham"),
        ("  Łódź\n", "lodz"),
        ("Straße", "strasse"),
        ("İstanbul", "istanbul"),
        ("Ţarţūs", "tartus"),
        ("Sanʿāʾ", "sana"),
        ("ＵＮ", "un"),
        ("“Hezbollah,”", "hezbollah"),
        ("AT&T", "at&t"),
        ("'s", ""),
    ],
)
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


@pytest.mark.parametrize(
    ("surface", "base"),
    [
        ("Russia's", "Russia"),
        ("Syrians'", "Syrians"),
        ("(HTS)", "HTS"),
        ("HTS)", "HTS"),
        ("(HTS", "HTS"),
        ("Party (Baath)", "Party (Baath)"),
        ("the Kremlin", "Kremlin"),
        ("The Hague", "The Hague"),
        ("U.S.", "U.S."),
        ("“Hezbollah,”", "Hezbollah"),
        ("Hayat\nTahrir  al-Sham", "Hayat Tahrir al-Sham"),
        ("Erdoğan", "Erdoğan"),
    ],
)
def test_base_name_keeps_the_name_as_written(surface: str, base: str) -> None:
    assert pl.select(base_name_expr(pl.lit(surface))).item() == base


@pytest.mark.parametrize(
    ("name", "kind", "country_code"),
    [
        ("Syria", "country", "SY"),
        ("Russia", "country", "RU"),
        ("Russian Federation", "country", "RU"),
        ("Iran", "country", "IR"),
        ("Türkiye", "country", "TR"),
        ("Turkey", "country", "TR"),
        ("UK", "country", "GB"),
        ("the United States", "country", "US"),
        ("Georgia", "country", "GE"),  # country beats the US state
        ("Texas", "admin1", "US"),
        ("Hama", "city", "SY"),  # most populous of the places called Hama
        ("Damascus", "city", "SY"),  # not Damascus, Maryland
        ("Moscow", "city", "RU"),  # not Moscow, Idaho
        ("Homs", "city", "SY"),
        ("Aleppo", "city", "SY"),
        ("Idlib", "city", "SY"),
        ("Tartus", "city", "SY"),  # GeoNames spells it Ţarţūs
        ("Tartous", "city", "SY"),  # alternate name
        ("Europe", "continent", None),
    ],
)
def test_lookup_resolves_places(name: str, kind: str, country_code: str | None) -> None:
    row = lookup_places([name]).row(0, named=True)
    assert (row["kind"], row["country_code"]) == (kind, country_code)
    assert row["geonames_id"] is not None
    assert row["latitude"] is not None and row["longitude"] is not None


@pytest.mark.parametrize("name", ["Middle East", "Levant", "Hmeimim", "Qwertyville", "Korea"])
def test_lookup_leaves_regions_and_unknown_names_unresolved(name: str) -> None:
    assert lookup_places([name]).row(0, named=True)["geonames_id"] is None


def test_alternate_names_reach_the_same_place() -> None:
    ids = lookup_places(["Türkiye", "Turkey", "Turkiye", "Republic of Türkiye"])["geonames_id"]
    assert ids.n_unique() == 1 and ids[0] == 298795
    assert lookup_places(["Tartus", "Tartous"])["geonames_id"].to_list() == [163345, 163345]


def test_country_coordinates_are_the_capital() -> None:
    syria, damascus = lookup_places(["Syria", "Damascus"]).iter_rows(named=True)
    assert (syria["latitude"], syria["longitude"]) == (damascus["latitude"], damascus["longitude"])


def test_nearly_every_country_and_state_has_coordinates() -> None:
    table = places().filter(pl.col("kind").is_in(["country", "admin1"]))
    missing = table.filter(pl.col("latitude").is_null())["place_name"].unique().to_list()
    # Only uninhabited territories without any listed city lack a point.
    assert len(missing) <= 5, missing


def test_places_has_one_row_per_key_and_is_cached() -> None:
    table = places()
    assert table.schema == PLACE_SCHEMA
    assert table["key"].is_unique().all()
    assert places() is table and place_candidates() is place_candidates()


def test_region_keys_are_written_as_keys() -> None:
    assert all(name_key(key) == key for key in REGION_KEYS)


@pytest.mark.parametrize(
    ("form", "demonym", "country_code"),
    [
        ("Syrian", "Syrian", "SY"),
        ("Syrians", "Syrian", "SY"),
        ("Russian", "Russian", "RU"),
        ("Iranian", "Iranian", "IR"),
        ("Turkish", "Turkish", "TR"),
        ("Turks", "Turkish", "TR"),
        ("British", "British", "GB"),
        ("Kurdish", "Kurdish", None),  # no single country
        ("Congolese", "Congolese", None),  # two countries
    ],
)
def test_demonyms(form: str, demonym: str, country_code: str | None) -> None:
    table = demonyms()
    assert table.schema == DEMONYM_SCHEMA
    row = table.filter(pl.col("key") == name_key(form)).row(0, named=True)
    assert (row["demonym"], row["demonym_country_code"]) == (demonym, country_code)


@pytest.mark.parametrize("word", ["Islamist", "Sunni", "Jihadist", "Olympic", "New Zealand"])
def test_non_demonyms_are_absent(word: str) -> None:
    assert demonyms().filter(pl.col("key") == name_key(word)).is_empty()


@pytest.mark.slow
def test_the_cached_places_table_equals_a_fresh_build() -> None:
    cached = gazetteer.places()
    assert gazetteer._places_cache_path().exists() or not os.access(
        gazetteer._places_cache_path().parent, os.W_OK
    )
    assert gazetteer._build_places().equals(cached)
