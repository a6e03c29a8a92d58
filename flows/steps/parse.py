"""Read the batch's files into raw records and rejects."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.core.readers import Parsed, parse_paths
from flows.faults import fault_point
from flows.settings import Settings
from flows.steps.discover import InputFiles
from flows.steps.progress import stage


@task(name="parse", cache_policy=NO_CACHE)
def parse(settings: Settings, inputs: InputFiles, timings: dict[str, float]) -> Parsed:
    """Files -> raw records; unreadable files and bad records become rejects, never errors."""
    with stage("parse", timings) as notes:
        parsed = parse_paths(inputs.files, settings.max_file_bytes)
        notes.append(f"{parsed.records.height} records, {parsed.rejects.height} rejected")
    fault_point(settings, "after_parse")
    return parsed
