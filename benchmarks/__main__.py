"""Wirehouse benchmarks: `python -m benchmarks [--sizes 1000,10000] [--repeat 3]`.

Prints a table and writes benchmarks/RESULTS.md. Every figure is the median of --repeat
runs; ratios compare numbers measured in the same invocation on the same machine.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
from pathlib import Path

from benchmarks.corpus import CorpusSpec, write_corpus
from benchmarks.measure import (
    Row,
    empty_flow_seconds,
    machine_line,
    ner_speed,
    pipeline_run,
    real_news_texts,
    rerun_seconds,
    row_at_a_time_baseline,
    synthetic_texts,
)

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--sizes", default="1000", help="comma-separated article counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ner-texts", type=int, default=600)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    rows: list[Row] = []
    texts, label = real_news_texts(args.ner_texts)
    if not texts:
        texts, label = synthetic_texts(args.ner_texts), "synthetic articles (shared corpora absent)"
    for processes in (1, 2):
        speeds = [ner_speed(texts, processes) for _ in range(args.repeat)]
        rows.append(
            Row(
                f"NER alone, {processes} process(es), {label}", "words/s", statistics.median(speeds)
            )
        )
    with tempfile.TemporaryDirectory(prefix="wirehouse-bench-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            rows += measure_size(Path(tmp), size, args.repeat)
    table = render(rows)
    print(table)
    if not args.no_write:
        write_results(table, args)


def measure_size(tmp: Path, size: int, repeat: int) -> list[Row]:
    corpus = tmp / f"corpus-{size}"
    n_records, n_bytes = write_corpus(corpus, CorpusSpec(n_articles=size))
    runs = [pipeline_run(corpus, tmp / f"wh-{size}-{i}") for i in range(repeat)]
    baseline = [
        row_at_a_time_baseline(corpus, tmp / f"naive-{size}-{i}.duckdb") for i in range(repeat)
    ]
    reruns = [rerun_seconds(corpus, tmp / f"wh-{size}-{i}") for i in range(repeat)]
    empties = [empty_flow_seconds() for _ in range(repeat)]
    rows = []
    for stage in ("discover", "parse", "normalize", "stage", "extract", "audit", "publish"):
        seconds = statistics.median(r.timings.get(stage, float("nan")) for r in runs)
        rows.append(
            Row(f"N={size}: {stage}", "articles/s", n_records / seconds if seconds else 0.0)
        )
    fast = statistics.median(
        r.timings["parse"] + r.timings["normalize"] + r.timings["stage"] for r in runs
    )
    naive = statistics.median(baseline)
    wall = statistics.median(r.wall for r in runs)
    rows += [
        Row(f"N={size}: parse+normalize+stage", "MB/s", n_bytes / 1e6 / fast),
        Row(f"N={size}: row-at-a-time baseline (same work)", "articles/s", n_records / naive),
        Row(f"N={size}: speed-up over the baseline", "x", naive / fast),
        Row(f"N={size}: end to end (CLI process)", "articles/s", n_records / wall),
        Row(f"N={size}: end to end wall", "s", wall),
        Row(f"N={size}: peak RSS", "MiB", statistics.median(r.peak_rss_mib for r in runs)),
        Row(f"N={size}: rerun with nothing new", "s", statistics.median(reruns)),
        Row("empty Prefect flow (fresh process)", "s", statistics.median(empties)),
        Row(
            f"N={size}: rerun / empty flow",
            "x",
            statistics.median(reruns) / statistics.median(empties),
        ),
    ]
    return rows


def render(rows: list[Row]) -> str:
    width = max(len(r.name) for r in rows)
    lines = [f"{'measure'.ljust(width)}  {'value':>12}  unit", "-" * (width + 22)]
    lines += [f"{r.name.ljust(width)}  {r.value:>12,.1f}  {r.unit}" for r in rows]
    return "\n".join(lines)


OTHER_BENCHMARKS = "## Other benchmarks"


def write_results(table: str, args: argparse.Namespace) -> None:
    """Rewrite the main table; the sections of the other benchmark scripts are kept."""
    command = f"python -m benchmarks --sizes {args.sizes} --repeat {args.repeat}"
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    kept = old[old.index(OTHER_BENCHMARKS) :] if OTHER_BENCHMARKS in old else ""
    RESULTS.write_text(
        "# Benchmark results\n\n"
        f"Machine: {machine_line()}; Python {platform.python_version()}.\n\n"
        f"Command: `{command}` (medians of {args.repeat} runs).\n\n"
        "```\n" + table + "\n```\n" + ("\n" + kept if kept else ""),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
