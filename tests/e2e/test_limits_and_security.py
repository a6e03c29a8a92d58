"""Limits and hostile inputs through the CLI: a full disk, links to local files or scripts,
odd file names, and SQL that tries to write through `wirehouse query`."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import resource
import signal
import subprocess
from pathlib import Path

import duckdb
import pytest

from flows.fingerprint import fingerprint_file
from flows.settings import REPO_ROOT
from tests.e2e.cli import one_line_error, query_json, run_in_group, wirehouse
from tests.fixtures.inputs import jsonl_record, write_jsonl

pytestmark = [pytest.mark.e2e]

DATE = "2024-12-06"
WAREHOUSE_ENTRIES = {
    "news.duckdb",
    "news.duckdb.wal",
    "staging.duckdb",
    "staging.duckdb.wal",
    "published",
    ".writer.lock",
}


def run_cli(
    args: list[str], env: dict[str, str], file_size_limit: int | None = None
) -> subprocess.CompletedProcess:
    """`wirehouse run` in its own process group, output to files; optionally with a cap on
    the size of any file it writes (RLIMIT_FSIZE: a write past it fails with EFBIG, the
    same error path as a full disk)."""

    def limit() -> None:
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    return run_in_group(["run", "--date", DATE, *args], env, preexec_fn=limit)


def published(env: dict[str, str]) -> Path:
    return Path(env["WIREHOUSE_HOME"]) / "published" / "news.duckdb"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def largest_file(folder: Path) -> int:
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return max(sizes, default=0)


# ---- (a) disk full ----


def write_large_batch(path: Path, payload_bytes: int) -> tuple[int, int]:
    """10 good articles and enough rejected lines (2,000 random characters each, kept in
    the rejects table) to outgrow `payload_bytes`; returns (good, rejected)."""
    rng = random.Random(7)
    n_bad = payload_bytes // 2_000 + 1
    with path.open("w", encoding="utf-8") as handle:
        for i in range(10):
            handle.write(json.dumps(jsonl_record(7_000 + i)) + "\n")
        for _ in range(n_bad):
            handle.write("{not json " + base64.b64encode(rng.randbytes(1_500)).decode() + "\n")
    return 10, n_bad


@pytest.mark.slow
def test_disk_full_fails_cleanly_and_a_later_run_succeeds(
    cli_env: dict[str, str], cli_prefect_home: Path, tmp_path: Path
) -> None:
    home = Path(cli_env["WIREHOUSE_HOME"])
    first = write_jsonl(tmp_path / "first.jsonl", [jsonl_record(i) for i in range(5)])
    assert run_cli([str(first)], cli_env).returncode == 0
    before = digest(published(cli_env))
    inode = published(cli_env).stat().st_ino

    # Room for everything the first run wrote (and Prefect's own database), not for a load
    # whose rejects alone are larger than the limit.
    limit = max(32 << 20, 2 * largest_file(cli_prefect_home), 2 * largest_file(home))
    large = tmp_path / "large.jsonl"
    n_good, n_bad = write_large_batch(large, payload_bytes=limit + (8 << 20))
    assert large.stat().st_size < 64 << 20  # under the default WIREHOUSE_MAX_FILE_BYTES

    full = run_cli([str(large)], cli_env, file_size_limit=limit)
    assert full.returncode == 1, (full.returncode, full.stderr)
    assert "Traceback" not in full.stderr, full.stderr
    last = full.stderr.strip().splitlines()[-1]
    assert last.startswith("wirehouse: the disk holding") and "nothing was published" in last
    assert digest(published(cli_env)) == before
    assert published(cli_env).stat().st_ino == inode
    with duckdb.connect(str(home / "news.duckdb"), read_only=True) as con:
        statuses = [
            s for (s,) in con.execute("select status from loads order by started_at").fetchall()
        ]
        assert con.execute("select count(*) from articles").fetchall() == [(5,)]
    assert statuses[0] == "published" and statuses.count("published") == 1

    again = run_cli([str(large)], cli_env)
    assert again.returncode == 0, again.stderr
    assert ": published" in again.stdout
    (row,) = query_json(
        "select (select count(*) from articles) as a, (select count(*) from rejects) as r",
        cli_env,
    )
    assert (row["a"], row["r"]) == (5 + n_good, n_bad)
    print(f"\ndisk full: limit {limit} bytes, load of {large.stat().st_size} bytes refused")


# ---- (b) links to local files or scripts ----

HOSTILE_URLS = (
    "file:///etc/passwd",
    "FILE:///etc/shadow",
    "file:/etc/hostname",
    "javascript:alert(document.cookie)",
    " JavaScript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "ftp://files.example.com/secret",
)


def test_local_and_script_urls_load_without_a_url(cli_env: dict[str, str], tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    secret = tmp_path / "secret.txt"
    marker = "MARKER-" + hashlib.sha256(str(tmp_path).encode()).hexdigest()[:16]
    secret.write_text(marker, encoding="utf-8")
    urls = (*HOSTILE_URLS, secret.as_uri())
    records = [jsonl_record(300 + i, url=url) for i, url in enumerate(urls)]
    path = write_jsonl(inputs / "links.jsonl", records)
    home = Path(cli_env["WIREHOUSE_HOME"])
    outside = sorted(p.name for p in tmp_path.iterdir() if p != home)

    done = run_cli([str(path)], cli_env)
    assert done.returncode == 0, done.stderr
    rows = query_json(
        "select url, source_domain, title, concat_ws(' ', title, body, summary) as text "
        "from articles order by title",
        cli_env,
    )
    assert len(rows) == len(urls)
    assert all(r["url"] is None and r["source_domain"] is None for r in rows)
    assert all(marker not in r["text"] and "root:" not in r["text"] for r in rows)
    (row,) = query_json("select count(*) as n from rejects", cli_env)
    assert row["n"] == 0
    # Nothing was written next to the inputs or outside the warehouse folder.
    assert sorted(p.name for p in tmp_path.iterdir() if p != home) == outside
    assert sorted(p.name for p in inputs.iterdir()) == ["links.jsonl"]
    assert secret.read_text(encoding="utf-8") == marker
    assert {p.name for p in home.iterdir()} <= WAREHOUSE_ENTRIES


def test_credentials_in_a_url_are_not_stored() -> None:
    import polars as pl

    from flows.core.urls import canonical_url, url_domain

    frame = pl.DataFrame({"url": ["https://user:secret@news.example.com/a?utm_source=x"]})
    ((url, domain),) = frame.select(
        canonical_url(pl.col("url")).alias("u"), url_domain(canonical_url(pl.col("url")))
    ).rows()
    assert (url, domain) == ("https://news.example.com/a", "news.example.com")


# ---- (c) odd input file names ----

ODD_NAMES = (
    "..evil.jsonl",  # leading dot: skipped by a folder walk, loaded when named explicitly
    "name with spaces.jsonl",
    "quote'single.jsonl",
    'quote"double.jsonl',
    "'; drop table articles; --.jsonl",
    "$(touch pwned).jsonl",
    "`touch pwned2`.jsonl",
    "back\\slash.jsonl",
    "semi;colon|pipe&amp.jsonl",
    "-starts-with-dash.jsonl",
    "new\nline.jsonl",
    "%s%n%x.jsonl",
    "*glob?[x].jsonl",
    "ünïcødé 日本.jsonl",
)


def test_odd_file_names_load_and_stay_inside_the_warehouse(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    inputs = tmp_path / "odd"
    inputs.mkdir()
    for i, name in enumerate(ODD_NAMES):
        write_jsonl(inputs / name, [jsonl_record(500 + 2 * i), jsonl_record(501 + 2 * i)])
    done = run_cli([str(inputs), str(inputs / "..evil.jsonl")], cli_env)
    assert done.returncode == 0, done.stderr
    got = {
        (Path(r["input_uri"]).name, r["n"])
        for r in query_json(
            "select input_uri, count(*) as n from articles group by input_uri", cli_env
        )
    }
    assert got == {(name, 2) for name in ODD_NAMES}
    (row,) = query_json("select count(*) as n from rejects", cli_env)
    assert row["n"] == 0

    home = Path(cli_env["WIREHOUSE_HOME"])
    assert {p.name for p in home.iterdir()} <= WAREHOUSE_ENTRIES
    assert {p.name for p in (home / "published").iterdir()} == {"news.duckdb", "versions"}
    assert [p.name for p in (home / "published" / "versions").iterdir()] == ["v000001.duckdb"]
    assert sorted(p.name for p in inputs.iterdir()) == sorted(ODD_NAMES)
    for folder in (REPO_ROOT, tmp_path, inputs, home):
        assert not (folder / "pwned").exists() and not (folder / "pwned2").exists()


# ---- (d) `wirehouse query` cannot write ----


@pytest.fixture(scope="module")
def published_home(
    tmp_path_factory: pytest.TempPathFactory, cli_prefect_home: Path
) -> dict[str, str]:
    root = tmp_path_factory.mktemp("query-writes")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREHOUSE_", "PREFECT_"))}
    env |= {"WIREHOUSE_HOME": str(root / "warehouse"), "PREFECT_HOME": str(cli_prefect_home)}
    path = write_jsonl(root / "a.jsonl", [jsonl_record(i) for i in range(3)])
    done = run_cli([str(path)], env)
    assert done.returncode == 0, done.stderr
    return env


# Statements test_cli.py does not already cover (it has DROP, UPDATE and a quoted DROP).
WRITES = (
    "insert into articles (article_id) values ('x')",
    "delete from articles",
    "create table stolen as select * from articles",
    "create view v as select 1",
    "alter table articles add column z int",
    "create or replace macro m(a) as a",
    "select 1; drop table articles",
    "attach '{tmp}/new.duckdb' as other",
    "checkpoint; drop table mentions",
)
# Writing outside the warehouse through DuckDB's file functions.
EXTERNAL_WRITES = (
    "copy (select * from articles) to '{tmp}/out.csv'",
    "copy articles to '{tmp}/out.parquet' (format parquet)",
    "export database '{tmp}/exported'",
)


def _check_refused(env: dict[str, str], statement: str, tmp: Path) -> None:
    db = published(env)
    before = fingerprint_file(db)
    before_bytes = digest(db)
    done = wirehouse("query", statement.format(tmp=tmp), env=env, timeout=120)
    assert list(tmp.iterdir()) == [], "the query wrote a file"
    assert done.returncode == 1, done.stdout
    assert one_line_error(done).startswith("wirehouse: query failed:")
    assert fingerprint_file(db) == before
    assert digest(db) == before_bytes


@pytest.mark.parametrize("statement", WRITES)
def test_query_cannot_write(published_home: dict[str, str], statement: str, tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.mkdir()
    _check_refused(published_home, statement, target)


@pytest.mark.parametrize("statement", EXTERNAL_WRITES)
def test_query_cannot_write_files_outside(
    published_home: dict[str, str], statement: str, tmp_path: Path
) -> None:
    target = tmp_path / "target"
    target.mkdir()
    _check_refused(published_home, statement, target)
