"""Unit tests for IOB reading and exact-span scoring (no model, no shared data needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.entities.evaluate import (
    document_breaks,
    evaluate_file,
    format_report,
    iob_to_spans,
    read_iob,
    score_spans,
    sentence_groups,
)

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


def test_document_breaks_mark_docstart_sentences(tmp_path: Path) -> None:
    path = tmp_path / "tiny.iob"
    path.write_text(CONLL_TEXT, encoding="utf-8")
    assert document_breaks(path) == [0, 1]
    tsv = tmp_path / "tiny.tsv"
    tsv.write_text(TAB_TEXT, encoding="utf-8")
    assert document_breaks(tsv) == []


def test_sentence_groups_stay_inside_documents() -> None:
    groups = sentence_groups(25, [0, 3], per_doc=10)
    assert [(g.start, g.stop) for g in groups] == [(0, 3), (3, 13), (13, 23), (23, 25)]


def test_sentence_groups_without_documents_are_single_sentences() -> None:
    assert [(g.start, g.stop) for g in sentence_groups(3, [])] == [(0, 1), (1, 2), (2, 3)]
    assert [(g.start, g.stop) for g in sentence_groups(2, None)] == [(0, 1), (1, 2)]


MULTI_SENTENCE_DOC = """-DOCSTART- -X- -X- O

Alice NNP B-NP B-PER
slept VBD B-VP O

Oslo NNP B-NP B-LOC
woke VBD B-VP O

-DOCSTART- -X- -X- O

Acme NNP B-NP B-ORG
Corp NNP I-NP I-ORG
"""


SEEN_DOCS: list[list[tuple[str, bool]]] = []
RULE_LABELS = {"Alice": ("PER", 1), "Oslo": ("LOC", 1), "Acme": ("ORG", 2), "Bob": ("PER", 1)}


@pytest.fixture()
def recording_nlp():
    """A blank pipeline with a rule 'ner' that records the Docs (words, sentence starts) it gets.

    No trained model is needed: the test checks how sentences are grouped into Docs and how
    spans are mapped back to sentences, not recognition quality.
    """
    spacy = pytest.importorskip("spacy")
    from spacy.language import Language
    from spacy.tokens import Span

    if not Language.has_factory("wirehouse_test_rule_ner"):

        @Language.factory("wirehouse_test_rule_ner")
        def _make(nlp: Language, name: str):  # noqa: ARG001 - spaCy factory signature
            def tag(doc):
                SEEN_DOCS.append([(t.text, bool(t.is_sent_start)) for t in doc])
                doc.ents = [
                    Span(doc, t.i, t.i + RULE_LABELS[t.text][1], label=RULE_LABELS[t.text][0])
                    for t in doc
                    if t.text in RULE_LABELS
                ]
                return doc

            return tag

    SEEN_DOCS.clear()
    nlp = spacy.blank("en")
    nlp.add_pipe("wirehouse_test_rule_ner", name="ner")
    nlp.add_pipe("sentencizer")
    return nlp


def test_evaluate_file_tags_document_sentences_together(tmp_path: Path, recording_nlp) -> None:
    nlp = recording_nlp
    path = tmp_path / "docs.iob"
    path.write_text(MULTI_SENTENCE_DOC, encoding="utf-8")
    result = evaluate_file(path, nlp)
    assert result["sentences"] == 3 and result["docs"] == 2
    # Tokens exactly as given, sentence starts from the blank lines, no cross-document Doc.
    assert SEEN_DOCS == [
        [("Alice", True), ("slept", False), ("Oslo", True), ("woke", False)],
        [("Acme", True), ("Corp", False)],
    ]
    # "Oslo" is token 2 of the Doc but token 0 of sentence 1: scored per sentence, all match.
    assert result["overall"]["f1"] == pytest.approx(1.0)
    single = evaluate_file(path, nlp, per_sentence=True)
    assert single["docs"] == 3
    assert single["overall"]["f1"] == pytest.approx(1.0)


def test_evaluate_file_without_docstart_is_one_doc_per_sentence(
    tmp_path: Path, recording_nlp
) -> None:
    nlp = recording_nlp
    path = tmp_path / "tiny.tsv"
    path.write_text(TAB_TEXT, encoding="utf-8")
    result = evaluate_file(path, nlp)
    assert result["docs"] == result["sentences"] == 2
