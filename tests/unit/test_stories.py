"""flows/core/stories.py: MinHash bands find near-copies, ignore unrelated and short texts,
follow the S-curve the banding promises, and are identical in every process (they are stored
and joined across runs)."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import unicodedata
from itertools import product

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flows.core.stories as stories
from flows.core.stories import (
    BANDS,
    MIN_BODY_WORDS,
    ROWS,
    SHINGLE_WORDS,
    band_components,
    band_hashes,
    jaccard_estimate,
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


def made_up_text(n_words: int, seed: int) -> list[str]:
    """Words drawn from a made-up vocabulary: repeated words, but few repeated 5-grams."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mer", "tis", "an", "dru", "vel", "o", "sen", "pa", "ri", "gu"]
    vocabulary = sorted(
        {"".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(3_000)}
    )
    return rng.choices(vocabulary, k=n_words)


def exact_jaccard(text_a: str, text_b: str) -> float:
    """Jaccard similarity of the two texts' word 5-gram sets, counted directly."""

    def shingle_set(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower())
        return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - 4)}

    a, b = shingle_set(text_a), shingle_set(text_b)
    return len(a & b) / len(a | b)


# band_hashes(frame(a=HARBOUR)): bands 0-2
PINNED_HARBOUR_HASHES = [8062173108853567762, 8287361870404093042, 44996283931523023]


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


def test_bands_by_record_number_are_the_bands_by_article_id() -> None:
    """The stage step hashes records by record_index; the key changes nothing else."""
    by_id = band_hashes(frame(a=HARBOUR, b=EDITED))
    records = frame(a=HARBOUR, b=EDITED).drop("article_id").with_row_index("record_index")
    by_record = band_hashes(records, "record_index")
    assert by_record.schema["record_index"] == pl.UInt32
    assert by_record.get_column("band_hash").to_list() == by_id.get_column("band_hash").to_list()
    assert by_record.get_column("record_index").to_list() == [0] * BANDS + [1] * BANDS


def test_case_and_punctuation_do_not_matter() -> None:
    bands = band_hashes(frame(a=HARBOUR, b=HARBOUR.upper().replace(",", " ;")))
    assert buckets(bands, "a") == buckets(bands, "b")


def test_lightly_edited_copy_shares_a_band() -> None:
    bands = band_hashes(frame(a=HARBOUR, b=EDITED))
    assert buckets(bands, "a") & buckets(bands, "b")
    assert buckets(bands, "a") != buckets(bands, "b")
    assert 0.6 < jaccard_estimate(HARBOUR, EDITED) < 1.0


def test_one_word_changed_in_400_shares_a_band() -> None:
    words = made_up_text(400, seed=1)
    edited = [*words[:200], "changed", *words[201:]]
    bands = band_hashes(frame(a=" ".join(words), b=" ".join(edited)))
    assert buckets(bands, "a") & buckets(bands, "b")


@pytest.mark.parametrize("n_changed", [4, 14, 27, 44])
def test_jaccard_estimate_is_close_to_the_exact_shingle_jaccard(n_changed: int) -> None:
    """One changed word in every 400 // n_changed: exact Jaccard ~0.9, 0.7, 0.5 and 0.3."""
    words = made_up_text(400, seed=n_changed)
    edited = list(words)
    for i in range(0, 400, 400 // n_changed):
        edited[i] = f"x{i}"
    text_a, text_b = " ".join(words), " ".join(edited)
    assert jaccard_estimate(text_a, text_b) == pytest.approx(exact_jaccard(text_a, text_b), abs=0.1)


def test_bands_follow_the_s_curve_and_the_estimate_is_unbiased() -> None:
    """Random shingle sets of 400 and 30 elements (a short text: most bins densified) with a
    set Jaccard similarity s: the share of pairs with a common band is 1 - (1 - s^8)^16 (the
    module docstring's S-curve) within 4 standard errors, and equal values average to s."""
    rng = np.random.default_rng(7)
    n_pairs = 1_000
    for size, similarity in [(400, 0.3), (400, 0.5), (400, 0.7), (400, 0.9), (30, 0.5), (30, 0.8)]:
        shared = round(2 * similarity * size / (1 + similarity))
        own = size - shared
        hashes, texts = [], []
        for pair in range(n_pairs):
            drawn = rng.integers(0, 2**64, size=shared + 2 * own, dtype=np.uint64)
            hashes += [drawn[:size], np.concatenate([drawn[:shared], drawn[size:]])]
            texts += [np.full(size, 2 * pair), np.full(size, 2 * pair + 1)]
        signatures = stories._densify(
            stories._bin_minima(np.concatenate(hashes), np.concatenate(texts), 2 * n_pairs)
        )
        assert (signatures != stories._EMPTY).all()
        band_values = stories._band_values(signatures).reshape(2 * n_pairs, BANDS)
        share_a_band = (band_values[0::2] == band_values[1::2]).any(axis=1).mean()
        exact = shared / (shared + 2 * own)
        expected = 1 - (1 - exact**ROWS) ** BANDS
        error = 4 * (expected * (1 - expected) / n_pairs) ** 0.5 + 0.002
        assert share_a_band == pytest.approx(expected, abs=error), (size, similarity)
        estimate = (signatures[0::2] == signatures[1::2]).mean()
        assert estimate == pytest.approx(exact, abs=0.01), (size, similarity)


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
    assert band_hashes(frame()).columns == ["article_id", "band", "band_hash"]
    assert band_components(band_hashes(frame())).columns == ["article_id", "component"]


def test_text_needing_nfkc_gets_the_bands_of_its_normal_form() -> None:
    text = HARBOUR.replace("first", "\ufb01rst").replace("nine", "\uff4e\uff49\uff4e\uff45")
    normal = unicodedata.normalize("NFKC", text)
    assert text != normal
    bands = band_hashes(frame(a=text, b=normal, c=HARBOUR))
    assert buckets(bands, "a") == buckets(bands, "b") == buckets(bands, "c")


def test_characters_that_skip_nfkc_are_stable_in_any_pair() -> None:
    """Texts made only of ASCII and _NFKC_STABLE skip normalization: NFKC must leave every
    such text alone. Single characters and adjacent pairs are what normalization looks at
    (all of them are starters, so nothing reorders or composes across a third character)."""
    alphabet = [chr(c) for c in range(0x80)] + list(stories._NFKC_STABLE)
    pairs = pl.Series(["".join(pair) for pair in product(alphabet, repeat=2)])
    assert (pairs.str.normalize("NFKC") == pairs).all()
    assert not pairs.str.contains(stories._NEEDS_NFKC).any()
    assert (
        pl.Series(["\ufb01", "\u00b2", "e\u0301", "\u00a0"]).str.contains(stories._NEEDS_NFKC).all()
    )


def spans_as_tokens(texts: list[str | None]) -> list[list[str]]:
    """The tokens _token_spans cuts from the texts' bytes, decoded back to strings."""
    buffer, offsets = stories._utf8(stories._normalized(pl.Series(texts, dtype=pl.String)))
    starts, ends = stories._token_spans(buffer, offsets)
    raw = buffer.tobytes()
    words = [raw[a:b].decode() for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    counts = np.diff(np.searchsorted(starts, offsets)).tolist()
    cuts = np.cumsum([0, *counts]).tolist()
    return [words[a:b] for a, b in zip(cuts[:-1], cuts[1:], strict=True)]


TRICKY = "ab Z_9 .,\n\t'’“”-éßİﬁＡ٣\u0301\u200d\u200c日本😀ǅⅷ²\u00a0Σςꙮ𝔘\u0e31"
text_strategy = st.text(alphabet=st.sampled_from(TRICKY), max_size=30) | st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30
)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.none() | text_strategy, max_size=6))
def test_tokens_cut_from_bytes_are_the_regex_tokens(texts: list[str | None]) -> None:
    expected = stories._normalized(pl.Series(texts, dtype=pl.String)).str.extract_all(r"\w+")
    assert spans_as_tokens(texts) == [words or [] for words in expected.to_list()]


def test_word_hashes_tell_words_apart_by_every_byte() -> None:
    words = ["a", "ab", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghij", "abcdefghijklmnop"]
    words += ["abcdefghijklmnopq", "abcdefghijklmnopr", "é", "éa", "日本語", "日本人"]
    text = " ".join(words + words)
    buffer, offsets = stories._utf8(pl.Series([text]))
    starts, ends = stories._token_spans(buffer, offsets)
    hashes = stories._word_hashes(buffer, starts, ends).tolist()
    assert len(set(hashes)) == len(words)
    assert hashes[: len(words)] == hashes[len(words) :]


def test_slices_do_not_change_the_bands(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = {f"t{i}": " ".join(made_up_text(30 + 7 * i, seed=i)) for i in range(40)}
    whole = band_hashes(frame(**texts))
    monkeypatch.setattr(stories, "_SLICE_BYTES", 100)
    assert band_hashes(frame(**texts)).equals(whole)


def test_band_hashes_are_pinned() -> None:
    """Stored bands are joined with new ones across runs and machines: any change of the
    scheme shows up here first (and means stored article_bands must be recomputed)."""
    bands = band_hashes(frame(a=HARBOUR))
    assert bands.get_column("band_hash").head(3).to_list() == PINNED_HARBOUR_HASHES


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


def test_near_copies_share_a_component() -> None:
    bands = band_hashes(frame(z=HARBOUR, y=EDITED, x=ORCHARD))
    components = dict(band_components(bands).iter_rows())
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
