"""Scoring several pipelines: ``evaluate_file`` scores their majority vote (accurate mode)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.entities.ensemble import majority
from flows.core.entities.evaluate import evaluate_file, score_spans
from tests.unit.test_ner_eval import CONLL_TEXT

# Gold of CONLL_TEXT: Alice PER and Oslo LOC in sentence 0, Acme Corp ORG in sentence 1.
GOLD = [(0, 0, 1, "PER"), (0, 2, 3, "LOC"), (1, 0, 2, "ORG")]

# Three rule "models" that each get something wrong, on CONLL_TEXT's words:
# token -> (label, length in tokens).
RULES = {
    "one": {"Alice": ["PER", 1], "Oslo": ["LOC", 1], "Acme": ["ORG", 1], "visited": ["MISC", 1]},
    "two": {"Alice": ["PER", 1], "Oslo": ["ORG", 1], "Acme": ["ORG", 2], "visited": ["MISC", 1]},
    "three": {"Oslo": ["LOC", 1], "Acme": ["ORG", 2]},
}
# Their predictions as span keys (sentence, first token, end token, label).
PREDICTED = {
    "one": [(0, 0, 1, "PER"), (0, 2, 3, "LOC"), (1, 0, 1, "ORG"), (0, 1, 2, "MISC")],
    "two": [(0, 0, 1, "PER"), (0, 2, 3, "ORG"), (1, 0, 2, "ORG"), (0, 1, 2, "MISC")],
    "three": [(0, 2, 3, "LOC"), (1, 0, 2, "ORG")],
}
# Two of three agree on the three gold spans and on "visited" MISC; the rest has one vote.
VOTED = sorted([*GOLD, (0, 1, 2, "MISC")])


@pytest.fixture(scope="module")
def tiny_iob(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("iob") / "tiny.iob"
    path.write_text(CONLL_TEXT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def rule_pipelines() -> dict[str, object]:
    spacy = pytest.importorskip("spacy")
    from spacy.language import Language
    from spacy.tokens import Span

    if not Language.has_factory("wirehouse_test_vote_rules"):

        @Language.factory("wirehouse_test_vote_rules", default_config={"rules": {}})
        def _make(nlp: Language, name: str, rules: dict):  # noqa: ARG001 - factory signature
            def tag(doc):
                doc.ents = [
                    Span(doc, t.i, t.i + rules[t.text][1], label=rules[t.text][0])
                    for t in doc
                    if t.text in rules
                ]
                return doc

            return tag

    pipelines = {}
    for name, rules in RULES.items():
        nlp = spacy.blank("en")
        nlp.add_pipe("wirehouse_test_vote_rules", name="ner", config={"rules": rules})
        pipelines[name] = nlp
    return pipelines


def test_majority_of_three_predictions_scores_as_known() -> None:
    voted = majority(list(PREDICTED.values()), 3)
    assert voted == VOTED
    overall = score_spans(GOLD, voted)["overall"]
    assert overall == pytest.approx({"p": 0.75, "r": 1.0, "f1": 6 / 7})
    # better than any one of them: each alone has F1 4/7 (one, two) or 0.8 (three)
    for alone in PREDICTED.values():
        assert score_spans(GOLD, alone)["overall"]["f1"] < overall["f1"]


def test_evaluate_file_scores_the_majority_vote(tiny_iob: Path, rule_pipelines: dict) -> None:
    result = evaluate_file(tiny_iob, [rule_pipelines[n] for n in ("one", "two", "three")])
    assert result["overall"] == pytest.approx({"p": 0.75, "r": 1.0, "f1": 6 / 7})
    per = result["per_label"]
    for label in ("PER", "LOC", "ORG"):
        assert per[label] == pytest.approx({"p": 1.0, "r": 1.0, "f1": 1.0, "support": 1})
    assert per["MISC"]["p"] == 0.0 and per["MISC"]["support"] == 0
    assert result["sentences"] == 2 and result["docs"] == 2


def test_evaluate_file_of_two_pipelines_keeps_what_both_find(
    tiny_iob: Path, rule_pipelines: dict
) -> None:
    """More than half of two is both: Alice PER and "visited" MISC."""
    result = evaluate_file(tiny_iob, (rule_pipelines["one"], rule_pipelines["two"]))
    assert result["overall"] == pytest.approx({"p": 0.5, "r": 1 / 3, "f1": 0.4})


@pytest.mark.parametrize("which", ["one", "three", "shipped"])
def test_three_copies_of_one_pipeline_score_as_that_pipeline(
    tiny_iob: Path, rule_pipelines: dict, which: str
) -> None:
    if which == "shipped":
        from flows.core.entities.ner import load_pipeline

        nlp = load_pipeline()
    else:
        nlp = rule_pipelines[which]
    single = evaluate_file(tiny_iob, nlp)
    voted = evaluate_file(tiny_iob, [nlp, nlp, nlp])
    assert voted["overall"] == single["overall"]
    assert voted["per_label"] == single["per_label"]
    assert (voted["sentences"], voted["docs"]) == (single["sentences"], single["docs"])
    if which == "one":  # an imperfect pipeline, so the equality says something
        assert single["overall"] == pytest.approx({"p": 0.5, "r": 2 / 3, "f1": 4 / 7})
