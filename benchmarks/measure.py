"""The measurements behind `python -m benchmarks`: the CLI run, reruns, Prefect's floor and
the entity model alone."""

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
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:  # pragma: no cover - typing only
    from flows.core.entities.parallel import Tagger

REPO = Path(__file__).resolve().parent.parent
BBC = REPO.parent / "shared" / "data" / "corpora" / "bbc-news" / "bbc-news-shared.tar.gz"
# The stage seconds of the run just measured: the latest published load of the warehouse.
LATEST_TIMINGS = (
    "select timings from loads where status = 'published' order by started_at desc limit 1"
)
STAGES = ("discover", "parse", "normalize", "stage", "extract", "audit", "publish")


@dataclass(frozen=True)
class Row:
    name: str
    unit: str
    value: float
    note: str = ""


@dataclass(frozen=True)
class PipelineRun:
    timings: dict[str, float]
    wall: float
    peak_rss_mib: float
    peak_tree_mib: float = 0.0  # all processes of the run at once (benchmarks/memory.py)


def progress(message: str) -> None:
    """One line per phase on stderr: a run at 100k articles takes hours."""
    print(message, file=sys.stderr, flush=True)


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


def ner_speeds(
    texts: list[str], processes: int, repeat: int, model: str | None = None
) -> list[float]:
    """Words per second of a model setting (default: the shipped model) with a fixed process
    count, `repeat` times.

    Steady state, as in a run: one pool, warmed by an untimed pass over the same texts (the
    entity step's pool lives for the whole run, so only its first chunks are cold; a cold
    pass was 8-15 % slower here), model load excluded."""
    words = sum(len(t.split()) for t in texts)
    speeds = []
    with warm_tagger(processes, model) as tagger:
        tagger(texts)
        for _ in range(repeat):
            started = time.perf_counter()
            tagger(texts)
            speeds.append(words / (time.perf_counter() - started))
    return speeds


def warm_tagger(processes: int, model: str | None = None) -> Tagger:
    """The entity step's tagger with its model loaded and its workers started, so the timed
    call measures tagging only (start-up is paid once per run and shows in the run's time)."""
    from flows.core.entities.parallel import Tagger

    tagger = Tagger(model, processes)
    tagger(["Warm-up text about Berlin."] * 4 * processes, chunk_chars=1)
    return tagger


def extraction_processes(n_texts: int) -> int:
    """The process count the entity step picks for this many texts (settings, then auto)."""
    from flows.settings import Settings
    from flows.steps.extract import ner_processes

    return ner_processes(Settings.from_env().ner_processes, n_texts)


def extraction_alone_seconds(texts: list[str]) -> float:
    """The shipped model over `texts` exactly as the entity step tags them (same call, same
    process count), without linking, staging or model loading. This is the one place to
    change when the step tags differently (e.g. a parallel variant)."""
    from flows.steps.progress import Counter

    processes = extraction_processes(len(texts))
    counter = Counter("extraction alone", len(texts), "titles and bodies", every=30.0)
    with warm_tagger(processes) as tagger:
        started = time.perf_counter()
        tagger(texts, counter)
        return time.perf_counter() - started


def stored_texts(home: Path, limit: int = 0) -> tuple[list[str], int]:
    """Titles, then bodies, of the articles a run stored: the entity step's own input, in its
    order. Returns (texts, articles); `limit` > 0 keeps the first `limit` articles only."""
    sql = "select title, body from articles order by article_id"
    with duckdb.connect(str(home / "news.duckdb"), read_only=True) as con:
        rows = con.execute(sql + (f" limit {int(limit)}" if limit > 0 else "")).fetchall()
    return [title for title, _ in rows] + [body for _, body in rows], len(rows)


def stored_count(home: Path) -> int:
    """Articles the run stored (input records minus duplicates and rejects)."""
    with duckdb.connect(str(home / "news.duckdb"), read_only=True) as con:
        (count,) = con.execute("select count(*) from articles").fetchone()
    return int(count)


def pipeline_run(
    corpus: Path,
    home: Path,
    expect_published: bool = True,
    env: dict[str, str] | None = None,
    extra_args: list[str] | None = None,
) -> PipelineRun:
    """The CLI as a user runs it, under /usr/bin/time for the peak RSS; its per-stage lines
    are passed on to our stderr, so a run of hours shows where it is."""
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
    lines, tree_mib = _run_echoing_stages(command, env)
    wall = time.perf_counter() - started
    peak_kib = float(lines[-1])
    if not expect_published:
        return PipelineRun({}, wall, peak_kib / 1024, tree_mib)
    with duckdb.connect(str(home / "news.duckdb"), read_only=True) as con:
        (timings,) = con.execute(LATEST_TIMINGS).fetchone()
    return PipelineRun(json.loads(timings), wall, peak_kib / 1024, tree_mib)


def _run_echoing_stages(command: list[str], env: dict[str, str]) -> tuple[list[str], float]:
    """Run to the end; return its stderr lines (the last one is /usr/bin/time's) and the
    peak memory of its whole process tree in MiB."""
    from benchmarks.memory import TreePeak

    with (
        subprocess.Popen(
            command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        ) as child,
        TreePeak(child.pid) as memory,
    ):
        assert child.stderr is not None
        lines = []
        for line in child.stderr:
            if line.startswith("  "):  # "  extract ... 2,048 of 20,000 titles and bodies"
                print("  " + line, end="", file=sys.stderr, flush=True)
            lines.append(line.rstrip("\n"))
    if child.returncode != 0:
        raise RuntimeError("benchmark run failed: " + "\n".join(lines[-40:]))
    return [line for line in lines if line.strip()], memory.peak_mib


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


def snapshot_seconds(home: Path) -> float:
    """Seconds to write one more published version from a copy of the live file (no delta)."""
    from flows.settings import Settings
    from flows.snapshots import published_versions, write_snapshot
    from flows.warehouse import connect

    settings = Settings(home=home)
    version = published_versions(settings)[-1] + 1
    with connect(settings) as con:
        started = time.perf_counter()
        write_snapshot(con, settings, version)
        return time.perf_counter() - started
