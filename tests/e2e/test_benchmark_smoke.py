"""The benchmark entry point runs end to end on a tiny corpus and prints a well-formed table.
It asserts shape only: speed is measured by the benchmark, never asserted in tests."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from flows.settings import REPO_ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

UNITS = {"words/s", "articles/s", "MB", "MiB", "%", "s", "x", "ms"}


def parse_table(stdout: str) -> dict[str, tuple[float, str, str]]:
    """{measure: (value, unit, note)} from the fixed-width table, checking its shape."""
    lines = stdout.rstrip("\n").splitlines()
    header = lines[0]
    assert header.split() == ["measure", "value", "unit", "note"]
    assert set(lines[1]) == {"-"}
    value_end = header.index("value") + len("value")
    unit_start = header.index("unit")
    note_start = header.index("note")
    rows = {}
    for line in lines[2:]:
        name = line[: value_end - 12].rstrip()
        value = float(line[value_end - 12 : value_end].replace(",", ""))
        unit = line[unit_start:note_start].strip()
        assert name and unit in UNITS, line
        assert name not in rows, f"measure printed twice: {name}"
        rows[name] = (value, unit, line[note_start:].strip())
    return rows


def run_module(env: dict[str, str], module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m module args`` from the project root, as a user runs it; must succeed."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO_ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_benchmark_prints_a_table(cli_base_env: dict[str, str]) -> None:
    args = ("--sizes", "30", "--repeat", "1", "--baseline-size", "30", "--ner-texts", "10")
    done = run_module(cli_base_env, "benchmarks", *args, "--no-write")
    rows = parse_table(done.stdout)
    for stage in ("discover", "parse", "normalize", "stage", "extract", "audit", "publish"):
        value, unit, note = rows[f"N=30: {stage}"]
        assert unit == "articles/s" and "MB/s" in note
    for expected, unit in (
        ("NER alone, 1 process(es)", "words/s"),
        ("N=30: corpus", "MB"),
        ("N=30: exact duplicates in the corpus", "%"),
        ("N=30: syndicated near-copies in the corpus", "%"),
        ("N=30: end to end wall", "s"),
        ("N=30: peak RSS", "MiB"),
        ("N=30: peak RSS, all processes", "MiB"),
        ("N=30: publish 100 more articles", "s"),
        ("N=30: snapshot of the same warehouse", "s"),
        ("N=30: snapshot share of that publish", "%"),
        ("N=30: extraction alone (same articles)", "articles/s"),
        ("N=30: end to end / extraction alone", "x"),
        ("N=30: everything but the model", "%"),
        ("N=30: naive baseline", "articles/s"),
        ("N=30: speed-up over naive, parse+normalize+stage", "x"),
        ("N=30: speed-up over naive, wall minus extract", "x"),
        ("N=30: rerun / empty flow", "x"),
        ("N=30: view agg_top_entities", "ms"),
        ("N=30: panel entities_top", "ms"),
        ("N=30: slowest dashboard/README query", "ms"),
        ("N=30: slowest whole-view read", "ms"),
    ):
        assert rows[expected][1] == unit, expected
    for name, (value, _, _) in rows.items():
        if not name.endswith("everything but the model"):  # can be negative in principle
            assert value >= 0, name
    # sampled from /proc: a run of tens of seconds is seen at least once, with its model loaded
    assert rows["N=30: peak RSS, all processes"][0] > 100
    # the naive baseline and the run agree on the job: every record loaded or skipped
    assert "loaded" in rows["N=30: naive baseline"][2]
    assert "no NER" in rows["N=30: naive baseline"][2]
    assert "N=30: writing corpus" in done.stderr and "run 1/1" in done.stderr


def test_ner_speed_prints_one_row_per_process_count(cli_base_env: dict[str, str]) -> None:
    done = run_module(cli_base_env, "benchmarks.ner_speed", "--texts", "4", "--repeat", "2")
    machine, table = done.stdout.split("\n", 1)
    assert machine.startswith("Machine: ") and "cores" in machine
    rows = parse_table(table)
    assert list(rows) == ["NER, 1 process(es)", "NER, 2 process(es)"]
    for value, unit, note in rows.values():
        assert unit == "words/s" and value > 0 and "passes" in note


def test_memory_scale_prints_one_row_per_stage(cli_base_env: dict[str, str]) -> None:
    done = run_module(cli_base_env, "benchmarks.memory_scale", "--sizes", "40")
    machine, entities, header, rule, *lines = done.stdout.rstrip("\n").splitlines()
    assert "cores" in machine and entities == "entities: rules"
    assert header.split() == ["N", "stage", "tasks", "seconds", "flow", "MiB", "all", "MiB"]
    assert set(rule) == {"-"}
    rows = {}
    for line in lines:
        size, stage, *numbers = line.split()
        assert size == "40", line
        key = stage if stage != "whole" else "whole run"
        assert key not in rows, f"stage printed twice: {line}"
        rows[key] = [float(n.replace(",", "")) for n in numbers[-4:]]
    assert {"discover", "parse", "normalize", "stage", "extract", "audit", "publish"} <= set(rows)
    tasks, seconds, flow, everything = rows["whole run"]
    stages = [r for s, r in rows.items() if s != "whole run"]
    # the whole run's peaks are its stages' highest; all processes hold at least the flow's
    assert flow == max(r[2] for r in stages) and everything >= flow > 50
    assert seconds >= sum(r[1] for r in stages) and tasks == sum(r[0] for r in stages)
    # the rules pipeline found the corpus's names: the extract line counted mentions
    mentions = re.search(r"extract .* s: (\d+) mentions", done.stderr)
    assert mentions and int(mentions[1]) > 0
