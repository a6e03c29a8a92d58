"""Concurrency through the CLI: two writers at once, and readers during a series of loads.

Runs write their output to files, not pipes, and each runs in its own process group that is
killed afterwards, so a stray Prefect server never outlives a test.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from flows.fingerprint import fingerprint_file
from tests.e2e.cli import Running, start_group, wirehouse
from tests.fixtures.inputs import jsonl_record, write_good_corpus, write_jsonl

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DATE = "2024-12-06"
N_LOADS = 3
ARTICLES_PER_LOAD = 300


def start_run(inputs: Path, env: dict[str, str]) -> Running:
    return start_group(["run", "--date", DATE, str(inputs)], env)


def run_cli(inputs: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return start_run(inputs, env).finish()


def load_statuses(home: Path) -> list[str]:
    with duckdb.connect(str(home / "news.duckdb"), read_only=True) as con:
        return [
            s for (s,) in con.execute("select status from loads order by started_at").fetchall()
        ]


def test_two_runs_started_together_publish_once(cli_env: dict[str, str], tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    write_good_corpus(corpus, n_text=3, n_jsonl=6)
    home = Path(cli_env["WIREHOUSE_HOME"])

    first, second = start_run(corpus, cli_env), start_run(corpus, cli_env)
    done = [first.finish(), second.finish()]

    winners = [d for d in done if d.returncode == 0 and ": published" in d.stdout]
    assert len(winners) == 1, [(d.returncode, d.stdout, d.stderr) for d in done]
    (other,) = [d for d in done if d is not winners[0]]
    if other.returncode == 3:
        lines = [line for line in other.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "Traceback" not in other.stderr, other.stderr
        assert "another wirehouse run" in lines[0] and "is writing to" in lines[0]
        assert other.stdout == ""
    else:  # it reached the lock only after the winner had finished
        assert other.returncode == 0 and ": no_new_data" in other.stdout, other.stderr
    assert load_statuses(home).count("published") == 1
    print(f"\nsecond writer: exit {other.returncode}: {other.stderr.strip().splitlines()[-1:]}")

    clean_env = dict(cli_env, WIREHOUSE_HOME=str(tmp_path / "clean"))
    assert run_cli(corpus, clean_env).returncode == 0
    clean = fingerprint_file(tmp_path / "clean" / "published" / "news.duckdb")
    assert fingerprint_file(home / "published" / "news.duckdb") == clean
    assert fingerprint_file(home / "news.duckdb") == clean


# One connection per observation: everything a reader sees must come from one version.
OBSERVE = """
select
    (select count(*) from articles) as n_articles,
    (select coalesce(sum(n_loaded), 0)::bigint from loads where status = 'published')
        as n_ledger,
    (select max(published_version) from loads where status = 'published') as version,
    (
        select n_loaded from loads where status = 'published'
        order by published_version desc limit 1
    ) as n_newest
"""


@dataclass
class Observations:
    seen: list[tuple[int, int, int, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    n_cli: int = 0


def observe_in_process(published: Path, into: Observations) -> None:
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            row = con.execute(OBSERVE).fetchone()
        into.seen.append(tuple(int(v) for v in row))  # type: ignore[arg-type]
    except Exception as exc:  # every failure counts; the test asserts there are none
        into.errors.append(f"{type(exc).__name__}: {exc}")


def observe_with_cli(env: dict[str, str], into: Observations) -> None:
    sql = " ".join(OBSERVE.split())
    done = wirehouse("query", sql, "--format", "json", env=env, timeout=120)
    into.n_cli += 1
    if done.returncode != 0:
        into.errors.append(f"wirehouse query exited {done.returncode}: {done.stderr.strip()}")
        return
    (row,) = json.loads(done.stdout)
    keys = ("n_articles", "n_ledger", "version", "n_newest")
    into.seen.append(tuple(int(row[k]) for k in keys))  # type: ignore[arg-type]


def test_readers_see_whole_versions_during_three_loads(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    home = Path(cli_env["WIREHOUSE_HOME"])
    published = home / "published" / "news.duckdb"
    first = write_jsonl(tmp_path / "load_0.jsonl", [jsonl_record(i) for i in range(3)])
    assert run_cli(first, cli_env).returncode == 0
    batches = [
        write_jsonl(
            tmp_path / f"load_{k}.jsonl",
            [jsonl_record(k * 1000 + i) for i in range(ARTICLES_PER_LOAD)],
        )
        for k in range(1, N_LOADS + 1)
    ]

    results: list[subprocess.CompletedProcess] = []

    def load_all() -> None:
        for batch in batches:
            results.append(run_cli(batch, cli_env))

    writer = threading.Thread(target=load_all)
    obs = Observations()
    writer.start()
    last_cli = time.monotonic()
    while writer.is_alive():
        observe_in_process(published, obs)
        if time.monotonic() - last_cli > 20:
            observe_with_cli(cli_env, obs)
            last_cli = time.monotonic()
        time.sleep(0.02)
    writer.join()
    observe_in_process(published, obs)
    observe_with_cli(cli_env, obs)

    assert [r.returncode for r in results] == [0] * N_LOADS, [r.stderr for r in results]
    assert obs.errors == []
    assert len(obs.seen) >= 100 and obs.n_cli >= 2
    for n_articles, n_ledger, version, n_newest in obs.seen:
        assert n_articles == n_ledger  # a complete version: data and ledger agree
        assert n_newest == (3 if version == 1 else ARTICLES_PER_LOAD)
    versions = sorted({v for _, _, v, _ in obs.seen})
    assert versions[0] == 1 and versions[-1] == N_LOADS + 1
    assert len(versions) >= 3  # readers really ran across the loads
    # Observations are recorded in the order they were made; versions never go back.
    ordered = [v for (_, _, v, _) in obs.seen]
    assert ordered == sorted(ordered)
    assert obs.seen[-1][0] == 3 + N_LOADS * ARTICLES_PER_LOAD
    print(
        f"\nreaders: {len(obs.seen)} observations ({obs.n_cli} via `wirehouse query`), "
        f"{len(obs.errors)} errors, versions seen {versions}"
    )
