"""The shipped entity model loads from the package and extract_spans honours its contract."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from flows.core.entities.ner import SCHEMA, SHIPPED_MODEL_DIR, extract_spans, load_pipeline

TEXTS = [
    "Angela Merkel flew to Paris on Monday. Later she met Emmanuel Macron in Berlin.",
    "",
    "Germany beat France 2-1. The match was played in Munich, Germany.",
    "nothing to see here",
]


@pytest.fixture(scope="module")
def nlp(tmp_path_factory: pytest.TempPathFactory):
    """Load the shipped model once, from a working directory outside the repository."""
    cwd = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("elsewhere"))
    try:
        yield load_pipeline()
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def spans(nlp) -> pl.DataFrame:
    return extract_spans(nlp, TEXTS)


def test_model_dir_is_inside_package() -> None:
    assert SHIPPED_MODEL_DIR.is_absolute()
    assert SHIPPED_MODEL_DIR.parts[-3:] == ("flows", "models", "ner_en")
    assert (SHIPPED_MODEL_DIR / "config.cfg").is_file()


def test_loads_independent_of_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    load_pipeline.cache_clear()
    nlp = load_pipeline()
    assert "ner" in nlp.pipe_names
    assert any(
        nlp.get_pipe_meta(n).factory in {"sentencizer", "senter", "parser"} for n in nlp.pipe_names
    )
    assert load_pipeline() is nlp  # cached


def test_schema(spans: pl.DataFrame) -> None:
    assert spans.schema == pl.Schema(SCHEMA)
    assert spans.height > 0


def test_offsets_reproduce_surface(spans: pl.DataFrame) -> None:
    for row in spans.iter_rows(named=True):
        text = TEXTS[row["text_index"]]
        assert text[row["start_char"] : row["end_char"]] == row["surface"]
        assert row["surface"] == row["surface"].strip()


def test_labels_and_confidence(spans: pl.DataFrame) -> None:
    assert set(spans["label"].to_list()) <= {"PER", "ORG", "LOC", "MISC"}
    assert spans["confidence"].is_between(0.0, 1.0).all()


def test_confidence_is_per_span_from_the_model(nlp, spans: pl.DataFrame) -> None:
    """Spans of one label get different confidences, each the calibrated span probability."""
    from flows.core.entities import greedy
    from flows.core.entities.ner import span_calibration

    table = span_calibration(nlp)
    assert table is not None
    docs = list(nlp.pipe(TEXTS, disable=["ner", "sentencizer"]))
    _, decode = greedy.for_pipeline(nlp)
    expected = [
        conf for ents in decode(docs) for conf in table.apply(ents.probability, ents.label).tolist()
    ]
    assert spans["confidence"].to_list() == pytest.approx(expected)
    assert spans.group_by("label").agg(pl.col("confidence").n_unique())["confidence"].max() > 1


def test_without_span_probabilities_confidence_is_the_label_precision(nlp) -> None:
    """A pipeline spaCy decodes itself (here: a component after the ner) has no probabilities."""
    nlp.add_pipe("entity_ruler", last=True).add_patterns([{"label": "ORG", "pattern": "Acme"}])
    try:
        spans = extract_spans(nlp, TEXTS[:1])
    finally:
        nlp.remove_pipe("entity_ruler")
    precision = nlp.meta["confidence"]["per_label"]
    assert spans.height > 0
    for label, confidence in zip(spans["label"], spans["confidence"], strict=True):
        assert confidence == pytest.approx(precision[label])


def test_finds_obvious_entities(spans: pl.DataFrame) -> None:
    found = set(zip(spans["surface"].to_list(), spans["label"].to_list(), strict=True))
    assert ("Paris", "LOC") in found or ("Germany", "LOC") in found
    assert any(label == "PER" and "Merkel" in s for s, label in found)
    assert 1 not in spans["text_index"].to_list()  # the empty string yields nothing


def test_sentence_index(spans: pl.DataFrame) -> None:
    first = spans.filter(pl.col("text_index") == 0)
    in_second = first.filter(pl.col("start_char") > TEXTS[0].index("Later"))
    assert in_second.height > 0
    assert (in_second["sentence_index"] == 1).all()
    in_first = first.filter(pl.col("start_char") < TEXTS[0].index("Later"))
    assert (in_first["sentence_index"] == 0).all()


def test_empty_input_gives_empty_frame(nlp) -> None:
    empty = extract_spans(nlp, [])
    assert empty.height == 0
    assert empty.schema == pl.Schema(SCHEMA)
    only_blank = extract_spans(nlp, ["", "   "])
    assert only_blank.height == 0
    assert only_blank.schema == pl.Schema(SCHEMA)


def test_missing_model_gives_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="Could not load"):
        load_pipeline(str(tmp_path / "no-such-model"))


def test_shipped_model_fits_size_budget() -> None:
    size = sum(p.stat().st_size for p in SHIPPED_MODEL_DIR.rglob("*") if p.is_file())
    assert size <= 50e6, f"shipped model is {size / 1e6:.1f} MB, budget 50 MB"


def test_meta_confidence_tables() -> None:
    """Dev precision per label (the fallback) and a span table fitted on all dev spans."""
    import json

    meta = json.loads((SHIPPED_MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    per_label = meta["confidence"]["per_label"]
    assert set(per_label) == {"PER", "ORG", "LOC", "MISC"}
    dev = meta["wirehouse_dev"]["per_label"]
    for label, value in per_label.items():
        assert 0.0 < value <= 1.0
        assert value == pytest.approx(dev[label]["p"])
    table = meta["confidence"]["calibration"]
    assert set(table["intercept"]) == set(per_label)
    assert table["slope"] > 0  # a likelier span is likelier right
    # spans predicted on dev = true positives / precision = recall * support / precision
    predicted = sum(round(s["r"] * s["support"] / s["p"]) for s in dev.values())
    assert table["spans"] == predicted
    assert meta["pipeline"] == ["token_features", "tok2vec", "ner", "sentencizer"]


def test_matrix_products_go_through_numpy_blas(nlp) -> None:
    """The loaded model multiplies with numpy's BLAS, and that product equals numpy's."""
    import numpy as np

    from flows.core.entities.blas import use_numpy_blas

    ops = nlp.get_pipe("tok2vec").model.ops
    assert type(ops).__name__ == "BlasOps"
    assert use_numpy_blas() is not None
    rng = np.random.default_rng(0)
    x = rng.random((5, 3), dtype=np.float32)
    y = rng.random((4, 3), dtype=np.float32)
    np.testing.assert_allclose(ops.gemm(x, y, trans2=True), x @ y.T, rtol=1e-6)
    np.testing.assert_allclose(ops.gemm(x, x, trans1=True), x.T @ x, rtol=1e-6)
    out = np.zeros((5, 4), dtype=np.float32)
    assert ops.gemm(x, y, out=out, trans2=True) is out
    np.testing.assert_allclose(out, x @ y.T, rtol=1e-6)
