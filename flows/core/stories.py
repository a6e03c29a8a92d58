"""Near-duplicate signatures: MinHash + LSH bands, and within-batch story components.

Two articles tell the same story when their texts are near-identical: a syndicated copy, the
same wire text with a byline added or a sentence edited. Comparing every pair is quadratic, so
each article gets a MinHash signature (NUM_PERM values; the share of equal values estimates the
Jaccard similarity of the two shingle sets) cut into BANDS bands of ROWS values. Two articles
become candidates when one whole band is equal, which SQL finds with an equi-join on
(band, band_hash) against the stored bands (sql/stage/stories.sql).

Why 16 bands x 8 rows (all 128 permutations): the chance that two articles with Jaccard s
share at least one band is 1 - (1 - s^8)^16, an S-curve whose midpoint (1/16)^(1/8) ~ 0.71 is
the threshold we want:

    s      0.3    0.5    0.6    0.7    0.8    0.9
    P    0.001  0.061  0.237  0.613  0.947  1.000

Light edits of a few-hundred-word article keep s above ~0.85 (P > 0.99); unrelated articles
sit far below 0.3. The signature is exact and deterministic: a fixed seed and scheme, sha1
shingle hashes inside datasketch, blake2b band hashes (never Python's salted hash()).
Changing any constant here changes every band: stored article_bands must then be recomputed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
import polars as pl
from datasketch import MinHash

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS  # 8
SEED = 20_240_601
SCHEME = "affine32"  # pinned: datasketch's default scheme may change between versions
SHINGLE_WORDS = 5
MIN_BODY_WORDS = 20  # shorter bodies get no bands: too few shingles to estimate similarity

BAND_SCHEMA = {"article_id": pl.String, "band": pl.Int16, "band_hash": pl.Int64}
COMPONENT_SCHEMA = {"article_id": pl.String, "component": pl.String}


def _tokens(text: pl.Expr) -> pl.Expr:
    """Lowercased NFKC word tokens: punctuation, quotes and spacing differences do not count."""
    return text.str.normalize("NFKC").str.to_lowercase().str.extract_all(r"\w+")


def shingles(tokens: list[str]) -> set[bytes]:
    """Word 5-grams (UTF-8), the set MinHash samples; fewer words give one shingle of all."""
    if len(tokens) < SHINGLE_WORDS:
        return {" ".join(tokens).encode()} if tokens else set()
    return {
        " ".join(tokens[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(tokens) - SHINGLE_WORDS + 1)
    }


def _minhashes(token_lists: Iterable[list[str]]) -> np.ndarray:
    """One row of NUM_PERM uint32 values per document (per-document work datasketch needs)."""
    rows = [
        m.hashvalues
        for m in MinHash.generator(
            (shingles(tokens) for tokens in token_lists),
            num_perm=NUM_PERM,
            seed=SEED,
            scheme=SCHEME,
        )
    ]
    return np.vstack(rows) if rows else np.empty((0, NUM_PERM), dtype=np.uint32)


def _band_hash(values: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(values, digest_size=8).digest(), "little", signed=True)


def band_hashes(frame: pl.DataFrame) -> pl.DataFrame:
    """(article_id, title, body) -> one row per (article_id, band, band_hash).

    The title is prepended to the body before shingling; articles whose body has fewer than
    MIN_BODY_WORDS words get no rows (they can only match as exact copies).
    """
    words = (
        frame.select(pl.col("article_id", "title", "body").cast(pl.String))
        .select(
            "article_id",
            tokens=_tokens(pl.concat_str("title", "body", separator="\n", ignore_nulls=True)),
            n_body=_tokens(pl.col("body")).list.len().fill_null(0),
        )
        .filter(pl.col("n_body") >= MIN_BODY_WORDS)
    )
    signatures = _minhashes(words.get_column("tokens").to_list())
    # little-endian bytes per band, so the hash does not depend on the machine's byte order
    flat = signatures.astype("<u4").reshape(-1, ROWS)  # row i*BANDS + j = band j of document i
    hashes = [_band_hash(row.tobytes()) for row in flat]
    return pl.DataFrame(
        {
            "article_id": np.repeat(words.get_column("article_id").to_numpy(), BANDS),
            "band": np.tile(np.arange(BANDS, dtype=np.int16), len(signatures)),
            "band_hash": np.array(hashes, dtype=np.int64),
        },
        schema=BAND_SCHEMA,
    )


def band_components(bands: pl.DataFrame) -> pl.DataFrame:
    """(article_id, band, band_hash) -> (article_id, component): connected components of
    "shares a band", labelled by the smallest article_id in the component.

    Min-label propagation over the article-bucket graph, one vectorized round per step;
    it stops at the fixpoint, so long chains (A~B~C, A and C unlike) are still joined.
    """
    labels = bands.select("article_id").unique().with_columns(component=pl.col("article_id"))
    while True:
        bucket_min = (
            bands.join(labels, on="article_id")
            .group_by("band", "band_hash")
            .agg(pl.col("component").min())
        )
        updated = (
            bands.join(bucket_min, on=["band", "band_hash"])
            .group_by("article_id")
            .agg(pl.col("component").min())
        )
        changed = updated.join(labels, on="article_id", suffix="_old").filter(
            pl.col("component") != pl.col("component_old")
        )
        labels = updated
        if changed.height == 0:
            return labels.cast(COMPONENT_SCHEMA).sort("article_id")


def story_bands(frame: pl.DataFrame) -> pl.DataFrame:
    """(article_id, title, body) -> (article_id, band, band_hash, component): the `new_bands`
    relation sql/stage/stories.sql reads (bands to store, components to cluster the batch)."""
    bands = band_hashes(frame)
    return bands.join(band_components(bands), on="article_id", how="left").sort(
        "article_id", "band"
    )


def jaccard_estimate(text_a: str, text_b: str) -> float:
    """MinHash estimate of the shingle-set Jaccard similarity of two texts (for tests/tuning)."""
    tokens = pl.DataFrame({"text": [text_a, text_b]}).select(_tokens(pl.col("text")))
    a, b = _minhashes(tokens.to_series().to_list())
    return float(np.mean(a == b))
