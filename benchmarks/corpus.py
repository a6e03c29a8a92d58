"""Deterministic synthetic news corpus: realistic lengths, sources, dates, named entities,
and duplicates / syndicated copies at known rates, written as the files a user would have."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

SOURCES = ("Daily Ledger", "Harbor Times", "Northern Post", "Capital Wire", "Evening Star")
PEOPLE = ("Anna Keller", "Marc Olsen", "Sofia Brandt", "Tomas Reyes", "Ines Laurent", "Omar Haddad")
PLACES = ("Berlin", "Madrid", "Warsaw", "Lisbon", "Vienna", "Prague", "Cairo", "Nairobi", "Lima")
ORGS = ("United Nations", "European Commission", "World Bank", "Red Cross", "NATO")
FILLER = (
    "officials said the plan would be reviewed next week",
    "the decision follows months of negotiations between the parties",
    "analysts expect the markets to react cautiously to the announcement",
    "residents gathered in the square to hear the statement",
    "the report was published on the ministry website on Monday",
    "critics argued that the measures did not go far enough",
)


@dataclass(frozen=True)
class CorpusSpec:
    n_articles: int
    words: int = 400
    duplicate_rate: float = 0.05
    seed: int = 7


def synthetic_article(rng: random.Random, i: int, words: int) -> dict[str, object]:
    person, place, org = rng.choice(PEOPLE), rng.choice(PLACES), rng.choice(ORGS)
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(
            rng.choice(
                (
                    f"{person} met representatives of the {org} in {place}.",
                    f"In {rng.choice(PLACES)}, {rng.choice(FILLER)}.",
                    f"The {rng.choice(ORGS)} said {rng.choice(FILLER)}.",
                    f"{rng.choice(FILLER).capitalize()}, according to {rng.choice(PEOPLE)}.",
                )
            )
        )
    paragraphs = [" ".join(sentences[j : j + 5]) for j in range(0, len(sentences), 5)]
    return {
        "title": f"{org} and {place}: talks continue, report {i}",
        "body": "\n\n".join(paragraphs),
        "url": f"https://news{i % 7}.example.com/{i}",
        "source": rng.choice(SOURCES),
        "authors": [person],
        "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00Z",
    }


def write_corpus(folder: Path, spec: CorpusSpec, files: int = 20) -> tuple[int, int]:
    """JSONL files with copies mixed in; returns (records, bytes)."""
    rng = random.Random(spec.seed)
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    for i in range(spec.n_articles):
        if records and rng.random() < spec.duplicate_rate:
            records.append(dict(rng.choice(records)))
        else:
            records.append(synthetic_article(rng, i, spec.words))
    size = 0
    per_file = max(1, len(records) // files)
    for n, start in enumerate(range(0, len(records), per_file)):
        path = folder / f"part-{n:04d}.jsonl"
        path.write_text(
            "".join(json.dumps(r) + "\n" for r in records[start : start + per_file]), "utf-8"
        )
        size += path.stat().st_size
    return len(records), size
