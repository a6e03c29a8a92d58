"""The CLI end to end: what a user types, what they see, what the warehouse holds."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.fingerprint import fingerprint_file
from tests.conftest import SAMPLE
from tests.e2e.cli import one_line_error, query_json, wirehouse
from tests.fixtures.inputs import jsonl_record, write_jsonl

pytestmark = [pytest.mark.e2e]


def published(env: dict[str, str]) -> Path:
    return Path(env["WIREHOUSE_HOME"]) / "published" / "news.duckdb"


def test_run_sample_prints_summary_and_rerun_changes_nothing(cli_env: dict[str, str]) -> None:
    # The default path: no Prefect server configured, so the run starts a temporary one.
    cli_env = {k: v for k, v in cli_env.items() if k != "PREFECT_API_URL"}
    first = wirehouse("run", str(SAMPLE.parent), env=cli_env)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr and "Error" not in first.stderr
    for expected in ("articles loaded    1", "audit              passed", "wirehouse query"):
        assert expected in first.stdout
    (article,) = query_json(
        "select title, authors, source_name, origin_source, body from articles", cli_env
    )
    assert article["authors"] == ["Lucas Dupont"] and article["origin_source"] == "RT.com"
    before = fingerprint_file(published(cli_env))
    second = wirehouse("run", str(SAMPLE.parent), env=cli_env)
    assert second.returncode == 0, second.stderr
    assert "no_new_data" in second.stdout and "1 unchanged" in second.stdout
    assert fingerprint_file(published(cli_env)) == before


def test_missing_path_is_one_clear_line(cli_env: dict[str, str], tmp_path: Path) -> None:
    done = wirehouse("run", str(tmp_path / "nope.txt"), env=cli_env)
    assert done.returncode == 2
    assert one_line_error(done).startswith("wirehouse: no such file or folder:")


def test_query_before_anything_is_published(cli_env: dict[str, str]) -> None:
    done = wirehouse("query", "select 1", env=cli_env)
    assert done.returncode == 2
    assert "nothing is published yet" in one_line_error(done)


def test_busy_warehouse_is_refused_cleanly(cli_env: dict[str, str]) -> None:
    home = Path(cli_env["WIREHOUSE_HOME"])
    home.mkdir(parents=True)
    fd = os.open(home / ".writer.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = wirehouse("run", str(SAMPLE), env=cli_env)
    finally:
        os.close(fd)
    assert done.returncode == 3
    assert "is writing to" in one_line_error(done)
    assert not (home / "news.duckdb").exists()


@pytest.mark.parametrize("name", ["news.duckdb", "staging.duckdb"])
def test_a_warehouse_file_held_by_another_program_is_named(
    cli_env: dict[str, str], name: str
) -> None:
    """DuckDB locks a file per process: another program's connection blocks a run."""
    assert wirehouse("run", str(SAMPLE), env=cli_env).returncode == 0
    held = Path(cli_env["WIREHOUSE_HOME"]) / name
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_FILE, str(held)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        done = wirehouse("run", str(SAMPLE), env=cli_env)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 3
    line = one_line_error(done)
    assert line.startswith(f"wirehouse: the warehouse file {held} is open in another program")
    assert line.endswith("close it and run again")


HOLD_FILE = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(300)
"""


def test_failed_audit_exits_nonzero_and_keeps_published_data(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert wirehouse("run", str(SAMPLE), env=cli_env).returncode == 0
    before = published(cli_env).read_bytes()
    future = [jsonl_record(i, published="2099-01-01") for i in range(20)]
    done = wirehouse("run", str(write_jsonl(tmp_path / "f.jsonl", future)), env=cli_env)
    assert done.returncode == 1
    assert "audit failed, nothing was published" in done.stderr
    assert "Traceback" not in done.stderr
    assert published(cli_env).read_bytes() == before
    status = wirehouse("status", env=cli_env)
    assert status.returncode == 0 and "failed_audit" in status.stdout
    assert "expect_column_values_to_be_between" in status.stdout


@pytest.mark.parametrize(
    "statement",
    ["drop table articles", "update articles set title = 'x'", "'; drop table articles; --"],
)
def test_query_cannot_change_published_data(cli_env: dict[str, str], statement: str) -> None:
    assert wirehouse("run", str(SAMPLE), env=cli_env).returncode == 0
    before = fingerprint_file(published(cli_env))
    done = wirehouse("query", statement, env=cli_env)
    assert done.returncode == 1
    assert one_line_error(done).startswith("wirehouse: query failed:")
    assert fingerprint_file(published(cli_env)) == before


def test_query_formats_and_verbose_run(cli_env: dict[str, str]) -> None:
    verbose = wirehouse("run", "-v", str(SAMPLE), env=cli_env)
    assert verbose.returncode == 0
    assert "Finished in state Completed" in verbose.stderr  # Prefect's own log lines
    sql = "select entity_type, count(*) as n from entities group by 1 order by 1"
    as_csv = wirehouse("query", sql, "--format", "csv", env=cli_env)
    assert as_csv.stdout.splitlines()[0] == "entity_type,n"
    table = wirehouse("query", sql, env=cli_env)
    assert table.stdout.splitlines()[1].startswith("---") and "rows)" in table.stdout
