"""flows/core/origin.py: origin markers in article bodies (all examples invented)."""

from __future__ import annotations

import polars as pl
import pytest

from flows.core.origin import AGENCIES, MAX_MARKER_CHARS, with_origin


def run(bodies: list[str], origins: list[str | None] | None = None) -> list[tuple[str, str | None]]:
    frame = pl.DataFrame(
        {"body": bodies, "origin_source": origins or [None] * len(bodies)},
        schema={"body": pl.String, "origin_source": pl.String},
    )
    return list(with_origin(frame).select("body", "origin_source").iter_rows())


def one(body: str) -> tuple[str, str | None]:
    [row] = run([body])
    return row


# (case id, body, expected body, expected origin_source)
CASES: list[tuple[str, str, str, str | None]] = [
    (
        "originally-published-by-last",
        "The harbour reopened.\n\nCrews cleared the quay.\n\nOriginally published by Coast Times.",
        "The harbour reopened.\n\nCrews cleared the quay.",
        "Coast Times",
    ),
    (
        "originally-published-with-date",
        "The harbour reopened.\n\nOriginally published by Coast Times on December 5, 2024.",
        "The harbour reopened.",
        "Coast Times",
    ),
    (
        "appeared-on-first-in-italics",
        "*This article originally appeared on The Valley Ledger.*\n\nThe harbour reopened.",
        "The harbour reopened.",
        "The Valley Ledger",
    ),
    (
        "story-republished-with-permission",
        "The harbour reopened.\n\nThis story was originally published by Harbour Watch and is "
        "republished with permission.",
        "The harbour reopened.",
        "Harbour Watch",
    ),
    (
        "first-published-on-domain",
        "The harbour reopened.\n\nFirst published on coastnews.example",
        "The harbour reopened.",
        "coastnews.example",
    ),
    (
        "read-full-article-last-keeps-teaser",
        "The harbour reopened.\n\nCrews worked for days. Read Full Article at Wire Hub.",
        "The harbour reopened.\n\nCrews worked for days.",
        "Wire Hub",
    ),
    (
        "read-full-article-alone-first",
        "Read the Full Article on Wire Hub\n\nThe harbour reopened.",
        "The harbour reopened.",
        "Wire Hub",
    ),
    (
        "reuters-dateline-kept",
        "KELVALE (Reuters) - The harbour reopened on Tuesday.",
        "KELVALE (Reuters) - The harbour reopened on Tuesday.",
        "Reuters",
    ),
    ("ap-bare", "(AP) — The harbour reopened.", "(AP) — The harbour reopened.", "Associated Press"),
    (
        "afp-with-date",
        "WASHINGTON, Dec 5 (AFP) – Talks on the harbour stalled.",
        "WASHINGTON, Dec 5 (AFP) – Talks on the harbour stalled.",
        "Agence France-Presse",
    ),
    (
        "pti-title-case-city-colon",
        "New Delhi, Dec. 5 (PTI): The council met.",
        "New Delhi, Dec. 5 (PTI): The council met.",
        "Press Trust of India",
    ),
    (
        "dotted-city",
        "ST. KELVIN (AP) — Rain fell.",
        "ST. KELVIN (AP) — Rain fell.",
        "Associated Press",
    ),
    (
        "dpa-lowercase",
        "BERLIN (dpa) - Trains ran late.",
        "BERLIN (dpa) - Trains ran late.",
        "Deutsche Presse-Agentur",
    ),
    (
        "xinhua",
        "BEIJING, Dec 5 (Xinhua) -- A bridge opened.",
        "BEIJING, Dec 5 (Xinhua) -- A bridge opened.",
        "Xinhua",
    ),
    # the marker words are matched in any case
    (
        "shouted-marker-last",
        "The harbour reopened.\n\nORIGINALLY PUBLISHED BY COAST TIMES.",
        "The harbour reopened.",
        "COAST TIMES",
    ),
    (
        "title-case-first-posted",
        "The harbour reopened.\n\nThis Story Was First Posted On Coast Times",
        "The harbour reopened.",
        "Coast Times",
    ),
    (
        "lowercase-read-full-article",
        "The harbour reopened.\n\nCrews worked. read full article at Wire Hub",
        "The harbour reopened.\n\nCrews worked.",
        "Wire Hub",
    ),
    # not markers
    (
        "book-first-published",
        "First published in 1925, the novel sold poorly.\n\nIt is now a classic.",
        "First published in 1925, the novel sold poorly.\n\nIt is now a classic.",
        None,
    ),
    (
        "agency-in-a-sentence",
        "Shares of the harbour company (AP) rose.",
        "Shares of the harbour company (AP) rose.",
        None,
    ),
    (
        "credit-not-at-start",
        "The harbour reopened.\n\nLONDON (Reuters) - Markets rose.",
        "The harbour reopened.\n\nLONDON (Reuters) - Markets rose.",
        None,
    ),
    (
        "unknown-agency",
        "KELVALE (XYZ) - The harbour reopened.",
        "KELVALE (XYZ) - The harbour reopened.",
        None,
    ),
    (
        "mention-mid-body",
        "The piece was originally published by a rival.\n\nIt was then copied widely. Nobody minded.",
        "The piece was originally published by a rival.\n\nIt was then copied widely. Nobody minded.",
        None,
    ),
    (
        "report-sentence-first",
        "The report was first published in The Lancet.\n\nIt found little.",
        "The report was first published in The Lancet.\n\nIt found little.",
        None,
    ),
    ("plain", "The harbour reopened.", "The harbour reopened.", None),
]


@pytest.mark.parametrize(
    ("body", "expected_body", "expected_origin"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_markers(body: str, expected_body: str, expected_origin: str | None) -> None:
    assert one(body) == (expected_body, expected_origin)


def test_existing_origin_is_kept_but_the_line_still_goes() -> None:
    rows = run(
        ["The harbour reopened.\n\nOriginally published by Coast Times.", "(AP) — Rain fell."],
        ["Wire Hub", "Coast Times"],
    )
    assert rows == [("The harbour reopened.", "Wire Hub"), ("(AP) — Rain fell.", "Coast Times")]


def test_single_line_marker_sets_origin_but_keeps_the_body() -> None:
    assert one("Originally published by Coast Times.") == (
        "Originally published by Coast Times.",
        "Coast Times",
    )


def test_origin_line_wins_over_the_wire_credit() -> None:
    body = "LONDON (Reuters) - Markets fell.\n\nThis article originally appeared on Coast Times."
    assert one(body) == ("LONDON (Reuters) - Markets fell.", "Coast Times")


def test_markers_at_both_ends() -> None:
    body = "Read Full Article at Wire Hub\n\nThe harbour reopened.\n\nOriginally published by Coast Times."
    assert one(body) == ("The harbour reopened.", "Wire Hub")


@pytest.mark.parametrize("abbreviation", sorted(AGENCIES))
def test_every_agency_is_recognised(abbreviation: str) -> None:
    assert one(f"KELVALE ({abbreviation.upper()}) - Rain fell.")[1] == AGENCIES[abbreviation]


def test_other_columns_pass_through_and_nulls_stay_null() -> None:
    frame = pl.DataFrame(
        {"article_id": ["a", "b"], "body": [None, "(AP) — Rain."], "origin_source": [None, None]},
        schema={"article_id": pl.String, "body": pl.String, "origin_source": pl.String},
    )
    out = with_origin(frame)
    assert out.columns == frame.columns
    assert out.rows() == [("a", None, None), ("b", "(AP) — Rain.", "Associated Press")]


def test_long_teaser_line_is_still_a_marker_but_a_huge_paragraph_is_not_scanned() -> None:
    teaser = "Crews worked for days on the quay. " * 10  # ~350 characters
    body = f"The harbour reopened.\n\n{teaser}Read Full Article at Wire Hub."
    assert one(body) == (f"The harbour reopened.\n\n{teaser.strip()}", "Wire Hub")
    huge = "Crews worked. " * (MAX_MARKER_CHARS // 10) + "Read Full Article at Wire Hub."
    assert one(f"The harbour reopened.\n\n{huge}") == (f"The harbour reopened.\n\n{huge}", None)
