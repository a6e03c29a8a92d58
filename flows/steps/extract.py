"""Find entity mentions in the staged new articles, link them, stage entities and mentions.

The new articles are read, tagged, linked and staged a batch at a time, so memory is bounded
by the batch, not by the run. Tagging is the expensive part: in-process it uses a pool of
worker processes for big runs (the pool lives for the whole run); with a Dask cluster each
batch is cut into chunks, one task each. Spans are joined back in text order, so every path
stages the same rows. Entities are built once at the end from every batch's name votes, so
they do not depend on where the batches were cut.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
from prefect import task, unmapped
from prefect.cache_policies import NO_CACHE

from flows.core.entities import ensemble
from flows.core.entities.linking import NAME_VOTES, entities_from_votes, link_mentions
from flows.core.entities.ner import SCHEMA as SPAN_SCHEMA
from flows.core.entities.parallel import Tagger
from flows.core.entities.spans import article_spans
from flows.core.tone import sentence_tones
from flows.settings import Settings
from flows.steps.ledger import Load
from flows.steps.progress import Counter, stage
from flows.steps.scaleout import chunks
from flows.steps.stage import staged_counts
from flows.warehouse import connect, fetch_frame, run_sql_file

# New articles read, tagged, linked and staged together: bounds the step's memory (texts,
# spans and mentions of one batch) while keeping Prefect's per-task cost per batch.
ARTICLES_PER_BATCH = 5_000


def extract_entities(settings: Settings, load: Load, timings: dict[str, float]) -> dict[str, int]:
    """Run NER over titles and bodies of new articles only, then link and stage the results.

    The workers tag batch k+1 while this process links and stages batch k, so the cores do
    not wait for the linking.
    """
    with stage("extract", timings) as notes:
        with connect(settings) as con:
            n_articles = staged_counts(con)["n_loaded"]
        counter = Counter("extract", 2 * n_articles, "titles and bodies")
        processes = ner_processes(settings.ner_processes, 2 * n_articles)
        votes: list[pl.DataFrame] = []
        with Tagger(settings.ner_model, processes) as tagger:
            pending: Batch | None = None
            for first in range(0, n_articles, ARTICLES_PER_BATCH):
                started = start_batch(settings, tagger, first)
                if pending is not None:
                    votes.append(finish_batch(settings, load, pending, counter))
                pending = started
            if pending is not None:
                votes.append(finish_batch(settings, load, pending, counter))
        counts = stage_entities(settings, pl.concat(votes) if votes else NAME_VOTES.to_frame())
        notes.append(
            f"{counts['n_mentions']} mentions of {counts['n_entities']} entities "
            f"in {n_articles} articles"
        )
    return counts


@dataclass(frozen=True)
class Batch:
    """One batch of new articles whose titles and bodies are being tagged."""

    first: int  # position of its first article among the run's new articles
    texts: pl.DataFrame  # article_id, title, body
    # waits for the spans of the run's tagger; None when the batch goes to a Dask cluster
    tagging: Callable[[Callable[[int], None] | None], pl.DataFrame] | None


def start_batch(settings: Settings, tagger: Tagger, first: int) -> Batch:
    """Read one page of new articles and start tagging it (titles first, then bodies)."""
    with connect(settings) as con:
        params = {"page_start": first, "page_size": ARTICLES_PER_BATCH}
        texts = fetch_frame(con, "queries/new_article_texts_page.sql", params)
    if settings.dask_address and texts.height > 0:
        return Batch(first, texts, None)  # mapped over the cluster when the batch is finished
    interleaved = pl.concat([texts.get_column("title"), texts.get_column("body")]).to_list()
    return Batch(first, texts, tagger.submit(interleaved).spans)


def finish_batch(settings: Settings, load: Load, batch: Batch, counter: Counter) -> pl.DataFrame:
    """Wait for a batch's spans, then link and stage them; returns its name votes."""
    done_before = 2 * batch.first
    if batch.tagging is None:
        interleaved = pl.concat([batch.texts.get_column("title"), batch.texts.get_column("body")])
        raw = tag_on_dask(settings, interleaved.to_list())
        counter(done_before + 2 * batch.texts.height)
    else:
        raw = tag_texts(batch.tagging, lambda done: counter(done_before + done))
    return stage_mentions(settings, load, batch.texts, article_spans(batch.texts, raw))


def tag_on_dask(settings: Settings, texts: list[str]) -> pl.DataFrame:
    """Spans of one batch mapped over the Dask cluster, chunk by chunk, in text order (from
    the flow body, so the map goes to the flow's Dask task runner)."""
    parts = chunks(texts)
    tagged = tag_chunk.map(unmapped(settings), parts).result()
    offsets = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]
    return pl.concat(
        t.with_columns((pl.col("text_index") + offset).cast(pl.UInt32))
        for t, offset in zip(tagged, offsets, strict=True)
    )


@task(name="tag-entities", cache_policy=NO_CACHE)
def tag_texts(
    tagging: Callable[[Callable[[int], None] | None], pl.DataFrame],
    progress: Callable[[int], None],
) -> pl.DataFrame:
    """Entity spans of one batch's texts (ner.SCHEMA) from the run's worker pool or this
    process: one task per batch, never per article."""
    return tagging(progress)


@task(name="tag-entities-chunk", cache_policy=NO_CACHE)
def tag_chunk(settings: Settings, texts: list[str]) -> pl.DataFrame:
    """One chunk on a Dask worker; the model (or a vote's members) loads once per worker
    process."""
    if not texts:
        return pl.DataFrame(schema=SPAN_SCHEMA)
    return ensemble.tag(settings.ner_model, texts)


@task(name="stage-mentions", cache_policy=NO_CACHE)
def stage_mentions(
    settings: Settings, load: Load, texts: pl.DataFrame, spans: pl.DataFrame
) -> pl.DataFrame:
    """Link one batch's spans and stage its mentions (with sentence tone); returns the
    batch's name votes, from which the entities are built at the end."""
    linked = link_mentions(spans, texts)
    mentions = linked.mentions.join(
        sentence_tones(spans, texts),
        on=["article_id", "in_title", "sentence_index"],
        how="left",
    )
    with connect(settings) as con:
        con.register("linked_mentions", mentions.to_arrow())
        run_sql_file(con, "stage/mentions.sql", {"load_id": load.load_id})
    return linked.votes


@task(name="stage-entities", cache_policy=NO_CACHE)
def stage_entities(settings: Settings, votes: pl.DataFrame) -> dict[str, int]:
    """Build the run's entities from every batch's name votes and stage them."""
    with connect(settings) as con:
        con.register("linked_entities", entities_from_votes(votes).to_arrow())
        run_sql_file(con, "stage/entities.sql")
        counts = staged_counts(con)
    return {k: counts[k] for k in ("n_mentions", "n_entities", "n_new_entities")}


# Worker processes each load the model (~1-2 s); below this many texts one process is faster.
PARALLEL_MIN_TEXTS = 2_000


def ner_processes(configured: int, n_texts: int) -> int:
    """The configured count, or auto: up to 2 processes (the machine's cores) for big batches."""
    if configured > 0:
        return configured
    return min(2, os.cpu_count() or 1) if n_texts >= PARALLEL_MIN_TEXTS else 1
