"""Score an entity pipeline against an IOB file with exact-span (CoNLL) scoring.

Scoring runs on the gold tokenisation, so the numbers measure entity recognition only and
are comparable between the shipped model and any other spaCy pipeline.

Evaluation unit: consecutive sentences of one ``-DOCSTART-`` document are tagged together as
one Doc (at most ``SENTENCES_PER_DOC`` sentences, sentence boundaries from the blank lines),
because that is how news text reaches the pipeline and how the model is trained. Files
without document markers (e.g. WikiANN) are tagged one sentence per Doc. Spans are still
scored per sentence, exactly as before.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows.core.entities.ensemble import majority
from flows.core.entities.ner import LABELS, map_label

if TYPE_CHECKING:  # pragma: no cover - typing only
    import polars as pl
    from spacy.language import Language

Sentence = tuple[list[str], list[str]]
# (sentence index, first token, end token exclusive, label)
SpanKey = tuple[int, int, int, str]

DOCSTART = "-DOCSTART-"
# Sentences per Doc, both for training conversion and for evaluation: a model trained on
# multi-sentence documents is scored on the same kind of input.
SENTENCES_PER_DOC = 10


def read_iob(path: Path | str) -> list[Sentence]:
    """Read sentences from a CoNLL-style IOB file: first column token, last column tag.

    Works for the 4-column space-separated CoNLL-2003 files and 2-column tab-separated
    files; blank lines end sentences and ``-DOCSTART-`` lines are skipped.
    """
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\r\n")
            if not line.strip():
                if words:
                    sentences.append((words, tags))
                words, tags = [], []
                continue
            cols = line.split("\t") if "\t" in line else line.split()
            if cols[0] == DOCSTART:
                if words:
                    sentences.append((words, tags))
                words, tags = [], []
                continue
            words.append(cols[0])
            tags.append(cols[-1] if len(cols) > 1 else "O")
    if words:
        sentences.append((words, tags))
    return sentences


def document_breaks(path: Path | str) -> list[int]:
    """Indexes (into ``read_iob`` output) of sentences that start a ``-DOCSTART-`` document.

    Training groups sentences of the same news story into one Doc, so the model sees
    multi-sentence context like it does at inference time.
    """
    breaks: list[int] = []
    count = 0
    in_sentence = False
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.strip()
            if not line:
                if in_sentence:
                    count += 1
                in_sentence = False
            elif line.split()[0] == DOCSTART:
                if in_sentence:
                    count += 1
                in_sentence = False
                breaks.append(count)
            else:
                in_sentence = True
    return breaks


def iob_to_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Turn IOB2 tags into (start, end, label) token spans.

    An ``I-`` that does not continue an entity of the same label starts a new one
    (the usual conlleval leniency), so malformed predictions still get scored.
    """
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    label = ""
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and start is not None and kind == label
        if start is not None and not continues:
            spans.append((start, i, label))
            start = None
        if prefix in ("B", "I") and not continues:
            start, label = i, kind
    return spans


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall, F1 with 0.0 for empty denominators."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1}


def score_spans(gold: Iterable[SpanKey], pred: Iterable[SpanKey]) -> dict[str, Any]:
    """Exact-match span scores: a prediction counts only if start, end and label all match.

    Returns ``{"overall": {p, r, f1}, "per_label": {label: {p, r, f1, support}}}`` with
    every one of PER/ORG/LOC/MISC present (plus any other label seen).
    """
    gold_set, pred_set = set(gold), set(pred)
    correct = gold_set & pred_set
    by = {
        name: Counter(s[3] for s in spans)
        for name, spans in (("gold", gold_set), ("pred", pred_set), ("tp", correct))
    }
    labels = list(LABELS) + sorted((set(by["gold"]) | set(by["pred"])) - set(LABELS))
    per_label = {
        lab: {**_prf(by["tp"][lab], by["pred"][lab], by["gold"][lab]), "support": by["gold"][lab]}
        for lab in labels
    }
    return {"overall": _prf(len(correct), len(pred_set), len(gold_set)), "per_label": per_label}


def sentence_groups(
    n_sentences: int, breaks: Sequence[int] | None, per_doc: int = SENTENCES_PER_DOC
) -> list[range]:
    """Ranges of sentence indexes tagged together as one Doc.

    With ``breaks`` (document starts from ``document_breaks``) every range holds at most
    ``per_doc`` consecutive sentences of one document and never crosses into the next one.
    Without document markers (``breaks`` empty or None) each sentence is its own Doc, since
    nothing says which sentences belong together.
    """
    if not breaks or per_doc <= 1:
        return [range(i, i + 1) for i in range(n_sentences)]
    starts = sorted({b for b in breaks if 0 <= b < n_sentences} | {0})
    bounds = [*starts, n_sentences]
    groups: list[range] = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        for i in range(lo, hi, per_doc):
            groups.append(range(i, min(i + per_doc, hi)))
    return [g for g in groups if len(g)]


def _predict_spans(
    nlp: Language, sentences: Sequence[Sentence], groups: Sequence[range] | None = None
) -> tuple[list[SpanKey], list[float], float]:
    """Run the entity components on gold-tokenised Docs; return spans, probabilities, seconds.

    A span's probability is the model's (``greedy.Entities.probability``), NaN where spaCy
    decoded the Doc itself.

    Each Doc is one group of sentences (default: one sentence per Doc) with sentence starts
    set from the input, so the tokens are exactly those given. Predicted spans are mapped
    back to (sentence, start, end) within the sentence where they start; a span running over
    a sentence end keeps its overlong end and so can never match a gold span.
    """
    from spacy.tokens import Doc

    from flows.core.entities.ner import _disabled_for_entities, tag

    if groups is None:
        groups = [range(i, i + 1) for i in range(len(sentences))]
    docs = []
    offsets: list[list[tuple[int, int]]] = []  # per Doc: (first token, sentence index)
    for group in groups:
        words: list[str] = []
        sent_starts: list[bool] = []
        starts: list[tuple[int, int]] = []
        for si in group:
            ws = sentences[si][0]
            starts.append((len(words), si))
            words.extend(ws)
            sent_starts.extend(i == 0 for i in range(len(ws)))
        docs.append(
            Doc(nlp.vocab, words=words, spaces=[True] * len(words), sent_starts=sent_starts)
        )
        offsets.append(starts)
    skip = {"sentencizer", "senter", "parser"}
    disable = _disabled_for_entities(nlp) + [
        n for n in nlp.pipe_names if nlp.get_pipe_meta(n).factory in skip
    ]
    started = time.perf_counter()
    pred: list[SpanKey] = []
    probabilities: list[float] = []
    tagged = tag(nlp, docs, batch_size=256, disable=disable)
    for (_, ents), starts in zip(tagged, offsets, strict=True):
        known = ents.probability if ents.probability is not None else [math.nan] * len(ents.label)
        for ent_start, ent_end, original, probability in zip(
            ents.start.tolist(), ents.end.tolist(), ents.label, list(known), strict=True
        ):
            label = map_label(original)
            if label is None:
                continue
            first, si = next((o, i) for o, i in reversed(starts) if o <= ent_start)
            pred.append((si, ent_start - first, ent_end - first, label))
            probabilities.append(float(probability))
    return pred, probabilities, time.perf_counter() - started


def evaluate_sentences(
    nlp: Language | Sequence[Language],
    sentences: Sequence[Sentence],
    breaks: Sequence[int] | None = None,
) -> dict[str, Any]:
    """Score ``nlp`` on already-read sentences (see ``evaluate_file``).

    ``breaks`` are the document starts from ``document_breaks``; without them every
    sentence is tagged on its own. Several pipelines are scored as their majority vote
    (``ensemble.py``), and their tagging times add up.
    """
    pipelines = list(nlp) if isinstance(nlp, list | tuple) else [nlp]
    gold = [
        (i, s, e, lab) for i, (_, tags) in enumerate(sentences) for s, e, lab in iob_to_spans(tags)
    ]
    groups = sentence_groups(len(sentences), breaks)
    predicted = [_predict_spans(pipeline, sentences, groups) for pipeline in pipelines]
    pred = majority([spans for spans, _, _ in predicted], len(pipelines))
    seconds = sum(taken for _, _, taken in predicted)
    result = score_spans(gold, pred)
    words = sum(len(w) for w, _ in sentences)
    result["sentences"] = len(sentences)
    result["docs"] = len(groups)
    result["words_per_second"] = words / seconds if seconds > 0 else 0.0
    return result


def evaluate_file(
    path: Path, nlp: Language | Sequence[Language], *, per_sentence: bool = False
) -> dict[str, Any]:
    """Exact-span P/R/F1 of ``nlp`` on an IOB file, overall and per label, plus speed.

    Gold tokens are used as-is (Docs built from words), so tokenizer differences between
    pipelines do not leak into the entity scores. Sentences of one ``-DOCSTART-`` document
    are tagged together in Docs of up to ``SENTENCES_PER_DOC`` sentences (the unit the
    model is trained on); ``per_sentence=True`` tags every sentence alone instead (the
    stricter, context-free figure reported alongside).
    """
    sentences = read_iob(path)
    breaks = None if per_sentence else document_breaks(path)
    return evaluate_sentences(nlp, sentences, breaks)


def span_outcomes(path: Path, nlp: Language) -> pl.DataFrame:
    """Every predicted span of an IOB file (document unit) with its probability and whether
    it is exactly right: what ``calibration.fit`` learns a span's confidence from.

    Labels are mapped to PER/ORG/LOC/MISC, as ``extract_spans`` reports them.
    """
    import polars as pl

    sentences = read_iob(path)
    gold = {
        (i, s, e, lab) for i, (_, tags) in enumerate(sentences) for s, e, lab in iob_to_spans(tags)
    }
    groups = sentence_groups(len(sentences), document_breaks(path))
    pred, probabilities, _ = _predict_spans(nlp, sentences, groups)
    return pl.DataFrame(
        {
            "label": [key[3] for key in pred],
            "probability": probabilities,
            "correct": [key in gold for key in pred],
        },
        schema={"label": pl.String, "probability": pl.Float64, "correct": pl.Boolean},
    )


def format_report(result: dict[str, Any]) -> str:
    """A small aligned table of the scores returned by ``evaluate_file``."""
    lines = [f"{'label':<8}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}"]
    for label, s in result["per_label"].items():
        lines.append(f"{label:<8}{s['p']:>8.4f}{s['r']:>8.4f}{s['f1']:>8.4f}{s['support']:>9d}")
    o = result["overall"]
    total = sum(s["support"] for s in result["per_label"].values())
    lines.append(f"{'overall':<8}{o['p']:>8.4f}{o['r']:>8.4f}{o['f1']:>8.4f}{total:>9d}")
    if "sentences" in result:
        docs = f" in {result['docs']} docs" if "docs" in result else ""
        lines.append(
            f"{result['sentences']} sentences{docs}, "
            f"{result.get('words_per_second', 0.0):,.0f} words/s"
        )
    return "\n".join(lines)
