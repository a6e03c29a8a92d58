"""Shared fixtures: a temporary warehouse per test, one Prefect test backend per session."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.settings import REPO_ROOT, Settings, quiet_third_party_logging

SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
SAMPLE = REPO_ROOT / "samples" / "000_5a6ab8df16395d7b.txt"
LOGICAL_DATE = datetime(2024, 12, 6, tzinfo=UTC)

quiet_third_party_logging(verbose=False)


def shared_data(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test when that data is not on this machine."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (shared corpora are not present on this machine)")
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "warehouse", logical_date=LOGICAL_DATE)


@pytest.fixture(scope="session")
def prefect_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A throwaway Prefect API for the whole session (starting one costs seconds)."""
    os.environ.setdefault("PREFECT_HOME", str(tmp_path_factory.mktemp("prefect-home")))
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def cli_prefect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by CLI subprocesses so Prefect's local database is migrated only once."""
    return tmp_path_factory.mktemp("cli-prefect-home")


@pytest.fixture(scope="session")
def prefect_api_url(cli_prefect_home: Path) -> Iterator[str]:
    """One real Prefect server for every CLI subprocess of the session.

    Without PREFECT_API_URL each `wirehouse run` starts Prefect's temporary server, which
    costs more than the run itself on small inputs; users with a Prefect server run this way
    too. One test keeps the default temporary-server path (see tests/e2e/test_cli.py).
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(cli_prefect_home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    prefect = Path(sys.executable).parent / "prefect"
    log = (cli_prefect_home / "server.log").open("w")
    server = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        _wait_healthy(url, server)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def _wait_healthy(url: str, server: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the Prefect server exited with {server.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/health", timeout=2) as answer,
        ):
            if answer.status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"the Prefect server did not answer within {timeout} s")


@pytest.fixture(scope="session")
def cli_base_env(cli_prefect_home: Path, prefect_api_url: str) -> dict[str, str]:
    """The environment CLI subprocesses share: no WIREHOUSE_*, the session's Prefect server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREHOUSE_", "PREFECT_"))}
    env["PREFECT_HOME"] = str(cli_prefect_home)
    env["PREFECT_API_URL"] = prefect_api_url
    return env


@pytest.fixture
def cli_env(tmp_path: Path, cli_base_env: dict[str, str]) -> dict[str, str]:
    """Environment for running the `wirehouse` CLI as a subprocess against a temp warehouse."""
    return dict(cli_base_env, WIREHOUSE_HOME=str(tmp_path / "warehouse"))
