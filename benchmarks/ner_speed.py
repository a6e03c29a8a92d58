"""How fast the shipped entity model tags real news, on its own:

    python -m benchmarks.ner_speed [--texts 2000] [--repeat 3] [--processes 1,2]
                                   [--models shipped,accurate]

Tags the first --texts BBC articles of ../shared/data/corpora (synthetic articles when the
corpora are absent) with the entity step's own tagger, once per process count, and prints
words per second (whitespace words): the median of --repeat timed passes after one untimed
warm-up pass, plus the slowest and fastest pass, since this machine's speed varies between
invocations. The model is loaded and the workers started before any timing. With several
--models (WIREHOUSE_NER_MODEL settings) each row also gives its speed as a share of the first
model's at the same process count, measured in the same run.
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
    parser.add_argument(
        "--models",
        default="shipped",
        help="semicolon-separated model settings to compare, the first is the baseline "
        "(e.g. 'shipped;accurate')",
    )
    args = parser.parse_args()
    args.processes = [int(p) for p in args.processes.split(",")]
    args.models = [m.strip() for m in args.models.split(";") if m.strip()] or ["shipped"]
    if args.repeat < 1 or args.texts < 1 or min(args.processes) < 1:
        parser.error("--texts, --repeat and --processes must be at least 1")
    return args


def speed_rows(
    texts: list[str], label: str, processes: list[int], repeat: int, models: list[str]
) -> list[Row]:
    """One row per model and process count: the median pass, with the range in the note."""
    words = sum(len(t.split()) for t in texts)
    rows = []
    baseline: dict[int, float] = {}
    for model in models:
        for count in processes:
            progress(f"tagging {label} ({words:,} words), {model}, {count} process(es)...")
            speeds = ner_speeds(texts, count, repeat, model)
            median = statistics.median(speeds)
            baseline.setdefault(count, median)
            note = f"{label}, {words:,} words; passes {min(speeds):,.0f}-{max(speeds):,.0f}"
            if len(models) > 1:
                note += f"; {median / baseline[count]:.2f}x {models[0]}"
            name = f"NER, {count} process(es)" if len(models) == 1 else f"NER {model}, {count} p."
            rows.append(Row(name, "words/s", median, note))
    return rows


def main() -> None:
    args = parse_args()
    texts, label = real_news_texts(args.texts)
    if not texts:
        texts, label = sample_texts(args.texts), f"{args.texts} synthetic articles"
    print(f"Machine: {machine_line()}")
    print(render(speed_rows(texts, label, args.processes, args.repeat, args.models)))


if __name__ == "__main__":
    main()
