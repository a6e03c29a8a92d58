"""The plain-text article format (rules in flows/core/readers/text.py)."""

from __future__ import annotations

from typing import Any

import pytest

from flows.core.readers.text import parse_text_files
from flows.core.schemas import RAW_RECORDS
from flows.settings import SAMPLE_DIR

SEED = SAMPLE_DIR / "000_5a6ab8df16395d7b.txt"

# (case id, file content, expected fields; a field left out is not checked)
CASES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "no-byline",
        "Harbour reopens after storm\nCrews cleared the quay on Monday.\nShips returned at noon.\n",
        {
            "title": "Harbour reopens after storm",
            "summary": None,
            "origin_source": None,
            "body": "Crews cleared the quay on Monday.\n\nShips returned at noon.",
            "authors": None,
            "source_name": None,
        },
    ),
    (
        "no-teaser",
        "Harbour reopens\nCrews cleared the quay on Monday.\nShips returned.\nAnna Berg for Coast Daily",
        {
            "title": "Harbour reopens",
            "summary": None,
            "origin_source": None,
            "body": "Crews cleared the quay on Monday.\n\nShips returned.",
            "authors": ["Anna Berg"],
            "source_name": "Coast Daily",
        },
    ),
    (
        "title-only",
        "Just a headline\n\n",
        {"title": "Just a headline", "summary": None, "body": None, "authors": None},
    ),
    (
        "crlf",
        "Harbour reopens\r\nShort teaser. Read Full Article at Coast.com.\r\n"
        "First paragraph.\r\n\r\nSecond paragraph.\r\nAnna Berg for Coast Daily\r\n",
        {
            "title": "Harbour reopens",
            "summary": "Short teaser.",
            "origin_source": "Coast.com",
            "body": "First paragraph.\n\nSecond paragraph.",
            "authors": ["Anna Berg"],
            "source_name": "Coast Daily",
        },
    ),
    (
        "bare-cr",
        "Harbour reopens\rFirst paragraph.\rSecond paragraph.",
        {"title": "Harbour reopens", "body": "First paragraph.\n\nSecond paragraph."},
    ),
    (
        "blank-lines-between-paragraphs",
        "\n\n  Harbour reopens  \n\n\nFirst paragraph.\n\n   \n\nSecond paragraph.\n\n\n",
        {"title": "Harbour reopens", "body": "First paragraph.\n\nSecond paragraph."},
    ),
    (
        "sentence-last-line-is-body",
        "Council votes on budget\nThe council met on Tuesday.\nSupport for the plan grew.",
        {
            "body": "The council met on Tuesday.\n\nSupport for the plan grew.",
            "authors": None,
            "source_name": None,
        },
    ),
    (
        "lowercase-name-is-not-a-byline",
        "Council votes\nThe council met.\nwritten for the record",
        {"body": "The council met.\n\nwritten for the record", "authors": None},
    ),
    (
        "read-the-full-article-on",
        "Council votes\nA short lead. Read the full article on Example News.\nThe council met.",
        {
            "summary": "A short lead.",
            "origin_source": "Example News",
            "body": "The council met.",
        },
    ),
    (
        "marker-without-teaser-text",
        "Council votes\nRead Full Article at Example.org\nThe council met.",
        {"summary": None, "origin_source": "Example.org", "body": "The council met."},
    ),
    (
        "teaser-and-byline-leave-no-body",
        "Council votes\nA lead. Read Full Article at Example.org.\nAnna Berg for Coast Daily",
        {
            "summary": "A lead.",
            "origin_source": "Example.org",
            "body": None,
            "authors": ["Anna Berg"],
        },
    ),
    (
        "two-line-byline-is-body",
        "Council votes\nAnna Berg for Coast Daily",
        {"body": "Anna Berg for Coast Daily", "authors": None, "source_name": None},
    ),
    (
        "five-word-name",
        "Council votes\nThe council met.\nMaria de la Cruz Lopez for Wire Service",
        # "de" and "la" are not capitalised: the name rule does not match, the line is body.
        {"authors": None, "body": "The council met.\n\nMaria de la Cruz Lopez for Wire Service"},
    ),
    (
        "dotted-initials-name",
        "Council votes\nThe council met.\nJ. R. Smith-Jones for The Post",
        {"authors": ["J. R. Smith-Jones"], "source_name": "The Post", "body": "The council met."},
    ),
]


def _parse_one(content: str) -> dict[str, Any]:
    frame = parse_text_files(["mem://a.txt"], [content])
    assert frame.height == 1
    return frame.row(0, named=True)


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_text_cases(content: str, expected: dict[str, Any]) -> None:
    row = _parse_one(content)
    assert {key: row[key] for key in expected} == expected
    assert row["input_format"] == "text"
    assert row["input_record"] == 1
    assert row["url"] is None
    assert row["published_raw"] is None


def test_seed_sample() -> None:
    row = _parse_one(SEED.read_text(encoding="utf-8"))
    assert row["title"] == "Syrian military declares departure from major city"
    assert row["summary"].startswith("Hama, located in west-central Syria")
    assert row["summary"].endswith("encircled by jihadist militants.")
    assert "Read Full Article" not in row["summary"]
    assert row["origin_source"] == "RT.com"
    assert row["authors"] == ["Lucas Dupont"]
    assert row["source_name"] == "TROIB News"
    body = row["body"]
    assert body.startswith("The Syrian army has declared its withdrawal from Hama")
    assert "Lucas Dupont" not in body
    assert "TROIB" not in body
    assert "Read Full Article" not in body
    assert "encircled by jihadist militants" not in body
    # Nine body lines in the file, nine paragraphs in the body.
    assert body.count("\n\n") == 8
    assert body.endswith("real risk of serious abuses.”")


def test_batch_keeps_order_and_schema() -> None:
    uris = [f"mem://{case_id}.txt" for case_id, _, _ in CASES]
    frame = parse_text_files(uris, [content for _, content, _ in CASES])
    assert frame.schema == RAW_RECORDS
    assert frame.get_column("input_uri").to_list() == uris
    # Each row matches what the file gives on its own: no leakage between files of a batch.
    for (_, _, expected), row in zip(CASES, frame.iter_rows(named=True), strict=True):
        assert {key: row[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("byline", "name", "publisher"),
    [
        ("Élodie Durand for Le Monde", "Élodie Durand", "Le Monde"),
        ("Łukasz Nowak for Gazeta Daily", "Łukasz Nowak", "Gazeta Daily"),
    ],
)
def test_byline_name_with_non_ascii_capital(byline: str, name: str, publisher: str) -> None:
    row = _parse_one(f"Council votes\nThe council met.\n{byline}")
    assert (row["authors"], row["source_name"], row["body"]) == (
        [name],
        publisher,
        "The council met.",
    )


def test_byline_name_with_non_ascii_letters_inside() -> None:
    row = _parse_one("Council votes\nThe council met.\nAna Núñez for El País")
    assert (row["authors"], row["source_name"]) == (["Ana Núñez"], "El País")
