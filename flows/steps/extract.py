"""Find entity mentions in the staged new articles, link them, stage entities and mentions.

Tagging is the expensive part. In-process it runs as one task (with spaCy worker processes
for big batches); with a Dask cluster the texts are cut into chunks, one task each, and the
spans are joined back in text order, so both paths stage the same rows.
"""

from __future__ import annotations

import os

import polars as pl
from prefect import task, unmapped
from prefect.cache_policies import NO_CACHE

from flows.core.entities.linking import link_mentions
from flows.core.entities.ner import SCHEMA as SPAN_SCHEMA
from flows.core.entities.ner import extract_spans, load_pipeline
from flows.core.entities.spans import article_spans
from flows.core.tone import sentence_tones
from flows.settings import Settings
from flows.steps.ledger import Load
from flows.steps.progress import Counter, stage
from flows.steps.scaleout import chunks
from flows.steps.stage import staged_counts
from flows.warehouse import connect, fetch_frame, run_sql_file


def extract_entities(settings: Settings, load: Load, timings: dict[str, float]) -> dict[str, int]:
    """Run NER over titles and bodies of new articles only, then link and stage the results."""
    with stage("extract", timings) as notes:
        with connect(settings) as con:
            texts = fetch_frame(con, "queries/new_article_texts.sql")
        interleaved = pl.concat([texts.get_column("title"), texts.get_column("body")]).to_list()
        if settings.dask_address and len(interleaved) > 1:
            parts = chunks(interleaved)
            tagged = tag_texts.map(unmapped(settings), parts, unmapped(1)).result()
            offsets = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]
            raw = pl.concat(
                t.with_columns((pl.col("text_index") + offset).cast(pl.UInt32))
                for t, offset in zip(tagged, offsets, strict=True)
            )
        else:
            processes = ner_processes(settings.ner_processes, len(interleaved))
            raw = tag_texts(settings, interleaved, processes)
        counts = stage_entities(settings, load, texts, article_spans(texts, raw))
        notes.append(
            f"{counts['n_mentions']} mentions of {counts['n_entities']} entities "
            f"in {texts.height} articles"
        )
    return counts


@task(name="tag-entities", cache_policy=NO_CACHE)
def tag_texts(settings: Settings, texts: list[str], processes: int) -> pl.DataFrame:
    """Entity spans of each text (ner.SCHEMA); the model loads once per process."""
    if not texts:
        return pl.DataFrame(schema=SPAN_SCHEMA)
    nlp = load_pipeline(settings.ner_model)
    counter = Counter("extract", len(texts), "titles and bodies")
    return extract_spans(nlp, texts, n_process=processes, progress=counter)


@task(name="stage-entities", cache_policy=NO_CACHE)
def stage_entities(
    settings: Settings, load: Load, texts: pl.DataFrame, spans: pl.DataFrame
) -> dict[str, int]:
    """Link spans to canonical entities and stage mentions (with sentence tone) and entities."""
    linked = link_mentions(spans, texts)
    mentions = linked.mentions.join(
        sentence_tones(spans, texts),
        on=["article_id", "in_title", "sentence_index"],
        how="left",
    )
    with connect(settings) as con:
        con.register("linked_mentions", mentions.to_arrow())
        con.register("linked_entities", linked.entities.to_arrow())
        run_sql_file(con, "stage/mentions.sql", {"load_id": load.load_id})
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
