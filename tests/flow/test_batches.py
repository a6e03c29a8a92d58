"""Batch-wise entity extraction: where the batches are cut and how many processes tag them
change nothing in the warehouse."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.fingerprint import fingerprint_file
from flows.settings import Settings
from tests.fixtures.inputs import write_good_corpus
from tests.flow.helpers import rows, run

pytestmark = [pytest.mark.flow, pytest.mark.slow]

DAY = datetime(2024, 12, 6, tzinfo=UTC)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("batches")
    for k in range(3):
        write_good_corpus(root / f"part{k}", n_text=3, n_jsonl=4, start=10 * k)
    return sorted(root.glob("part*"))


def test_small_batches_and_worker_processes_give_the_same_warehouse(
    tmp_path: Path, corpus: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = Settings(home=tmp_path / "whole", ner_processes=1, logical_date=DAY)
    state, report = run(corpus, whole)
    assert state.is_completed() and report.n_loaded >= 20

    monkeypatch.setattr("flows.steps.extract.ARTICLES_PER_BATCH", 4)
    monkeypatch.setattr("flows.core.entities.parallel.CHUNK_CHARS", 2_000)
    batched = Settings(home=tmp_path / "batched", ner_processes=2, logical_date=DAY)
    state, _ = run(corpus, batched)
    assert state.is_completed()

    assert fingerprint_file(batched.published_db) == fingerprint_file(whole.published_db)
    ((n_entities, n_mentions),) = rows(
        batched, "select (select count(*) from entities), (select count(*) from mentions)"
    )
    assert n_entities > 5 and n_mentions == report.n_mentions


def test_worker_pool_tags_like_one_process() -> None:
    from flows.core.entities.ner import extract_spans, load_pipeline
    from flows.core.entities.parallel import Tagger, chunk_bounds

    texts = [
        f"Anna Keller met the United Nations in Berlin on day {i}. Marc Olsen stayed in Lima."
        for i in range(40)
    ]
    assert len(chunk_bounds([len(t) for t in texts], 400)) > 2
    with Tagger(None, processes=2) as tagger:
        spans = tagger(texts, chunk_chars=400)
        again = tagger(texts[5:], chunk_chars=400)  # the pool is reused across batches
    alone = extract_spans(load_pipeline(), texts)
    assert spans.height > 80 and spans.equals(alone)
    assert again.equals(extract_spans(load_pipeline(), texts[5:]))
