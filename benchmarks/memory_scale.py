"""Peak memory of a run, stage by stage, up to a million articles:

    python -m benchmarks.memory_scale [--sizes 100000,300000,1000000] [--entities rules|model]

Prints one row per stage and size: its task runs (ingest has one per batch), their seconds,
the flow process's peak RSS while the stage ran, and the peak of all the run's processes
together (the entity step's workers and Prefect's server included). This is how the "memory
stays flat as N grows" promise is checked at a size the main benchmark cannot reach in an
afternoon.

Memory is the flow's, not the model's: the model runs on worker processes whose size does
not depend on the run. `--entities rules` (the default) therefore tags with an entity ruler
built from the synthetic corpus's own name lists, a spaCy pipeline directory selected with
WIREHOUSE_NER_MODEL as a user selects theirs. It finds about as many mentions per article as
the shipped model (44 on this corpus), so every other stage handles the same volume of rows,
and a million-article run takes about 50 minutes instead of the model's 2.3 hours.
`--entities model` runs the shipped model.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import corpus
from benchmarks.corpus import CorpusSpec, write_corpus
from benchmarks.measure import REPO, machine_line, progress
from benchmarks.memory import descendants, rss_bytes

# "  extract      14.02 s: 417516 mentions of ..." (a stage's closing line, not its progress)
STAGE_LINE = re.compile(r"^  (?P<stage>[a-z]+)\s+(?P<seconds>[0-9.]+) s:")
MIB = 2**20


@dataclass(frozen=True)
class StagePeak:
    """One stage of one run: its task runs (ingest runs once per batch) added up."""

    size: int
    stage: str
    seconds: float
    flow_mib: float
    tree_mib: float
    tasks: int = 1

    def plus(self, other: StagePeak) -> StagePeak:
        return StagePeak(
            self.size,
            self.stage,
            self.seconds + other.seconds,
            max(self.flow_mib, other.flow_mib),
            max(self.tree_mib, other.tree_mib),
            self.tasks + other.tasks,
        )


def rules_pipeline(folder: Path) -> Path:
    """A spaCy pipeline that tags the synthetic corpus's people, places, organisations and
    nationalities by exact phrase match (sentencizer + entity_ruler), saved to ``folder``."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    people = [corpus.person(k) for k in range(corpus.N_PEOPLE)]
    labelled = (
        ("PER", people),
        ("LOC", corpus.PLACES),
        ("ORG", corpus.ORGS + corpus.SOURCES),
        ("MISC", corpus.NATIONALITIES),
    )
    ruler.add_patterns(
        [{"label": label, "pattern": name} for label, names in labelled for name in names]
    )
    nlp.to_disk(folder)
    return folder


class _Sampler:
    """The flow process's and the whole tree's peak RSS since the last ``take()``."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every = pid, every
        self.flow = self.tree = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            flow = rss_bytes(self.pid)
            if not flow:  # the process has ended
                return
            # the tree from this same reading of the flow: read again, the flow process may
            # have shrunk, and the tree would then be smaller than the flow's peak
            tree = flow + sum(rss_bytes(pid) for pid in descendants(self.pid))
            with self._lock:
                self.flow, self.tree = max(self.flow, flow), max(self.tree, tree)
            self._stop.wait(self.every)

    def take(self) -> tuple[float, float]:
        with self._lock:
            peaks = (self.flow / MIB, self.tree / MIB)
            self.flow = self.tree = 0
        return peaks

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_size(size: int, work: Path, model: Path | None) -> list[StagePeak]:
    """One run of ``size`` synthetic articles into a new warehouse, stage by stage."""
    landing, home = work / f"corpus-{size}", work / f"home-{size}"
    written = work / f"corpus-{size}.written"  # beside the landing folder, not in it
    if not written.exists():  # a kept --work folder reuses its corpora
        progress(f"writing {size:,} synthetic articles to {landing} ...")
        shutil.rmtree(landing, ignore_errors=True)
        write_corpus(landing, CorpusSpec(n_articles=size))
        written.touch()
    shutil.rmtree(home, ignore_errors=True)
    env = dict(os.environ, WIREHOUSE_HOME=str(home))
    if model is not None:
        env["WIREHOUSE_NER_MODEL"] = str(model)
    command = [sys.executable, "-m", "flows", "run", "--date", "2024-12-31", str(landing)]
    progress(f"running the flow on {size:,} articles ...")
    peaks: dict[str, StagePeak] = {}  # by stage, in the order they first report
    started = time.perf_counter()
    with subprocess.Popen(
        command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as child:
        assert child.stderr is not None
        sampler = _Sampler(child.pid)
        tail: list[str] = []
        for line in child.stderr:
            tail = [*tail[-40:], line]
            if line.startswith("  "):
                print("  " + line, end="", file=sys.stderr, flush=True)
            if found := STAGE_LINE.match(line):
                flow, tree = sampler.take()
                stage, seconds = found["stage"], float(found["seconds"])
                peak = StagePeak(size, stage, seconds, flow, tree)
                peaks[stage] = peaks[stage].plus(peak) if stage in peaks else peak
        sampler.stop()
    if child.returncode != 0:
        raise RuntimeError("benchmark run failed: " + "".join(tail))
    wall = time.perf_counter() - started
    top_flow = max(p.flow_mib for p in peaks.values())
    top_tree = max(p.tree_mib for p in peaks.values())
    tasks = sum(p.tasks for p in peaks.values())
    return [*peaks.values(), StagePeak(size, "whole run", wall, top_flow, top_tree, tasks)]


def render(peaks: list[StagePeak]) -> str:
    header = f"{'N':>10}  {'stage':<10} {'tasks':>5} {'seconds':>9} {'flow MiB':>9} {'all MiB':>9}"
    lines = [header, "-" * len(header)]
    lines += [
        f"{p.size:>10,}  {p.stage:<10} {p.tasks:>5} {p.seconds:>9.1f} {p.flow_mib:>9,.0f}"
        f" {p.tree_mib:>9,.0f}"
        for p in peaks
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory_scale", description=__doc__)
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument("--entities", choices=("rules", "model"), default="rules")
    parser.add_argument(
        "--work", type=Path, help="keep corpora and warehouses here (default: a temporary folder)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    peaks: list[StagePeak] = []
    with tempfile.TemporaryDirectory(prefix="wirehouse-memory-") as tmp:
        work = args.work or Path(tmp)
        model = rules_pipeline(Path(tmp) / "rules") if args.entities == "rules" else None
        for size in sizes:
            peaks += run_size(size, work, model)
    print(machine_line())
    print(f"entities: {args.entities}")
    print(render(peaks))


if __name__ == "__main__":
    main()
