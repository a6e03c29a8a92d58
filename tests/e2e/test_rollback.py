"""Publish three versions, roll readers back to the first: they see exactly its data."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.fingerprint import fingerprint_file
from flows.settings import Settings
from flows.snapshots import version_path
from tests.e2e.cli import one_line_error, query_json, wirehouse
from tests.fixtures.inputs import jsonl_record, write_jsonl

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_rollback_to_the_first_of_three_versions(cli_env: dict[str, str], tmp_path: Path) -> None:
    settings = Settings(home=Path(cli_env["WIREHOUSE_HOME"]))
    for n in range(3):
        batch = write_jsonl(tmp_path / f"b{n}.jsonl", [jsonl_record(10 * n + i) for i in range(2)])
        assert wirehouse("run", str(batch), env=cli_env).returncode == 0
    first = fingerprint_file(version_path(settings, 1))
    done = wirehouse("rollback", "1", env=cli_env)
    assert done.returncode == 0 and "version 1" in done.stdout
    assert fingerprint_file(settings.published_db) == first
    assert query_json("select count(*) as n from articles", cli_env) == [{"n": 2}]
    status = wirehouse("status", env=cli_env)
    assert "1 (current), 2, 3" in status.stdout
    missing = wirehouse("rollback", "9", env=cli_env)
    assert missing.returncode == 2 and "not kept" in one_line_error(missing)
