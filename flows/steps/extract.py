"""Find entity mentions in the staged new articles, link them, stage entities and mentions."""

from __future__ import annotations

import os

import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.core.entities.linking import link_mentions
from flows.core.entities.ner import extract_spans, load_pipeline
from flows.core.entities.spans import article_spans
from flows.core.tone import sentence_tones
from flows.settings import Settings
from flows.steps.ledger import Load
from flows.steps.progress import Counter, stage
from flows.steps.stage import staged_counts
from flows.warehouse import connect, fetch_frame, run_sql_file


@task(name="extract-entities", cache_policy=NO_CACHE)
def extract_entities(settings: Settings, load: Load, timings: dict[str, float]) -> dict[str, int]:
    """Run NER over titles and bodies of new articles only, then link and stage the results."""
    with stage("extract", timings) as notes:
        with connect(settings) as con:
            texts = fetch_frame(con, "queries/new_article_texts.sql")
        spans = _spans(settings, texts)
        linked = link_mentions(spans, texts)
        mentions = linked.mentions.join(
            sentence_tones(spans, texts),
            on=["article_id", "in_title", "sentence_index"],
            how="left",
        )
        with connect(settings) as con:
            con.register("linked_mentions", mentions.to_arrow())
            con.register("linked_entities", linked.entities.to_arrow())
            params = {"load_id": load.load_id}
            run_sql_file(con, "stage/mentions.sql", params)
            run_sql_file(con, "stage/entities.sql")
            counts = staged_counts(con)
        notes.append(
            f"{linked.mentions.height} mentions of {linked.entities.height} entities "
            f"in {texts.height} articles"
        )
    return {k: counts[k] for k in ("n_mentions", "n_entities", "n_new_entities")}


def _spans(settings: Settings, texts: pl.DataFrame) -> pl.DataFrame:
    if texts.height == 0:
        return article_spans(texts, pl.DataFrame())
    nlp = load_pipeline(settings.ner_model)
    interleaved = pl.concat([texts.get_column("title"), texts.get_column("body")]).to_list()
    counter = Counter("extract", len(interleaved), "titles and bodies")
    processes = ner_processes(settings.ner_processes, len(interleaved))
    raw = extract_spans(nlp, interleaved, n_process=processes, progress=counter)
    return article_spans(texts, raw)


# Worker processes each load the model (~1-2 s); below this many texts one process is faster.
PARALLEL_MIN_TEXTS = 2_000


def ner_processes(configured: int, n_texts: int) -> int:
    """The configured count, or auto: up to 2 processes (the machine's cores) for big batches."""
    if configured > 0:
        return configured
    return min(2, os.cpu_count() or 1) if n_texts >= PARALLEL_MIN_TEXTS else 1
