"""Runtime entity extraction: load a spaCy pipeline once, turn texts into entity-span rows.

The pipeline step imports this module on every run, so it must import fast: spaCy is
imported lazily inside the functions that need it, never at module import time.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from flows.core.entities import compact, greedy
from flows.core.entities.calibration import Calibration
from flows.core.entities.greedy import Entities
from flows.core.entities.sentences import SentenceRule, Sentences, rule_of

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.language import Language
    from spacy.tokens import Doc

SHIPPED_MODEL_DIR: Path = Path(__file__).resolve().parents[2] / "models" / "ner_en"
"""The model trained by ``python -m flows.core.entities.train`` and shipped in the package."""

RETRAIN_COMMAND = "python -m flows.core.entities.train"

LABELS: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")
# Texts per nlp.pipe batch: 32 or 64 news articles tag 7-8 % faster than 128 on one core
# (measured side by side in one process), with identical output.
BATCH_SIZE = 64

# OntoNotes labels (en_core_web_* and most pretrained English pipelines) -> CoNLL labels.
# Numeric/temporal labels map to None: they are not named entities in the CoNLL sense.
LABEL_MAP: dict[str, str | None] = {
    "PER": "PER",
    "PERSON": "PER",
    "ORG": "ORG",
    "LOC": "LOC",
    "GPE": "LOC",
    "FAC": "LOC",
    "MISC": "MISC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "PRODUCT": "MISC",
    "DATE": None,
    "TIME": None,
    "PERCENT": None,
    "MONEY": None,
    "QUANTITY": None,
    "ORDINAL": None,
    "CARDINAL": None,
}

SCHEMA: dict[str, Any] = {
    "text_index": pl.UInt32,
    "start_char": pl.Int32,
    "end_char": pl.Int32,
    "surface": pl.String,
    "label": pl.String,
    "sentence_index": pl.Int32,
    "confidence": pl.Float64,
    # Character bounds of the span's sentence, so callers can score the sentence (tone).
    "sentence_start": pl.Int32,
    "sentence_end": pl.Int32,
}

# Factories that set doc.ents; a pipeline without any of them cannot extract entities.
_ENTITY_FACTORIES = frozenset({"ner", "beam_ner", "entity_ruler"})
# Factories that set sentence boundaries; if none is enabled we add a rule-based sentencizer.
_SENTENCE_FACTORIES = frozenset({"parser", "senter", "sentencizer"})
# Factories whose output entity extraction never reads; disabled in nlp.pipe to save time.
_UNNEEDED_FACTORIES = frozenset(
    {
        "tagger",
        "morphologizer",
        "lemmatizer",
        "trainable_lemmatizer",
        "attribute_ruler",
        "textcat",
        "textcat_multilabel",
        "entity_linker",
        "spancat",
        "spancat_singlelabel",
        "span_finder",
        "coref",
        "span_resolver",
    }
)
# Characters trimmed from span edges; "." and "-" are kept ("U.S.", "Inc.", "Jean-Luc").
_EDGE_PUNCT = "\"'`\u2018\u2019\u201c\u201d\u00ab\u00bb,;:!?*|/\\"
_OPEN_BRACKETS = "([{<"
_CLOSE_BRACKETS = ")]}>"

# Confidence used when a pipeline ships no per-label precision at all (documented, neutral).
UNKNOWN_CONFIDENCE = 0.5


class ModelError(RuntimeError):
    """The configured entity model cannot be used: a user's setting to fix, not a bug."""


def map_label(label: str) -> str | None:
    """Map a pipeline's entity label to PER/ORG/LOC/MISC, or None to drop it.

    Unknown labels are dropped rather than guessed, so downstream tables only ever see
    the four CoNLL labels.
    """
    return LABEL_MAP.get(label)


@functools.lru_cache(maxsize=8)
def load_pipeline(name: str | None = None) -> Language:
    """Load (once per process) the shipped model, a spaCy package, or a pipeline directory
    (spaCy's own or a compact one, ``compact.py``).

    Loading takes a second or more, so the result is cached per ``name``. Sentence
    boundaries are guaranteed because ``extract_spans`` reports a sentence index.
    """
    import spacy

    import flows.core.entities.features  # noqa: F401  (registers the model's feature component)
    from flows.core.entities.blas import use_numpy_blas

    use_numpy_blas()
    target: str | Path = SHIPPED_MODEL_DIR if name is None else name
    if name is None and not (SHIPPED_MODEL_DIR / "config.cfg").is_file():
        raise ModelError(
            f"The shipped entity model is missing at {SHIPPED_MODEL_DIR}. "
            f"Retrain it with `{RETRAIN_COMMAND}` (see {SHIPPED_MODEL_DIR / 'MODEL_CARD.md'})."
        )
    try:
        nlp = compact.load(Path(target)) if compact.is_compact(target) else spacy.load(target)
    except Exception as exc:  # spaCy raises OSError, ValueError, KeyError, ... when broken
        hint = (
            f"retrain it with `{RETRAIN_COMMAND}`"
            if name is None
            else "check WIREHOUSE_NER_MODEL: install the package (e.g. `python -m spacy download "
            "<name>`) or name an existing pipeline directory"
        )
        message = f"Could not load spaCy pipeline {str(target)!r}: {str(exc).rstrip('.')}; {hint}."
        raise ModelError(message) from exc
    if not {nlp.get_pipe_meta(p).factory for p in nlp.pipe_names} & _ENTITY_FACTORIES:
        raise ModelError(f"spaCy pipeline {str(target)!r} has no entity recognizer.")
    _ensure_sentences(nlp)
    return nlp


def _ensure_sentences(nlp: Language) -> None:
    """Add a sentencizer when no enabled component sets sentence boundaries."""
    factories = {nlp.get_pipe_meta(name).factory for name in nlp.pipe_names}
    if not factories & _SENTENCE_FACTORIES:
        nlp.add_pipe("sentencizer", last=True)


def _disabled_for_entities(nlp: Language) -> list[str]:
    """Components whose output entity extraction does not use (saves time in nlp.pipe)."""
    return [n for n in nlp.pipe_names if nlp.get_pipe_meta(n).factory in _UNNEEDED_FACTORIES]


def label_confidence(nlp: Language) -> dict[str, float]:
    """Per original-label confidence: the model's measured dev-set precision for that label.

    The shipped model stores it in ``meta.json`` under ``"confidence"`` at training time.
    Other pipelines usually carry ``performance.ents_per_type`` in their meta; we use its
    precision. Without either, every label gets ``UNKNOWN_CONFIDENCE``.
    """
    return _label_confidence_from_meta(
        json.dumps(nlp.meta.get("confidence"), sort_keys=True),
        json.dumps(nlp.meta.get("performance"), sort_keys=True),
    )


@functools.lru_cache(maxsize=16)
def _label_confidence_from_meta(conf_json: str, perf_json: str) -> dict[str, float]:
    """Parse (and cache) the confidence table from serialised meta sections."""
    conf = json.loads(conf_json) or {}
    per_label = conf.get("per_label") if isinstance(conf, dict) else None
    if per_label:
        return {k: _clip01(v) for k, v in per_label.items()}
    perf = json.loads(perf_json) or {}
    per_type = perf.get("ents_per_type") or {}
    table = {k: _clip01(v.get("p")) for k, v in per_type.items() if isinstance(v, dict)}
    if "ents_p" in perf:
        table.setdefault("__overall__", _clip01(perf["ents_p"]))
    return table


def span_calibration(nlp: Language) -> Calibration | None:
    """The model's confidence table for span probabilities (``calibration.py``), if it has one."""
    stored = nlp.meta.get("confidence")
    return Calibration.from_json(stored.get("calibration") if isinstance(stored, dict) else None)


def _clip01(value: Any) -> float:
    """Coerce a stored score to [0, 1]; some metas use percentages, some are missing."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return UNKNOWN_CONFIDENCE
    if x > 1.0:
        x /= 100.0
    return min(1.0, max(0.0, x))


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past whitespace, quotes and unbalanced brackets at its edges.

    Statistical NER sometimes swallows an opening quote or a trailing comma; the surface
    stored in the warehouse should be the name only, and must equal text[start:end].
    """
    changed = True
    while changed and start < end:
        changed = False
        first, last = text[start], text[end - 1]
        if first.isspace() or first in _EDGE_PUNCT:
            start, changed = start + 1, True
        elif last.isspace() or last in _EDGE_PUNCT:
            end, changed = end - 1, True
        elif first in _OPEN_BRACKETS and _unbalanced(text[start:end], first):
            start, changed = start + 1, True
        elif last in _CLOSE_BRACKETS and _unbalanced(text[start:end], last):
            end, changed = end - 1, True
    return start, end


def _unbalanced(surface: str, bracket: str) -> bool:
    """True when ``bracket`` has no partner inside ``surface`` ("(Reuters" vs "Foo (UK)")."""
    pairs = dict(zip(_OPEN_BRACKETS, _CLOSE_BRACKETS, strict=True))
    pairs.update(zip(_CLOSE_BRACKETS, _OPEN_BRACKETS, strict=True))
    return surface.count(bracket) > surface.count(pairs[bracket])


def _sentences(doc: Doc, rule: SentenceRule | None) -> Sentences:
    """The document's sentences: by the rule when given, else from ``Doc.sents``."""
    if rule is not None:
        return rule(doc)
    sents = list(doc.sents)
    return Sentences(
        np.array([s.start for s in sents], dtype=np.int64),
        np.array([s.start_char for s in sents], dtype=np.int64),
        np.array([s.end_char for s in sents], dtype=np.int64),
    )


def tag(
    nlp: Language, items: Iterable[Any], *, batch_size: int, disable: list[str]
) -> Iterator[tuple[Doc, Entities]]:
    """Each document of ``nlp.pipe`` with its entities.

    Where ``greedy.for_pipeline`` applies, the pipeline runs without its ``ner`` component and
    ``GreedyNer`` decodes each batch: the same entities as spaCy's decoder, in about a
    fifth of its time (flows/core/entities/greedy.py). Components after the ``ner`` must be
    disabled for that (the decoder runs after them); otherwise spaCy decodes.
    """
    decoder = greedy.for_pipeline(nlp)
    if decoder is not None:
        name, decode = decoder
        after = nlp.pipe_names[nlp.pipe_names.index(name) + 1 :]
        if name in disable or not set(after) <= set(disable):
            decoder = None
    if decoder is None:
        for doc in nlp.pipe(items, batch_size=batch_size, disable=disable):
            yield doc, greedy.entities_of(doc)
        return
    docs = nlp.pipe(items, batch_size=batch_size, disable=[*disable, name])
    while batch := list(itertools.islice(docs, batch_size)):
        yield from zip(batch, decode(batch), strict=True)


def _confidences(
    ents: Entities, labels: list[str | None], per_label: dict[str, float], table: Calibration | None
) -> list[float]:
    """Each span's confidence: its calibrated probability where the model gave one and the
    table knows the label, else the label's dev precision (a per-label constant)."""
    default = per_label.get("__overall__", UNKNOWN_CONFIDENCE)
    constant = [per_label.get(original, default) for original in ents.label]
    if ents.probability is None or table is None:
        return constant
    calibrated = table.apply(ents.probability, [label or "" for label in labels])
    return np.where(np.isnan(calibrated), constant, calibrated).tolist()


def _doc_rows(
    index: int,
    doc: Doc,
    ents: Entities,
    confidence: tuple[dict[str, float], Calibration | None],
    rule: SentenceRule | None,
) -> Iterator[tuple[int, int, int, str, str, int, float, int, int]]:
    """Rows for one document's entities, in document order."""
    if not ents.label:
        return
    from spacy.attrs import IDX, LENGTH

    sentences = _sentences(doc, rule)
    held_by = sentences.of_tokens(ents.start).tolist()
    offsets = doc.to_array([IDX, LENGTH]).reshape(-1, 2).astype(np.int64)
    first_char = offsets[ents.start, 0].tolist()
    last = ents.end - 1
    end_char = (offsets[last, 0] + offsets[last, 1]).tolist()
    text = doc.text
    labels = [map_label(original) for original in ents.label]
    confidences = _confidences(ents, labels, *confidence)
    for label, first, stop, sentence, conf in zip(
        labels, first_char, end_char, held_by, confidences, strict=True
    ):
        if label is None:
            continue
        start, end = trim_span(text, first, stop)
        if start >= end:
            continue
        bounds = int(sentences.start_char[sentence]), int(sentences.end_char[sentence])
        yield index, start, end, text[start:end], label, sentence, conf, *bounds


def extract_spans(
    nlp: Language,
    texts: Sequence[str],
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> pl.DataFrame:
    """Run ``nlp`` over ``texts`` and return one row per PER/ORG/LOC/MISC span.

    Offsets are Python ``str`` offsets into the input text (``texts[i][start:end] ==
    surface``), so callers can slice the original article without re-tokenising.
    ``progress`` is called with the number of texts done, once per ``batch_size`` texts:
    extraction is the long stage, and a user should see it move. Several cores: see
    ``parallel.Tagger``.
    """
    if len(texts) == 0:
        return pl.DataFrame(schema=SCHEMA)
    confidence = label_confidence(nlp), span_calibration(nlp)
    disable = _disabled_for_entities(nlp)
    sentencizer = rule_of(nlp)
    rule = None
    if sentencizer is not None:  # its rule is applied below, on arrays: the same sentences
        name, rule = sentencizer
        disable.append(name)
    columns: list[list[Any]] = [[] for _ in SCHEMA]
    tagged = tag(nlp, (t or "" for t in texts), batch_size=batch_size, disable=disable)
    for index, (doc, ents) in enumerate(tagged):
        if progress is not None and index % batch_size == 0:
            progress(index)
        for row in _doc_rows(index, doc, ents, confidence, rule):
            for column, value in zip(columns, row, strict=True):
                column.append(value)
    return pl.DataFrame(dict(zip(SCHEMA, columns, strict=True)), schema=SCHEMA)
