"""The measurements behind `python -m benchmarks`."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
BBC = REPO.parent / "shared" / "data" / "corpora" / "bbc-news" / "bbc-news-shared.tar.gz"


@dataclass(frozen=True)
class Row:
    name: str
    unit: str
    value: float


@dataclass(frozen=True)
class PipelineRun:
    timings: dict[str, float]
    wall: float
    peak_rss_mib: float


def machine_line() -> str:
    import duckdb as d
    import polars
    import prefect
    import spacy

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores, {mem:.0f} GiB, {platform.machine()}; prefect {prefect.__version__}, "
        f"duckdb {d.__version__}, polars {polars.__version__}, spacy {spacy.__version__}"
    )


def real_news_texts(limit: int) -> tuple[list[str], str]:
    """BBC articles read straight from the shared tarball (never copied), when present."""
    if not BBC.exists():
        return [], ""
    texts = []
    with tarfile.open(BBC) as archive:
        for member in archive:
            if member.isfile() and member.name.endswith(".txt"):
                texts.append(archive.extractfile(member).read().decode("latin-1"))
            if len(texts) >= limit:
                break
    return texts, f"{len(texts)} BBC articles"


def synthetic_texts(limit: int) -> list[str]:
    import random

    from benchmarks.corpus import synthetic_article

    rng = random.Random(1)
    return [str(synthetic_article(rng, i, 400)["body"]) for i in range(limit)]


def ner_speed(texts: list[str], processes: int) -> float:
    from flows.core.entities.ner import extract_spans, load_pipeline

    nlp = load_pipeline()
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    extract_spans(nlp, texts, n_process=processes)
    return words / (time.perf_counter() - started)


def pipeline_run(
    corpus: Path,
    home: Path,
    expect_published: bool = True,
    env: dict[str, str] | None = None,
    extra_args: list[str] | None = None,
) -> PipelineRun:
    """The CLI as a user runs it, under /usr/bin/time for the peak RSS."""
    env = dict(os.environ, WIREHOUSE_HOME=str(home), **(env or {}))
    command = [
        "/usr/bin/time",
        "-f",
        "%M",
        sys.executable,
        "-m",
        "flows",
        "run",
        "--date",
        "2024-12-31",
        *(extra_args or []),
        str(corpus),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"benchmark run failed: {done.stderr[-2000:]}")
    peak_kib = float(done.stderr.strip().splitlines()[-1])
    if not expect_published:
        return PipelineRun({}, wall, peak_kib / 1024)
    with duckdb.connect(str(home / "news.duckdb"), read_only=True) as con:
        (timings,) = con.execute("select timings from loads where status = 'published'").fetchone()
    return PipelineRun(json.loads(timings), wall, peak_kib / 1024)


EMPTY_FLOW = """
from prefect import flow

@flow(name="empty")
def empty() -> int:
    return 0

empty()
"""


def empty_flow_seconds() -> float:
    """A flow that does nothing, in a fresh process: Prefect's own floor for any run."""
    env = dict(
        os.environ, PREFECT_LOGGING_LEVEL="CRITICAL", PREFECT_SERVER_ANALYTICS_ENABLED="false"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", EMPTY_FLOW], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def rerun_seconds(corpus: Path, home: Path) -> float:
    """The same CLI run again on an already loaded corpus: the cost of the incremental check."""
    return pipeline_run(corpus, home, expect_published=False).wall


def row_at_a_time_baseline(corpus: Path, db_path: Path) -> float:
    """The same parse + normalize + stage work done the naive way: pandas row-wise
    parsing and cleaning, then one INSERT per article. Returns seconds."""
    import hashlib
    import re
    import unicodedata

    import pandas as pd

    started = time.perf_counter()
    lines = [
        line for path in sorted(corpus.glob("*.jsonl")) for line in path.read_text().splitlines()
    ]
    frame = pd.DataFrame({"line": lines})
    records = frame["line"].apply(json.loads).apply(pd.Series)

    def clean(row: pd.Series) -> pd.Series:
        body = unicodedata.normalize("NFC", row["body"])
        body = re.sub(r"[^\S\n]+", " ", body)
        row["body"] = re.sub(r" ?\n\s*", "\n\n", body).strip()
        row["title"] = re.sub(r"\s+", " ", unicodedata.normalize("NFC", row["title"])).strip()
        row["article_id"] = hashlib.sha256(("url:" + row["url"]).encode()).hexdigest()[:32]
        row["content_hash"] = hashlib.sha256(
            (row["title"] + "\n" + row["body"]).encode()
        ).hexdigest()
        row["word_count"] = len(row["body"].split())
        return row

    records = records.apply(clean, axis=1)
    con = duckdb.connect(str(db_path))
    con.execute(
        "create table articles (article_id varchar, title varchar, body varchar, url varchar, "
        "content_hash varchar, word_count integer)"
    )
    for row in records.itertuples():
        exists = con.execute(
            "select 1 from articles where article_id = ? or content_hash = ?",
            [row.article_id, row.content_hash],
        ).fetchone()
        if not exists:
            con.execute(
                "insert into articles values (?, ?, ?, ?, ?, ?)",
                [row.article_id, row.title, row.body, row.url, row.content_hash, row.word_count],
            )
    con.close()
    return time.perf_counter() - started
