"""Normalize one batch's raw records into articles (Polars expressions over the batch)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.core.normalize import Normalized, normalize_records
from flows.core.readers import Parsed
from flows.settings import Settings
from flows.steps.progress import stage


@task(name="normalize", cache_policy=NO_CACHE)
def normalize(
    settings: Settings, parsed: Parsed, timings: dict[str, float], label: str = ""
) -> Normalized:
    """Raw records -> normalized articles plus record-level rejects (missing title/body...);
    `label` names the batch in the progress line."""
    with stage("normalize", timings) as notes:
        result = normalize_records(parsed.records, settings.max_field_chars)
        notes.extend([label] if label else [])
        notes.append(f"{result.articles.height} articles, {result.rejects.height} rejected")
        if result.n_unparsed_dates:
            notes.append(f"{result.n_unparsed_dates} dates not understood (left empty)")
    return result
