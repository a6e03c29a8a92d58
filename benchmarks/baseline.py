"""The naive way to do Wirehouse's job, for a side-by-side ratio in the same benchmark run.

Job (both sides): ingest the landing files -> normalize -> drop duplicates -> load into a
DuckDB file. No entity extraction: the model is the floor of both and is measured alone.

How a first version is often written, and what this does:
- pandas, row by row: each file read, `json.loads` per JSONL line, each .txt file parsed on
  its own (title, "Read Full Article at X." teaser, paragraphs, "Name for Publisher" byline);
- one Prefect task per article (a real `@task` called per row inside a real `@flow`): the
  task cleans the row (NFC, whitespace, canonical URL, date, keys, word count), checks
  whether its id or content hash is already stored (one SELECT), and INSERTs it;
- in a fresh process, so it pays Prefect's temporary server like `wirehouse run` does.

It does less than Wirehouse (no language, origin, stories, tone, rejects, audit or publish),
so the ratios it gives are conservative.

`python -m benchmarks.baseline CORPUS DB` prints one JSON line (seconds inside the flow,
rows loaded, duplicates) and a progress line on stderr every 1,000 articles.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
PROGRESS_EVERY = 1_000
PROGRESS_PREFIX = "  naive baseline: "
TEASER = re.compile(r"^(?P<teaser>.*?)\s*Read (?:the )?Full Article (?:at|on) (?P<origin>.+?)\.?$")
BYLINE = re.compile(r"^(?P<name>[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,4}) for (?P<publisher>.+[^.])$")
CREATE = """
create table if not exists articles (
    article_id varchar, url varchar, source_name varchar, title varchar, summary varchar,
    body varchar, authors varchar, published_at timestamptz, word_count integer,
    content_hash varchar
)
"""


@dataclass(frozen=True)
class NaiveRun:
    seconds: float  # inside the flow: read, clean, check, insert
    wall: float  # the whole process, Prefect start-up included
    loaded: int
    duplicates: int


def parse_text_file(text: str) -> dict[str, Any]:
    """One seed-format article: title, optional teaser, paragraphs, optional byline."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    record: dict[str, Any] = {"title": lines[0] if lines else None}
    rest = lines[1:]
    if len(rest) >= 2 and (teaser := TEASER.match(rest[0])):
        record["summary"], record["origin"] = teaser["teaser"], teaser["origin"]
        rest = rest[1:]
    if len(rest) >= 2 and (byline := BYLINE.match(rest[-1])):
        record["authors"], record["source"] = [byline["name"]], byline["publisher"]
        rest = rest[:-1]
    record["body"] = "\n\n".join(rest)
    return record


def read_corpus(corpus: Path) -> Any:
    """All records as one pandas frame, parsed one line or one file at a time."""
    import pandas as pd

    frames = []
    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        if path.suffix == ".jsonl":
            lines = pd.Series(path.read_text(encoding="utf-8").splitlines())
            frames.append(pd.DataFrame(lines.apply(json.loads).tolist()))
        elif path.suffix == ".txt":
            frames.append(pd.DataFrame([parse_text_file(path.read_text(encoding="utf-8"))]))
    return pd.concat(frames, ignore_index=True)


def _text(value: Any) -> str | None:
    """A cell as text; pandas gives NaN for a field a record did not have."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value)


def canonical_url(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url.strip())
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if not k.startswith("utm_"))
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path, urlencode(query), "")
    )


def clean_row(record: dict[str, Any]) -> dict[str, Any]:
    """One record cleaned the way Wirehouse's normalize step cleans a whole column."""
    import pandas as pd

    title = re.sub(r"\s+", " ", unicodedata.normalize("NFC", _text(record.get("title")) or ""))
    body = unicodedata.normalize("NFC", _text(record.get("body")) or "")
    body = re.sub(r"[^\S\n]+", " ", body)
    body = re.sub(r" ?\n\s*", "\n\n", body).strip()
    url = canonical_url(_text(record.get("url")))
    published = _text(record.get("published"))
    try:
        published_at = pd.to_datetime(published, utc=True) if published else None
    except (ValueError, OverflowError):
        published_at = None
    authors = record.get("authors")
    key = ("url:" + url) if url else ("text:" + title.lower() + "\n" + body.lower())
    return {
        "article_id": hashlib.sha256(key.encode()).hexdigest()[:32],
        "url": url,
        "source_name": _text(record.get("source")),
        "title": title.strip(),
        "summary": _text(record.get("summary")),
        "body": body,
        "authors": json.dumps(list(authors)) if isinstance(authors, list) else None,
        "published_at": None if published_at is None else published_at.to_pydatetime(),
        "word_count": len(body.split()),
        "content_hash": hashlib.sha256((title.strip() + "\n" + body).encode()).hexdigest(),
    }


def naive_flow(db_path: Path) -> Any:
    """The flow and its per-article task, built on first use (Prefect imports slowly)."""
    import duckdb
    from prefect import flow, task

    con = duckdb.connect(str(db_path))
    con.execute(CREATE)

    @task(name="load-article")
    def load_article(record: dict[str, Any]) -> bool:
        row = clean_row(record)
        exists = con.execute(
            "select 1 from articles where article_id = ? or content_hash = ?",
            [row["article_id"], row["content_hash"]],
        ).fetchone()
        if exists:
            return False
        con.execute(
            "insert into articles values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", list(row.values())
        )
        return True

    @flow(name="naive-load")
    def naive_load(corpus: str) -> dict[str, float]:
        started = time.perf_counter()
        frame = read_corpus(Path(corpus))
        loaded = 0
        for n, (_, row) in enumerate(frame.iterrows(), 1):
            loaded += load_article(row.to_dict())
            if n % PROGRESS_EVERY == 0:
                print(
                    f"{PROGRESS_PREFIX}{n:,} of {len(frame):,} articles "
                    f"({time.perf_counter() - started:,.0f} s)",
                    file=sys.stderr,
                    flush=True,
                )
        con.close()
        return {
            "seconds": time.perf_counter() - started,
            "loaded": loaded,
            "duplicates": len(frame) - loaded,
        }

    return naive_load


def naive_run(corpus: Path, db_path: Path) -> NaiveRun:
    """The naive job in a fresh process. Its progress lines are passed on to our stderr;
    the rest of its stderr (Prefect's server complaining about task-run events it could not
    flush before the process ended) is kept only to explain a failure."""
    started = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-m", "benchmarks.baseline", str(corpus), str(db_path)],
        cwd=REPO,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stderr is not None and child.stdout is not None
        tail: list[str] = []
        for line in child.stderr:
            if line.startswith(PROGRESS_PREFIX):
                print(line, end="", file=sys.stderr, flush=True)
            tail = (tail + [line])[-40:]
        out = child.stdout.read()
    wall = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"naive baseline failed: {''.join(tail)[-2000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    return NaiveRun(result["seconds"], wall, int(result["loaded"]), int(result["duplicates"]))


def main() -> None:
    from flows.settings import quiet_third_party_logging

    corpus, db_path = Path(sys.argv[1]), Path(sys.argv[2])
    # The same Prefect settings `wirehouse run` starts with, before Prefect is imported.
    quiet_third_party_logging(False)
    result = naive_flow(db_path)(str(corpus))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
