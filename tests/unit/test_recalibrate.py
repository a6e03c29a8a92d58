"""Refitting a model's confidence table in place, on a tiny hand-made IOB file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flows.core.entities.calibration import Calibration
from flows.core.entities.evaluate import span_outcomes
from flows.core.entities.ner import SHIPPED_MODEL_DIR, load_pipeline
from flows.core.entities.recalibrate import main

SENTENCES = [
    [("Angela", "B-PER"), ("Merkel", "I-PER"), ("visited", "O"), ("Paris", "B-LOC"), (".", "O")],
    [("Reuters", "B-ORG"), ("reported", "O"), ("from", "O"), ("Berlin", "B-LOC"), (".", "O")],
    [("Chelsea", "B-ORG"), ("beat", "O"), ("Arsenal", "B-ORG"), ("in", "O"), ("London", "B-LOC")],
    [("The", "O"), ("German", "B-MISC"), ("team", "O"), ("won", "O"), (".", "O")],
]


def test_recalibrate_stores_a_table_fitted_on_the_given_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "model"
    shutil.copytree(SHIPPED_MODEL_DIR, model)
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    meta["confidence"].pop("calibration")
    (model / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    iob = tmp_path / "tiny.iob"
    iob.write_text(
        "-DOCSTART- O\n\n"
        + "\n\n".join("\n".join(f"{w} {t}" for w, t in s) for s in SENTENCES)
        + "\n",
        encoding="utf-8",
    )

    assert main(["--model", str(model), "--dev", str(iob)]) == 0

    stored = json.loads((model / "meta.json").read_text(encoding="utf-8"))["confidence"]
    table = Calibration.from_json(stored["calibration"])
    outcomes = span_outcomes(iob, load_pipeline(str(model)))
    assert table is not None and table.spans == outcomes.height > 0
    assert set(table.intercept) == set(outcomes["label"])
    assert stored["per_label"] == meta["confidence"]["per_label"]  # the fallback is kept
    assert f"fitted on {outcomes.height} spans" in capsys.readouterr().out


def test_recalibrate_without_a_dev_file_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--model", str(tmp_path), "--dev", str(tmp_path / "missing.iob")])
    assert stop.value.code == 2
