"""Turn a path into decoded text, or into the reason it cannot be read.

Every failure here is an expected property of real inputs (binary junk, bad gzip, odd
encodings), so it returns a reject instead of raising.
"""

from __future__ import annotations

import codecs
import gzip
import io
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path

from flows.core.reasons import Reason

RAW_PREVIEW_CHARS = 2_000
_SNIFF_BYTES = 8_192
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Decoded:
    uri: str
    text: str
    encoding: str


@dataclass(frozen=True)
class FileReject:
    uri: str
    reason: Reason
    message: str
    raw: str | None = None


def read_text(path: Path, max_bytes: int) -> Decoded | FileReject:
    """Read, gunzip and decode one file; the result says which encoding was used."""
    uri = str(path)
    data = _read_bytes(path, max_bytes)
    if isinstance(data, FileReject):
        return data
    if path.suffix.lower() == ".gz":
        data = _gunzip(uri, data, max_bytes)
        if isinstance(data, FileReject):
            return data
    if not data.strip():
        return FileReject(uri, Reason.EMPTY_FILE, "file is empty")
    return _decode(uri, data)


def _read_bytes(path: Path, max_bytes: int) -> bytes | FileReject:
    uri = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return FileReject(uri, Reason.NOT_A_FILE, "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or device would block or never end; only regular files are read.
            return FileReject(
                uri, Reason.NOT_A_FILE, "is not a regular file (pipe, socket or device)"
            )
        size = info.st_size
        if size > max_bytes:
            return FileReject(
                uri, Reason.FILE_TOO_LARGE, f"{size} bytes exceeds the {max_bytes}-byte limit"
            )
        return path.read_bytes()
    except OSError as exc:
        return FileReject(uri, Reason.UNREADABLE_FILE, f"{type(exc).__name__}: {exc.strerror}")


def _gunzip(uri: str, data: bytes, max_bytes: int) -> bytes | FileReject:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        return FileReject(uri, Reason.BAD_GZIP, f"cannot gunzip: {exc}")
    if len(out) > max_bytes:
        return FileReject(uri, Reason.FILE_TOO_LARGE, f"unpacks to more than {max_bytes} bytes")
    return out


def _decode(uri: str, data: bytes) -> Decoded | FileReject:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(uri, data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                return FileReject(uri, Reason.BAD_ENCODING, f"{encoding}: {exc.reason}")
    if b"\x00" in data[:_SNIFF_BYTES]:
        return FileReject(uri, Reason.BINARY_FILE, "contains NUL bytes: not a text file")
    try:
        return Decoded(uri, data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_error = exc
    # Older exports are often Windows-1252/Latin-1; accept them only when they look like text.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_like_text(text):
        return Decoded(uri, text, "cp1252")
    return FileReject(
        uri,
        Reason.BAD_ENCODING,
        f"not UTF-8 (byte {first_error.start}: {first_error.reason}) and not plausible Windows-1252",
        preview(data.decode("utf-8", errors="replace")),
    )


def _looks_like_text(text: str) -> bool:
    sample = text[:_SNIFF_BYTES]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r")
    return controls <= len(sample) // 100


def preview(text: str | None) -> str | None:
    """Bound what a reject row keeps of the raw input."""
    if text is None:
        return None
    return text if len(text) <= RAW_PREVIEW_CHARS else text[:RAW_PREVIEW_CHARS] + "…"
