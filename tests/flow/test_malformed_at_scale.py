"""A realistic batch: ~200 good records with malformed inputs mixed in at about one file in
ten. Nothing is lost and everything is explained: records detected = loaded + duplicates +
rejected, every reject has a reason code and a location, every good record loads, and a
rerun changes nothing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from flows.core.reasons import REASON_CODES
from flows.fingerprint import fingerprint_file
from flows.settings import Settings
from tests.fixtures.inputs import write_good_corpus
from tests.fixtures.malformed import (
    Expected,
    kinds,
    restore_permissions,
    totals,
    write_malformed_kinds,
)
from tests.flow.helpers import rows, run

pytestmark = [pytest.mark.flow, pytest.mark.slow]

N_CORPORA = 25  # each: 5 text files, a JSONL of 2 records, a CSV of 1 -> 8 records, 7 files
MAX_FIELD_CHARS = 100_000
MAX_FILE_BYTES = 4 * 1024 * 1024
FILE_LEVEL = {
    "UNREADABLE_FILE",
    "NOT_A_FILE",
    "EMPTY_FILE",
    "FILE_TOO_LARGE",
    "BAD_GZIP",
    "BINARY_FILE",
    "BAD_ENCODING",
}


def _good_corpus(root: Path) -> Counter[str]:
    """Writes the good files; returns {relative path: records} for every one of them."""
    per_file: Counter[str] = Counter()
    for k in range(N_CORPORA):
        folder = root / f"batch_{k:02d}"
        write_good_corpus(folder, n_text=5, n_jsonl=2, start=k * 1000)
        for path in folder.iterdir():
            per_file[str(path.relative_to(root))] = 2 if path.suffix == ".jsonl" else 1
    return per_file


def test_malformed_tenth_is_quarantined_and_good_records_load(
    settings: Settings, tmp_path: Path
) -> None:
    settings = settings.with_(max_field_chars=MAX_FIELD_CHARS, max_file_bytes=MAX_FILE_BYTES)
    root = tmp_path / "in"
    good = _good_corpus(root)
    bad: dict[str, Expected] = {
        f"malformed/{name}": exp
        for name, exp in write_malformed_kinds(
            root / "malformed", max_file_bytes=MAX_FILE_BYTES
        ).items()
    }
    assert len(kinds(bad)) >= 10
    n_files = len(good) + len(bad)
    assert 0.08 <= len(bad) / n_files <= 0.15  # about one input in ten is malformed
    bad_loaded, bad_duplicates, bad_rejects = totals(bad)
    n_good = sum(good.values())
    assert n_good >= 200

    try:
        state, report = run([root], settings)
        assert state.is_completed() and report.status == "published"

        # Record level: inputs = loaded + duplicates + rejected, and each term is as expected.
        assert report.n_files == n_files
        assert report.n_records == n_good + sum(e.n_records for e in bad.values())
        assert report.n_records == report.n_loaded + report.n_duplicates + report.n_rejected
        assert report.n_loaded == n_good + bad_loaded
        assert report.n_duplicates == bad_duplicates
        assert report.n_rejected == bad_rejects

        # The tables agree with the report, in the live file and in the published snapshot.
        for published in (False, True):
            counts = rows(
                settings,
                "select (select count(*) from articles), (select count(*) from duplicates), "
                "(select count(*) from rejects)",
                published=published,
            )
            assert counts == [(report.n_loaded, report.n_duplicates, report.n_rejected)]
        ((n_loaded, n_dup, n_rej, n_rec),) = rows(
            settings,
            "select n_loaded, n_duplicates, n_rejected, n_records from loads "
            "where status = 'published'",
        )
        assert (n_loaded, n_dup, n_rej, n_rec) == (
            report.n_loaded,
            report.n_duplicates,
            report.n_rejected,
            report.n_records,
        )

        # Every reject: a known reason, the file it came from, and the record for record-level
        # reasons; exactly the rejects each input should give.
        got_rejects: Counter[tuple[str, str, int | None]] = Counter()
        for uri, record, reason, message in rows(
            settings, "select input_uri, input_record, reason_code, message from rejects"
        ):
            assert reason in REASON_CODES
            assert uri and Path(uri).is_relative_to(root), uri
            assert message
            if reason in FILE_LEVEL:
                assert record is None, (uri, reason)
            else:
                assert record is not None and record >= 1, (uri, reason)
            got_rejects[(str(Path(uri).relative_to(root)), reason, record)] += 1
        want_rejects = Counter(
            (name, reason, record) for name, exp in bad.items() for reason, record in exp.rejects
        )
        assert got_rejects == want_rejects
        assert sum(report.rejects_by_reason.values()) == report.n_rejected

        # Every good record loaded, file by file; the one copy is a duplicate, not a row.
        loaded = Counter(
            str(Path(uri).relative_to(root))
            for (uri,) in rows(settings, "select input_uri from articles", published=True)
        )
        want_loaded = good + Counter({n: e.loaded for n, e in bad.items() if e.loaded})
        assert loaded == want_loaded
        assert sum(loaded.values()) == n_good + bad_loaded
        ((dup_uri, dup_of_exists),) = rows(
            settings,
            "select d.input_uri, a.article_id is not null from duplicates d "
            "left join articles a on a.article_id = d.duplicate_of",
        )
        assert dup_uri.endswith("copy.jsonl") and dup_of_exists

        # A rerun finds nothing new: same rejects, same data, no new published version.
        before = fingerprint_file(settings.published_db)
        inode = settings.published_db.stat().st_ino
        state, again = run([root], settings)
        assert state.is_completed() and again.status == "no_new_data"
        assert (again.n_loaded, again.published_version) == (0, None)
        after = fingerprint_file(settings.published_db)
        assert after["rejects"] == before["rejects"] and after == before
        assert fingerprint_file(settings.db_path) == before
        assert settings.published_db.stat().st_ino == inode
        assert rows(settings, "select status, published_version from loads order by started_at")[
            -1
        ] == ("no_new_data", None)
        assert rows(settings, "select max(published_version) from loads") == [(1,)]
    finally:
        restore_permissions(root)
