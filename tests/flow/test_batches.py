"""Batches: where the ingest batches (files read and staged together) and the entity batches
are cut, and how many processes tag them, change nothing in the warehouse."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from flows.fingerprint import fingerprint_file
from flows.intervals import ONE_DAY
from flows.settings import Settings
from tests.fixtures.inputs import article_text, jsonl_record, write_good_corpus, write_jsonl
from tests.flow.helpers import (
    CONFIDENCE_TOLERANCE,
    assert_same_warehouse_whatever_the_batches,
    rows,
    run,
)

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

    assert_same_warehouse_whatever_the_batches(batched.published_db, whole.published_db)
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
    assert spans.height > 80
    assert_same_spans(spans, alone)
    assert_same_spans(again, extract_spans(load_pipeline(), texts[5:]))


def assert_same_spans(left: pl.DataFrame, right: pl.DataFrame) -> None:
    """Equal rows; confidences within the tolerance of differently cut batches."""
    assert left.drop("confidence").equals(right.drop("confidence"))
    gap = (left["confidence"] - right["confidence"]).abs().max()
    assert gap <= CONFIDENCE_TOLERANCE, gap


def long_text(i: int) -> tuple[str, str]:
    """A title and a body of about 100 words: long enough for story bands."""
    title, body = article_text(i)
    return title, body + "\n\n" + article_text(i + 1000)[1]


def near_copy(body: str) -> str:
    """The same wire text with one word edited and a line added: shares a band with it."""
    return body.replace("welcomed", "praised", 1) + "\n\nThis story originally appeared on Wire."


def record(url: str, text: tuple[str, str], published: str) -> dict[str, object]:
    return jsonl_record(0, url=url, title=text[0], text=text[1], published=published)


@pytest.fixture(scope="module")
def spread_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copies whose first copy is in another file (each file is its own batch below)."""
    root = tmp_path_factory.mktemp("spread")
    a, b, x, p = long_text(1), long_text(2), long_text(3), long_text(4)
    write_jsonl(
        root / "a.jsonl",
        [
            record("https://e.example/a", a, "2024-11-05T08:00:00Z"),
            record("https://e.example/b", b, "2024-11-06T08:00:00Z"),
            record("https://e.example/x", x, "2024-11-07T08:00:00Z"),
        ],
    )
    write_jsonl(
        root / "b.jsonl",
        [
            record("https://e.example/a", a, "2024-11-05T08:00:00Z"),  # exact copy
            record("https://mirror.example/b", b, "2024-11-06T08:00:00Z"),  # text copy
            record("https://e.example/y", x, "2024-11-07T08:00:00Z"),  # y's first copy: x's text
            # an earlier near-copy of a: the story is named after it, from a later batch
            record("https://wire.example/a", (a[0], near_copy(a[1])), "2024-11-01T08:00:00Z"),
            # an earlier near-copy of the published p: p's story is renamed after it
            record("https://wire.example/p", (p[0], near_copy(p[1])), "2024-11-02T08:00:00Z"),
        ],
    )
    write_jsonl(
        root / "c.jsonl",
        [
            record("https://e.example/b", long_text(5), "2024-11-08T08:00:00Z"),  # b, new text
            record("https://e.example/y", long_text(6), "2024-11-09T08:00:00Z"),  # y, new text
            jsonl_record(7, title=""),  # a reject: no title
        ],
    )
    (root / "d.txt").write_text("\n".join(long_text(4)) + "\n", encoding="utf-8")
    return root


def test_ingest_batches_give_the_same_warehouse_as_one_batch(
    tmp_path: Path, spread_corpus: Path
) -> None:
    published = tmp_path / "published.jsonl"
    write_jsonl(published, [record("https://e.example/p", long_text(4), "2024-11-04T08:00:00Z")])
    warehouses = {}
    for name, budget in (("whole", 64 * 1024 * 1024), ("batched", 1)):
        settings = Settings(
            home=tmp_path / name, ner_processes=1, logical_date=DAY, ingest_batch_bytes=budget
        )
        assert run([published], settings.with_(logical_date=DAY - ONE_DAY))[0].is_completed()
        state, report = run([spread_corpus], settings)
        assert state.is_completed()
        warehouses[name] = (settings, report)

    (whole, one), (batched, many) = warehouses["whole"], warehouses["batched"]
    assert fingerprint_file(batched.published_db) == fingerprint_file(whole.published_db)
    for sql in (
        "select input_uri, sha256, size_bytes from input_files order by all",
        "select article_id, band, band_hash from article_bands order by all",
        "select n_files, n_records, n_loaded, n_duplicates, n_rejected from loads order by all",
    ):
        assert rows(batched, sql) == rows(whole, sql), sql
    counts = ("n_records", "n_loaded", "n_duplicates", "n_rejected", "rejects_by_reason")
    assert {c: getattr(many, c) for c in counts} == {c: getattr(one, c) for c in counts}

    # what the corpus is there to exercise happened
    assert (one.n_records, one.n_loaded, one.n_duplicates, one.n_rejected) == (12, 6, 5, 1)
    stories = dict(rows(whole, "select url, story_id = article_id from articles"))
    assert stories["https://wire.example/a"] and not stories["https://e.example/a"]
    assert stories["https://wire.example/p"] and not stories["https://e.example/p"]
    links = dict(
        rows(whole, "select input_uri || ':' || input_record, duplicate_of from duplicates")
    )
    (y_id,) = rows(whole, "select article_id from articles where url = 'https://e.example/y'")
    assert links[f"{spread_corpus}/b.jsonl:3"] == y_id[0]  # stored from a later batch
