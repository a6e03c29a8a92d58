"""flows/core/tone.py: lexicon tone of texts (all texts invented)."""

from __future__ import annotations

import math

import polars as pl
import pytest

from flows.core.tone import ALPHA, lexicon, tone_scores


def _tone(total: float) -> float:
    return total / math.sqrt(total * total + ALPHA)


def test_scores_words_in_the_lexicon_and_counts_all_words() -> None:
    out = tone_scores(pl.Series(["A good day, a bad night.", "Nothing here.", "", None]))
    good, bad = 1.9, -2.5
    assert out.row(0) == pytest.approx((_tone(good + bad), 1 / 6, 1 / 6))
    assert out.row(1) == (0.0, 0.0, 0.0)
    assert out.row(2) == (None, None, None)
    assert out.row(3) == (None, None, None)


@pytest.mark.parametrize("order", [("no", "good", "bad"), ("no", "bad", "good")])
def test_valences_are_summed_in_text_order_whatever_the_batch(order: tuple[str, ...]) -> None:
    # -1.2 + 1.9 - 2.5 gives a tone one bit away from -1.2 - 2.5 + 1.9
    valence = dict(zip(lexicon()["word"], lexicon()["valence"], strict=True))
    total = 0.0
    for word in order:
        total += valence[word]
    text = " ".join(order)
    alone = tone_scores(pl.Series([text])).item(0, "tone")
    # more words than the lexicon has entries, so a join would pick the other side to build
    filler = ["steady words without any feeling at all " * 40] * 40
    in_batch = tone_scores(pl.Series([*filler, text, *filler])).item(len(filler), "tone")
    assert alone == in_batch == _tone(total)  # exact: the same additions in the same order


def test_same_length_and_order_as_the_texts() -> None:
    texts = ["good", "bad", None, "good good", "no"] * 50
    out = tone_scores(pl.Series(texts, dtype=pl.String))
    assert out.height == len(texts)
    assert out.get_column("tone").head(5).to_list() == pytest.approx(
        [_tone(1.9), _tone(-2.5), None, _tone(3.8), _tone(-1.2)], nan_ok=False
    )
