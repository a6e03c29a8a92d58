"""Near-duplicate signatures: MinHash + LSH bands, and the story components of a run.

Two articles tell the same story when their texts are near-identical: a syndicated copy, the
same wire text with a byline added or a sentence edited. Comparing every pair is quadratic, so
each article gets a MinHash signature (NUM_PERM values; the share of equal values estimates the
Jaccard similarity of the two shingle sets) cut into BANDS bands of ROWS values. Two articles
become candidates when one whole band is equal, which SQL finds with an equi-join on
(band, band_hash) against the stored bands (sql/stage/stories.sql).

Why 16 bands x 8 rows (all 128 values): the chance that two articles with Jaccard s share at
least one band is 1 - (1 - s^8)^16, an S-curve whose midpoint (1/16)^(1/8) ~ 0.71 is the
threshold we want:

    s      0.3    0.5    0.6    0.7    0.8    0.9
    P    0.001  0.061  0.237  0.613  0.947  1.000

Light edits of a few-hundred-word article keep s above ~0.85 (P > 0.99); unrelated articles
sit far below 0.3.

Why one-permutation hashing, computed on bytes: 128 permutations per shingle and a Python
loop per document (the classic MinHash libraries) measured ~16x slower and made this the
slowest step of staging. Each shingle is hashed once; its top 7 bits pick one of NUM_PERM bins, a bin keeps its smallest value (Li,
Owen and Zhang 2012), and a bin a short text leaves empty borrows from the first non-empty bin
of a probe sequence that depends only on the bin (optimal densification, Shrivastava 2017), so
each value still agrees with probability equal to the Jaccard similarity and the S-curve above
holds. Tokens are cut and hashed from the batch's UTF-8 bytes with numpy, in wrapping uint64
arithmetic (splitmix64's mixer), so bands are identical in every process, run and machine;
Python's salted hash() and Polars'/DuckDB's hash() (not stable across versions) never enter.
Changing any constant or step here changes every band: stored article_bands must then be
recomputed.
"""

from __future__ import annotations

import functools
import unicodedata

import numpy as np
import polars as pl
import pyarrow as pa

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS  # 8
SHINGLE_WORDS = 5
MIN_BODY_WORDS = 20  # shorter bodies get no bands: too few shingles to estimate similarity

BAND_SCHEMA = {"article_id": pl.String, "band": pl.Int16, "band_hash": pl.Int64}
COMPONENT_SCHEMA = {"article_id": pl.String, "component": pl.String}

_WORD = r"\w+"  # a token: a run of Unicode word characters
_BIN_BITS = 7  # 2**7 == NUM_PERM bins
_VALUE_MASK = np.uint64((1 << (64 - _BIN_BITS)) - 1)
_EMPTY = np.uint64(2**64 - 1)  # above every value: a bin no shingle fell in
_KEEP_BYTES = np.array([(1 << 8 * n) - 1 for n in range(8)] + [2**64 - 1], dtype=np.uint64)
_PROBE_SEED = np.uint64(0x5EED_0F_B1A5)  # densification probes
_BAND_SEED = np.uint64(0xBA4D_5EED)  # band hashes
_SHINGLE_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it is a bijection
_PAD = 8  # zero bytes after the text, so an 8-byte read at any text byte stays inside
_SLICE_BYTES = 1 << 18  # texts hashed together: their arrays stay in the CPU cache


def _nfkc_stable(code_points: range) -> str:
    """The characters NFKC leaves alone wherever they stand: assigned (Unicode's stability
    policy then keeps this true in every later version), unchanged on their own, and starters
    (combining class 0), so no reordering or composition can reach them."""
    return "".join(
        chr(cp)
        for cp in code_points
        if unicodedata.category(chr(cp)) != "Cn"
        and unicodedata.normalize("NFKC", chr(cp)) == chr(cp)
        and not unicodedata.combining(chr(cp))
    )


# Latin letters, currency signs, typographic quotes and dashes: what most news text holds
# besides ASCII. A text made only of these and ASCII is already NFKC (tests/unit/
# test_stories.py checks every pair), so most texts skip the normalization, which would cost
# more than all the hashing.
_NFKC_STABLE = (
    _nfkc_stable(range(0x80, 0x250))
    + _nfkc_stable(range(0x2010, 0x2030))
    + _nfkc_stable(range(0x20A0, 0x20C1))
)
_NEEDS_NFKC = "[^\\x00-\\x7f" + "".join(f"\\x{{{ord(c):x}}}" for c in _NFKC_STABLE) + "]"


def _normalized(text: pl.Series) -> pl.Series:
    """NFKC, then lowercase: punctuation, quotes and spacing differences do not count. Only
    the texts NFKC may change are normalized; the others already are."""
    non_ascii = (text.str.len_bytes() != text.str.len_chars()).fill_null(False).arg_true()
    needs = non_ascii.filter(text.gather(non_ascii).str.contains(_NEEDS_NFKC))
    if len(needs):
        text = text.scatter(needs, text.gather(needs).str.normalize("NFKC"))
    return text.str.to_lowercase()


def _utf8(text: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """(buffer, offsets): the texts' UTF-8 back to back, text i at buffer[offsets[i]:
    offsets[i + 1]], then _PAD zero bytes. A null text is empty."""
    array = text.fill_null("").to_arrow().cast(pa.large_string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    _, offsets_buffer, data_buffer = array.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[
        array.offset : array.offset + len(array) + 1
    ]
    buffer = np.zeros(offsets[-1] - offsets[0] + _PAD, dtype=np.uint8)
    if data_buffer is not None:
        buffer[:-_PAD] = np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0] : offsets[-1]]
    return buffer, offsets - offsets[0]


@functools.cache
def _word_characters() -> np.ndarray:
    """For every code point, whether the regex engine counts it as a word character: tokens
    cut from bytes then match str.extract_all(_WORD) exactly, whatever Unicode version the
    engine has. Built once per process (~0.1 s): one regex pass over every code point."""
    code_points = np.arange(0x110000, dtype="<u4")
    code_points[0xD800:0xE000] = ord(" ")  # surrogates are not characters
    every = pl.Series([code_points.tobytes().decode("utf-32-le")])
    words = every.str.replace_all(r"\W+", "").item()
    is_word = np.zeros(len(code_points), dtype=bool)
    is_word[np.frombuffer(words.encode("utf-32-le"), dtype="<u4")] = True
    return is_word


def _word_bytes(buffer: np.ndarray) -> np.ndarray:
    """True at every byte of a word character, False elsewhere, with one False before and
    after (so runs of True are the tokens)."""
    n_bytes = len(buffer) - _PAD
    is_word = _word_characters()
    word = np.zeros(n_bytes + 2, dtype=bool)
    np.take(is_word[:256] & (np.arange(256) < 0x80), buffer[:n_bytes], out=word[1:-1])
    if n_bytes and buffer[:n_bytes].max() >= 0xC0:  # the first byte of a multi-byte character
        leads = np.flatnonzero(buffer[:n_bytes] >= 0xC0)
        first = buffer[leads].astype(np.uint32)
        width = 2 + (first >= 0xE0) + (first >= 0xF0)
        tail = [buffer[leads + k].astype(np.uint32) & 0x3F for k in (1, 2, 3)]
        code_point = np.select(
            [width == 2, width == 3],
            [(first & 0x1F) << 6 | tail[0], (first & 0x0F) << 12 | tail[0] << 6 | tail[1]],
            (first & 0x07) << 18 | tail[0] << 12 | tail[1] << 6 | tail[2],
        )
        for k in range(4):
            at = width > k
            word[leads[at] + k + 1] = is_word[code_point[at]]
    return word


def _token_spans(buffer: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(start, end) byte of every token in buffer order; a token never spans two texts."""
    word = _word_bytes(buffer)
    edges = np.flatnonzero(word[1:] != word[:-1])  # alternately a token's start and end
    starts, ends = edges[0::2], edges[1::2]
    inner = np.unique(offsets[1:-1])
    joined = inner[word[inner] & word[inner + 1]]  # a word runs on from one text to the next
    if len(joined):
        starts = np.insert(starts, np.searchsorted(starts, joined), joined)
        ends = np.insert(ends, np.searchsorted(ends, joined), joined)
    return starts, ends


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer, in place: a bijection of uint64 whose every output bit depends
    on every input bit, so combined hashes stay uniformly distributed. Wraps identically
    everywhere."""
    shifted = z >> np.uint64(30)
    z ^= shifted
    z *= np.uint64(0xBF58476D1CE4E5B9)
    np.right_shift(z, np.uint64(27), out=shifted)
    z ^= shifted
    z *= np.uint64(0x94D049BB133111EB)
    np.right_shift(z, np.uint64(31), out=shifted)
    z ^= shifted
    return z


def _word_hashes(buffer: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """uint64 hash of each token's UTF-8 bytes: its 8-byte little-endian chunks (bytes past
    the token cleared) folded together with _mix. A token holds no zero byte, so tokens of up
    to 8 bytes, most words, get distinct hashes (_mix is a bijection); longer ones collide
    with odds 2^-64."""
    # the 8 bytes from every position, read little-endian whatever the machine's byte order
    eight = np.ndarray((len(buffer) - _PAD,), dtype="<u8", buffer=buffer, strides=(1,))
    lengths = ends - starts
    hashes = _mix(eight[starts] & _KEEP_BYTES[np.minimum(lengths, 8)])
    for chunk in range(8, int(lengths.max(initial=0)), 8):
        longer = np.flatnonzero(lengths > chunk)
        rest = eight[starts[longer] + chunk] & _KEEP_BYTES[np.minimum(lengths[longer] - chunk, 8)]
        hashes[longer] = _mix(hashes[longer] ^ rest)
    return hashes


def _shingle_hashes(words: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(hash, document index) of every word 5-gram: the word hashes as polynomial
    coefficients, then _mix. A document of 1-4 words gets one shingle of all its words (a
    shorter polynomial), an empty one none."""
    n_words = len(words)
    starts = np.cumsum(lengths) - lengths
    padded = np.concatenate([words, np.zeros(SHINGLE_WORDS - 1, dtype=np.uint64)])
    polynomial = padded[:n_words].copy()  # at i: the 5 words from i on, across documents too
    short = (lengths > 0) & (lengths < SHINGLE_WORDS)
    short_hashes = np.zeros(len(lengths), dtype=np.uint64)
    short_hashes[lengths == 1] = polynomial[starts[lengths == 1]]
    for k in range(1, SHINGLE_WORDS):
        polynomial *= _SHINGLE_BASE
        polynomial += padded[k : k + n_words]
        short_hashes[lengths == k + 1] = polynomial[starts[lengths == k + 1]]
    polynomial[starts[short]] = short_hashes[short]
    # a document's shingles start at each word but its last 4 (a short one's: its first word)
    starts_shingle = np.ones(n_words, dtype=bool)
    for k in range(1, SHINGLE_WORDS):
        starts_shingle[(starts + lengths)[lengths > k] - k] = False
    n_shingles = np.where(short, 1, np.maximum(lengths - (SHINGLE_WORDS - 1), 0))
    return _mix(polynomial[starts_shingle]), np.repeat(np.arange(len(lengths)), n_shingles)


def _densify(signatures: np.ndarray) -> np.ndarray:
    """Fill each empty bin from the first non-empty bin of its own probe sequence.

    The probes depend only on (bin, attempt), never on the text, so two texts fill a bin from
    the same place whenever their non-empty bins agree: the fill keeps the Jaccard estimate
    unbiased. One vectorized step per attempt over every still-empty bin of the batch.
    """
    values = signatures.reshape(-1)
    dense = values.copy()
    filled = values != _EMPTY
    has_values = np.repeat(filled.reshape(signatures.shape).any(axis=1), NUM_PERM)
    empty = np.flatnonzero(~filled & has_values)  # index row * NUM_PERM + bin
    attempt = 0
    while len(empty):
        source = empty - empty % NUM_PERM + _probes(attempt)[empty % NUM_PERM]
        found = filled[source]
        dense[empty[found]] = values[source[found]]
        empty = empty[~found]
        attempt += 1
    return dense.reshape(signatures.shape)


def _probes(attempt: int) -> np.ndarray:
    """The bin each bin borrows from at this attempt: a fixed pseudo-random sequence."""
    bins = np.arange(NUM_PERM, dtype=np.uint64) << np.uint64(32)
    probes = _mix(bins ^ _PROBE_SEED ^ np.uint64(attempt))
    return (probes >> np.uint64(64 - _BIN_BITS)).astype(np.intp)


def _min_hashes(text: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """(signatures, word counts) of _normalized texts: one row of NUM_PERM uint64 values per
    text, the smallest value per bin of its shingles (_EMPTY where none fell: see _densify).

    The texts are hashed in slices of about _SLICE_BYTES: whole-batch arrays are tens of MB,
    and the same numpy steps on cache-sized slices run about twice as fast.
    """
    buffer, offsets = _utf8(text)
    n_texts = len(offsets) - 1
    signatures = np.empty((n_texts, NUM_PERM), dtype=np.uint64)
    n_words = np.empty(n_texts, dtype=np.int64)
    cuts = np.searchsorted(offsets, np.arange(0, offsets[-1], _SLICE_BYTES))
    cuts = np.unique(np.concatenate([cuts, [0, n_texts]]))
    for first, last in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
        part = offsets[first : last + 1]
        signatures[first:last], n_words[first:last] = _slice_min_hashes(
            buffer[part[0] : part[-1] + _PAD], part - part[0]
        )
    return signatures, n_words


def _slice_min_hashes(buffer: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """_min_hashes of the texts in one slice of the buffer."""
    starts, ends = _token_spans(buffer, offsets)
    n_words = np.diff(np.searchsorted(starts, offsets))
    hashes, texts = _shingle_hashes(_word_hashes(buffer, starts, ends), n_words)
    return _bin_minima(hashes, texts, len(n_words)), n_words


def _bin_minima(hashes: np.ndarray, texts: np.ndarray, n_texts: int) -> np.ndarray:
    """One-permutation MinHash: row t holds, per bin (the top _BIN_BITS bits of a shingle
    hash), the smallest remaining bits among text t's shingles; _EMPTY where none fell."""
    signatures = np.full(n_texts * NUM_PERM, _EMPTY, dtype=np.uint64)
    bins = texts * NUM_PERM + (hashes >> np.uint64(64 - _BIN_BITS)).astype(np.intp)
    np.minimum.at(signatures, bins, hashes & _VALUE_MASK)
    return signatures.reshape(n_texts, NUM_PERM)


def _band_values(signatures: np.ndarray) -> np.ndarray:
    """int64 hash of each band's number and ROWS values (row i * BANDS + j = band j of
    document i)."""
    values = signatures.reshape(-1, ROWS)
    folded = _mix(_BAND_SEED ^ np.tile(np.arange(BANDS, dtype=np.uint64), len(signatures)))
    for row in range(ROWS):
        folded = _mix(folded ^ values[:, row])
    return folded.view(np.int64)


def band_hashes(frame: pl.DataFrame, key: str = "article_id") -> pl.DataFrame:
    """(key, title, body) -> one row per (key, band, band_hash); ``key`` keeps its type.

    The title is prepended to the body before shingling; articles whose body has fewer than
    MIN_BODY_WORDS words get no rows (they can only match as exact copies).
    """
    texts = frame.select(
        pl.col(key),
        text=pl.concat_str(
            pl.col("title", "body").cast(pl.String), separator="\n", ignore_nulls=True
        ),
        title=pl.col("title").cast(pl.String),
    )
    signatures, n_words = _min_hashes(_normalized(texts.get_column("text")))
    # tokens never span the newline, so the body's words are the ones after the title's
    n_title = _normalized(texts.get_column("title")).str.count_matches(_WORD).fill_null(0)
    kept = np.flatnonzero(n_words - n_title.to_numpy() >= MIN_BODY_WORDS)
    return pl.DataFrame(
        {
            key: texts.get_column(key).gather(np.repeat(kept, BANDS)),
            "band": np.tile(np.arange(BANDS, dtype=np.int16), len(kept)),
            "band_hash": _band_values(_densify(signatures[kept])),
        },
        schema={key: texts.schema[key], "band": pl.Int16, "band_hash": pl.Int64},
    )


def _component_labels(bands: pl.DataFrame) -> tuple[pl.Series, np.ndarray, np.ndarray]:
    """(sorted distinct article_ids, article number of each band row, component label of each
    article number) for band_components: articles are numbered in article_id order, so the
    smallest number in a component is its smallest article_id.

    Min-label propagation over the article-bucket graph, one vectorized round per step;
    it stops at the fixpoint, so long chains (A~B~C, A and C unlike) are still joined.
    """
    article_ids = bands.get_column("article_id").unique().sort()
    nodes = (
        bands.get_column("article_id").cast(pl.Enum(article_ids)).to_physical().to_numpy()
    ).astype(np.intp)
    rows = bands.with_row_index("row").group_by("band", "band_hash").agg("row").get_column("row")
    buckets = np.empty(bands.height, dtype=np.intp)
    buckets[rows.explode().to_numpy()] = np.repeat(np.arange(len(rows)), rows.list.len())
    labels = np.arange(len(article_ids))
    while True:
        bucket_min = np.full(buckets.max(initial=-1) + 1, len(article_ids))
        np.minimum.at(bucket_min, buckets, labels[nodes])
        updated = labels.copy()
        np.minimum.at(updated, nodes, bucket_min[buckets])
        if np.array_equal(updated, labels):
            return article_ids, nodes, labels
        labels = updated


def band_components(bands: pl.DataFrame) -> pl.DataFrame:
    """(article_id, band, band_hash) -> (article_id, component): connected components of
    "shares a band", labelled by the smallest article_id in the component. The stage step
    passes only the bands that share a bucket (sql/queries/shared_bands.sql): every other
    article is a component of its own, and the graph stays small."""
    article_ids, _, labels = _component_labels(bands)
    return pl.DataFrame(
        {"article_id": article_ids, "component": article_ids.gather(labels)},
        schema=COMPONENT_SCHEMA,
    )


def jaccard_estimate(text_a: str, text_b: str) -> float:
    """MinHash estimate of the shingle-set Jaccard similarity of two texts (for tests/tuning)."""
    signatures, _ = _min_hashes(_normalized(pl.Series([text_a, text_b], dtype=pl.String)))
    a, b = _densify(signatures)
    return float(np.mean(a == b))
