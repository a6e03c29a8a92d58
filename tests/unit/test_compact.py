"""Compact pipelines: int8 hash-embedding tables that load as the float32 model they came from."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from flows.core.entities import compact
from flows.core.entities.compact import dequantize_rows, is_compact, quantize_rows
from flows.core.entities.ensemble import ACCURATE_MEMBERS
from flows.core.entities.ner import SHIPPED_MODEL_DIR, extract_spans, load_pipeline
from flows.settings import REPO_ROOT

MODELS_DIR = SHIPPED_MODEL_DIR.parent
MODELS_BUDGET = 50e6  # bytes: all of flows/models (the shipped model and the vote's members)
MEMBER_BUDGET = 12e6

# Plain English the shipped model tags well, with persons, places and organisations.
SENTENCES = [
    "Angela Merkel flew to Paris on Monday. Later she met Emmanuel Macron in Berlin.",
    "Microsoft and Google were fined by the European Commission in Brussels.",
    "The United Nations said aid reached Khartoum, the capital of Sudan, on Tuesday.",
    "Barack Obama spoke at Harvard University in Cambridge, Massachusetts.",
    "Toyota recalled cars in Japan and the United States after complaints to the ministry.",
]


def disk_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# ---------------------------------------------------------------------------------------
# quantize_rows / dequantize_rows

TABLES = hnp.arrays(
    np.float32,
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=12),
    elements=st.floats(-1e4, 1e4, width=32, allow_subnormal=False),
)


@settings(max_examples=200, deadline=None)
@given(table=TABLES)
def test_rows_round_trip_within_half_a_step(table: np.ndarray) -> None:
    codes, scales = quantize_rows(table)
    assert codes.dtype == np.int8 and codes.shape == table.shape
    assert scales.dtype == np.float32 and scales.shape == (table.shape[0], 1)
    assert codes.min() >= -127 and codes.max() <= 127  # -128 would be lopsided
    restored = dequantize_rows(codes, scales)
    assert restored.dtype == np.float32 and restored.shape == table.shape
    error = np.abs(restored.astype(np.float64) - table.astype(np.float64))
    # half a step per row, plus float32 rounding of the division and the product
    bound = scales.astype(np.float64) * (0.5 + 1e-5)
    assert (error <= bound).all(), (error / scales).max()
    # a row's largest number uses the full range, so the step is as fine as it can be
    nonzero = np.abs(table).max(axis=1) > 0
    assert (np.abs(codes[nonzero]).max(axis=1) == 127).all()


def test_known_rows() -> None:
    table = np.array([[0.0, 0.5, -1.27], [0.0, 0.0, 0.0], [254.0, -127.0, 1.0]], np.float32)
    codes, scales = quantize_rows(table)
    np.testing.assert_allclose(scales[:, 0], [0.01, 1.0, 2.0], rtol=1e-6)
    assert codes.tolist() == [[0, 50, -127], [0, 0, 0], [127, -64, 0]]  # -63.5, 0.5: to even
    restored = dequantize_rows(codes, scales)
    assert restored[1].tolist() == [0.0, 0.0, 0.0]  # an all-zero row comes back as zeros
    np.testing.assert_allclose(restored[0], [0.0, 0.5, -1.27], rtol=1e-6)


def test_an_all_zero_table_round_trips_to_zeros() -> None:
    codes, scales = quantize_rows(np.zeros((4, 96), np.float32))
    assert not codes.any() and np.isfinite(scales).all()
    assert not dequantize_rows(codes, scales).any()


# ---------------------------------------------------------------------------------------
# a compact copy of the shipped model


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("compact") / "ner_en_int8"
    packed = compact.write(SHIPPED_MODEL_DIR, out)
    assert packed > 1_000_000
    return out


def test_the_copy_is_compact_and_smaller(copy: Path) -> None:
    assert is_compact(copy) and not is_compact(SHIPPED_MODEL_DIR)
    assert not (copy / "tok2vec" / "model").exists()  # no float32 tables beside the int8 ones
    # the tables shrink 4x; the CNN's weights beside them stay float32
    tables = (copy / "tok2vec" / "model.int8").stat().st_size
    assert tables < 0.4 * (SHIPPED_MODEL_DIR / "tok2vec" / "model").stat().st_size
    assert disk_size(copy) < 0.5 * disk_size(SHIPPED_MODEL_DIR)
    meta = json.loads((copy / "meta.json").read_text(encoding="utf-8"))
    assert meta["name"] == "ner_en"  # the source's name unless told otherwise
    assert meta["wirehouse_compact"]["int8_numbers"] > 1_000_000


def test_spacy_alone_refuses_the_copy(copy: Path) -> None:
    """spaCy must not read the int8 tables as weights: its loader finds no tables at all."""
    import spacy

    import flows.core.entities.features  # noqa: F401  (the model's feature component)

    with pytest.raises(OSError, match=r"tok2vec[/\\]model"):
        spacy.load(copy)


def test_the_copy_computes_with_the_float_tables_it_came_from(copy: Path) -> None:
    """Every parameter of the loaded copy is the shipped one, the embedding tables within
    half an int8 step of their row (the copy is not computing with raw codes)."""
    original = load_pipeline().get_pipe("tok2vec").model.to_dict()["params"]
    loaded = load_pipeline(str(copy)).get_pipe("tok2vec").model.to_dict()["params"]
    n_tables = 0
    for ours, theirs in zip(loaded, original, strict=True):
        assert ours.keys() == theirs.keys()
        for name, value in theirs.items():
            if not isinstance(value, np.ndarray):
                continue
            got = np.asarray(ours[name])
            assert got.dtype == np.float32 and got.shape == value.shape, name
            if value.ndim == 2 and value.size >= compact.MIN_QUANTIZED_SIZE:
                n_tables += 1
                step = np.abs(value).max(axis=1, keepdims=True) / 127
                assert (np.abs(got - value) <= step * (0.5 + 1e-5)).all(), name
                assert not np.array_equal(got, value)  # really went through int8
            else:
                assert np.array_equal(got, value), name
    assert n_tables >= 4  # the hash-embedding tables (NORM, PREFIX, SUFFIX, SHAPE, ...)


def test_the_copy_finds_the_same_entities(copy: Path) -> None:
    span = ["text_index", "start_char", "end_char", "label"]
    shipped = extract_spans(load_pipeline(), SENTENCES)
    compacted = extract_spans(load_pipeline(str(copy)), SENTENCES)
    assert shipped.height >= 15
    assert compacted.select(span).rows() == shipped.select(span).rows()
    # the span probabilities move a little, not the spans
    gap = (compacted["confidence"] - shipped["confidence"]).abs().max()
    assert gap < 0.02


# ---------------------------------------------------------------------------------------
# the command line

COMPACT_CLI = [sys.executable, "-m", "flows.core.entities.compact"]


def test_cli_writes_a_compact_copy(tmp_path: Path) -> None:
    out = tmp_path / "small"
    done = subprocess.run(
        [*COMPACT_CLI, str(SHIPPED_MODEL_DIR), str(out), "--name", "ner_en_small"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "stored as int8" in done.stdout and "MB on disk" in done.stdout
    assert is_compact(out)
    assert json.loads((out / "meta.json").read_text(encoding="utf-8"))["name"] == "ner_en_small"


def test_cli_refuses_a_directory_without_config(tmp_path: Path) -> None:
    source = tmp_path / "not-a-pipeline"
    source.mkdir()
    (source / "meta.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [*COMPACT_CLI, str(source), str(out)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error:") and "no config.cfg" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


# ---------------------------------------------------------------------------------------
# the members shipped for the accurate mode


@pytest.mark.parametrize("member", ACCURATE_MEMBERS[1:], ids=lambda m: Path(m).name)
def test_shipped_members_are_compact_and_load_from_the_package(member: str) -> None:
    path = Path(member)
    assert path.parent == MODELS_DIR and path.is_absolute()
    assert is_compact(path)
    size = disk_size(path)
    assert size < MEMBER_BUDGET, f"{path.name} is {size / 1e6:.1f} MB"
    nlp = load_pipeline(member)
    assert "ner" in nlp.pipe_names
    assert nlp.meta["name"] == path.name
    assert set(nlp.meta["confidence"]["per_label"]) == {"PER", "ORG", "LOC", "MISC"}
    found = extract_spans(nlp, SENTENCES[:1])
    assert ("Angela Merkel", "PER") in set(found.select("surface", "label").rows())


def test_all_models_fit_the_budget() -> None:
    size = disk_size(MODELS_DIR)
    assert size <= MODELS_BUDGET, f"flows/models is {size / 1e6:.1f} MB, budget 50 MB"
