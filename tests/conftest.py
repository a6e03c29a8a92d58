"""Shared fixtures: a temporary warehouse per test, one Prefect test backend per session."""

from __future__ import annotations

import os
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


@pytest.fixture
def cli_env(tmp_path: Path, cli_prefect_home: Path) -> dict[str, str]:
    """Environment for running the `wirehouse` CLI as a subprocess against a temp warehouse."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIREHOUSE_", "PREFECT_"))}
    env["WIREHOUSE_HOME"] = str(tmp_path / "warehouse")
    env["PREFECT_HOME"] = str(cli_prefect_home)
    return env
