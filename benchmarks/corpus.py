"""Deterministic synthetic news corpus, written as the landing files a user would have.

What it models, and why:
- lengths: ~400 words on average (log-normal, clipped to 150-900 words), so per-article
  costs (parsing, hashing, NER) are weighted as in real news;
- a dozen sources with skewed shares, publication dates spread over the year before
  2024-12-31 (the benchmark runs with `--date 2024-12-31`; the audit rejects dates more than
  a day after the run), ISO 8601 and RFC 822 date strings, tracking parameters on some URLs;
- entity-bearing sentences drawn from ~4,000 people (first x last names), dozens of places,
  organisations and nationalities, with skewed popularity, so entity linking and the
  aggregate views see thousands of distinct entities, a few of them very often;
- open-vocabulary filler sentences (numbers, word lists), so unrelated articles share few
  word 5-grams and the near-duplicate step sees realistic candidate counts;
- exact duplicates (the same record again, or the same text filed by another site) and
  syndicated near-copies (another site, one sentence edited, sometimes a "Read Full Article
  at X." teaser, another byline or an "originally appeared on" line), at the rates in the
  spec, counted in the returned stats;
- files: JSONL exports of at most `jsonl_records` records each, and seed-format .txt files
  (title, optional teaser, paragraphs, byline) for a share of the first `txt_limit`
  articles, so a million articles stay a few hundred files.

Every original is generated from its index alone; copies regenerate it instead of keeping
it, so memory stays flat however many articles are written.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO


def _words(text: str) -> tuple[str, ...]:
    """A word list written as one string; "-" joins the words of a multi-word name."""
    return tuple(word.replace("-", " ") for word in text.split())


SOURCES = (
    "Daily Ledger",
    "Harbor Times",
    "Northern Post",
    "Capital Wire",
    "Evening Star",
    "Coastal Herald",
    "Metro Courier",
    "Valley Tribune",
    "Global Dispatch",
    "Morning Gazette",
    "Summit Review",
    "River City News",
)
FIRST_NAMES = _words(
    "Anna Marc Sofia Tomas Ines Omar Lucas Maria Jonas Elena Pavel Laila Hugo Nadia Felix Clara "
    "Mateo Amira Viktor Julia Samuel Yara Rafael Lena Daniel Hana Oscar Mira Adrian Zofia Leon "
    "Irene Karim Alice Bruno Selin Nikolai Emma Andre Farah Stefan Chloe Diego Leila Henrik Rosa "
    "Tariq Greta Emil Sara Ivan Noor Pierre Lucia Anders Maya Kofi Paula Rui Helena Jakob Asha"
)
LAST_NAMES = _words(
    "Keller Olsen Brandt Reyes Laurent Haddad Dupont Novak Fischer Moreau Costa Petrov Jansen "
    "Alvarez Berg Nowak Rossi Schmidt Okafor Lindqvist Marchetti Horvat Duarte Sato Kowalski "
    "Mensah Weber Navarro Ivanova Castillo Engel Haas Larsen Bianchi Mendes Kaya Ferreira Vogel "
    "Dubois Quinn Ortega Holm Rahman Santos Wagner Lemaire Aziz Varga Nielsen Romero Hoffmann "
    "Carvalho Bauer Yilmaz Fontaine Mazur Sorensen Greco Abbas Lund Peralta Richter Conti"
)
PLACES = _words(
    "Berlin Madrid Warsaw Lisbon Vienna Prague Cairo Nairobi Lima Paris London Rome Athens "
    "Dublin Oslo Stockholm Helsinki Copenhagen Budapest Bucharest Sofia Zagreb Belgrade Kyiv "
    "Ankara Istanbul Tunis Algiers Lagos Accra Dakar Addis-Ababa Johannesburg Toronto "
    "Chicago Boston Mexico-City Bogota Santiago Buenos-Aires Brasilia Tokyo Seoul Manila "
    "Jakarta Hanoi Bangkok Delhi Mumbai Karachi Dhaka Sydney Auckland Germany France Spain "
    "Italy Poland Portugal Egypt Kenya Peru Brazil Canada Japan India Nigeria Turkey Ukraine"
)
ORGS = _words(
    "United-Nations European-Commission World-Bank Red-Cross NATO World-Health-Organization "
    "International-Monetary-Fund European-Central-Bank African-Union Amnesty-International "
    "Greenpeace Siemens Toyota Microsoft Unilever Airbus Nestle Shell Volkswagen Samsung "
    "Oxfam UNICEF World-Trade-Organization OPEC Interpol Europol Bank-of-England "
    "Federal-Reserve Supreme-Court Ministry-of-Finance Ministry-of-Health National-Assembly "
    "Labour-Party Green-Party Social-Democrats Harvard-University Oxford-University "
    "Max-Planck-Institute Human-Rights-Watch Doctors-Without-Borders Council-of-Europe "
    "OECD Bundesbank Deutsche-Bahn Air-France Reuters-Foundation Sorbonne"
)
NATIONALITIES = _words(
    "German French Spanish Italian Polish Portuguese Egyptian Kenyan Peruvian Brazilian "
    "Canadian Japanese Indian Nigerian Turkish Ukrainian British Swedish Greek Irish"
)
ROLES = _words(
    "spokesperson adviser economist director analyst minister researcher official negotiator "
    "executive lawyer professor envoy commissioner mayor"
)
SUBJECTS = _words(
    "officials residents analysts investors farmers teachers nurses engineers unions lawmakers "
    "prosecutors regulators traders doctors students drivers voters shopkeepers"
)
ADJECTIVES = _words(
    "new fragile modest sharp steady rising falling urgent broad narrow costly regional "
    "national temporary lasting cautious bold unexpected contested quiet rapid gradual "
    "renewed limited uneven"
)
NOUNS = _words(
    "budget talks tariffs wages prices reforms elections floods drought pipeline railway "
    "vaccine hospital schools harbour bridge subsidies exports imports inflation housing rents "
    "pensions taxes grid reactor ceasefire treaty strike protest border airport factory "
    "harvest fisheries bonds shares deficit loans aid corridor dam permits licences ruling"
)
VERBS_PAST = _words(
    "approved rejected delayed announced criticised welcomed questioned extended suspended "
    "expanded reviewed blocked endorsed revised defended unveiled challenged postponed "
    "financed investigated"
)
VERBS = _words("approve reject delay announce review block revise defend unveil finance expand")
WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
MONTHS = _words(
    "January February March April May June July August September October November December"
)
SECTIONS = ("world", "politics", "business", "economy", "europe", "science", "health")
YEAR_END = datetime(2024, 12, 31, 23, 0, tzinfo=UTC)


@dataclass(frozen=True)
class CorpusSpec:
    """What to write. Rates are shares of all records; the rest are originals."""

    n_articles: int
    words: int = 400  # mean body words (log-normal, clipped to min_words..max_words)
    min_words: int = 150
    max_words: int = 900
    duplicate_rate: float = 0.05  # exact copies: skipped by the pipeline as duplicates
    syndicated_rate: float = 0.10  # near-copies: stored, grouped into the original's story
    txt_share: float = 0.2  # share of the first txt_limit records written as .txt files
    txt_limit: int = 20_000
    jsonl_records: int = 5_000  # records per JSONL file at most
    days: int = 365  # publication dates spread over this many days before YEAR_END
    seed: int = 7


@dataclass
class CorpusStats:
    """What was written, for the benchmark's notes (the rates actually realised)."""

    records: int = 0
    bytes: int = 0
    originals: int = 0
    exact_duplicates: int = 0
    near_copies: int = 0
    jsonl_files: int = 0
    txt_files: int = 0
    body_words: int = 0
    sources: set[str] = field(default_factory=set)

    def describe(self) -> str:
        """One line a reader of the results can check the corpus against."""
        share = max(self.records, 1)
        return (
            f"{self.records:,} records ({self.bytes / 1e6:,.1f} MB; "
            f"{self.jsonl_files} JSONL files, {self.txt_files:,} .txt files; "
            f"{len(self.sources)} sources; mean body {self.body_words / share:,.0f} words): "
            f"{self.originals:,} originals, {self.exact_duplicates:,} exact duplicates "
            f"({100 * self.exact_duplicates / share:.1f}%), {self.near_copies:,} syndicated "
            f"near-copies ({100 * self.near_copies / share:.1f}%)"
        )


@dataclass(frozen=True)
class Article:
    """One record, kept as sentences so a near-copy can edit exactly one of them."""

    title: str
    paragraphs: tuple[tuple[str, ...], ...]  # sentences per paragraph
    source: str
    url: str
    author: str
    published: datetime
    rfc822: bool = False  # how the JSONL export writes the date
    teaser: str | None = None
    origin: str | None = None
    credit: str | None = None  # an "originally appeared on" line after the body

    @property
    def body(self) -> str:
        """Paragraphs joined by a blank line, as exports usually carry them."""
        paragraphs = [" ".join(p) for p in self.paragraphs]
        if self.credit:
            paragraphs.append(self.credit)
        return "\n\n".join(paragraphs)

    def json_record(self) -> dict[str, object]:
        """As a JSONL export has it (field names the readers accept)."""
        published = (
            self.published.strftime("%a, %d %b %Y %H:%M:%S GMT")
            if self.rfc822
            else self.published.strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        record: dict[str, object] = {
            "title": self.title,
            "body": self.body,
            "url": self.url,
            "source": self.source,
            "authors": [self.author],
            "published": published,
        }
        if self.teaser:
            record["summary"] = self.teaser
            record["origin"] = self.origin
        return record

    def text_file(self) -> str:
        """The seed format: title, optional teaser line, paragraphs, byline."""
        lines = [self.title]
        if self.teaser:
            lines.append(f"{self.teaser} Read Full Article at {self.origin}.")
        lines += [" ".join(p) for p in self.paragraphs]
        if self.credit:
            lines.append(self.credit)
        lines.append(f"{self.author} for {self.source}")
        return "\n".join(lines) + "\n"


def person(k: int) -> str:
    """The k-th of len(FIRST_NAMES) x len(LAST_NAMES) distinct names: k -> (first, last) is
    a bijection, so a popularity index is a person."""
    first, rest = k % len(FIRST_NAMES), k // len(FIRST_NAMES)
    return f"{FIRST_NAMES[first]} {LAST_NAMES[(7 * first + rest) % len(LAST_NAMES)]}"


N_PEOPLE = len(FIRST_NAMES) * len(LAST_NAMES)


def popular(rng: random.Random, n: int, skew: float = 2.5) -> int:
    """An index in range(n), small ones far more often (a few entities dominate the news)."""
    return int(n * rng.random() ** skew)


@dataclass(frozen=True)
class Cast:
    """The entities one article is about; its sentences keep coming back to them."""

    people: tuple[str, str]
    org: str
    place: str
    nationality: str


def _cast(rng: random.Random) -> Cast:
    """Skewed picks: popular people, organisations and places recur across articles."""
    return Cast(
        people=(person(popular(rng, N_PEOPLE)), person(popular(rng, N_PEOPLE))),
        org=ORGS[popular(rng, len(ORGS), 1.5)],
        place=PLACES[popular(rng, len(PLACES), 1.5)],
        nationality=rng.choice(NATIONALITIES),
    )


def _sentence(rng: random.Random, cast: Cast) -> str:
    """One sentence; half of the templates name entities, mostly the article's own cast."""
    c = rng.choice
    own = rng.random() < 0.7
    who = c(cast.people) if own else person(popular(rng, N_PEOPLE))
    org = cast.org if own else c(ORGS)
    place = cast.place if own else c(PLACES)
    n, kind = rng.randint(2, 999), rng.randrange(10)
    if kind == 0:
        return f"{who} said the {org} would {c(VERBS)} the {c(ADJECTIVES)} {c(NOUNS)} in {place} by {c(MONTHS)}."
    if kind == 1:
        return f"In {place}, {who} told reporters that the {c(NOUNS)} had been {c(VERBS_PAST)} after {n} days."
    if kind == 2:
        return f"The {org} {c(VERBS_PAST)} the {c(NOUNS)} on {c(WEEKDAYS)}, according to {who}, a {c(ROLES)} at the {c(ORGS)}."
    if kind == 3:
        other = person(popular(rng, N_PEOPLE))
        return f"{who}, the {cast.nationality} {c(ROLES)}, met {other} in {place} to discuss {c(NOUNS)} and {c(NOUNS)}."
    if kind == 4:
        return f"{c(NATIONALITIES)} {c(SUBJECTS)} in {place} {c(VERBS_PAST)} the plan for {c(NOUNS)}, the {org} said."
    if kind == 5:
        return f"{c(SUBJECTS).capitalize()} {c(VERBS_PAST)} the {c(ADJECTIVES)} {c(NOUNS)} on {c(WEEKDAYS)}, saying {n} {c(NOUNS)} were at stake."
    if kind == 6:
        return f"The {c(ADJECTIVES)} {c(NOUNS)} could cost {n} million euros over {rng.randint(2, 12)} years, {c(SUBJECTS)} said."
    if kind == 7:
        return f"Some {c(SUBJECTS)} said the {c(NOUNS)} looked {c(ADJECTIVES)}, while others called for {c(ADJECTIVES)} {c(NOUNS)}."
    if kind == 8:
        return f"Figures published in {c(MONTHS)} showed {c(NOUNS)} up {n / 10:.1f} percent and {c(NOUNS)} down {rng.randint(1, 99)} percent."
    return f"It was not clear whether the {c(NOUNS)} would be {c(VERBS_PAST)} before {c(MONTHS)}, {n} {c(SUBJECTS)} said."


def _slug(text: str) -> str:
    """URL path words, as news sites build them from a title."""
    return "-".join(text.lower().replace(",", "").replace(":", "").split())


def _url(rng: random.Random, source: str, published: datetime, title: str, key: str) -> str:
    """A site-specific URL (unique through `key`); some carry tracking parameters that the
    pipeline's URL canonicalisation removes."""
    url = (
        f"https://www.{_slug(source).replace('-', '')}.com/{rng.choice(SECTIONS)}/"
        f"{published:%Y/%m/%d}/{_slug(title)[:60]}-{key}"
    )
    if rng.random() < 0.1:
        url += "?utm_source=rss&utm_medium=feed"
    return url


def original(spec: CorpusSpec, i: int) -> Article:
    """The i-th original article; the same (spec.seed, i) always gives the same article."""
    rng = random.Random(spec.seed * 1_000_003 + i)
    sigma = 0.4
    mu = math.log(spec.words) - sigma * sigma / 2
    target = min(spec.max_words, max(spec.min_words, int(rng.lognormvariate(mu, sigma))))
    cast = _cast(rng)
    sentences: list[str] = []
    words = 0
    while words < target:
        sentence = _sentence(rng, cast)
        sentences.append(sentence)
        words += sentence.count(" ") + 1
    paragraphs: list[tuple[str, ...]] = []
    while sentences:
        take = rng.randint(2, 5)
        paragraphs.append(tuple(sentences[:take]))
        del sentences[:take]
    title = rng.choice(
        (
            f"{cast.org} {rng.choice(VERBS)}s {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} in {cast.place}",
            f"{cast.people[0]} warns of {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} as {cast.org} meets",
            f"{cast.place}: {rng.choice(SUBJECTS)} {rng.choice(VERBS_PAST)} {rng.choice(NOUNS)} plan",
        )
    )
    source = SOURCES[popular(rng, len(SOURCES), 1.8)]
    published = YEAR_END - timedelta(seconds=rng.randrange(spec.days * 86_400))
    return Article(
        title=title,
        paragraphs=tuple(paragraphs),
        source=source,
        url=_url(rng, source, published, title, f"a{i}"),
        author=person(rng.randrange(N_PEOPLE)),
        published=published,
        rfc822=rng.random() < 0.2,
    )


def exact_copy(rng: random.Random, base: Article, k: int) -> Article:
    """The same title and body again: mostly the same record re-exported, else the same
    text filed by another site (a duplicate by content hash, not by URL)."""
    if rng.random() < 0.7:
        return base
    source = rng.choice([s for s in SOURCES if s != base.source])
    return replace(base, source=source, url=_url(rng, source, base.published, base.title, f"d{k}"))


def near_copy(rng: random.Random, base: Article, k: int) -> Article:
    """A syndicated copy on another site: one sentence edited (always, so the text differs),
    and sometimes a teaser naming the origin, another byline, an origin credit line."""
    source = rng.choice([s for s in SOURCES if s != base.source])
    paragraphs = [list(p) for p in base.paragraphs]
    p = rng.randrange(len(paragraphs))
    s = rng.randrange(len(paragraphs[p]))
    paragraphs[p][s] = paragraphs[p][s][:-1] + f", {rng.choice(SUBJECTS)} added."
    first = base.paragraphs[0][0]
    published = min(YEAR_END, base.published + timedelta(minutes=rng.randint(10, 2_880)))
    teaser = rng.random() < 0.5
    return replace(
        base,
        paragraphs=tuple(tuple(p) for p in paragraphs),
        source=source,
        url=_url(rng, source, published, base.title, f"s{k}"),
        author=person(rng.randrange(N_PEOPLE)) if rng.random() < 0.5 else base.author,
        published=published,
        teaser=" ".join(first.split()[:18]).rstrip(".,") + "..." if teaser else None,
        origin=base.source if teaser else None,
        credit=f"This article originally appeared on {base.source}."
        if rng.random() < 0.3
        else None,
    )


def articles(spec: CorpusSpec, stats: CorpusStats) -> Iterator[Article]:
    """The records in file order: originals, with copies of recent originals mixed in."""
    rng = random.Random(spec.seed)
    for k in range(spec.n_articles):
        roll = rng.random()
        if stats.originals and roll < spec.duplicate_rate + spec.syndicated_rate:
            base = original(spec, stats.originals - 1 - rng.randrange(min(stats.originals, 2_000)))
            if roll < spec.duplicate_rate:
                stats.exact_duplicates += 1
                yield exact_copy(rng, base, k)
            else:
                stats.near_copies += 1
                yield near_copy(rng, base, k)
        else:
            stats.originals += 1
            yield original(spec, stats.originals - 1)


def _as_text(spec: CorpusSpec, k: int) -> bool:
    """Whether record k is a .txt file: an even spread of txt_share over the first txt_limit."""
    return k < spec.txt_limit and int((k + 1) * spec.txt_share) > int(k * spec.txt_share)


def write_corpus_stats(folder: Path, spec: CorpusSpec) -> CorpusStats:
    """Write the corpus file by file (never all of it in memory) and say what it holds."""
    folder.mkdir(parents=True, exist_ok=True)
    stats = CorpusStats()
    jsonl: IO[str] | None = None
    in_file = 0
    try:
        for k, article in enumerate(articles(spec, stats)):
            stats.records += 1
            stats.body_words += sum(len(" ".join(p).split()) for p in article.paragraphs)
            stats.sources.add(article.source)
            if _as_text(spec, k):
                path = folder / "txt" / f"{k:07d}.txt"
                path.parent.mkdir(exist_ok=True)
                path.write_text(article.text_file(), encoding="utf-8")
                stats.txt_files += 1
                continue
            if jsonl is None or in_file == spec.jsonl_records:
                if jsonl is not None:
                    jsonl.close()
                jsonl = (folder / f"part-{stats.jsonl_files:04d}.jsonl").open("w", encoding="utf-8")
                stats.jsonl_files += 1
                in_file = 0
            jsonl.write(json.dumps(article.json_record(), ensure_ascii=False) + "\n")
            in_file += 1
    finally:
        if jsonl is not None:
            jsonl.close()
    stats.bytes = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return stats


def write_corpus(folder: Path, spec: CorpusSpec) -> tuple[int, int]:
    """Write the corpus; returns (records, bytes on disk)."""
    stats = write_corpus_stats(folder, spec)
    return stats.records, stats.bytes


def sample_texts(limit: int, spec: CorpusSpec | None = None) -> list[str]:
    """Bodies of the first `limit` originals, for NER timing without a corpus on disk."""
    spec = spec or CorpusSpec(n_articles=limit)
    return [original(spec, i).body for i in range(limit)]
