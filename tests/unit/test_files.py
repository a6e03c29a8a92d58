"""Reading files: decoding, gzip, size cap and the rejects for files that cannot be read."""

from __future__ import annotations

import codecs
import gzip
import json
import os
from pathlib import Path

import pytest

from flows.core.readers import input_format, parse_paths
from flows.core.readers.files import Decoded, FileReject, read_text
from flows.core.reasons import Reason
from flows.core.schemas import RAW_RECORDS, REJECTS

MAX_BYTES = 1_000
ARTICLE = "Harbour reopens\nCrews cleared the quay.\n"

# (file name, bytes, expected text, expected encoding)
DECODED_CASES: list[tuple[str, bytes, str, str]] = [
    ("utf8.txt", "Ünïcode title\nbody\n".encode(), "Ünïcode title\nbody\n", "utf-8"),
    ("bom.txt", codecs.BOM_UTF8 + b"Title\nbody\n", "Title\nbody\n", "utf-8-sig"),
    ("utf16le.txt", "Tïtle\nbody\n".encode("utf-16"), "Tïtle\nbody\n", "utf-16"),
    (
        "utf16be.txt",
        codecs.BOM_UTF16_BE + "Tïtle\nbody\n".encode("utf-16-be"),
        "Tïtle\nbody\n",
        "utf-16",
    ),
    ("cp1252.txt", b"caf\xe9 news\n", "café news\n", "cp1252"),
    ("cp1252-quotes.txt", b"\x93quoted\x94 \x96 dash\n", "“quoted” – dash\n", "cp1252"),
    ("good.txt.gz", gzip.compress(ARTICLE.encode()), ARTICLE, "utf-8"),
    ("upper.TXT.GZ", gzip.compress(ARTICLE.encode()), ARTICLE, "utf-8"),
]


@pytest.mark.parametrize(
    ("name", "data", "text", "encoding"), DECODED_CASES, ids=[c[0] for c in DECODED_CASES]
)
def test_read_text_decodes(
    tmp_path: Path, name: str, data: bytes, text: str, encoding: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = read_text(path, MAX_BYTES)
    assert isinstance(result, Decoded)
    assert result.text == text
    assert result.encoding == encoding
    assert result.uri == str(path)


# (file name, bytes, expected reason)
REJECT_CASES: list[tuple[str, bytes, Reason]] = [
    ("nul.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", Reason.BINARY_FILE),
    ("nul-late.txt", b"Title\nbody" + b"\x00" * 4, Reason.BINARY_FILE),
    # 0x81/0x8d/0x90/0x9d are undefined in Windows-1252 and invalid UTF-8.
    ("undecodable.txt", bytes([0x81, 0x01, 0x02, 0x8D, 0x03, 0x90, 0x9D]) * 8, Reason.BAD_ENCODING),
    # Decodable as Windows-1252, but full of control characters: not text.
    ("controls.txt", bytes([0xE9, 0x01, 0x02, 0x03, 0x04, 0x05, 0x41]) * 8, Reason.BAD_ENCODING),
    ("odd-utf16.txt", codecs.BOM_UTF16_LE + b"T\x00i\x00t", Reason.BAD_ENCODING),
    ("empty.txt", b"", Reason.EMPTY_FILE),
    ("whitespace.txt", b"  \n\t\r\n  ", Reason.EMPTY_FILE),
    ("empty.txt.gz", gzip.compress(b""), Reason.EMPTY_FILE),
    ("truncated.txt.gz", gzip.compress(ARTICLE.encode() * 20)[:25], Reason.BAD_GZIP),
    ("not-gzip.txt.gz", b"plain text, not gzip", Reason.BAD_GZIP),
    ("big.txt", b"x" * (MAX_BYTES + 1), Reason.FILE_TOO_LARGE),
    ("bomb.txt.gz", gzip.compress(b"x" * (MAX_BYTES * 50)), Reason.FILE_TOO_LARGE),
]


@pytest.mark.parametrize(("name", "data", "reason"), REJECT_CASES, ids=[c[0] for c in REJECT_CASES])
def test_read_text_rejects(tmp_path: Path, name: str, data: bytes, reason: Reason) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = read_text(path, MAX_BYTES)
    assert isinstance(result, FileReject)
    assert result.reason == reason
    assert result.uri == str(path)
    assert result.message


def test_exactly_max_bytes_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "edge.txt"
    path.write_bytes(b"x" * MAX_BYTES)
    assert isinstance(read_text(path, MAX_BYTES), Decoded)


def test_bad_encoding_keeps_a_bounded_preview(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes([0x81, 0x01, 0x02, 0x8D]) * 1_000)
    result = read_text(path, 10_000)
    assert isinstance(result, FileReject)
    assert result.reason == Reason.BAD_ENCODING
    assert result.raw is not None
    assert len(result.raw) <= 2_001


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    result = read_text(tmp_path, MAX_BYTES)
    assert isinstance(result, FileReject)
    assert result.reason == Reason.NOT_A_FILE


@pytest.mark.parametrize("kind", ["missing", "dangling-symlink"])
def test_vanished_file_is_unreadable(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "gone.txt"
    if kind == "dangling-symlink":
        path.symlink_to(tmp_path / "nowhere.txt")
    result = read_text(path, MAX_BYTES)
    assert isinstance(result, FileReject)
    assert result.reason == Reason.UNREADABLE_FILE


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file")
def test_permission_denied_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(ARTICLE)
    path.chmod(0)
    try:
        result = read_text(path, MAX_BYTES)
    finally:
        path.chmod(0o644)
    assert isinstance(result, FileReject)
    assert result.reason == Reason.UNREADABLE_FILE
    assert "PermissionError" in result.message


# (file name, sniffed text or None, expected format)
FORMAT_CASES: list[tuple[str, str | None, str | None]] = [
    ("a.txt", None, "text"),
    ("a.TEXT", None, "text"),
    ("a.jsonl", None, "jsonl"),
    ("a.ndjson.gz", None, "jsonl"),
    ("a.json", None, "jsonl"),
    ("a.CSV", None, "csv"),
    ("a.csv.gz", None, "csv"),
    ("a.dat", None, None),
    ("a.dat", '  {"title": "x"}', "jsonl"),
    ("a.dat", "[{}]", "jsonl"),
    ("noext", "Title\nbody", "text"),
]


@pytest.mark.parametrize(("name", "text", "fmt"), FORMAT_CASES)
def test_input_format(name: str, text: str | None, fmt: str | None) -> None:
    assert input_format(Path(name), text) == fmt


def test_parse_paths_every_file_gives_records_or_a_reject(tmp_path: Path) -> None:
    files: dict[str, bytes] = {
        "a_article.txt": ARTICLE.encode(),
        "b_article.txt.gz": gzip.compress(b"Second story\nMore text.\n"),
        "c_records.jsonl": (
            json.dumps({"title": "J1", "body": "x"}) + "\n{broken\n" + json.dumps({"title": "J2"})
        ).encode(),
        "d_records.csv": b"title,body\nC1,x\nC2,y,extra\n",
        "e_cp1252.txt": b"Caf\xe9 opens\nNew caf\xe9 on the square.\n",
        "f_binary.txt": b"\x00\x01\x02\x03",
        "g_junk.txt": bytes([0x81, 0x01, 0x02, 0x8D]) * 8,
        "h_empty.txt": b"",
        "i_truncated.txt.gz": gzip.compress(ARTICLE.encode() * 10)[:20],
        "j_big.txt": b"x" * (MAX_BYTES + 1),
        "k_sniffed.dat": json.dumps({"title": "S1", "body": "z"}).encode(),
    }
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    folder = tmp_path / "l_folder"
    folder.mkdir()
    paths.append(folder)

    parsed = parse_paths(paths, MAX_BYTES)

    assert parsed.n_files == len(paths)
    assert parsed.records.schema == RAW_RECORDS
    assert parsed.rejects.schema == REJECTS
    uris_with_output = set(parsed.records.get_column("input_uri")) | set(
        parsed.rejects.get_column("input_uri")
    )
    assert uris_with_output == {str(p) for p in paths}
    file_rejects = dict(
        parsed.rejects.filter(parsed.rejects["input_record"].is_null())
        .select("input_uri", "reason_code")
        .iter_rows()
    )
    assert file_rejects == {
        str(tmp_path / "f_binary.txt"): "BINARY_FILE",
        str(tmp_path / "g_junk.txt"): "BAD_ENCODING",
        str(tmp_path / "h_empty.txt"): "EMPTY_FILE",
        str(tmp_path / "i_truncated.txt.gz"): "BAD_GZIP",
        str(tmp_path / "j_big.txt"): "FILE_TOO_LARGE",
        str(folder): "NOT_A_FILE",
    }
    record_rejects = (
        parsed.rejects.filter(parsed.rejects["input_record"].is_not_null())
        .select("input_uri", "input_record", "reason_code")
        .sort("input_uri")
        .rows()
    )
    assert record_rejects == [
        (str(tmp_path / "c_records.jsonl"), 2, "MALFORMED_JSON"),
        (str(tmp_path / "d_records.csv"), 2, "MALFORMED_CSV"),
    ]
    titles = dict(parsed.records.select("input_uri", "title").iter_rows())
    assert sorted(parsed.records.get_column("title")) == sorted(
        ["Harbour reopens", "Second story", "J1", "J2", "C1", "Café opens", "S1"]
    )
    assert titles[str(tmp_path / "e_cp1252.txt")] == "Café opens"
    formats = dict(parsed.records.select("input_uri", "input_format").iter_rows())
    assert formats[str(tmp_path / "k_sniffed.dat")] == "jsonl"
    assert formats[str(tmp_path / "b_article.txt.gz")] == "text"


def test_parse_paths_nothing(tmp_path: Path) -> None:
    parsed = parse_paths([], MAX_BYTES)
    assert parsed.n_files == 0
    assert parsed.records.height == 0
    assert parsed.records.schema == RAW_RECORDS
    assert parsed.rejects.height == 0


def test_parse_paths_only_rejects(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    parsed = parse_paths([path], MAX_BYTES)
    assert parsed.n_files == 1
    assert parsed.records.height == 0
    assert parsed.rejects.get_column("reason_code").to_list() == ["EMPTY_FILE"]
