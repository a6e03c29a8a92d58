"""The benchmark entry point runs end to end on a tiny corpus and prints a well-formed table.
It asserts shape only: speed is measured by the benchmark, never asserted in tests."""

from __future__ import annotations

import subprocess
import sys

import pytest

from flows.settings import REPO_ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_benchmark_prints_a_table(cli_base_env: dict[str, str]) -> None:
    env = dict(cli_base_env)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--sizes",
            "30",
            "--repeat",
            "1",
            "--ner-texts",
            "10",
            "--no-write",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    assert lines[0].split()[:2] == ["measure", "value"]
    rows = [line for line in lines[2:] if line.strip()]
    names = " ".join(rows)
    for expected in (
        "NER alone, 1 process",
        "N=30: parse",
        "N=30: extract",
        "speed-up over the baseline",
        "peak RSS",
    ):
        assert expected in names
    for row in rows:
        value = row.rsplit(None, 2)[-2].replace(",", "")
        assert float(value) >= 0
