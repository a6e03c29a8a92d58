"""A mention's confidence: the model's span probability, calibrated to the chance it is right.

The batch decoder gives each span the model's probability for its moves (``greedy.py``).
That number ranks spans well but is too sure of itself: on CoNLL-2003 dev the shipped
model's spans have a mean probability of 0.96 and a precision of 0.91. A logistic fit of
"the span is exactly right" on the probability's logit, with one intercept per label,
turns it into a chance that can be read as one: spans given 0.98 or more are right about
98-99 % of the time. The fit is made on dev at training time (or later with
``python -m flows.core.entities.recalibrate``) and stored in the model's ``meta.json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only
    import polars as pl

CONFIDENCE_MEANING = (
    "The chance that the span is exactly right (start, end and label): the model's own "
    "probability for the span's moves, calibrated on CoNLL-2003 dev by a logistic fit on its "
    "logit with one intercept per label (table 'calibration'). Where a span has no probability "
    "(a pipeline decoded by spaCy itself), the label's precision on dev ('per_label')."
)
# Probabilities are clipped before the logit: float32 sums can round a sure span to 1.0.
_EPSILON = 1e-6
# A small ridge keeps the fit finite when a label's spans are all right (or all wrong).
_RIDGE = 1e-3
_NEWTON_STEPS = 50


def logit(probability: np.ndarray) -> np.ndarray:
    """log(p / (1 - p)), with p kept inside (0, 1)."""
    p = np.clip(np.asarray(probability, dtype=np.float64), _EPSILON, 1.0 - _EPSILON)
    return np.log(p) - np.log1p(-p)


@dataclass(frozen=True)
class Calibration:
    """confidence = sigmoid(slope * logit(probability) + intercept[label])."""

    slope: float
    intercept: dict[str, float]
    spans: int = 0

    def apply(self, probability: np.ndarray, labels: Sequence[str]) -> np.ndarray:
        """The calibrated confidence of each span; a label without an intercept gets NaN."""
        offsets = np.array([self.intercept.get(label, np.nan) for label in labels])
        return 1.0 / (1.0 + np.exp(-(self.slope * logit(probability) + offsets)))

    def to_json(self) -> dict[str, Any]:
        return {"slope": self.slope, "intercept": dict(self.intercept), "spans": self.spans}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Calibration | None:
        """The table stored in meta.json, or None when there is none (or it is damaged)."""
        if not isinstance(data, dict):
            return None
        try:
            intercept = {str(k): float(v) for k, v in data["intercept"].items()}
            return cls(float(data["slope"]), intercept, int(data.get("spans", 0)))
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


def fit(probability: np.ndarray, labels: Sequence[str], correct: np.ndarray) -> Calibration:
    """Logistic regression of ``correct`` on logit(probability) and one indicator per label.

    Newton's method on a problem of five or so parameters: a few milliseconds for the
    6,000 spans of dev, deterministic, and no dependency beyond numpy.
    """
    names = sorted(set(labels))
    label_index = {name: i for i, name in enumerate(names)}
    rows = np.fromiter((label_index[x] for x in labels), dtype=np.int64, count=len(labels))
    design = np.zeros((len(labels), 1 + len(names)))
    design[:, 0] = logit(probability)
    design[np.arange(len(labels)), 1 + rows] = 1.0
    target = np.asarray(correct, dtype=np.float64)
    weights = np.zeros(design.shape[1])
    for _ in range(_NEWTON_STEPS):
        predicted = 1.0 / (1.0 + np.exp(-(design @ weights)))
        gradient = design.T @ (predicted - target) + _RIDGE * weights
        hessian = (design * (predicted * (1.0 - predicted))[:, None]).T @ design
        step = np.linalg.solve(hessian + _RIDGE * np.eye(len(weights)), gradient)
        weights -= step
        if np.abs(step).max() < 1e-10:
            break
    intercept = {name: float(weights[1 + i]) for i, name in enumerate(names)}
    return Calibration(float(weights[0]), intercept, len(labels))


def fit_outcomes(outcomes: pl.DataFrame) -> Calibration:
    """``fit`` on the rows of ``evaluate.span_outcomes`` (label, probability, correct)."""
    return fit(
        outcomes["probability"].to_numpy(),
        outcomes["label"].to_list(),
        outcomes["correct"].to_numpy(),
    )


def reliability(confidence: np.ndarray, correct: np.ndarray, edges: Sequence[float]) -> list:
    """Per confidence band [lo, hi): spans, their mean confidence and the fraction right."""
    table = []
    for lo, hi in zip(edges, edges[1:], strict=False):
        inside = (confidence >= lo) & (confidence < hi)
        n = int(inside.sum())
        mean = float(confidence[inside].mean()) if n else float("nan")
        right = float(np.asarray(correct)[inside].mean()) if n else float("nan")
        table.append((lo, hi, n, mean, right))
    return table
