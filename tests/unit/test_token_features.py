"""The entity model's token features: gazetteer matches and document casing, on tiny docs."""

from __future__ import annotations

import numpy as np
import pytest
import spacy

from flows.core.entities.features import (
    CASINGS,
    FACTORY,
    NO_FEATURE,
    build_table,
    casing_codes,
    gazetteer_codes,
    ngram_hashes,
    sentence_starts,
)

NAMES = [
    ("United Arab Emirates", "COUNTRY"),
    ("United States", "COUNTRY"),
    ("Japan", "COUNTRY"),
    ("New York", "REGION"),
    ("York", "CITY"),
    ("Chisinau", "CITY"),
    ("Guinea-Bissau", "COUNTRY"),
    ("Syrian", "NAT"),
]


@pytest.fixture(scope="module")
def nlp():
    """A blank English pipeline with the feature component and the small table above."""
    nlp = spacy.blank("en")
    component = nlp.add_pipe(FACTORY)
    component.table = build_table(NAMES, lambda s: [t.text for t in nlp.tokenizer(s)])
    return nlp


def features(nlp, text: str) -> list[tuple[str, str, str]]:
    return [(t.text, t.tag_, t.lemma_) for t in nlp(text)]


def test_ngram_hashes_depend_on_order_and_length() -> None:
    keys = np.array([11, 22, 33], dtype=np.uint64)
    assert len(ngram_hashes(keys, 1)) == 3
    assert len(ngram_hashes(keys, 3)) == 1
    assert len(ngram_hashes(keys, 4)) == 0
    reversed_pair = ngram_hashes(keys[::-1].copy(), 2)
    assert not set(ngram_hashes(keys, 2)) & set(reversed_pair)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the longest name wins: "New York" is one REGION, not REGION + CITY
        ("He lives in New York now", {"New": "B-REGION", "York": "I-REGION"}),
        ("York is small", {"York": "B-CITY"}),
        # case-insensitive, so all-caps headlines and datelines match
        ("CHISINAU 1996-08-31", {"CHISINAU": "B-CITY"}),
        ("Japan and the UNITED ARAB EMIRATES", {"Japan": "B-COUNTRY", "UNITED": "B-COUNTRY"}),
        # spaCy splits "Guinea-Bissau"; the table holds that split too
        ("Troops left Guinea-Bissau .", {"Guinea": "B-COUNTRY", "-": "I-COUNTRY"}),
        ("Syrian forces", {"Syrian": "B-NAT"}),
        # a name must not start with an all-lower-case word ("japan" the lacquer)
        ("black japan finish", {}),
    ],
)
def test_gazetteer_feature(nlp, text: str, expected: dict[str, str]) -> None:
    tags = {word: tag for word, tag, _ in features(nlp, text) if tag != NO_FEATURE}
    assert {w: tags.get(w) for w in expected} == expected
    if not expected:
        assert tags == {}


def test_gazetteer_codes_without_a_table_mark_nothing() -> None:
    empty = {
        "hashes": np.zeros(0, np.uint64),
        "kinds": np.zeros(0, np.int8),
        "lengths": np.zeros(0, np.int8),
    }
    lower = np.array([1, 2, 3], dtype=np.uint64)
    assert gazetteer_codes(lower, np.ones(3, bool), empty).tolist() == [0, 0, 0]


@pytest.mark.parametrize(
    ("text", "word_index", "casing"),
    [
        # "Apple" is seen in lower case elsewhere: likely a common word
        ("Apple pie . I ate an apple", 0, "l"),
        # "JAPAN" is seen title-cased away from a sentence start: likely a name
        ("JAPAN WIN . Fans in Japan cheered", 0, "t"),
        # a sentence-initial "Fans" is no evidence of title case
        ("Fans cheered . FANS AGAIN", 4, NO_FEATURE),
        ("Rain fell . They said rain and Rain Corp merged", 0, "lt"),
        ("Nothing else here", 0, NO_FEATURE),
    ],
)
def test_casing_feature(nlp, text: str, word_index: int, casing: str) -> None:
    assert features(nlp, text)[word_index][2] == casing


def test_casing_ignores_the_token_itself() -> None:
    lower = np.array([5, 5], dtype=np.uint64)
    is_lower = np.array([True, False])
    is_title = np.array([False, True])
    starts = np.array([True, False])
    codes = casing_codes(lower, is_lower, is_title, starts)
    assert [CASINGS[c] for c in codes] == ["t", "l"]


def test_sentence_starts_after_final_punctuation_and_whitespace() -> None:
    dot, word, space = 1, 2, 3
    orth = np.array([word, dot, word, word, space, word], dtype=np.uint64)
    is_space = orth == space
    starts = sentence_starts(orth, is_space, np.array([dot], dtype=np.uint64))
    assert starts.tolist() == [True, False, True, False, False, True]


def test_table_survives_a_save_and_load(nlp, tmp_path) -> None:
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert features(loaded, "CHISINAU and New York") == features(nlp, "CHISINAU and New York")


def test_a_batch_gives_each_doc_the_features_it_gets_alone(nlp) -> None:
    """Docs are annotated as one concatenated array; nothing may leak between them."""
    texts = ["He met them in New", "York is small . apple", "APPLE . Rain", "", "Rain and rain"]
    component = nlp.get_pipe(FACTORY)
    alone = [[(t.tag_, t.lemma_) for t in component(nlp.make_doc(text))] for text in texts]
    batch = list(component.pipe((nlp.make_doc(text) for text in texts), batch_size=3))
    assert [[(t.tag_, t.lemma_) for t in doc] for doc in batch] == alone
    # "New" + "York" across two docs is no name; "apple" in doc 2 says nothing about doc 3
    assert alone[0][-1][0] == NO_FEATURE
    assert alone[1][0][0] == "B-CITY"
    assert alone[2][0][1] == NO_FEATURE
