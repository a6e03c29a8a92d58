"""Accurate mode: entity spans that a majority of several models agree on.

A vote of three models of the same recipe, trained with different seeds, scores 0.9077 F1 on
CoNLL-2003 dev against 0.9037 for the shipped model alone (model card, experiment 13): the
seeds make different mistakes, and a span that two of three find with the same bounds and
label is more often right. It costs one tagging pass per model, so it is opt-in:
``WIREHOUSE_NER_MODEL=accurate`` votes the shipped model with the two compact members shipped
beside it (``flows/models/ner_en_vote1``, ``ner_en_vote2``); a comma-separated list of
pipeline names or directories votes those (``shipped`` names the default model).

A span is kept when more than half of the members predict it with the same start, end and
label (labels compared after mapping to PER/ORG/LOC/MISC). Two kept spans never overlap:
each has more than half of the members behind it, so some member predicted both, and one
model's spans do not overlap. A kept span's confidence is the mean of the members'
confidences, a member that did not predict it counting 0.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import TypeVar

import polars as pl

from flows.core.entities.ner import (
    SCHEMA,
    SHIPPED_MODEL_DIR,
    ModelError,
    extract_spans,
    load_pipeline,
)

ACCURATE = "accurate"
SHIPPED = "shipped"
SEPARATOR = ","
ACCURATE_MEMBERS: tuple[str | None, ...] = (
    None,
    str(SHIPPED_MODEL_DIR.parent / "ner_en_vote1"),
    str(SHIPPED_MODEL_DIR.parent / "ner_en_vote2"),
)
# What identifies a span in the vote: the rest of a row (surface, sentence) follows from it.
SPAN_KEY = ("text_index", "start_char", "end_char", "label")

Key = TypeVar("Key", bound=Hashable)


def members(model: str | None) -> tuple[str | None, ...]:
    """The pipelines a model setting names: one, or the members of a vote (None = shipped).

    Raises ``ModelError`` for a list with an empty entry, with ``accurate`` in it, or naming
    one pipeline twice (a duplicate would vote twice; paths are compared resolved).
    """
    if model is None or model.strip() in ("", SHIPPED):
        return (None,)
    if model.strip() == ACCURATE:
        return ACCURATE_MEMBERS
    names = [part.strip() for part in model.split(SEPARATOR)]
    if any(not name for name in names):
        raise ModelError(f"WIREHOUSE_NER_MODEL {model!r} has an empty entry between commas")
    if ACCURATE in names:
        raise ModelError(
            f"WIREHOUSE_NER_MODEL {model!r}: '{ACCURATE}' is a setting of its own; "
            "list its members instead"
        )
    resolved = tuple(None if name == SHIPPED else name for name in names)
    identities = [_identity(name) for name in resolved]
    if len(set(identities)) != len(identities):
        raise ModelError(f"WIREHOUSE_NER_MODEL {model!r} names the same pipeline twice")
    return resolved


def _identity(name: str | None) -> str | None:
    """What a member is, for spotting duplicates: a directory by its resolved path."""
    if name is None:
        return None
    path = Path(name).expanduser()
    if not path.is_dir():
        return name
    return None if path.resolve() == SHIPPED_MODEL_DIR else str(path.resolve())


def check(model: str | None) -> None:
    """Fail before a run does any work when the setting names something that is neither a
    pipeline directory nor an installed package (spaCy pipelines are Python packages).
    Loading stays the final test: a directory can still hold a broken pipeline."""
    for name in members(model):
        if name is None or Path(name).expanduser().is_dir():
            continue
        if not (name.isidentifier() and importlib.util.find_spec(name) is not None):
            raise ModelError(
                f"WIREHOUSE_NER_MODEL names {name!r}, which is neither a pipeline directory "
                "nor an installed spaCy package: install it or fix the setting"
            )


def majority(votes: Sequence[Sequence[Key]], n_members: int) -> list[Key]:
    """Keys found by more than half of ``n_members`` (each member's list counted once)."""
    counts = Counter(key for keys in votes for key in set(keys))
    return sorted(key for key, count in counts.items() if 2 * count > n_members)


def vote(frames: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """The spans (``ner.SCHEMA``) more than half of the members' frames agree on."""
    n_members = len(frames)
    if n_members == 1:
        return frames[0]
    stacked = pl.concat(
        [frame.with_columns(pl.lit(i, pl.UInt16).alias("member")) for i, frame in enumerate(frames)]
    )
    kept = (
        stacked.sort("member")
        .group_by(SPAN_KEY, maintain_order=True)
        .agg(
            pl.col("member").n_unique().alias("votes"),
            (pl.col("confidence").sum() / n_members).alias("confidence"),
            pl.exclude("member", "confidence").first(),
        )
        .filter(2 * pl.col("votes") > n_members)
    )
    return kept.select(list(SCHEMA)).sort("text_index", "start_char")


def tag(
    model: str | None,
    texts: Sequence[str],
    progress: Callable[[int], None] | None = None,
) -> pl.DataFrame:
    """Entity spans of ``texts`` by the pipeline or vote that ``model`` names.

    Members tag all texts one after the other; ``progress`` moves through each member's
    share of the work (a third of ``len(texts)`` each in a vote of three).
    """
    names = members(model)
    frames = []
    for i, name in enumerate(names):
        share = None
        if progress is not None:
            share = _share(progress, i * len(texts), len(names))
        frames.append(extract_spans(load_pipeline(name), texts, progress=share))
    return vote(frames)


def _share(progress: Callable[[int], None], before: int, n_members: int) -> Callable[[int], None]:
    return lambda done: progress((before + done) // n_members)


def load(model: str | None) -> None:
    """Load every member now (cached per process), so a broken one fails before tagging."""
    for name in members(model):
        load_pipeline(name)
