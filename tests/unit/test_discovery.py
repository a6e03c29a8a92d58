"""Expanding command-line inputs (files, folders, globs) and hashing file contents."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from flows.core.discovery import expand_inputs, file_digest

LAYOUT = (
    "in/a.txt",
    "in/b.jsonl",
    "in/sub/c.txt",
    "in/sub/deeper/d.csv",
    "in/.hidden.txt",
    "in/.cache/e.txt",
    "in/sub/.f.txt",
    "other/g.txt",
    "other/h.json",
)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in LAYOUT:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _names(root: Path, files: list[Path]) -> list[str]:
    return [str(p.relative_to(root)) for p in files]


# (case id, arguments, expected files relative to the tree, expected missing arguments)
CASES: list[tuple[str, list[str], list[str], list[str]]] = [
    ("one-file", ["in/a.txt"], ["in/a.txt"], []),
    (
        "folder-recursive-hidden-skipped",
        ["in"],
        ["in/a.txt", "in/b.jsonl", "in/sub/c.txt", "in/sub/deeper/d.csv"],
        [],
    ),
    ("subfolder", ["in/sub"], ["in/sub/c.txt", "in/sub/deeper/d.csv"], []),
    ("hidden-file-named-explicitly", ["in/.hidden.txt"], ["in/.hidden.txt"], []),
    ("glob", ["in/*.txt"], ["in/a.txt"], []),
    ("recursive-glob", ["in/**/*.txt"], ["in/a.txt", "in/sub/c.txt"], []),
    ("glob-matching-a-folder", ["oth*"], ["other/g.txt", "other/h.json"], []),
    ("missing-file", ["in/a.txt", "nope.txt"], ["in/a.txt"], ["nope.txt"]),
    ("glob-matching-nothing", ["in/*.xml"], [], ["in/*.xml"]),
    ("all-missing", ["x", "y/*.txt"], [], ["x", "y/*.txt"]),
    (
        "overlapping-arguments-deduplicated",
        ["in/sub", "in/sub/c.txt", "in/**/*.txt", "in/sub/c.txt"],
        ["in/a.txt", "in/sub/c.txt", "in/sub/deeper/d.csv"],
        [],
    ),
    (
        "sorted-whatever-the-argument-order",
        ["other/h.json", "in/b.jsonl", "other/g.txt", "in/a.txt"],
        ["in/a.txt", "in/b.jsonl", "other/g.txt", "other/h.json"],
        [],
    ),
    ("nothing", [], [], []),
]


@pytest.mark.parametrize(
    ("arguments", "files", "missing"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_expand_inputs(
    tree: Path, arguments: list[str], files: list[str], missing: list[str]
) -> None:
    found = expand_inputs(arguments)
    assert _names(tree, found.files) == files
    assert found.missing == missing
    assert all(p.is_absolute() for p in found.files)


def test_absolute_and_relative_arguments_agree(tree: Path) -> None:
    found = expand_inputs([str(tree / "in" / "a.txt"), "in/a.txt", "./in/a.txt"])
    assert found.files == [tree / "in" / "a.txt"]


def test_dotdot_spelling_is_the_same_file(tree: Path) -> None:
    found = expand_inputs(["in", "in/sub/../a.txt"])
    assert _names(tree, found.files) == [
        "in/a.txt",
        "in/b.jsonl",
        "in/sub/c.txt",
        "in/sub/deeper/d.csv",
    ]


def test_symlinked_folder_inside_a_folder_is_not_walked(tree: Path) -> None:
    (tree / "in" / "link").symlink_to(tree / "other", target_is_directory=True)
    found = expand_inputs(["in"])
    names = _names(tree, found.files)
    # The link is listed as one input (the reader rejects it as NOT_A_FILE); its files are not.
    assert "in/link" in names
    assert not any(name.startswith("in/link/") for name in names)


def test_symlinked_folder_named_by_the_user_is_walked(tree: Path) -> None:
    (tree / "latest").symlink_to(tree / "in", target_is_directory=True)
    # the files keep the name the user typed; the link inside "in" is still not followed
    (tree / "in" / "link").symlink_to(tree / "other", target_is_directory=True)
    found = expand_inputs(["latest"])
    assert _names(tree, found.files) == [
        "latest/a.txt",
        "latest/b.jsonl",
        "latest/link",
        "latest/sub/c.txt",
        "latest/sub/deeper/d.csv",
    ]


DIGEST_CASES: list[bytes] = [b"", b"hello\n", bytes(range(256)) * 5_000]


@pytest.mark.parametrize("content", DIGEST_CASES, ids=["empty", "small", "multi-chunk"])
def test_file_digest(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(content)
    assert file_digest(path) == (hashlib.sha256(content).hexdigest(), len(content))


def test_file_digest_depends_on_content_only(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"same")
    (tmp_path / "b").write_bytes(b"same")
    (tmp_path / "c").write_bytes(b"diff")
    digests = [file_digest(tmp_path / n) for n in "abc"]
    assert digests[0] == digests[1] != digests[2]


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_file_digest_unreadable_is_none(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x"
    if kind == "directory":
        path.mkdir()
    assert file_digest(path) is None
