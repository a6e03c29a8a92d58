from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _prefect(prefect_backend: None) -> None:
    """Every flow test runs against the session's throwaway Prefect API."""
