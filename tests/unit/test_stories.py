"""flows/core/stories.py: MinHash bands find near-copies, ignore unrelated and short texts,
and are identical in every process (they are stored and joined across runs)."""

from __future__ import annotations

import json
import subprocess
import sys

import polars as pl
import pytest

from flows.core.stories import (
    BANDS,
    MIN_BODY_WORDS,
    band_components,
    band_hashes,
    jaccard_estimate,
    story_bands,
)
from flows.settings import REPO_ROOT

# Invented texts: three paragraphs of a made-up harbour story, and an unrelated one.
HARBOUR = (
    "The northern harbour of Kelvale reopened on Tuesday after storm crews spent nine days "
    "clearing fallen cranes, sunken skiffs and a collapsed section of the old stone quay. "
    "Port officials said the first cargo ship, a small coastal freighter carrying timber and "
    "salt, docked shortly after dawn and unloaded without trouble. Fishermen who had been "
    "forced to tie up in the river mouth returned to their usual berths by the afternoon, "
    "though several said the new pontoons felt narrower than the ones the storm destroyed. "
    "The harbour master, Ilse Varga, told reporters that repairs to the lighthouse would take "
    "another month because replacement lenses had to be ground by a workshop in the capital. "
    "Until then a temporary beacon mounted on a tug will mark the channel at night. Local "
    "shops reported a rush of customers as crews and sailors came ashore, and the town council "
    "promised to review how the warning system failed to reach outlying villages before the "
    "storm made landfall. A public meeting on the review is planned for the end of the month, "
    "and residents have been asked to send written accounts of what they saw and heard."
)
ORCHARD = (
    "Apple growers in the valley expect a smaller harvest this autumn after a late frost "
    "damaged blossoms across most of the upper slopes. Cooperative managers said yields could "
    "fall by a third, although prices at the regional market have so far held steady. Several "
    "families are experimenting with netting and small heaters, an expensive measure that only "
    "the larger farms can afford. Agronomists from the university are collecting samples to "
    "study which older varieties survived the cold best, hoping to advise replanting next year. "
    "Meanwhile the cider festival will go ahead as planned, organisers said, with fruit bought "
    "in from neighbouring districts to make up the shortfall."
)
# a sentence rewritten and a byline added
EDITED = "By Tom Reed, Coast Wire. " + HARBOUR.replace(
    "Until then a temporary beacon mounted on a tug will mark the channel at night.",
    "Until the repair is done, a tug with a flashing beacon will guard the channel after dark.",
)


def frame(**texts: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "article_id": list(texts),
            "title": ["Harbour reopens"] * len(texts),
            "body": list(texts.values()),
        }
    )


def buckets(bands: pl.DataFrame, article_id: str) -> set[tuple[int, int]]:
    rows = bands.filter(pl.col("article_id") == article_id).select("band", "band_hash")
    return set(rows.iter_rows())


def test_identical_texts_share_every_band() -> None:
    bands = band_hashes(frame(a=HARBOUR, b=HARBOUR))
    assert bands.height == 2 * BANDS
    assert buckets(bands, "a") == buckets(bands, "b")
    assert bands.schema == pl.Schema(
        {"article_id": pl.String, "band": pl.Int16, "band_hash": pl.Int64}
    )


def test_case_and_punctuation_do_not_matter() -> None:
    bands = band_hashes(frame(a=HARBOUR, b=HARBOUR.upper().replace(",", " ;")))
    assert buckets(bands, "a") == buckets(bands, "b")


def test_lightly_edited_copy_shares_a_band() -> None:
    bands = band_hashes(frame(a=HARBOUR, b=EDITED))
    assert buckets(bands, "a") & buckets(bands, "b")
    assert buckets(bands, "a") != buckets(bands, "b")
    assert 0.6 < jaccard_estimate(HARBOUR, EDITED) < 1.0


def test_unrelated_articles_share_no_band() -> None:
    bands = band_hashes(frame(a=HARBOUR, b=ORCHARD))
    assert not buckets(bands, "a") & buckets(bands, "b")
    assert jaccard_estimate(HARBOUR, ORCHARD) < 0.1


@pytest.mark.parametrize("n_words", [0, 1, MIN_BODY_WORDS - 1])
def test_short_bodies_get_no_bands(n_words: int) -> None:
    body = " ".join(HARBOUR.split()[:n_words])
    bands = band_hashes(frame(short=body, long=HARBOUR))
    assert set(bands.get_column("article_id")) == {"long"}


def test_empty_frame_gives_empty_bands() -> None:
    assert band_hashes(frame()).height == 0
    assert story_bands(frame()).columns == ["article_id", "band", "band_hash", "component"]


def test_components_are_transitive_and_named_by_the_smallest_id() -> None:
    # c~b share (0, 1); b~a share (1, 2); a and c share nothing; d alone
    bands = pl.DataFrame(
        {
            "article_id": ["c", "b", "b", "a", "d"],
            "band": [0, 0, 1, 1, 0],
            "band_hash": [1, 1, 2, 2, 9],
        },
        schema={"article_id": pl.String, "band": pl.Int16, "band_hash": pl.Int64},
    )
    components = dict(band_components(bands).iter_rows())
    assert components == {"a": "a", "b": "a", "c": "a", "d": "d"}


def test_same_hash_in_another_band_is_no_match() -> None:
    bands = pl.DataFrame(
        {"article_id": ["a", "b"], "band": [0, 1], "band_hash": [7, 7]},
        schema={"article_id": pl.String, "band": pl.Int16, "band_hash": pl.Int64},
    )
    assert dict(band_components(bands).iter_rows()) == {"a": "a", "b": "b"}


def test_story_bands_labels_near_copies_together() -> None:
    bands = story_bands(frame(z=HARBOUR, y=EDITED, x=ORCHARD))
    components = dict(bands.select("article_id", "component").unique().iter_rows())
    assert components == {"z": "y", "y": "y", "x": "x"}


_CHILD = """
import json, sys
import polars as pl
from flows.core.stories import band_hashes
texts = json.loads(sys.stdin.read())
frame = pl.DataFrame({"article_id": list(texts), "title": ["t"] * len(texts),
                      "body": list(texts.values())})
print(json.dumps(band_hashes(frame).rows()))
"""


def test_bands_are_the_same_in_another_process() -> None:
    """Stored bands are joined across runs: Python's per-process hash salt must not leak in."""
    texts = {"a": HARBOUR, "b": EDITED, "c": ORCHARD}
    runs = [
        subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO_ROOT,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    ]
    here = band_hashes(frame(**texts).with_columns(title=pl.lit("t"))).rows()
    assert json.loads(runs[0]) == json.loads(runs[1]) == [list(row) for row in here]
