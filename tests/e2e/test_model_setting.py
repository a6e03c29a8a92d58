"""A bad WIREHOUSE_NER_MODEL is the user's to fix: one line, no traceback, nothing published."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.errors import EXIT_FAILED, EXIT_USAGE
from tests.conftest import SAMPLE
from tests.e2e.cli import one_line_error, wirehouse
from tests.unit.test_ner_eval import CONLL_TEXT

pytestmark = [pytest.mark.e2e]


def test_run_with_a_missing_model_stops_before_loading_anything(
    cli_env: dict[str, str],
) -> None:
    env = dict(cli_env, WIREHOUSE_NER_MODEL="/nonexistent/model")
    done = wirehouse("run", str(SAMPLE.parent), env=env)
    assert done.returncode == EXIT_USAGE, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    failures = [line for line in done.stderr.splitlines() if "WIREHOUSE_NER_MODEL" in line]
    assert failures == [
        "wirehouse: WIREHOUSE_NER_MODEL names '/nonexistent/model', which is neither a pipeline "
        "directory nor an installed spaCy package: install it or fix the setting "
        "(nothing was loaded)"
    ], done.stderr
    # checked before the flow: no stage ran
    assert "parse" not in done.stderr, done.stderr
    assert not (Path(env["WIREHOUSE_HOME"]) / "published" / "news.duckdb").exists()


def test_run_with_a_broken_model_directory_is_one_line_and_publishes_nothing(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "not-a-pipeline"
    broken.mkdir()
    env = dict(cli_env, WIREHOUSE_NER_MODEL=str(broken))
    done = wirehouse("run", str(SAMPLE.parent), env=env)
    assert done.returncode == EXIT_FAILED, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    # the run's progress lines come first; the model's failure is one line of its own
    failures = [line for line in done.stderr.splitlines() if "Could not load" in line]
    assert len(failures) == 1, done.stderr
    (line,) = failures
    assert line.startswith(f"wirehouse: Could not load spaCy pipeline '{broken}'")
    assert "WIREHOUSE_NER_MODEL" in line
    assert line.endswith("nothing was published")
    assert not (Path(env["WIREHOUSE_HOME"]) / "published" / "news.duckdb").exists()


def test_eval_ner_with_an_empty_member_is_one_line(cli_env: dict[str, str], tmp_path: Path) -> None:
    iob = tmp_path / "tiny.iob"
    iob.write_text(CONLL_TEXT, encoding="utf-8")
    env = dict(cli_env, WIREHOUSE_NER_MODEL="a,,b")
    done = wirehouse("eval-ner", str(iob), env=env, timeout=120)
    assert done.returncode == EXIT_USAGE
    line = one_line_error(done)
    assert line == "wirehouse: WIREHOUSE_NER_MODEL 'a,,b' has an empty entry between commas"
    assert done.stdout == ""
