"""Run the `wirehouse` command as a user would: a separate process, real files."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

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


@dataclass
class Running:
    """A CLI process in its own process group, its output going to files (not pipes: a
    SIGKILLed run's orphaned Prefect server would hold a pipe open forever)."""

    proc: subprocess.Popen
    out: IO[str]
    err: IO[str]

    def finish(self, timeout: float = 900) -> subprocess.CompletedProcess:
        """Wait, then kill whatever is left of the group, and return the output."""
        try:
            self.proc.wait(timeout=timeout)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        texts = []
        for handle in (self.out, self.err):
            handle.seek(0)
            texts.append(handle.read())
            handle.close()
        return subprocess.CompletedProcess(self.proc.args, self.proc.returncode, *texts)


def start_group(
    args: list[str], env: dict[str, str], preexec_fn: Callable[[], None] | None = None
) -> Running:
    out = tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed by Running.finish)
    err = tempfile.TemporaryFile("w+")  # noqa: SIM115
    proc = subprocess.Popen(
        [*WIREHOUSE, *args],
        env=env,
        cwd=REPO_ROOT,
        stdout=out,
        stderr=err,
        text=True,
        start_new_session=True,
        preexec_fn=preexec_fn,
    )
    return Running(proc, out, err)


def run_in_group(
    args: list[str], env: dict[str, str], preexec_fn: Callable[[], None] | None = None
) -> subprocess.CompletedProcess:
    return start_group(args, env, preexec_fn).finish()
