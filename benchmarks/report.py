"""The table `python -m benchmarks` prints, and benchmarks/RESULTS.md around it."""

from __future__ import annotations

import platform
from pathlib import Path

from benchmarks.measure import Row, machine_line

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
OTHER_BENCHMARKS = "## Other benchmarks"

READING = """\
## Reading these numbers

- Every figure is the median of the runs given in the command; ratios compare numbers
  measured in the same invocation on the same machine. `N=` is the number of input records.
- Corpus: the synthetic generator in `benchmarks/corpus.py` (seeded, so every run gets the
  same files): ~400-word articles (150-900), a dozen sources, a year of dates, thousands of
  distinct people, places and organisations, exact duplicates and syndicated near-copies at
  the rates in the `corpus` rows, as JSONL exports plus seed-format .txt files.
- Stage rows come from the `timings` the run records in `loads` (seconds per stage): input
  records per second, and input MB per second with the stage's seconds in the note.
  `end to end` is the whole `wirehouse run` process, Prefect start-up included; `peak RSS`
  is the largest single process's maximum resident memory, `peak RSS, all processes` the
  peak of the sum over the run, its tagging worker processes and Prefect's temporary
  server (sampled from /proc every 0.5 s).
- `extraction alone` runs the shipped model on the same titles and bodies the run stored, the
  same way the entity step calls it, without linking, staging or loading the model; the
  ratio row divides end-to-end speed by it (both in stored articles per second), so
  `everything but the model` is the share of the end-to-end time spent outside the model.
- The naive baseline does the same job (ingest, normalize, dedup, load; no entity
  extraction, which both sides would pay in full and is measured alone) the way a first
  version is often written: pandas row-wise parsing and cleaning, one Prefect task and one
  INSERT (after a SELECT for duplicates) per article, in its own process with Prefect's
  temporary server (`benchmarks/baseline.py`). It is compared with Wirehouse's parse +
  normalize + stage seconds, and its process wall time with Wirehouse's wall time minus
  the extract stage (Wirehouse then still audits and publishes).
- `rerun` runs the CLI again on the loaded corpus; `empty Prefect flow` is a flow that does
  nothing, in a fresh process: the floor of any run.
- View rows (at the largest N), in milliseconds, on the published snapshot, read-only, each
  on a fresh connection as readers open one: every aggregate view read whole (`view`), the
  README's example `wirehouse query` (`query`), and every dashboard panel query with its
  default parameters (`panel`). The two `slowest` rows give the worst interactive query
  and the worst whole-view read. `python -m benchmarks --views-only WIREHOUSE_HOME` times
  the same queries on an existing warehouse.
"""


def number(value: float) -> str:
    """Enough digits to read small values (ratios, seconds) without noise on large ones."""
    if abs(value) >= 10:
        return f"{value:,.1f}"
    if abs(value) >= 0.1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def render(rows: list[Row]) -> str:
    """Four aligned columns: measure, value, unit, note (the note may be empty)."""
    width = max(len(r.name) for r in rows)
    unit_width = max(len(r.unit) for r in rows)
    lines = [
        f"{'measure'.ljust(width)}  {'value':>12}  {'unit'.ljust(unit_width)}  note",
        "-" * (width + unit_width + 24),
    ]
    lines += [
        f"{r.name.ljust(width)}  {number(r.value):>12}  {r.unit.ljust(unit_width)}  {r.note}".rstrip()
        for r in rows
    ]
    return "\n".join(lines)


def write_results(table: str, command: str, repeat: int) -> None:
    """Rewrite the main table and its notes; the sections of the other benchmark scripts
    (from "## Other benchmarks" on) are kept as they are."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    kept = old[old.index(OTHER_BENCHMARKS) :] if OTHER_BENCHMARKS in old else ""
    RESULTS.write_text(
        "# Benchmark results\n\n"
        f"Machine: {machine_line()}; Python {platform.python_version()}.\n\n"
        f"Command: `{command}` (medians of {repeat} runs).\n\n"
        "```\n" + table + "\n```\n\n" + READING + ("\n" + kept if kept else ""),
        encoding="utf-8",
    )
