"""Expand what a user typed (files, folders, globs) into the input files of a run."""

from __future__ import annotations

import glob
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

_GLOB_CHARS = set("*?[")
_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class Discovered:
    files: list[Path]
    missing: list[str]  # arguments that matched nothing: a user error, reported before any work


def expand_inputs(arguments: list[str]) -> Discovered:
    """Folders are walked recursively (hidden files skipped); order is sorted and stable.

    A folder the user names is walked even when it is a symlink (`landing/latest ->
    landing/2024-12-31` is a common layout), as `find -H` does; links met inside a folder
    are not followed, so a link cannot pull a second tree (or a loop) into the run."""
    files: list[Path] = []
    missing: list[str] = []
    for argument in arguments:
        matches = _matches(argument)
        if not matches:
            missing.append(argument)
        for match in matches:
            files.extend(_walk(match) if match.is_dir() else [match])
    # abspath, not resolve(): "a/../b" is one file, but a symlink keeps its own name.
    unique = sorted({Path(os.path.abspath(p)): None for p in files})
    return Discovered(unique, missing)


def _matches(argument: str) -> list[Path]:
    if _GLOB_CHARS & set(argument):
        return [Path(p) for p in sorted(glob.glob(argument, recursive=True))]
    path = Path(argument).expanduser()
    return [path] if path.exists() or path.is_symlink() else []


INPUT_SUFFIXES = (
    ".txt",
    ".text",
    ".jsonl",
    ".ndjson",
    ".json",
    ".csv",
    ".xml",
    ".rss",
    ".atom",
    ".html",
    ".htm",
    ".gz",
)


def _walk(folder: Path) -> list[Path]:
    """Regular files, symlinks, and anything else that is not a plain folder (pipes,
    sockets, folders named like input files) so the reader can report it instead of it
    vanishing silently."""
    found = []
    for path in folder.rglob("*"):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_symlink() or not path.is_dir() or path.name.lower().endswith(INPUT_SUFFIXES):
            found.append(path)
    return found


def file_digest(path: Path) -> tuple[str, int] | None:
    """sha256 and size of a file's bytes, or None when it cannot be read (the reader says why)."""
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_HASH_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return None
    return digest.hexdigest(), size
