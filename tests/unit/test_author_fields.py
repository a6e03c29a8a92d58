"""Author strings and mojibake in export metadata (flows/core/readers/fields.py).

Every example is invented; the shapes are the ones real exports show (stringified Python
lists edited by hand, curly quotes, e-mail bylines, UTF-8 read as Windows-1252).
"""

from __future__ import annotations

import re

import polars as pl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from flows.core.normalize import clean_authors
from flows.core.readers.exports import parse_csv, parse_jsonl
from flows.core.readers.fields import MOJIBAKE, repair_mojibake, split_authors


def _split(*values: str | None) -> list[list[str] | None]:
    frame = pl.DataFrame({"a": list(values)}, schema={"a": pl.String})
    return frame.select(split_authors(pl.col("a"))).to_series().to_list()


def _repair(*values: str | None) -> list[str | None]:
    frame = pl.DataFrame({"a": list(values)}, schema={"a": pl.String})
    return frame.select(repair_mojibake(pl.col("a"))).to_series().to_list()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # stringified Python lists, well-formed
        ("['Ada Quill']", ["Ada Quill"]),
        ("['Ada Quill', 'Bo Stern']", ["Ada Quill", "Bo Stern"]),
        ('["Ada Quill", "Bo Stern"]', ["Ada Quill", "Bo Stern"]),
        ("[]", []),
        ("['']", []),
        # ... and hand-edited: missing, doubled or curly quotes, stray brackets and commas
        ("['Ada Quill]", ["Ada Quill"]),
        ("['Ada', 'Quill]", ["Ada", "Quill"]),
        ("['Ada Quill, 'Bo Stern']", ["Ada Quill", "Bo Stern"]),
        ("['Ada Quill'']", ["Ada Quill"]),
        ("['Ada Quill']]", ["Ada Quill"]),
        ("'Ada Quill'[]", ["Ada Quill"]),
        ("[‘Ada Quill']", ["Ada Quill"]),
        ("[“Ada Quill”, “Bo Stern”]", ["Ada Quill", "Bo Stern"]),
        ("['Ada Quill',, 'Bo Stern']", ["Ada Quill", "Bo Stern"]),
        ("['Cy O'Dell']", ["Cy O'Dell"]),
        ('["Cy O\\\'Dell"]', ["Cy O'Dell"]),
        ("['Ada Quill and Bo Stern']", ["Ada Quill", "Bo Stern"]),
        # plain bylines
        ("Ada Quill", ["Ada Quill"]),
        ("By Ada Quill and Bo Stern", ["Ada Quill", "Bo Stern"]),
        ("BY: Ada Quill", ["Ada Quill"]),
        ("by ada quill", ["ada quill"]),
        ("Byron Vale", ["Byron Vale"]),
        ("Ada Quill, Bo Stern and Cy Dell", ["Ada Quill", "Bo Stern", "Cy Dell"]),
        (
            "Ada Quill; Bo Stern | Cy Dell & Di Fenn",
            ["Ada Quill", "Bo Stern", "Cy Dell", "Di Fenn"],
        ),
        ("ADA QUILL AND BO STERN", ["ADA QUILL", "BO STERN"]),
        ("Sandy Andrews", ["Sandy Andrews"]),
        ("Salt And Pepper Weekly", ["Salt And Pepper Weekly"]),  # title-case "And": one name
        ("Ada  Quill ,Bo Stern", ["Ada Quill", "Bo Stern"]),
        # a comma before a name suffix is part of the name
        ("['Ada Quill, M.D.']", ["Ada Quill, M.D."]),
        ("Cy Dell, Jr., Ada Quill", ["Cy Dell, Jr.", "Ada Quill"]),
        ("Ada Quill, PhD and Bo Stern, MD", ["Ada Quill, PhD", "Bo Stern, MD"]),
        ("Ada, Mdina", ["Ada", "Mdina"]),
        # e-mail bylines and roles
        ("desk@paper.example (Ada Quill)", ["Ada Quill"]),
        ("<desk@paper.example> (Ada Quill, Paper Weekly)", ["Ada Quill", "Paper Weekly"]),
        ("desk@paper.example", []),
        ("Ada Quill desk@paper.example", ["Ada Quill"]),
        ("Ada Quill (Graphics)", ["Ada Quill"]),
        ("Ada Quill (Graphics, maps), Bo Stern", ["Ada Quill", "Bo Stern"]),
        ("Ada Quill (Graphics", ["Ada Quill"]),
        ("(Wire Service)", ["Wire Service"]),
        # mojibake inside names
        ("['JosÃ© PÃ©rez']", ["José Pérez"]),
        ("ZoÃ« Quill and Ã…sa Berg", ["Zoë Quill", "Åsa Berg"]),
        ("Ada QuillÂ ", ["Ada Quill"]),
        # nothing there
        ("", []),
        ("   ", []),
        (",;|", []),
        ("[[]]", []),
        ("''", []),
    ],
)
def test_split_authors(raw: str, expected: list[str]) -> None:
    assert _split(raw) == [expected]


def test_null_stays_null() -> None:
    assert _split(None) == [None]


def test_empty_parses_become_null_after_normalization() -> None:
    frame = pl.DataFrame({"a": ["[]", "", "['Ada Quill', 'Ada Quill']"]})
    lists = frame.select(clean_authors(split_authors(pl.col("a")))).to_series().to_list()
    assert lists == [None, None, ["Ada Quill"]]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CafÃ© au lait", "Café au lait"),
        ("naÃ¯ve dÃ©jÃ\xa0 vu", "naïve déjà vu"),
        ("Itâ€™s â€œquotedâ€\x9d â€“ wellâ€¦", "It’s “quoted” – well…"),
        ("â€œquotedâ€ with the last byte lost", "“quoted” with the last byte lost"),
        ("priceÂ\xa0â‚¬5 Â» next", "price\xa0€5 » next"),
        ("a stray Â before a space", "a stray  before a space"),
        ("WrocÅ‚aw and Å½ilina", "Wrocław and Žilina"),
        ("Ã\x81lvaro", "Álvaro"),  # the undefined byte 0x81 kept as a C1 control
        # genuine text is untouched
        ("Ångström, São Paulo, Ärger, façade, “quotes” — dash", None),
        ("plain ASCII text", None),
        ("", None),
    ],
)
def test_repair_mojibake(raw: str, expected: str | None) -> None:
    assert _repair(raw) == [raw if expected is None else expected]


def test_repair_mojibake_keeps_nulls() -> None:
    assert _repair(None, "Ã©") == [None, "é"]


def test_mojibake_table_round_trips_every_character() -> None:
    for broken, fixed in MOJIBAKE.items():
        if broken not in ("Â ", "â€"):
            assert _repair(f"x{broken}y") == [f"x{fixed}y"]
        assert len(broken) >= 2 and len(fixed) == 1


# Control characters are left to normalization (it removes them), so not generated here.
@given(st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=60))
@example(";[")  # a stray bracket after a separator once survived as a "name"
def test_split_authors_never_raises_and_yields_clean_names(raw: str) -> None:
    (names,) = _split(raw)
    assert isinstance(names, list)
    for name in names:
        assert name and name == name.strip()
        assert not name.startswith(("[", "'", '"', "‘", "“"))
        assert not re.search(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", name)  # no e-mail address


def test_csv_export_author_column_is_parsed_leniently() -> None:
    text = (
        "title,body_text,author,publish_date\n"  # body_text: a ReCOVery-style header
        "One,Body one.,\"['Ada Quill', 'Bo Stern']\",2020-03-01\n"
        "Two,Body two.,\"['Cy O'Dell']\",2020-03-02\n"
        "Three,Body three.,[],2020-03-03\n"
        "Four,Body four.,\"'Di Fenn'[]\",2020-03-04\n"
        "Five,Body fiveÂ here.,,2020-03-05\n"
    )
    frame, rejects = parse_csv("mem.csv", text)
    assert rejects == []
    assert frame.get_column("authors").to_list() == [
        ["Ada Quill", "Bo Stern"],
        ["Cy O'Dell"],
        [],
        ["Di Fenn"],
        None,
    ]
    assert frame.get_column("body").to_list()[-1] == "Body five here."


def test_json_author_lists_are_cleaned_per_name() -> None:
    text = (
        '{"title": "T", "body": "B", "authors": ["By Ada Quill", " ZoÃ« Stern ", "", " \u201c "]}\n'
    )
    frame, rejects = parse_jsonl("mem.jsonl", text)
    assert rejects == []
    assert frame.get_column("authors").to_list() == [["Ada Quill", "Zoë Stern"]]
