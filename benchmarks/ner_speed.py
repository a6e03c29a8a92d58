"""How fast the shipped entity model tags real news, on its own:

    python -m benchmarks.ner_speed [--texts 2000] [--repeat 3] [--processes 1,2]

Tags the first --texts BBC articles of ../shared/data/corpora (synthetic articles when the
corpora are absent) with the entity step's own tagger, once per process count, and prints
words per second (whitespace words): the median of --repeat timed passes after one untimed
warm-up pass, plus the slowest and fastest pass, since this machine's speed varies between
invocations. The model is loaded and the workers started before any timing.
"""

from __future__ import annotations

import argparse
import statistics

from benchmarks.corpus import sample_texts
from benchmarks.measure import Row, machine_line, ner_speeds, progress, real_news_texts
from benchmarks.report import render


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ner_speed", description=__doc__)
    parser.add_argument("--texts", type=int, default=2000, help="articles to tag per pass")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (median)")
    parser.add_argument("--processes", default="1,2", help="comma-separated process counts")
    args = parser.parse_args()
    args.processes = [int(p) for p in args.processes.split(",")]
    if args.repeat < 1 or args.texts < 1 or min(args.processes) < 1:
        parser.error("--texts, --repeat and --processes must be at least 1")
    return args


def speed_rows(texts: list[str], label: str, processes: list[int], repeat: int) -> list[Row]:
    """One row per process count: the median pass, with the range in the note."""
    words = sum(len(t.split()) for t in texts)
    rows = []
    for count in processes:
        progress(f"tagging {label} ({words:,} words) with {count} process(es)...")
        speeds = ner_speeds(texts, count, repeat)
        note = f"{label}, {words:,} words; passes {min(speeds):,.0f}-{max(speeds):,.0f}"
        rows.append(Row(f"NER, {count} process(es)", "words/s", statistics.median(speeds), note))
    return rows


def main() -> None:
    args = parse_args()
    texts, label = real_news_texts(args.texts)
    if not texts:
        texts, label = sample_texts(args.texts), f"{args.texts} synthetic articles"
    print(f"Machine: {machine_line()}")
    print(render(speed_rows(texts, label, args.processes, args.repeat)))


if __name__ == "__main__":
    main()
