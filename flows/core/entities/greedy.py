"""Greedy decoding of spaCy's transition-based NER, stepped for a whole batch with numpy.

spaCy 3.8's compiled decoder (``Parser.greedy_parse``) takes and releases Python's GIL
many times per token: profiled with ``perf``, a third of the ``ner`` component's time went
to GIL and mutex calls, and the component took 40 % of the model's tagging time for about
a tenth of its arithmetic. For NER the decoding itself is simple: every transition consumes
one token, so all documents of a batch advance in lockstep, one token per step. Here each
step is a few numpy operations over all documents still running, instead of C calls per
token.

It is the same model and the same decision rule as spaCy's (``ner.pyx``,
``parser_model.pyx``): the precomputed first hidden layer for the three state features
(the next token, the first token of an open entity, the token before the next one while an
entity is open), summed in spaCy's order, maxout, the output layer, the validity of each
move, and the first best valid move. tests/unit/test_greedy_ner.py checks that the spans
equal spaCy's on real and synthetic text and on sentence-split documents.

It applies to spaCy's ``ner`` factory with greedy search (``beam_width`` 1) and an output
layer; ``for_pipeline`` returns None for anything else. Documents that carry preset entity
annotations (``Doc.ents`` set before the component) are handed to spaCy's own component.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.language import Language
    from spacy.tokens import Doc

# spaCy's BiluoPushDown moves (spacy/pipeline/_parser_internals/ner.pyx).
BEGIN, IN, LAST, UNIT, OUT = "B", "I", "L", "U", "O"


class Entities(NamedTuple):
    """One document's entities: token start, token end (exclusive) and label, in order.

    ``probability`` is the model's probability of each span's moves (see
    ``GreedyNer._decode``), or None when spaCy decoded the document and gave no scores.
    """

    start: np.ndarray
    end: np.ndarray
    label: list[str]
    probability: np.ndarray | None = None


class GreedyNer:
    """Decodes the entities of a batch of documents with a trained spaCy ``ner`` component."""

    def __init__(self, component: Any) -> None:
        self.component = component
        model = component.model
        self.tok2vec = model.get_ref("tok2vec")
        self.lower = model.get_ref("lower")
        upper = model.get_ref("upper")
        self.weights = np.ascontiguousarray(upper.get_param("W"))
        self.output_bias = upper.get_param("b")
        self.hidden_bias = self.lower.get_param("b").reshape(-1)
        self.pieces = self.lower.get_dim("nP")
        names = [component.moves.get_class_name(i) for i in range(component.moves.n_moves)]
        moves = [name.split("-", 1)[0] for name in names]
        labels = [name.split("-", 1)[1] if "-" in name else "" for name in names]
        self.labels = sorted({label for label in labels if label})
        # Label number per move: 0 for none, else 1 + position in self.labels.
        number = np.array([self.labels.index(x) + 1 if x else 0 for x in labels], dtype=np.int64)
        self.move_label = number
        self.is_begin = np.array([m == BEGIN for m in moves]) & (number > 0)
        self.is_in = np.array([m == IN for m in moves]) & (number > 0)
        self.is_last = np.array([m == LAST for m in moves]) & (number > 0)
        self.is_unit = np.array([m == UNIT for m in moves]) & (number > 0)
        self.is_out = np.array([m == OUT for m in moves])
        self.unseen = sorted(model.attrs.get("unseen_classes", set()))
        self.opens = (self.is_begin | self.is_in).astype(np.int64)
        self.penalty = self._penalties()

    def _penalties(self) -> np.ndarray:
        """0 for a valid move and -inf for an invalid one, per state of the decoder.

        The state number is ``(open * 8 + situation) * (labels + 1) + open entity's label``,
        where the situation of the next token is ``not_last * 4 + next_starts_sentence * 2 +
        not_space``. The rules are ``ner.pyx``'s ``is_valid`` without preset entities.
        """
        labels = len(self.labels) + 1
        table = np.full((2 * 8 * labels, len(self.move_label)), -np.inf, dtype=np.float32)
        for opened in (0, 1):
            for situation in range(8):
                more, breaks, word = bool(situation & 4), bool(situation & 2), bool(situation & 1)
                for label in range(labels):
                    same = self.move_label == label
                    valid = (
                        (self.is_begin & (not opened) & more & (not breaks) & word)
                        | (self.is_in & bool(opened) & more & (not breaks) & same)
                        | (self.is_last & bool(opened) & same)
                        | (self.is_unit & (not opened) & word)
                        | (self.is_out & (not opened))
                    )
                    table[(opened * 8 + situation) * labels + label, valid] = 0.0
        return table

    def __call__(self, docs: Sequence[Doc]) -> list[Entities]:
        """The entities of each document, as spaCy's component would set them."""
        from spacy.attrs import ENT_IOB, IS_SPACE, SENT_START

        if not docs:
            return []
        columns = [doc.to_array([ENT_IOB, IS_SPACE, SENT_START]).reshape(-1, 3) for doc in docs]
        if any(c[:, 0].any() for c in columns):  # preset entities: spaCy's own rules apply
            return self._by_spacy(docs)
        tokens = np.concatenate(columns)
        lengths = np.array([len(doc) for doc in docs], dtype=np.int64)
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        if not len(tokens):
            return [Entities(np.zeros(0, np.int64), np.zeros(0, np.int64), []) for _ in docs]
        # What decides which moves are valid at a token, besides the open entity.
        last = np.zeros(len(tokens), dtype=bool)
        last[offsets + lengths - 1] = True
        next_starts = np.zeros(len(tokens), dtype=bool)
        next_starts[:-1] = tokens[1:, 2] == 1
        next_starts &= ~last
        space = tokens[:, 1] != 0
        situation = (~last * 4 + next_starts * 2 + ~space).astype(np.int64)
        moves, log_p = self._decode(self._precompute(docs), lengths, offsets, situation)
        return self._entities(moves, log_p, offsets, lengths)

    def _precompute(self, docs: Sequence[Doc]) -> list[np.ndarray]:
        """The first hidden layer's input from each token, one table per feature.

        spaCy's own layers compute it, so the numbers are the ones its decoder sums. Row 0
        is the padding used for an absent feature; token t of the batch is row t + 1.
        """
        precomputed = self.lower.predict(self.tok2vec.predict(list(docs)))
        rows = len(precomputed)
        return [precomputed[:, f].reshape(rows, -1) for f in range(precomputed.shape[1])]

    def _decode(
        self,
        tables: list[np.ndarray],
        lengths: np.ndarray,
        offsets: np.ndarray,
        situation: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The move chosen at every token of the batch, and its log-probability.

        The probability is the softmax of the scores over the moves valid in that state: the
        distribution spaCy's training fits (its loss is softmax minus the gold moves), so it
        is the model's own estimate. Each step only keeps its scores; the softmax is taken
        once for the whole batch after the loop, since per-step numpy calls, not arithmetic,
        are what a step costs.
        """
        order = np.argsort(-lengths, kind="stable")  # the running documents are a prefix
        lengths, offsets = lengths[order], offsets[order]
        running = np.searchsorted(-lengths, -np.arange(int(lengths[0])), side="left")
        is_open = np.zeros(len(order), dtype=np.int64)
        ent_start = np.zeros(len(order), dtype=np.int64)
        ent_label = np.zeros(len(order), dtype=np.int64)
        chosen = np.zeros(len(situation), dtype=np.int64)
        kept = np.empty((len(situation), len(self.move_label)), dtype=np.float32)
        labels = len(self.labels) + 1
        for step, n in enumerate(running.tolist()):
            token = offsets[:n] + step
            opened = is_open[:n]
            summed = tables[0][token + 1]
            summed += tables[1][opened * (ent_start[:n] + 1)]
            summed += tables[2][opened * token]
            summed += self.hidden_bias
            hidden = summed[:, :: self.pieces]  # maxout: hidden unit j is columns j * pieces + p
            for piece in range(1, self.pieces):
                hidden = np.maximum(hidden, summed[:, piece :: self.pieces])
            scores = hidden @ self.weights.T
            scores += self.output_bias
            if self.unseen:
                scores[:, self.unseen] = scores.min()
            state = (opened * 8 + situation[token]) * labels + ent_label[:n]
            scores += self.penalty[state]
            move = scores.argmax(axis=1)
            kept[token] = scores
            chosen[token] = move
            is_open[:n] = self.opens[move]
            ent_start[:n] = np.where(self.is_begin[move], token, ent_start[:n])
            ent_label[:n] = self.move_label[move]
        # log p = -log(1 + sum of exp(other - best)): log1p keeps the digits of a sure move,
        # whose p is too close to 1 for float32 (1 + 1e-9 == 1).
        kept -= kept[np.arange(len(chosen)), chosen][:, None]
        kept[np.arange(len(chosen)), chosen] = -np.inf
        return chosen, -np.log1p(np.exp(kept).sum(axis=1))

    def _entities(
        self, moves: np.ndarray, log_p: np.ndarray, offsets: np.ndarray, lengths: np.ndarray
    ) -> list[Entities]:
        """Spans from the move sequence: B or U starts one, L or U ends it (moves are valid).

        A span's probability is the product of its tokens' move probabilities.
        """
        starts = np.flatnonzero(self.is_begin[moves] | self.is_unit[moves])
        ends = np.flatnonzero(self.is_last[moves] | self.is_unit[moves]) + 1
        labels = self.move_label[moves[starts]]
        summed = np.concatenate(([0.0], np.cumsum(log_p, dtype=np.float64)))
        probability = np.exp(summed[ends] - summed[starts])
        bounds = np.searchsorted(starts, np.concatenate((offsets, [offsets[-1] + lengths[-1]])))
        names = ["", *self.labels]
        result = []
        for i, base in enumerate(offsets.tolist()):
            lo, hi = bounds[i], bounds[i + 1]
            result.append(
                Entities(
                    starts[lo:hi] - base,
                    ends[lo:hi] - base,
                    [names[x] for x in labels[lo:hi]],
                    probability[lo:hi],
                )
            )
        return result

    def _by_spacy(self, docs: Sequence[Doc]) -> list[Entities]:
        self.component.set_annotations(docs, self.component.predict(docs))
        return [entities_of(doc) for doc in docs]


def entities_of(doc: Doc) -> Entities:
    """``Doc.ents`` in the same form, for pipelines decoded by spaCy itself."""
    ents = doc.ents
    return Entities(
        np.array([e.start for e in ents], dtype=np.int64),
        np.array([e.end for e in ents], dtype=np.int64),
        [e.label_ for e in ents],
    )


def for_pipeline(nlp: Language) -> tuple[str, GreedyNer] | None:
    """The pipeline's ``ner`` component name and its decoder, when this decoding applies.

    It must be the last enabled component that matters for entities: the greedy decoder
    runs after ``nlp.pipe``, so a component after it that reads or changes entities (an
    entity ruler, a linker) would see none. Only sentence splitters may follow.
    """
    names = nlp.pipe_names
    recognizers = [n for n in names if nlp.get_pipe_meta(n).factory == "ner"]
    if len(recognizers) != 1:
        return None
    name = recognizers[0]
    component = nlp.get_pipe(name)
    if component.cfg.get("beam_width", 1) != 1 or not component.model.attrs.get("has_upper"):
        return None
    if component.model.get_ref("lower").get_dim("nF") != 3:
        return None
    after = names[names.index(name) + 1 :]
    if any(nlp.get_pipe_meta(n).factory not in {"sentencizer", "senter"} for n in after):
        return None
    return name, GreedyNer(component)
