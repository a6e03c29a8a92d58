"""The batch decoder and the array sentence rule give exactly what spaCy's own components give."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.corpus import sample_texts
from flows.core.entities import greedy
from flows.core.entities.ner import extract_spans, load_pipeline
from flows.core.entities.sentences import SentenceRule, rule_of

EDGE_TEXTS = [
    "",
    " ",
    "...",
    "Paris",
    "New York",
    "  New York Times  ",
    "Hello. World",
    "Paris!!! London?? Rome",
    "\n\nBerlin.\n\nMoscow and Kyiv.\n",
    "\u201cThe United Nations.\u201d Next: Geneva. (Reuters) - Angela Merkel met Joe Biden.",
    "Hayat Tahrir al-Sham (HTS) took Aleppo, then Hama; Russia and Iran backed Damascus.",
    "WASHINGTON 1996-08-22 U.S. President Bill Clinton said on Thursday ...",
    "a" * 50,
]


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def spacy_entities(nlp, docs) -> list[greedy.Entities]:
    """Decode with spaCy's own ner component (the reference)."""
    component = nlp.get_pipe("ner")
    component.set_annotations(docs, component.predict(docs))
    return [greedy.entities_of(doc) for doc in docs]


def prepared(nlp, texts: list[str]) -> list:
    """Docs through every component before the ner (features and tok2vec)."""
    return list(nlp.pipe(texts, disable=["ner", "sentencizer"]))


def assert_same(left: list[greedy.Entities], right: list[greedy.Entities]) -> None:
    assert len(left) == len(right)
    for a, b in zip(left, right, strict=True):
        assert a.start.tolist() == b.start.tolist()
        assert a.end.tolist() == b.end.tolist()
        assert a.label == b.label


@pytest.mark.parametrize("texts", [EDGE_TEXTS, sample_texts(40)], ids=["edge", "synthetic"])
def test_decoder_equals_spacy(nlp, texts: list[str]) -> None:
    found = greedy.for_pipeline(nlp)
    assert found is not None
    _, decode = found
    mine = decode(prepared(nlp, texts))
    reference = spacy_entities(nlp, prepared(nlp, texts))
    assert sum(len(e.label) for e in reference) > 0
    assert_same(mine, reference)


def spacy_move_log_probabilities(nlp, docs) -> list[list[float]]:
    """Per token, log softmax over the valid moves of spaCy's own step model, at its best move.

    The slow reference: spaCy's Python-level states, validity and transitions, one state at
    a time, none of the batch decoder's arrays.
    """
    component = nlp.get_pipe("ner")
    moves = component.moves
    names = [moves.get_class_name(i) for i in range(moves.n_moves)]
    step = component.model.predict(docs)
    states = moves.init_batch(docs)
    found: list[list[float]] = [[] for _ in docs]
    while active := [(i, s) for i, s in enumerate(states) if not s.is_final()]:
        scores = step.predict([s for _, s in active])
        for (i, state), row in zip(active, scores, strict=True):
            valid = np.array([moves.is_valid(state, name) for name in names])
            best = int(np.argmax(np.where(valid, row, -np.inf)))
            top = row[valid].max()
            found[i].append(float(row[best] - top - np.log(np.exp(row[valid] - top).sum())))
            moves.apply_transition(state, names[best])
    return found


@pytest.mark.parametrize("texts", [EDGE_TEXTS, sample_texts(12)], ids=["edge", "synthetic"])
def test_span_probability_is_the_product_of_spacy_move_probabilities(nlp, texts) -> None:
    _, decode = greedy.for_pipeline(nlp)
    assert not decode.unseen  # the reference below has no unseen-class rule
    docs = prepared(nlp, texts)
    mine = decode(docs)
    reference = spacy_move_log_probabilities(nlp, docs)
    spans = 0
    for ents, log_p in zip(mine, reference, strict=True):
        for start, end, probability in zip(ents.start, ents.end, ents.probability, strict=True):
            expected = np.exp(sum(log_p[start:end]))
            assert probability == pytest.approx(expected, rel=1e-4)
            assert 0.0 < probability <= 1.0
            spans += 1
    assert spans > 20
    assert min(p for e in mine for p in e.probability) < 0.9  # not all certain


def test_decoder_respects_sentence_starts(nlp) -> None:
    """Gold sentence starts (as eval-ner sets them) forbid entities across them."""
    from spacy.tokens import Doc

    words = [
        "He",
        "met",
        "John",
        ".",
        "Smith",
        "and",
        "Paris",
        "Hilton",
        "in",
        "New",
        "York",
        "City",
        ".",
    ]
    starts = [w == "He" or w == "Smith" or w == "in" for w in words]
    docs = [Doc(nlp.vocab, words=words, sent_starts=starts) for _ in range(2)]
    docs = [nlp.get_pipe("tok2vec")(nlp.get_pipe("token_features")(d)) for d in docs]
    _, decode = greedy.for_pipeline(nlp)
    mine = decode(docs[:1])
    assert_same(mine, spacy_entities(nlp, docs[1:]))
    for start, end in zip(mine[0].start.tolist(), mine[0].end.tolist(), strict=True):
        assert not any(starts[start + 1 : end])


def test_preset_entities_are_left_to_spacy(nlp) -> None:
    from spacy.tokens import Span

    docs = prepared(nlp, ["Angela Merkel met Joe Biden in Paris."] * 2)
    for doc in docs:
        doc.ents = [Span(doc, 0, 2, label="ORG")]
    _, decode = greedy.for_pipeline(nlp)
    (mine,) = decode(docs[:1])
    assert (mine.start[0], mine.end[0], mine.label[0]) == (0, 2, "ORG")
    assert_same([mine], spacy_entities(nlp, docs[1:]))


def test_spacy_decodes_when_a_component_follows_the_ner(nlp) -> None:
    """An entity ruler after the ner must see the ner's entities: spaCy's path is used."""
    nlp.add_pipe("entity_ruler", last=True).add_patterns([{"label": "ORG", "pattern": "Acme"}])
    try:
        spans = extract_spans(nlp, ["Angela Merkel visited Acme in Berlin."])
    finally:
        nlp.remove_pipe("entity_ruler")
    assert {"Angela Merkel", "Acme", "Berlin"} <= set(spans["surface"])
    assert greedy.for_pipeline(nlp) is not None


@pytest.mark.parametrize("texts", [EDGE_TEXTS, sample_texts(40)], ids=["edge", "synthetic"])
def test_sentence_rule_equals_sentencizer(nlp, texts: list[str]) -> None:
    name, rule = rule_of(nlp)
    sentencizer = nlp.get_pipe(name)
    for doc in nlp.pipe(texts, disable=["token_features", "tok2vec", "ner", name]):
        mine = rule(doc)
        reference = list(sentencizer(doc).sents) if len(doc) else []
        assert mine.first_token.tolist() == [s.start for s in reference]
        assert mine.start_char.tolist() == [s.start_char for s in reference]
        assert mine.end_char.tolist() == [s.end_char for s in reference]


def test_sentence_rule_of_plain_rules() -> None:
    """Only whole tokens that are sentence-final characters end a sentence ("..." does not)."""
    import spacy

    nlp = spacy.blank("en")
    text = "One. Two ... three.. \u201cFour.\u201d Five"
    sentences = SentenceRule(["."])(nlp(text))
    assert [text[s:e] for s, e in zip(sentences.start_char, sentences.end_char, strict=True)] == [
        "One.",
        "Two ... three.. \u201cFour.\u201d",
        "Five",
    ]
    reference = nlp.add_pipe("sentencizer", config={"punct_chars": ["."]})
    assert [s.start for s in reference(nlp(text)).sents] == sentences.first_token.tolist()
    assert sentences.of_tokens(np.array([0, 2, 20])).tolist() == [0, 1, 2]


@pytest.mark.slow
def test_extract_spans_on_real_news_equals_spacy_decoding(nlp) -> None:
    """Real articles (skipped without ../shared/data): every span row equals spaCy's path."""
    from benchmarks.measure import real_news_texts

    texts, _ = real_news_texts(300)
    if not texts:
        pytest.skip("../shared/data/corpora is not available")
    fast = extract_spans(nlp, texts)
    ruler = nlp.add_pipe("entity_ruler", after="sentencizer")  # makes spaCy decode (ner.tag)
    ruler.add_patterns([{"label": "ORG", "pattern": "no such name in the news"}])
    try:
        reference = extract_spans(nlp, texts)
    finally:
        nlp.remove_pipe("entity_ruler")
    assert fast.height > 1000
    # spaCy's decoder gives no span probabilities: there, confidence is the label's precision
    assert fast.drop("confidence").equals(reference.drop("confidence"))
