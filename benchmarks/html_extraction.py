"""Score HTML main-text extraction on the article-extraction benchmark.

`python -m benchmarks.html_extraction [DIR]`, DIR defaulting to
../shared/data/corpora/article-extraction-benchmark (relative to the repo root).

Scoring follows that benchmark's own evaluation (scrapinghub/article-extraction-benchmark,
evaluate.py): `\\w+` tokens, 4-token shingles counted as multisets, per page TP/FP/FN
normalised by their sum, precision and recall averaged over pages, F1 = harmonic mean of
the two means. A bag-of-words F1 (1-token shingles, same averaging) is shown beside it.
The pipeline's own parse_html is measured against plain trafilatura defaults in the
same run, so the ratio compares like with like.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from flows.core.readers.html import HTML_EXTRACTOR, parse_html
from flows.settings import REPO_ROOT

DEFAULT_DIR = REPO_ROOT.parent / "shared" / "data" / "corpora" / "article-extraction-benchmark"
_TOKEN = re.compile(r"\w+")
Counts = tuple[float, float, float]


@dataclass(frozen=True)
class Score:
    method: str
    pages: int
    precision: float
    recall: float
    f1: float
    bow_f1: float
    pages_per_s: float


def shingles(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def page_counts(true: str, pred: str, n: int = 4) -> Counts:
    """TP/FP/FN of shingle multisets, normalised so that long pages do not weigh more."""
    expected, got = shingles(true, n), shingles(pred, n)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def mean_scores(counts: list[Counts]) -> tuple[float, float, float]:
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load_pages(folder: Path) -> list[tuple[str, str, str]]:
    """(id, html, ground-truth articleBody) for every page that has ground truth."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        path = folder / "html" / f"{page_id}.html.gz"
        if path.exists():
            html = gzip.decompress(path.read_bytes()).decode("utf-8")
            pages.append((page_id, html, truth[page_id].get("articleBody") or ""))
    return pages


def pipeline_body(page_id: str, html: str) -> str:
    frame, _ = parse_html(page_id, html)
    return (frame.get_column("body").first() if frame.height else None) or ""


def baseline_body(page_id: str, html: str) -> str:
    return trafilatura.extract(html) or ""


def run(method: str, extract: Callable[[str, str], str], pages: list) -> Score:
    start = time.perf_counter()
    predicted = [extract(page_id, html) for page_id, html, _ in pages]
    seconds = time.perf_counter() - start
    truths = [truth for _, _, truth in pages]
    p, r, f1 = mean_scores([page_counts(t, g) for t, g in zip(truths, predicted, strict=True)])
    bow = mean_scores([page_counts(t, g, 1) for t, g in zip(truths, predicted, strict=True)])
    return Score(method, len(pages), p, r, f1, bow[2], len(pages) / seconds)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.html_extraction")
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    folder = parser.parse_args().dir
    folder = folder if folder.is_absolute() else REPO_ROOT / folder
    if not (folder / "ground-truth.json").exists():
        print(f"no benchmark at {folder}: nothing to score")
        return
    pages = load_pages(folder)
    scores = [
        run("trafilatura defaults (baseline)", baseline_body, pages),
        run(f"parse_html ({HTML_EXTRACTOR})", pipeline_body, pages),
    ]
    print(f"{'method':40} {'pages':>5} {'prec':>7} {'recall':>7} {'F1':>7} {'bowF1':>7} {'p/s':>6}")
    for s in scores:
        print(
            f"{s.method:40} {s.pages:>5} {s.precision:>7.4f} {s.recall:>7.4f} {s.f1:>7.4f} "
            f"{s.bow_f1:>7.4f} {s.pages_per_s:>6.1f}"
        )
    base, ours = scores
    print(
        f"parse_html / baseline: F1 x{ours.f1 / base.f1:.3f}, "
        f"speed x{ours.pages_per_s / base.pages_per_s:.2f}"
    )


if __name__ == "__main__":
    main()
