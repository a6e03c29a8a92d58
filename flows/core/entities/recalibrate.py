"""Refit the confidence table of an existing model directory, in place, without retraining.

Training fits it at the end (``train.py``); this is for a model trained before, or after
a change to ``calibration.py``. It prints how well the table fits its data.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from flows.core.entities.calibration import CONFIDENCE_MEANING, fit_outcomes, reliability
from flows.core.entities.evaluate import span_outcomes
from flows.core.entities.ner import SHIPPED_MODEL_DIR, load_pipeline


def main(argv: Sequence[str] | None = None) -> int:
    """Fit a model's confidence table on an IOB file and store it in its meta.json."""
    ap = argparse.ArgumentParser(prog="python -m flows.core.entities.recalibrate")
    ap.add_argument("--model", type=Path, default=SHIPPED_MODEL_DIR, help="model directory")
    ap.add_argument(
        "--dev",
        type=Path,
        default=Path("../shared/data/ner/conll2003-dev.iob"),
        help="IOB file to fit on (the model's development set)",
    )
    args = ap.parse_args(argv)
    if not args.dev.is_file():
        ap.error(f"no development file at {args.dev}; pass --dev FILE")
    nlp = load_pipeline(str(args.model))
    outcomes = span_outcomes(args.dev, nlp)
    calibration = fit_outcomes(outcomes)
    meta_path = args.model / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    stored = meta.setdefault("confidence", {})
    stored["meaning"] = CONFIDENCE_MEANING
    stored["calibration"] = calibration.to_json()
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    confidence = calibration.apply(outcomes["probability"].to_numpy(), outcomes["label"])
    print(f"fitted on {calibration.spans} spans of {args.dev}; stored in {meta_path}")
    print("confidence band   spans  mean confidence  exactly right")
    edges = [0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 1.0 + 1e-9]
    for lo, hi, n, mean, right in reliability(confidence, outcomes["correct"], edges):
        print(f"[{lo:.2f}, {min(hi, 1.0):.2f})  {n:>6}  {mean:>15.3f}  {right:>13.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
