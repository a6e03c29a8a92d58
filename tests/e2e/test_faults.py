"""Kill or break a run at each named fault point; the next normal run must give exactly the
clean run's result (fingerprint oracle), and nothing partial is ever visible to readers."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from benchmarks.memory import descendants
from flows.faults import marker_path
from flows.fingerprint import Fingerprint, fingerprint_file
from tests.e2e.cli import run_in_group, start_group
from tests.fixtures.inputs import write_good_corpus, write_malformed

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DATE = "2024-12-06"
KILL_POINTS = (
    "migrate.between_files",
    "after_parse",
    "stage.after_articles",
    "stage.after_rejects",
    "publish.after_articles",
    "publish.after_commit",
)


def run_cli(
    inputs: Path, env: dict[str, str], fault: str | None = None
) -> subprocess.CompletedProcess:
    """One `wirehouse run`, in its own process group that is killed afterwards."""
    env = dict(env, **({"WIREHOUSE_FAULT": fault} if fault else {}))
    return run_in_group(["run", "--date", DATE, str(inputs)], env)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fault-corpus")
    write_good_corpus(root / "good", n_text=3, n_jsonl=6)
    write_malformed(root / "bad")
    return root


@pytest.fixture(scope="module")
def clean(
    corpus: Path, tmp_path_factory: pytest.TempPathFactory, cli_base_env: dict[str, str]
) -> Fingerprint:
    home = tmp_path_factory.mktemp("clean") / "warehouse"
    env = dict(cli_base_env, WIREHOUSE_HOME=str(home))
    done = run_cli(corpus, env)
    assert done.returncode == 0, done.stderr
    return fingerprint_file(home / "published" / "news.duckdb")


def live_counts(home: Path) -> tuple[int, int]:
    db = home / "news.duckdb"
    if not db.exists():
        return (0, 0)
    with duckdb.connect(str(db), read_only=True) as con:
        try:
            return con.execute(
                "select (select count(*) from articles), (select count(*) from mentions)"
            ).fetchone()
        except duckdb.CatalogException:
            return (0, 0)


@pytest.mark.parametrize("point", KILL_POINTS)
def test_kill_then_rerun_gives_the_clean_result(
    point: str, corpus: Path, clean: Fingerprint, cli_env: dict[str, str]
) -> None:
    home = Path(cli_env["WIREHOUSE_HOME"])
    killed = run_cli(corpus, cli_env, fault=f"{point}:kill")
    assert killed.returncode == -signal.SIGKILL
    assert (home / f".fault-{point}").exists()
    if point != "publish.after_commit":
        assert live_counts(home) == (0, 0)
        assert not (home / "published" / "news.duckdb").exists()
    rerun = run_cli(corpus, cli_env)
    assert rerun.returncode == 0, rerun.stderr
    assert fingerprint_file(home / "published" / "news.duckdb") == clean
    assert fingerprint_file(home / "news.duckdb") == clean
    with duckdb.connect(str(home / "news.duckdb"), read_only=True) as con:
        statuses = [
            s for (s,) in con.execute("select status from loads order by started_at").fetchall()
        ]
    assert statuses.count("published") == 1
    assert "running" not in statuses


def test_error_inside_publish_leaves_nothing_visible(
    corpus: Path, clean: Fingerprint, cli_env: dict[str, str]
) -> None:
    home = Path(cli_env["WIREHOUSE_HOME"])
    broken = run_cli(corpus, cli_env, fault="publish.after_articles:raise")
    assert broken.returncode != 0
    assert live_counts(home) == (0, 0)
    assert not (home / "published" / "news.duckdb").exists()
    with duckdb.connect(str(home / "news.duckdb"), read_only=True) as con:
        assert con.execute("select status from loads").fetchall() == [("failed",)]
    assert run_cli(corpus, cli_env).returncode == 0
    assert fingerprint_file(home / "published" / "news.duckdb") == clean


def _alive(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_sigterm_ends_the_run_with_its_server_and_a_clean_rerun(
    corpus: Path, clean: Fingerprint, cli_base_env: dict[str, str], tmp_path: Path
) -> None:
    """A scheduler's timeout or a container stop sends SIGTERM to the run's process only. The
    run must stop with one line and exit 143, and take the Prefect server it started with it
    (no session server here: the CLI starts its own, as on a user's machine)."""
    home = tmp_path / "warehouse"
    env = {k: v for k, v in cli_base_env.items() if k != "PREFECT_API_URL"}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect"), "WIREHOUSE_HOME": str(home)}
    point = "stage.after_articles"
    running = start_group(
        ["run", "--date", DATE, str(corpus)], dict(env, WIREHOUSE_FAULT=f"{point}:sleep=120")
    )
    deadline = time.monotonic() + 120
    while not marker_path(home, point).exists():
        assert running.proc.poll() is None and time.monotonic() < deadline, "run never staged"
        time.sleep(0.2)
    helpers = descendants(running.proc.pid)
    assert helpers, "the run started no Prefect server of its own"
    running.proc.send_signal(signal.SIGTERM)
    running.proc.wait(timeout=60)
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in helpers if _alive(pid)], "processes outlived the run"
    done = running.finish()
    assert done.returncode == 143
    assert "terminated; the next run cleans up" in one_line_error_at_end(done.stderr)
    rerun = run_cli(corpus, dict(env, PREFECT_API_URL=cli_base_env["PREFECT_API_URL"]))
    assert rerun.returncode == 0, rerun.stderr
    assert fingerprint_file(home / "published" / "news.duckdb") == clean


def one_line_error_at_end(stderr: str) -> str:
    """The run's progress lines come first; the error is the last line, with no traceback."""
    assert "Traceback" not in stderr, stderr
    return stderr.strip().splitlines()[-1]
