"""Operations as a user runs them: backfill and export from the CLI, and `wirehouse serve`
registering a cron deployment whose scheduled run loads the day that just closed."""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.e2e.cli import one_line_error, query_json, start_group, wirehouse
from tests.fixtures.inputs import write_good_corpus

pytestmark = [pytest.mark.e2e]


def test_backfill_then_export_from_the_command_line(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    landing = tmp_path / "landing"
    for k, day in enumerate(("2024-12-04", "2024-12-05")):
        write_good_corpus(landing / day, n_text=1, n_jsonl=1, start=10 * k)
    env = dict(cli_env, WIREHOUSE_LANDING=str(landing))

    plan = wirehouse(
        "backfill", "--start", "2024-12-03", "--end", "2024-12-05", "--dry-run", env=env
    )
    assert plan.returncode == 0, plan.stderr
    assert "2024-12-03  0" in plan.stdout and "dry run: nothing was loaded" in plan.stdout

    done = wirehouse("backfill", "--start", "2024-12-05", "--end", "2024-12-04", env=env)
    assert done.returncode == 0, done.stderr
    assert "[2/2] 2024-12-04 run" in done.stderr
    assert "2024-12-05  published" in done.stdout and "2024-12-04  published" in done.stdout
    per_day = query_json(
        "select (interval_start at time zone 'UTC')::date::varchar as day, count(*) as n "
        "from articles group by 1 order by 1",
        env,
    )
    assert per_day == [{"day": "2024-12-04", "n": 3}, {"day": "2024-12-05", "n": 3}]

    status = wirehouse("status", env=env)
    assert "2024-12-05  published" in status.stdout, status.stdout

    exported = wirehouse("export", str(tmp_path / "parquet"), env=env)
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "parquet" / "articles" / "day=2024-11-01").is_dir() or any(
        p.name.startswith("day=") for p in (tmp_path / "parquet" / "articles").iterdir()
    )
    assert (tmp_path / "parquet" / "_manifest.json").is_file()

    missing = wirehouse("run", "--date", "2024-12-09", env=env)
    assert missing.returncode == 2
    assert "no landing partition" in one_line_error(missing)


def test_serve_registers_the_cron_and_a_scheduled_run_loads_the_closed_day(
    cli_env: dict[str, str], prefect_api_url: str, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.states import Scheduled

    landing = tmp_path / "landing"
    write_good_corpus(landing / "2024-12-05", n_text=1, n_jsonl=1, start=0)
    env = dict(cli_env, WIREHOUSE_LANDING=str(landing), PREFECT_RUNNER_POLL_FREQUENCY="1")
    served = start_group(["serve", "--cron", "30 2 * * *", "--timezone", "Europe/Paris"], env)
    try:
        with (
            temporary_settings({PREFECT_API_URL: prefect_api_url}),
            get_client(sync_client=True) as client,
        ):
            deployment = _wait_for(
                lambda: _deployment(client, "wirehouse-scheduled/daily"), served.proc, 120
            )
            [schedule] = deployment.schedules
            assert (schedule.schedule.cron, schedule.schedule.timezone) == (
                "30 2 * * *",
                "Europe/Paris",
            )
            # As if the schedule fired at 02:30 in Paris on the 6th: the 5th has closed.
            fired = datetime(2024, 12, 6, 1, 30, tzinfo=UTC)
            run = client.create_flow_run_from_deployment(
                deployment.id, state=Scheduled(scheduled_time=fired)
            )
            final = _wait_for(lambda: _final_state(client, run.id), served.proc, 240)
            assert final.is_completed(), final
    finally:
        os.killpg(served.proc.pid, signal.SIGTERM)  # Ctrl-C for a served deployment
        output = served.finish(timeout=60)
    days = query_json(
        "select distinct (interval_start at time zone 'UTC')::date::varchar as day from articles",
        env,
    )
    assert days == [{"day": "2024-12-05"}], output.stderr
    status = wirehouse("status", env=env)
    assert "cron '30 2 * * *' (Europe/Paris)" in status.stdout


def _deployment(client, name: str):  # type: ignore[no-untyped-def]
    from prefect.exceptions import ObjectNotFound

    try:
        return client.read_deployment_by_name(name)
    except ObjectNotFound:
        return None


def _final_state(client, run_id):  # type: ignore[no-untyped-def]
    state = client.read_flow_run(run_id).state
    return state if state is not None and state.is_final() else None


def _wait_for(probe, proc, timeout: float):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "wirehouse serve exited early"
        found = probe()
        if found is not None:
            return found
        time.sleep(0.5)
    raise AssertionError(f"nothing after {timeout} s")
