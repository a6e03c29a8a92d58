"""Unit tests for IOB reading and exact-span scoring (no model, no shared data needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.entities.evaluate import format_report, iob_to_spans, read_iob, score_spans

CONLL_TEXT = """-DOCSTART- -X- -X- O

Alice NNP B-NP B-PER
visited VBD B-VP O
Oslo NNP B-NP B-LOC
. . O O

-DOCSTART- -X- -X- O

Acme NNP B-NP B-ORG
Corp NNP I-NP I-ORG
grew VBD B-VP O
"""

TAB_TEXT = "Bob\tB-PER\nSmith\tI-PER\nsang\tO\n\nin\tO\nRome\tB-LOC\n"


def test_read_iob_four_column_space_separated(tmp_path: Path) -> None:
    path = tmp_path / "tiny.iob"
    path.write_text(CONLL_TEXT, encoding="utf-8")
    assert read_iob(path) == [
        (["Alice", "visited", "Oslo", "."], ["B-PER", "O", "B-LOC", "O"]),
        (["Acme", "Corp", "grew"], ["B-ORG", "I-ORG", "O"]),
    ]


def test_read_iob_two_column_tab_separated(tmp_path: Path) -> None:
    path = tmp_path / "tiny.tsv"
    path.write_text(TAB_TEXT, encoding="utf-8")
    assert read_iob(path) == [
        (["Bob", "Smith", "sang"], ["B-PER", "I-PER", "O"]),
        (["in", "Rome"], ["O", "B-LOC"]),
    ]


def test_iob_to_spans_treats_stray_inside_tag_as_begin() -> None:
    tags = ["O", "I-PER", "I-PER", "I-LOC", "O", "B-ORG", "B-ORG"]
    assert iob_to_spans(tags) == [(1, 3, "PER"), (3, 4, "LOC"), (5, 6, "ORG"), (6, 7, "ORG")]


def test_score_spans_known_answer() -> None:
    gold = [(0, 0, 1, "PER"), (0, 2, 3, "LOC")]
    pred = [(0, 0, 1, "PER"), (0, 2, 4, "LOC")]  # second one has the wrong end
    result = score_spans(gold, pred)
    assert result["overall"] == pytest.approx({"p": 0.5, "r": 0.5, "f1": 0.5})
    per = result["per_label"]
    assert per["PER"] == pytest.approx({"p": 1.0, "r": 1.0, "f1": 1.0, "support": 1})
    assert per["LOC"] == pytest.approx({"p": 0.0, "r": 0.0, "f1": 0.0, "support": 1})
    assert per["ORG"]["support"] == 0 and per["ORG"]["f1"] == 0.0
    assert set(per) >= {"PER", "ORG", "LOC", "MISC"}


def test_score_spans_wrong_label_counts_as_error_per_label() -> None:
    gold = [(0, 0, 2, "ORG"), (1, 3, 4, "MISC")]
    pred = [(0, 0, 2, "LOC"), (1, 3, 4, "MISC")]
    per = score_spans(gold, pred)["per_label"]
    assert per["ORG"]["r"] == 0.0 and per["ORG"]["support"] == 1
    assert per["LOC"]["p"] == 0.0 and per["LOC"]["support"] == 0
    assert per["MISC"]["f1"] == 1.0


def test_format_report_lists_every_label() -> None:
    result = score_spans([(0, 0, 1, "PER")], [(0, 0, 1, "PER")])
    result |= {"sentences": 1, "words_per_second": 1234.0}
    report = format_report(result)
    for label in ("PER", "ORG", "LOC", "MISC", "overall"):
        assert label in report
    assert "1,234 words/s" in report
