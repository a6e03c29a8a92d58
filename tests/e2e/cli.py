"""Run the `wirehouse` command as a user would: a separate process, real files."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from flows.settings import REPO_ROOT

WIREHOUSE = [sys.executable, "-m", "flows"]


def wirehouse(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*WIREHOUSE, *args], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout
    )


def start(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [*WIREHOUSE, *args],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def query_json(sql: str, env: dict[str, str]) -> list[dict[str, Any]]:
    done = wirehouse("query", sql, "--format", "json", env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def one_line_error(done: subprocess.CompletedProcess) -> str:
    """Expected failures print exactly one line, no traceback."""
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert "Traceback" not in done.stderr, done.stderr
    assert len(lines) == 1, done.stderr
    return lines[0]
