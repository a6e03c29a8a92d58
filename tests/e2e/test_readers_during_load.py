"""Readers query the published data in a loop while a run writes: never a lock error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.cli import query_json, start, wirehouse
from tests.fixtures.inputs import jsonl_record, write_jsonl

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_queries_answer_while_a_run_loads_thousands(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    first = write_jsonl(tmp_path / "first.jsonl", [jsonl_record(i) for i in range(5)])
    assert wirehouse("run", str(first), env=cli_env).returncode == 0
    big = write_jsonl(tmp_path / "big.jsonl", [jsonl_record(i) for i in range(10, 3010)])
    run = start("run", str(big), env=cli_env)
    answers = []
    while run.poll() is None:
        (row,) = query_json("select count(*) as n from articles", cli_env)
        answers.append(row["n"])
    _, err = run.communicate()
    assert run.returncode == 0, err
    (final,) = query_json("select count(*) as n from articles", cli_env)
    assert len(answers) >= 2
    assert set(answers) <= {5, final["n"]}
    assert final["n"] == 3005
