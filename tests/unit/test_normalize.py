"""Raw records -> normalized articles and record-level rejects."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Any

import polars as pl
import pytest

from flows.core.normalize import (
    MIN_PART_ROWS,
    NFC_SAFE,
    UNCLEAN_LINE,
    UNCLEAN_PARAGRAPHS,
    _normalize_part,
    clean_line,
    clean_paragraphs,
    normalize_records,
)
from flows.core.schemas import NORMALIZED, RAW_RECORDS, REJECTS

MAX_CHARS = 200


def raw(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """RAW_RECORDS rows; unspecified fields are null, records numbered from 1."""
    full = []
    for number, row in enumerate(rows, 1):
        base: dict[str, Any] = dict.fromkeys(RAW_RECORDS.names())
        base.update(input_uri="mem://batch.jsonl", input_record=number, input_format="jsonl")
        base.update(row)
        full.append(base)
    return pl.DataFrame(full, schema=RAW_RECORDS)


def normalize_one(**fields: Any) -> dict[str, Any]:
    result = normalize_records(raw([{"title": "Title", "body": "Body text."} | fields]), MAX_CHARS)
    assert result.rejects.height == 0, result.rejects.to_dicts()
    return result.articles.row(0, named=True)


# (case id, raw fields, expected normalized fields)
CLEAN_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "nfc-title",
        {"title": unicodedata.normalize("NFD", "Türkiye talks")},
        {"title": "Türkiye talks"},
    ),
    (
        "nfc-body",
        {"body": unicodedata.normalize("NFD", "Café in Genève.")},
        {"body": "Café in Genève."},
    ),
    ("title-whitespace", {"title": "  Storm\t hits\n coast  "}, {"title": "Storm hits coast"}),
    (
        "paragraph-breaks",
        {"body": "One  two.\n\n\n   Three\tfour.  \n \n Five."},
        {"body": "One two.\n\nThree four.\n\nFive."},
    ),
    ("crlf-body", {"body": "One.\r\n\r\nTwo.\rThree."}, {"body": "One.\n\nTwo.\n\nThree."}),
    (
        "control-chars",
        {"title": "Bell\x07 \u200bTitle\x00", "body": "A\x1bB\ufeff C\x7f."},
        {"title": "Bell Title", "body": "AB C."},
    ),
    ("nbsp-is-space", {"title": "Storm\u00a0hits"}, {"title": "Storm hits"}),
    (
        "summary-cleaned",
        {"summary": "  A  lead \n\n with   breaks "},
        {"summary": "A lead\n\nwith breaks"},
    ),
    ("blank-summary-null", {"summary": " \n\t "}, {"summary": None}),
    (
        "source-names",
        {"source_name": "  Coast\nDaily ", "origin_source": " "},
        {"source_name": "Coast Daily", "origin_source": None},
    ),
    (
        "authors-cleaned-deduplicated",
        {"authors": [" Ann   Lee ", "Ann Lee", "", "Bob Roe;", "  ,", "Cy Dee"]},
        {"authors": ["Ann Lee", "Bob Roe", "Cy Dee"]},
    ),
    ("authors-all-blank", {"authors": ["", "  "]}, {"authors": None}),
    ("authors-empty-list", {"authors": []}, {"authors": None}),
    ("word-count", {"body": "One two  three\n\nfour, five."}, {"word_count": 5}),
    (
        "url-canonical-and-domain",
        {"url": " HTTPS://WWW.Example.com/a?utm_source=x&b=1#top "},
        {"url": "https://www.example.com/a?b=1", "source_domain": "example.com"},
    ),
    ("bad-url-null", {"url": "javascript:void(0)"}, {"url": None, "source_domain": None}),
    (
        "date-parsed",
        {"published_raw": "2024-12-05T10:00:00+02:00"},
        {"published_at": datetime(2024, 12, 5, 8, tzinfo=UTC), "date_unparsed": False},
    ),
    (
        "date-unparsed",
        {"published_raw": "sometime soon"},
        {"published_at": None, "date_unparsed": True},
    ),
    ("no-date", {"published_raw": None}, {"published_at": None, "date_unparsed": False}),
    (
        "language-from-title-and-body",
        {
            "title": "The vote is set",
            "body": "The council said that the plan was ready for the spring.",
        },
        {"language": "en"},
    ),
]


@pytest.mark.parametrize(
    ("fields", "expected"), [c[1:] for c in CLEAN_CASES], ids=[c[0] for c in CLEAN_CASES]
)
def test_clean_fields(fields: dict[str, Any], expected: dict[str, Any]) -> None:
    row = normalize_one(**fields)
    assert {key: row[key] for key in expected} == expected


def test_nfc_output_is_composed() -> None:
    row = normalize_one(title=unicodedata.normalize("NFD", "Türkiye"))
    assert row["title"] == "T\u00fcrkiye"
    assert unicodedata.is_normalized("NFC", row["title"])
    assert len(row["title"]) == 7


# (case id, raw fields, expected reason code)
REJECT_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("title-null", {"title": None, "body": "b"}, "MISSING_TITLE"),
    ("title-blank", {"title": "  \t ", "body": "b"}, "MISSING_TITLE"),
    ("title-only-control-chars", {"title": "\u200b\x07", "body": "b"}, "MISSING_TITLE"),
    ("body-null", {"title": "t", "body": None}, "MISSING_BODY"),
    ("body-blank", {"title": "t", "body": "\n \n\t"}, "MISSING_BODY"),
    ("title-and-body-missing", {"title": None, "body": None}, "MISSING_TITLE"),
    ("title-too-large", {"title": "x" * (MAX_CHARS + 1), "body": "b"}, "FIELD_TOO_LARGE"),
    ("body-too-large", {"title": "t", "body": "y" * (MAX_CHARS + 1)}, "FIELD_TOO_LARGE"),
    (
        "summary-too-large",
        {"title": "t", "body": "b", "summary": "z" * (MAX_CHARS + 1)},
        "FIELD_TOO_LARGE",
    ),
    (
        "too-large-wins-over-missing",
        {"title": None, "body": "y" * (MAX_CHARS + 1)},
        "FIELD_TOO_LARGE",
    ),
]


@pytest.mark.parametrize(
    ("fields", "reason"), [c[1:] for c in REJECT_CASES], ids=[c[0] for c in REJECT_CASES]
)
def test_rejects(fields: dict[str, Any], reason: str) -> None:
    result = normalize_records(raw([fields]), MAX_CHARS)
    assert result.articles.height == 0
    assert result.rejects.schema == REJECTS
    reject = result.rejects.row(0, named=True)
    assert reject["reason_code"] == reason
    assert reject["input_uri"] == "mem://batch.jsonl"
    assert reject["input_record"] == 1
    assert reject["message"]


def test_field_at_the_cap_is_kept() -> None:
    row = normalize_one(title="x" * MAX_CHARS, body="y" * MAX_CHARS)
    assert len(row["title"]) == MAX_CHARS


def test_size_is_measured_after_cleaning() -> None:
    row = normalize_one(title="x" * (MAX_CHARS - 1) + "   \u200b  ")
    assert len(row["title"]) == MAX_CHARS - 1


def test_reject_raw_is_a_bounded_preview() -> None:
    result = normalize_records(raw([{"title": None, "body": "w " * 1_000}]), 10_000)
    raw_text = result.rejects.get_column("raw").item()
    assert raw_text.startswith("\nw w")
    assert len(raw_text) <= 301


def test_batch_counts_schema_and_order() -> None:
    rows = [
        {"title": "First", "body": "One."},
        {"title": None, "body": "orphan"},
        {"title": "Third", "body": "Three.", "published_raw": "not a date"},
        {"title": "Fourth", "body": None},
        {"title": "Fifth", "body": "Five.", "published_raw": "nope"},
        {"title": "Sixth", "body": "Six.", "published_raw": "2024-12-05"},
    ]
    result = normalize_records(raw(rows), MAX_CHARS)
    assert result.articles.schema == NORMALIZED
    assert result.rejects.schema == REJECTS
    assert result.articles.height + result.rejects.height == len(rows)
    assert result.articles.get_column("input_record").to_list() == [1, 3, 5, 6]
    assert result.rejects.select("input_record", "reason_code").rows() == [
        (2, "MISSING_TITLE"),
        (4, "MISSING_BODY"),
    ]
    assert result.n_unparsed_dates == 2


def test_empty_batch() -> None:
    result = normalize_records(raw([]), MAX_CHARS)
    assert result.articles.height == 0
    assert result.articles.schema == NORMALIZED
    assert result.rejects.schema == REJECTS
    assert result.n_unparsed_dates == 0


# ---- cleaning runs only where it changes something ----


def _canonical_second_chars() -> set[int]:
    """Characters that can be the second half of a canonical composition (NFC may merge them
    into the character before), plus the Hangul vowel and final jamo."""
    seconds = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for code in range(0x110000):
        mapping = unicodedata.decomposition(chr(code))
        if mapping and not mapping.startswith("<") and len(mapping.split()) == 2:
            seconds.add(int(mapping.split()[1], 16))
    return seconds


def test_nfc_safe_characters_are_left_alone_by_nfc_wherever_they_stand() -> None:
    ranges = [
        (int(low, 16), int(high or low, 16))
        for low, high in re.findall(r"\\x\{?([0-9A-F]+)\}?(?:-\\x\{?([0-9A-F]+)\}?)?", NFC_SAFE)
    ]
    assert ranges[0] == (0, 0x2FF) and len(ranges) > 5
    seconds = _canonical_second_chars()
    for low, high in ranges:
        for code in range(low, high + 1):
            char = chr(code)
            # assigned, never reordered, never decomposed or replaced, never merged backwards
            assert unicodedata.category(char) != "Cn", hex(code)
            assert unicodedata.combining(char) == 0, hex(code)
            assert unicodedata.normalize("NFC", char) == char, hex(code)
            assert code not in seconds, hex(code)


CLEAN_ALREADY = [
    "Plain ASCII text.\n\nA second paragraph, with (punctuation) - and 42 numbers.",
    "Curly “quotes” and a dash — in São Paulo’s café, for €5…",
    "Москва и Токио: 東京 ソウル 서울.",
    "x",
]
NEEDS_CLEANING = [
    "Gene\u0300ve",  # decomposed: NFC composes it
    "\u212b and \u2126",  # singletons: NFC replaces them
    "tab\tinside",
    "two  spaces",
    " leading",
    "trailing\n",
    "one\nline break",
    "three\n\n\nbreaks",
    "space \n\nbefore",
    "after\n\n space",
    "bell\x07",
    "zero\u200bwidth",
    "nbsp\u00a0space",
    "crlf\r\n\r\nend",
    "",
]


@pytest.mark.parametrize("text", CLEAN_ALREADY + NEEDS_CLEANING)
def test_only_texts_cleaning_would_change_are_flagged(text: str) -> None:
    frame = pl.DataFrame({"t": [text]})
    for clean, pattern in ((clean_paragraphs, UNCLEAN_PARAGRAPHS), (clean_line, UNCLEAN_LINE)):
        cleaned = frame.select(clean(pl.col("t"))).item()
        flagged = frame.select(pl.col("t").str.contains(pattern)).item()
        # an unflagged text is one the cleaning leaves exactly as it is
        assert flagged or cleaned == text
    assert frame.select(pl.col("t").str.contains(UNCLEAN_PARAGRAPHS)).item() == (
        text in NEEDS_CLEANING
    )


@pytest.mark.parametrize("text", [t for t in CLEAN_ALREADY + NEEDS_CLEANING if t.strip()])
def test_batch_cleaning_matches_cleaning_every_text(text: str) -> None:
    row = normalize_one(title=text, body=text)
    frame = pl.DataFrame({"t": [text]})
    assert row["title"] == frame.select(clean_line(pl.col("t"))).item()
    assert row["body"] == frame.select(clean_paragraphs(pl.col("t"))).item()


@pytest.mark.parametrize(
    "body",
    [
        "One two  three\n\nfour, five.",
        "a\tb\r\nc \u00a0 d\n\n\n e\u2028f",
        "single",
        "Read Full Article at Wire Hub.\n\nWords of the body here.",
    ],
)
def test_word_count_is_the_number_of_non_space_runs(body: str) -> None:
    row = normalize_one(body=body)
    assert row["word_count"] == len(re.findall(r"\S+", row["body"]))


def test_a_batch_cut_into_parts_gives_what_one_part_gives() -> None:
    bodies = (
        "The vote is set for the spring.\n\nOriginally published by Coast Times.",
        "Le vote  est prévu\tpour le printemps.",
        "LONDON (Reuters) - Markets fell. Read Full Article at Wire Hub.",
    )
    rows: list[dict[str, Any]] = [
        {"title": f"Title {i}", "body": bodies[i % 3], "published_raw": "2024-12-05"}
        for i in range(2 * MIN_PART_ROWS + 1)
    ]
    rows[MIN_PART_ROWS] = {"title": None, "body": "orphan"}
    records = raw(rows)
    parts = normalize_records(records, MAX_CHARS)
    whole = _normalize_part(records, MAX_CHARS)
    assert parts.articles.height == len(rows) - 1
    assert parts.articles.equals(whole.articles)
    assert parts.rejects.equals(whole.rejects)
    assert parts.n_unparsed_dates == whole.n_unparsed_dates == 0
