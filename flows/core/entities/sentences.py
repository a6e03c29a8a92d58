"""Sentence boundaries by the rule of spaCy's ``sentencizer``, computed on token arrays.

spaCy's ``Sentencizer`` and ``Doc.sents`` walk a document token by token as Python objects.
On news articles that walk took about 15 % of the entity step's tagging time, for a rule
that needs three integer columns. ``SentenceRule`` applies the same rule to
``Doc.to_array`` columns with numpy, so ``extract_spans`` can leave the pipeline's
sentencizer disabled and still report the very same sentences (tests compare the two).

The rule (spacy/pipeline/sentencizer.pyx): the first token starts a sentence; after a token
whose text is one of ``punct_chars``, the next token that is neither punctuation nor one of
``punct_chars`` starts the next sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.language import Language
    from spacy.tokens import Doc


class Sentences(NamedTuple):
    """A document's sentences: first token of each, and each one's character bounds."""

    first_token: np.ndarray
    start_char: np.ndarray
    end_char: np.ndarray

    def of_tokens(self, tokens: np.ndarray) -> np.ndarray:
        """Index of the sentence holding each token index in ``tokens``."""
        return np.maximum(np.searchsorted(self.first_token, tokens, side="right") - 1, 0)


class SentenceRule:
    """spaCy's rule-based sentence splitting for the given sentence-final characters."""

    def __init__(self, punct_chars: Iterable[str]) -> None:
        from spacy.strings import hash_string

        self._final = np.array(sorted({hash_string(c) for c in punct_chars}), dtype=np.uint64)

    def __call__(self, doc: Doc) -> Sentences:
        from spacy.attrs import IDX, IS_PUNCT, LENGTH, ORTH

        columns = doc.to_array([ORTH, IS_PUNCT, IDX, LENGTH]).reshape(-1, 4)
        if not len(columns):
            empty = np.zeros(0, dtype=np.int64)
            return Sentences(empty, empty, empty)
        final = np.isin(columns[:, 0], self._final)
        # Tokens that can start a sentence; only the first of them after a final character does.
        candidates = np.flatnonzero(~final & (columns[:, 1] == 0))
        finals_before = np.concatenate(([0], np.cumsum(final)))  # finals in tokens [0, i)
        previous = np.concatenate(([0], candidates[:-1] + 1))
        starts = candidates[finals_before[candidates] > finals_before[previous]]
        first = np.concatenate(([0], starts)).astype(np.int64)
        last = np.concatenate((first[1:], [len(columns)])) - 1
        offsets = columns[:, 2].astype(np.int64)
        lengths = columns[:, 3].astype(np.int64)
        return Sentences(first, offsets[first], offsets[last] + lengths[last])


def rule_of(nlp: Language) -> tuple[str, SentenceRule] | None:
    """The pipeline's sentencizer (its name and rule), when that is what sets sentences.

    Pipelines that split sentences with a parser or a trained ``senter`` return None: their
    boundaries are predictions, not a rule, and ``Doc.sents`` is used as is.
    """
    setters = [
        name
        for name in nlp.pipe_names
        if nlp.get_pipe_meta(name).factory in {"parser", "senter", "sentencizer"}
    ]
    if len(setters) != 1 or nlp.get_pipe_meta(setters[0]).factory != "sentencizer":
        return None
    component = nlp.get_pipe(setters[0])
    return setters[0], SentenceRule(component.punct_chars)
