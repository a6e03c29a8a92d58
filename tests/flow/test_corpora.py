"""The real flow on the shared real-world corpora (skipped when ../shared/data is absent).

Each test runs the whole pipeline once over one corpus and checks it against an independent
reading of the same files (feedparser, the corpus manifest, the csv module). No corpus text
is copied into the repository: expectations come from the files at test time.
"""

from __future__ import annotations

import ast
import calendar
import csv
import difflib
import tarfile
import time
import unicodedata
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from flows.core.stories import jaccard_estimate
from flows.settings import Settings
from tests.conftest import shared_data
from tests.flow.helpers import rows, run

pytestmark = [pytest.mark.flow, pytest.mark.corpora, pytest.mark.slow]

# After every item date in the corpora, so "published_at not after the run's day" holds;
# the audit only bounds published_at by the logical date + 1 day (and 1900 below).
AFTER_THE_CORPORA = datetime(2030, 1, 1, tzinfo=UTC)


def _settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "warehouse", logical_date=AFTER_THE_CORPORA)


def _per_file(settings: Settings, table: str) -> Counter[str]:
    sql = f"select input_uri, count(*) from {table} group by 1"
    return Counter(dict(rows(settings, sql, published=True)))


# --- news-feeds ---------------------------------------------------------------------------


def test_every_feed_item_is_accounted_for_dated_and_credited(tmp_path: Path) -> None:
    folder = shared_data("corpora", "news-feeds", "feeds")
    feeds = sorted(folder.glob("*.xml"))
    manifest = _manifest(folder.parent / "manifest.csv", key="file")
    assert len(feeds) == len(manifest)
    expected: dict[str, int] = {}
    dated: dict[str, set[int]] = {}
    latest = datetime(1900, 1, 1, tzinfo=UTC)
    for feed in feeds:
        entries = feedparser.parse(feed.read_bytes()).entries
        expected[str(feed)] = len(entries)
        assert len(entries) == int(manifest[f"feeds/{feed.name}"]["items"]), feed.name
        dated[str(feed)] = set()
        for number, entry in enumerate(entries, 1):
            moment = entry.get("published_parsed") or entry.get("updated_parsed")
            if moment or entry.get("published") or entry.get("updated"):
                dated[str(feed)].add(number)
            if moment:
                stamp = datetime.fromtimestamp(calendar.timegm(moment), tz=UTC)
                latest = max(latest, stamp)
    assert latest < AFTER_THE_CORPORA

    settings = _settings(tmp_path)
    started = time.monotonic()
    state, report = run([folder], settings)
    elapsed = time.monotonic() - started
    print(f"\nnews-feeds: {report} in {elapsed:.1f} s")
    assert state.is_completed() and report.status == "published", report.audit_summary

    articles, duplicates, rejects = (
        _per_file(settings, t) for t in ("articles", "duplicates", "rejects")
    )
    for uri, n_items in expected.items():
        accounted = articles[uri] + duplicates[uri] + rejects[uri]
        assert accounted == n_items, (Path(uri).name, n_items, accounted)
    assert report.n_records == sum(expected.values())

    # A dated item keeps its date: on its article, or on the stored copy it duplicates.
    undated = rows(
        settings,
        "select input_uri, input_record from articles where published_at is null "
        "union all "
        "select d.input_uri, d.input_record from duplicates d "
        "join articles a on a.article_id = d.duplicate_of where a.published_at is null",
        published=True,
    )
    lost = [(Path(uri).name, n) for uri, n in undated if n in dated[uri]]
    assert not lost, f"dated feed items without published_at: {lost}"

    credited = rows(settings, "select input_uri, authors from articles", published=True)
    bad_authors = [
        (Path(uri).name, authors)
        for uri, authors in credited
        if any("@" in name or "(" in name for name in authors or [])
    ]
    assert not bad_authors, f"e-mail or parenthesis left in authors: {bad_authors}"


def _manifest(path: Path, key: str) -> dict[str, dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row[key]: row for row in csv.DictReader(handle)}


# --- bbc-news -----------------------------------------------------------------------------

# Same title, different bytes, and most of the text shared (difflib ratio): a re-edited copy
# of one story. Same-title pairs below this are rewrites or different stories on one topic.
REEDIT_RATIO = 0.85


def test_bbc_archive_loads_with_copies_as_duplicates_and_reedits_as_one_story(
    tmp_path: Path,
) -> None:
    archive = shared_data("corpora", "bbc-news", "bbc-news-shared.tar.gz")
    manifest = _manifest(archive.parent / "manifest.csv", key="path")
    root = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(root, filter="data")
    files = sorted(p for p in root.rglob("*.txt"))
    assert {p.relative_to(root).as_posix() for p in files} == set(manifest)

    settings = _settings(tmp_path)
    started = time.monotonic()
    state, report = run([root], settings)
    elapsed = time.monotonic() - started
    print(f"\nbbc-news: {report} in {elapsed:.1f} s")
    assert state.is_completed() and report.status == "published", report.audit_summary

    def rel(uri: str) -> str:
        return Path(uri).relative_to(root).as_posix()

    article_of = {
        rel(uri): (article_id, story_id)
        for uri, article_id, story_id in rows(
            settings, "select input_uri, article_id, story_id from articles", published=True
        )
    }
    story_of_article = dict(article_of.values())
    duplicate_of = {
        rel(uri): target
        for uri, target in rows(
            settings, "select input_uri, duplicate_of from duplicates", published=True
        )
    }
    rejected = rows(settings, "select input_uri, reason_code from rejects", published=True)

    # Every file loads: an article or a duplicate, never a reject (the manifest lists none).
    assert not rejected, rejected
    assert len(article_of) + len(duplicate_of) == len(files) == report.n_records
    assert set(article_of) | set(duplicate_of) == set(manifest)

    # Byte-identical copies: one of each pair is stored, the other points at it.
    copies = {path: row["exact_duplicate_of"] for path, row in manifest.items()}
    copies = {path: original for path, original in copies.items() if original}
    for copy, original in copies.items():
        pair = {copy, original}
        stored = pair & set(article_of)
        assert len(stored) == 1, (copy, original)
        (kept,) = stored
        (dropped,) = pair - stored
        assert duplicate_of[dropped] == article_of[kept][0], (copy, original)
    print(f"bbc-news: {len(duplicate_of)} duplicates, {len(copies)} byte-identical in manifest")

    def story(path: str) -> str:
        if path in article_of:
            return article_of[path][1]
        return story_of_article[duplicate_of[path]]

    # Re-edited copies (same title, different bytes, mostly the same text) share a story.
    by_title: dict[str, list[str]] = defaultdict(list)
    for path, row in sorted(manifest.items()):
        if not row["exact_duplicate_of"]:
            by_title[row["title"]].append(path)
    reedits, rewrites = [], []
    for paths in by_title.values():
        for other in paths[1:]:
            a, b = (_bbc_text(root / p) for p in (paths[0], other))
            ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
            (reedits if ratio >= REEDIT_RATIO else rewrites).append((paths[0], other, ratio))
    apart = [
        (
            a,
            b,
            round(ratio, 3),
            round(jaccard_estimate(_bbc_text(root / a), _bbc_text(root / b)), 3),
        )
        for a, b, ratio in reedits
        if story(a) != story(b)
    ]
    assert not apart, f"re-edited copies in different stories (a, b, ratio, jaccard): {apart}"
    n_stories = len(set(story_of_article.values()))
    print(
        f"bbc-news: {len(article_of)} articles, {n_stories} stories, "
        f"{len(reedits)} re-edited pairs, {len(rewrites)} same-title rewrites: "
        + ", ".join(
            f"{a}~{b} ratio {r:.2f} same story {story(a) == story(b)}" for a, b, r in rewrites
        )
    )
    assert len(copies) <= len(duplicate_of) <= len(copies) + len(reedits)
    assert n_stories <= len(article_of)

    # The one Latin-1 file decodes (its pound sign survives).
    (latin1,) = [p for p, row in manifest.items() if row["encoding"].startswith("not-utf-8")]
    (body,) = rows(
        settings,
        f"select title || body from articles where article_id = '{_stored(latin1, article_of, duplicate_of)}'",
        published=True,
    )[0]
    assert "£" in body


def _stored(path: str, article_of: dict[str, tuple[str, str]], duplicate_of: dict[str, str]) -> str:
    return article_of[path][0] if path in article_of else duplicate_of[path]


def _bbc_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


# --- recovery-news ------------------------------------------------------------------------

_MOJIBAKE_MARKS = ("Â", "Ã", "â€")


def test_recovery_csvs_load_with_authors_parsed_leniently(tmp_path: Path) -> None:
    corpus = shared_data("corpora", "recovery-news")
    manifest = _manifest(corpus / "manifest.csv", key="file")
    csv.field_size_limit(2**31 - 1)
    records: dict[tuple[str, int], dict[str, str]] = {}
    for name in manifest:
        with (corpus / name).open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            for number, row in enumerate(reader, 1):
                records[str(corpus / name), number] = dict(zip(header, row, strict=True))
    assert len(records) == sum(int(row["rows"]) for row in manifest.values())

    settings = _settings(tmp_path)
    started = time.monotonic()
    state, report = run([corpus / "reliable", corpus / "unreliable"], settings)
    elapsed = time.monotonic() - started
    print(f"\nrecovery-news: {report} in {elapsed:.1f} s")
    assert state.is_completed() and report.status == "published", report.audit_summary

    # Every row is accounted for; only rows without a title or a body are rejected.
    articles, duplicates, rejects = (
        _per_file(settings, t) for t in ("articles", "duplicates", "rejects")
    )
    for name, row in manifest.items():
        uri = str(corpus / name)
        assert articles[uri] + duplicates[uri] + rejects[uri] == int(row["rows"]), name
    rejected = rows(
        settings, "select input_uri, input_record, reason_code from rejects", published=True
    )
    empty = {key for key, r in records.items() if not r["title"].strip() or not r["body_text"]}
    assert {(uri, n) for uri, n, _ in rejected} == empty
    assert {reason for *_, reason in rejected} <= {"MISSING_TITLE", "MISSING_BODY"}

    stored = {
        (uri, n): (authors, text)
        for uri, n, authors, text in rows(
            settings,
            "select input_uri, input_record, authors, title || ' ' || body from articles",
            published=True,
        )
    }
    well_formed = malformed = 0
    for key, (authors, text) in stored.items():
        raw = records[key]["author"]
        assert authors is None or all(name and name == name.strip() for name in authors)
        assert not any(mark in name for name in authors or [] for mark in _MOJIBAKE_MARKS)
        assert not any(mark in text for mark in _MOJIBAKE_MARKS), key
        try:
            expected = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            expected = None
        if isinstance(expected, list):
            well_formed += 1
            names = [" ".join(unicodedata.normalize("NFC", a).split()) for a in expected]
            assert authors == (list(dict.fromkeys(n for n in names if n)) or None), (key, raw)
        else:  # hand-edited: the best parse, every name free of list punctuation
            malformed += 1
            for name in authors or []:
                assert not set(name) & set('[]‘’“”"') and name[0] != "'" and name[-1] != "'"
    n_named = sum(1 for authors, _ in stored.values() if authors)
    print(
        f"recovery-news: {len(records)} rows, {len(stored)} articles, {n_named} with authors, "
        f"{len(stored) - n_named} without; {well_formed} well-formed lists, {malformed} not"
    )
    assert malformed  # the README counts 20 rows ast.literal_eval cannot read
