"""Wirehouse benchmarks:

    python -m benchmarks [--sizes 1000,10000,100000] [--repeat 3] [--baseline-size 10000]
                         [--extraction-limit 0] [--no-write]
    python -m benchmarks --views-only WIREHOUSE_HOME
    python -m benchmarks --views-scale 100000,1000000 [--repeat 3] [--no-write]

Prints a table and writes benchmarks/RESULTS.md. Every figure is the median of --repeat
runs; ratios compare numbers measured in the same invocation on the same machine. One line
per phase goes to stderr, so a long run shows where it is.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks import scale_views, views
from benchmarks.baseline import NaiveRun, naive_run
from benchmarks.corpus import CorpusSpec, CorpusStats, sample_texts, write_corpus_stats
from benchmarks.measure import (
    STAGES,
    PipelineRun,
    Row,
    empty_flow_seconds,
    extraction_alone_seconds,
    extraction_processes,
    ner_speeds,
    pipeline_run,
    progress,
    real_news_texts,
    rerun_seconds,
    snapshot_seconds,
    stored_count,
    stored_texts,
)
from benchmarks.report import number, render, write_results
from flows.settings import Settings

NAIVE_MAX_DEFAULT = 10_000  # the naive run is minutes per 10k articles; hours beyond
VIEW_REPEAT = 3
JOB = "ingest, normalize, dedup, load; no NER"


@dataclass(frozen=True)
class Measured:
    """One size's runs, the inputs of its rows."""

    size: int
    corpus: CorpusStats
    runs: list[PipelineRun]
    reruns: list[float]
    empties: list[float]


def main() -> None:
    args = parse_args()
    if args.views_only:
        snapshot = views.snapshot_of(args.views_only)
        progress(f"timing the standard queries on {snapshot}...")
        label = f"{views.article_count(snapshot):,} articles"
        print(render(view_rows(label, views.time_queries(snapshot, VIEW_REPEAT))))
        return
    if args.views_scale:
        print(render([row for size in args.views_scale for row in scale_rows(size)]))
        return
    rows = ner_rows(args.ner_texts, args.repeat)
    with tempfile.TemporaryDirectory(prefix="wirehouse-bench-") as tmp:
        for size in args.sizes:
            rows += measure_size(Path(tmp), size, args)
    table = render(rows)
    print(table)
    if not args.no_write:
        write_results(table, command_line(args), args.repeat)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="1000", help="comma-separated article counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--baseline-size",
        default=None,
        help="comma-separated sizes (among --sizes) at which to run the naive baseline, "
        f"or 0 for none (default: every size up to {NAIVE_MAX_DEFAULT:,})",
    )
    parser.add_argument(
        "--extraction-limit",
        type=int,
        default=0,
        help="time the model alone on the first K stored articles only (default 0: all)",
    )
    parser.add_argument("--ner-texts", type=int, default=600, help="texts for the NER rows")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--views-only",
        type=Path,
        metavar="WIREHOUSE_HOME",
        help="only time the standard view and dashboard queries on this warehouse",
    )
    parser.add_argument(
        "--views-scale",
        default="",
        metavar="SIZES",
        help="only time the standard queries on generated published warehouses of these "
        "comma-separated article counts (benchmarks/scale_views.py; no pipeline run)",
    )
    args = parser.parse_args()
    args.views_scale = [int(s) for s in args.views_scale.split(",") if s]
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if args.baseline_size is None:
        args.baseline_sizes = [s for s in args.sizes if s <= NAIVE_MAX_DEFAULT]
    else:
        args.baseline_sizes = [int(s) for s in args.baseline_size.split(",") if int(s) > 0]
    if missing := set(args.baseline_sizes) - set(args.sizes):
        parser.error(f"--baseline-size {sorted(missing)} not in --sizes: same corpus, same run")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def command_line(args: argparse.Namespace) -> str:
    """The command as RESULTS.md shows it (enough to reproduce the table)."""
    sizes = ",".join(str(s) for s in args.sizes)
    command = f"python -m benchmarks --sizes {sizes} --repeat {args.repeat}"
    if args.baseline_size is not None:
        command += f" --baseline-size {args.baseline_size}"
    if args.extraction_limit:
        command += f" --extraction-limit {args.extraction_limit}"
    return command


def ner_rows(n_texts: int, repeat: int) -> list[Row]:
    """Model speed on real news (BBC) when the shared corpora are there, per process count."""
    texts, label = real_news_texts(n_texts)
    if not texts:
        texts, label = sample_texts(n_texts), f"{n_texts} synthetic articles"
    rows = []
    for processes in (1, 2):
        progress(f"NER alone, {processes} process(es), {label}...")
        speeds = ner_speeds(texts, processes, repeat)
        rows.append(
            Row(f"NER alone, {processes} process(es)", "words/s", statistics.median(speeds), label)
        )
    return rows


def measure_size(tmp: Path, size: int, args: argparse.Namespace) -> list[Row]:
    """Every measurement at one size, on one corpus; its files are deleted afterwards."""
    corpus, homes = tmp / f"corpus-{size}", [tmp / f"wh-{size}-{i}" for i in range(args.repeat)]
    progress(f"N={size}: writing corpus...")
    spec = CorpusSpec(n_articles=size)
    stats = write_corpus_stats(corpus, spec)
    progress(f"N={size}: {stats.describe()}")
    runs, reruns = [], []
    for i, home in enumerate(homes):
        progress(f"N={size}: run {i + 1}/{args.repeat} (wirehouse run)...")
        runs.append(pipeline_run(corpus, home))
        progress(f"N={size}: rerun {i + 1}/{args.repeat} (nothing new)...")
        reruns.append(rerun_seconds(corpus, home))
        if i > 0:
            shutil.rmtree(home)
    empties = []
    for i in range(args.repeat):
        progress(f"N={size}: empty Prefect flow {i + 1}/{args.repeat}...")
        empties.append(empty_flow_seconds())
    measured = Measured(size, stats, runs, reruns, empties)
    rows = corpus_rows(measured, spec) + stage_rows(measured)
    rows += extraction_rows(measured, homes[0], args.repeat, args.extraction_limit)
    if size in args.baseline_sizes:
        rows += baseline_rows(measured, corpus, tmp, args.repeat)
    rows += rerun_rows(measured)
    if size == max(args.sizes):
        rows += publish_rows(homes[0], tmp, size)
        snapshot = views.snapshot_of(homes[0])
        progress(f"N={size}: standard view queries...")
        rows += view_rows(f"N={size}", views.time_queries(snapshot, VIEW_REPEAT))
    shutil.rmtree(corpus)
    shutil.rmtree(homes[0])
    return rows


def publish_rows(home: Path, tmp: Path, size: int) -> list[Row]:
    """What an ordinary publish costs: a second, small load into the N-article warehouse,
    against writing its snapshot alone (a copy of the live file) right after: the share of
    the publish that follows the warehouse's size rather than the new rows."""
    delta = tmp / f"delta-{size}"
    n_new = max(100, size // 100)
    progress(f"N={size}: publish cost, a second load of {n_new} new articles...")
    write_corpus_stats(delta, CorpusSpec(n_articles=n_new, seed=8, duplicate_rate=0.0))
    publish = pipeline_run(delta, home).timings["publish"]
    shutil.rmtree(delta)
    full = snapshot_seconds(home)
    return [
        Row(
            f"N={size}: publish {n_new} more articles",
            "s",
            publish,
            "transaction, views and snapshot",
        ),
        Row(
            f"N={size}: snapshot of the same warehouse",
            "s",
            full,
            "the live file copied, less the writer's own tables, as every publish does",
        ),
        Row(f"N={size}: snapshot share of that publish", "%", 100 * full / publish),
    ]


def corpus_rows(m: Measured, spec: CorpusSpec) -> list[Row]:
    """What the corpus holds: the realised rates (the spec's targets in the notes)."""
    share = 100 / max(m.corpus.records, 1)
    return [
        Row(f"N={m.size}: corpus", "MB", m.corpus.bytes / 1e6, m.corpus.describe()),
        Row(
            f"N={m.size}: exact duplicates in the corpus",
            "%",
            m.corpus.exact_duplicates * share,
            f"target {100 * spec.duplicate_rate:g}%; skipped by the run as duplicates",
        ),
        Row(
            f"N={m.size}: syndicated near-copies in the corpus",
            "%",
            m.corpus.near_copies * share,
            f"target {100 * spec.syndicated_rate:g}%; stored, grouped into their original's story",
        ),
    ]


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def stage_seconds(m: Measured, stage: str) -> float:
    return _median([r.timings.get(stage, float("nan")) for r in m.runs])


def stage_rows(m: Measured) -> list[Row]:
    """Per stage from loads.timings; then the whole CLI process."""
    n, mb = m.corpus.records, m.corpus.bytes / 1e6
    rows = []
    for stage in STAGES:
        seconds = stage_seconds(m, stage)
        rows.append(
            Row(
                f"N={m.size}: {stage}",
                "articles/s",
                n / seconds if seconds else 0.0,
                f"{number(mb / seconds if seconds else 0.0)} MB/s; {number(seconds)} s",
            )
        )
    fast = _median([sum(r.timings[s] for s in ("parse", "normalize", "stage")) for r in m.runs])
    wall = _median([r.wall for r in m.runs])
    return rows + [
        Row(
            f"N={m.size}: parse+normalize+stage",
            "articles/s",
            n / fast,
            f"{number(mb / fast)} MB/s; {number(fast)} s",
        ),
        Row(
            f"N={m.size}: end to end (CLI process)",
            "articles/s",
            n / wall,
            f"{number(mb / wall)} MB/s",
        ),
        Row(f"N={m.size}: end to end wall", "s", wall, "Prefect start-up included"),
        Row(
            f"N={m.size}: peak RSS",
            "MiB",
            _median([r.peak_rss_mib for r in m.runs]),
            "largest single process (/usr/bin/time)",
        ),
        Row(
            f"N={m.size}: peak RSS, all processes",
            "MiB",
            _median([r.peak_tree_mib for r in m.runs]),
            "the run, its tagging workers and Prefect's server at once (sampled every 0.5 s)",
        ),
    ]


def extraction_rows(m: Measured, home: Path, repeat: int, limit: int) -> list[Row]:
    """The model alone on the articles the run stored, and what the rest of the run costs."""
    texts, articles = stored_texts(home, limit)
    seconds = []
    for i in range(repeat):
        progress(f"N={m.size}: extraction alone {i + 1}/{repeat} ({articles:,} articles)...")
        seconds.append(extraction_alone_seconds(texts))
    alone = articles / _median(seconds)
    end_to_end = stored_count(home) / _median([r.wall for r in m.runs])
    ratio = end_to_end / alone
    return [
        Row(
            f"N={m.size}: extraction alone (same articles)",
            "articles/s",
            alone,
            f"titles+bodies of {articles:,} stored articles; "
            f"{extraction_processes(len(texts))} process(es); model load excluded",
        ),
        Row(
            f"N={m.size}: end to end / extraction alone",
            "x",
            ratio,
            "stored articles/s of the CLI run / of the model alone",
        ),
        Row(
            f"N={m.size}: everything but the model",
            "%",
            100 * (1 - ratio),
            "share of the end-to-end time spent outside the model",
        ),
    ]


def baseline_rows(m: Measured, corpus: Path, tmp: Path, repeat: int) -> list[Row]:
    """The naive job on the same corpus, and Wirehouse's speed-up over it, two ways."""
    naive: list[NaiveRun] = []
    for i in range(repeat):
        progress(f"N={m.size}: naive baseline {i + 1}/{repeat} (one Prefect task per article)...")
        db_path = tmp / f"naive-{m.size}-{i}.duckdb"
        naive.append(naive_run(corpus, db_path))
        db_path.unlink()
        db_path.with_name(db_path.name + ".wal").unlink(missing_ok=True)
    n = m.corpus.records
    job = _median([r.seconds for r in naive])
    naive_wall = _median([r.wall for r in naive])
    fast = _median([sum(r.timings[s] for s in ("parse", "normalize", "stage")) for r in m.runs])
    wall_but_extract = _median([r.wall - r.timings["extract"] for r in m.runs])
    return [
        Row(
            f"N={m.size}: naive baseline",
            "articles/s",
            n / job,
            f"{JOB}; {1000 * job / n:,.1f} ms/article inside its flow; "
            f"loaded {naive[0].loaded:,}, skipped {naive[0].duplicates:,}",
        ),
        Row(
            f"N={m.size}: naive baseline wall",
            "s",
            naive_wall,
            "its process, Prefect start-up included",
        ),
        Row(
            f"N={m.size}: speed-up over naive, parse+normalize+stage",
            "x",
            job / fast,
            "same job, same corpus: naive flow seconds / Wirehouse stage seconds",
        ),
        Row(
            f"N={m.size}: speed-up over naive, wall minus extract",
            "x",
            naive_wall / wall_but_extract,
            "process walls; Wirehouse's also audits and publishes",
        ),
    ]


def rerun_rows(m: Measured) -> list[Row]:
    rerun, empty = _median(m.reruns), _median(m.empties)
    return [
        Row(f"N={m.size}: rerun with nothing new", "s", rerun, "same CLI, same files again"),
        Row(f"N={m.size}: empty Prefect flow (fresh process)", "s", empty),
        Row(f"N={m.size}: rerun / empty flow", "x", rerun / empty),
    ]


def scale_rows(size: int) -> list[Row]:
    """A generated warehouse of `size` articles (and one more day of 1%): what building and
    publishing it cost, then the standard queries on its current version."""
    delta = max(100, size // 100)
    with tempfile.TemporaryDirectory(prefix="wirehouse-views-") as tmp:
        progress(f"generating a published warehouse of {size:,} articles (+{delta:,})...")
        built = scale_views.build(Settings(home=Path(tmp)), size, delta=delta)
        label = f"generated {built.counts['articles']:,}"
        progress(f"{label}: standard view queries...")
        timed = views.time_queries(built.snapshot, VIEW_REPEAT)
        size_mib = built.snapshot.stat().st_size / 2**20
    counts = ", ".join(f"{n:,} {table}" for table, n in built.counts.items())
    return [
        Row(f"{label}: build and publish", "s", built.build_seconds, counts),
        Row(
            f"{label}: publish one more day",
            "s",
            built.delta_seconds,
            f"{delta:,} articles: publish files, views, snapshot; {size_mib:,.0f} MiB",
        ),
        *view_rows(label, timed),
    ]


def view_rows(label: str, timed: list[views.QueryTime]) -> list[Row]:
    """Milliseconds per standard query, then the slowest of each kind: what a dashboard or
    `wirehouse query` user waits for, and a whole view read by a BI tool (can be big)."""
    rows = [
        Row(
            f"{label}: {q.kind} {q.name}",
            "ms",
            1000 * q.seconds,
            f"{q.rows:,} rows; processor {1000 * q.cpu_seconds:,.0f} ms",
        )
        for q in timed
    ]
    how = f"published snapshot, read-only, fresh connection, median of {VIEW_REPEAT}"
    interactive = [q for q in timed if q.kind in views.INTERACTIVE]
    whole = [q for q in timed if q.kind not in views.INTERACTIVE]
    for name, group in (("dashboard/README query", interactive), ("whole-view read", whole)):
        slowest = max(group, key=lambda q: q.seconds)
        rows.append(
            Row(
                f"{label}: slowest {name}",
                "ms",
                1000 * slowest.seconds,
                f"{slowest.kind} {slowest.name}; {how}",
            )
        )
    return rows


if __name__ == "__main__":
    main()
