"""The span confidence table: a logistic fit that must recover what it is fitted to."""

from __future__ import annotations

import numpy as np
import pytest

from flows.core.entities.calibration import Calibration, fit, logit, reliability


def synthetic(slope: float, intercept: dict[str, float], n: int = 20_000, seed: int = 0):
    """Spans whose chance of being right is exactly the logistic model with these weights."""
    rng = np.random.default_rng(seed)
    labels = rng.choice(sorted(intercept), size=n).tolist()
    probability = rng.beta(8, 1, size=n)  # like a model's: mostly close to 1
    truth = Calibration(slope, intercept).apply(probability, labels)
    return probability, labels, rng.random(n) < truth


def test_fit_recovers_the_weights_that_made_the_data() -> None:
    weights = {"LOC": 0.3, "ORG": -0.6, "PER": -0.2}
    probability, labels, correct = synthetic(0.55, weights)
    table = fit(probability, labels, correct)
    assert table.slope == pytest.approx(0.55, abs=0.05)
    for label, value in weights.items():
        assert table.intercept[label] == pytest.approx(value, abs=0.12)
    assert table.spans == len(labels)


def test_confidence_rises_with_probability_and_stays_in_bounds() -> None:
    table = Calibration(0.5, {"ORG": -0.4})
    probability = np.array([0.0, 0.1, 0.5, 0.9, 0.99, 1.0])
    confidence = table.apply(probability, ["ORG"] * len(probability))
    assert np.all(np.diff(confidence) > 0)
    assert np.all((confidence > 0) & (confidence < 1))


def test_a_label_the_table_does_not_know_gets_nan() -> None:
    confidence = Calibration(1.0, {"PER": 0.0}).apply(np.array([0.9, 0.9]), ["PER", "GPE"])
    assert confidence[0] == pytest.approx(0.9)
    assert np.isnan(confidence[1])


def test_fit_is_finite_when_every_span_of_a_label_is_right() -> None:
    table = fit(np.array([0.9, 0.95, 0.6, 0.99]), ["LOC", "LOC", "ORG", "ORG"], [1, 1, 0, 1])
    assert np.isfinite(table.slope) and all(np.isfinite(list(table.intercept.values())))


@pytest.mark.parametrize(
    "stored",
    [None, {}, {"slope": "x", "intercept": {}}, {"slope": 1.0}, {"slope": 1, "intercept": 3}],
)
def test_a_missing_or_damaged_table_reads_as_none(stored) -> None:
    assert Calibration.from_json(stored) is None


def test_table_round_trips_through_json() -> None:
    table = Calibration(0.5, {"ORG": -0.4, "PER": 0.1}, spans=12)
    assert Calibration.from_json(table.to_json()) == table


def test_logit_of_certain_probabilities_is_finite() -> None:
    assert np.all(np.isfinite(logit(np.array([0.0, 1.0]))))


def test_reliability_bands_count_and_score_their_spans() -> None:
    bands = reliability(np.array([0.1, 0.2, 0.9, 0.95]), np.array([0, 1, 1, 1]), [0, 0.5, 1.0])
    assert bands == [
        (0, 0.5, 2, pytest.approx(0.15), 0.5),
        (0.5, 1.0, 2, pytest.approx(0.925), 1.0),
    ]
