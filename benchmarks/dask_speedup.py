"""Scale-out on this machine: the same corpus in one process, and on a Dask cluster.

`python -m benchmarks.dask_speedup [--size 1000] [--repeat 3]` loads a synthetic corpus
three ways in the same invocation and prints a table of medians:
- local, one NER process (WIREHOUSE_NER_PROCESSES=1): the baseline;
- local, auto (spaCy worker processes for big batches);
- `--dask` against a dask.distributed LocalCluster of 2 single-threaded worker processes.
On 2 cores the cluster can at best match the local 2-process run; the figure that matters
is that the Dask path costs little over it, so a real cluster scales the expensive steps.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from benchmarks.corpus import CorpusSpec, write_corpus
from benchmarks.measure import pipeline_run


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dask_speedup")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from distributed import LocalCluster

    with tempfile.TemporaryDirectory(prefix="wirehouse-dask-") as tmp:
        corpus = Path(tmp) / "corpus"
        n_records, _ = write_corpus(corpus, CorpusSpec(n_articles=args.size))
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            ways = {
                "local, 1 NER process": ({"WIREHOUSE_NER_PROCESSES": "1"}, []),
                "local, auto processes": ({}, []),
                "Dask LocalCluster, 2 workers": ({}, ["--dask", cluster.scheduler_address]),
            }
            results = {}
            for name, (env, extra) in ways.items():
                runs = [
                    pipeline_run(corpus, Path(tmp) / f"{i}-{name}", env=env, extra_args=extra)
                    for i in range(args.repeat)
                ]
                results[name] = (
                    statistics.median(r.timings["extract"] + r.timings["parse"] for r in runs),
                    statistics.median(r.wall for r in runs),
                )
    base = results["local, 1 NER process"]
    print(f"{'way':<30} {'parse+extract s':>16} {'speed-up':>9} {'wall s':>8} {'speed-up':>9}")
    for name, (work, wall) in results.items():
        print(
            f"{name:<30} {work:>16.1f} {base[0] / work:>8.2f}x {wall:>8.1f} {base[1] / wall:>8.2f}x"
        )
    print(f"({n_records} records, medians of {args.repeat} runs)")


if __name__ == "__main__":
    main()
