"""No SQL is built from strings in flows/ or dashboards/: every statement comes from sql/ by name and
values are bound as parameters."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flows.settings import REPO_ROOT

SOURCES = sorted([*(REPO_ROOT / "flows").rglob("*.py"), *(REPO_ROOT / "dashboards").rglob("*.py")])
SQL_METHODS = {"execute", "sql", "executemany", "query"}


def _string_built(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def _sql_calls(path: Path) -> list[tuple[int, ast.expr]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in SQL_METHODS
        and node.args
    ]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_string_formatted_sql(path: Path) -> None:
    offenders = [line for line, arg in _sql_calls(path) if _string_built(arg)]
    assert offenders == [], f"{path}: SQL built from strings at lines {offenders}"


def test_sql_text_only_comes_from_sql_files() -> None:
    """Literal SQL in Python is limited to transaction control."""
    allowed = {"begin transaction", "commit", "rollback"}
    literals = [
        (path.name, line, arg.value)
        for path in SOURCES
        for line, arg in _sql_calls(path)
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    ]
    assert [item for item in literals if item[2] not in allowed] == []


def test_the_scan_detects_an_f_string() -> None:
    ((_, arg),) = _sql_calls_in('con.execute(f"select * from {table}")')
    assert _string_built(arg)


def _sql_calls_in(source: str) -> list[tuple[int, ast.expr]]:
    tree = ast.parse(source)
    return [
        (node.lineno, node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    ]
