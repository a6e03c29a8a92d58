"""Distil an ensemble of entity models into one model of the shipped architecture.

Usage::

    python -m flows.core.entities.distill --work DIR [--teacher MODEL_DIR ...]
        [--teacher-seeds 0 1 2] [--corpora DIR] [--max-silver-words N] [--gold-repeat K]
        [--out DIR] [--seed N] [--max-minutes M] [--only-if-better]

Why: an ensemble of three models scores about a point higher than any one of them on
CoNLL-2003 dev, but costs three times the tagging time. Letting the ensemble label raw news
text ("silver" labels) and training one model on gold CoNLL-2003 train plus that silver
text aims to move part of the ensemble's gain into a single model at unchanged speed and
size. Whether it does depends on the teachers and the training budget, hence
``--only-if-better``; see MODEL_CARD.md for measured outcomes.

Steps (teachers and their labels are cached in ``--work``, so an interrupted run resumes):

1. Teachers: the models given with ``--teacher`` (default: none) plus one model per
   ``--teacher-seeds`` seed (default 0 1 2), trained with ``flows.core.entities.train`` and
   ``ner.cfg``; an odd number of at least three is required.
2. Raw text: BBC News articles, ReCOVery news bodies and news-feed titles/descriptions from
   ``--corpora``, in a seeded random article order, capped at ``--max-silver-words``;
   paragraphs are tokenised by spaCy's English tokenizer and split into sentences by the
   rule-based ``sentencizer``; chunks of up to ``SENTENCES_PER_DOC`` sentences form a Doc.
3. Labels: every teacher tags every chunk; a span is kept when a majority of teachers
   predicted exactly that span with that label (with 3 teachers, 2 votes). Majority spans
   cannot overlap, since one teacher's spans never do. All other tokens are "O".
4. Student: one model trained with ``ner.cfg`` on gold train (repeated ``--gold-repeat``
   times, so gold keeps its weight) plus the silver Docs; dev is used only for choosing the
   checkpoint, as in ``train``. The student is scored on dev with ``evaluate_file`` and
   saved to ``--out`` (with ``--only-if-better``: only if it beats the model there).

The silver text is read from the shared corpora and written only to ``--work``; no running
text goes into the repository (a saved model's ``vocab/strings.json`` does hold the single
word strings seen in training, as for CoNLL-2003).
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import random
import re
import sys
import tarfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows.core.entities.ensemble import majority
from flows.core.entities.evaluate import (
    SENTENCES_PER_DOC,
    evaluate_file,
    format_report,
)
from flows.core.entities.ner import SHIPPED_MODEL_DIR
from flows.core.entities.train import (
    CONFIG_PATH,
    DEFAULT_DATA,
    DEV_FILE,
    TRAIN_FILE,
    convert,
    dir_size_mb,
    finalize_pipeline,
    save_model,
    train_model,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_CORPORA = DEFAULT_DATA.parent / "corpora"
# Tokens per sentence above which a "sentence" is a list, table or run-on text block;
# such sentences teach the model little and are dropped from the silver data.
MAX_SENTENCE_TOKENS = 120
# (start token, end token exclusive, label) within one chunk
Span = tuple[int, int, str]


# --------------------------------------------------------------------------- raw text


def _bbc_articles(corpora: Path) -> Iterator[tuple[str, str]]:
    """(id, text) of each distinct BBC article; exact duplicates are skipped."""
    tarball = corpora / "bbc-news" / "bbc-news-shared.tar.gz"
    seen: set[bytes] = set()
    with tarfile.open(tarball) as tf:
        for member in sorted(tf.getmembers(), key=lambda m: m.name):
            handle = tf.extractfile(member) if member.isfile() else None
            if handle is None or not member.name.endswith(".txt"):
                continue
            raw = handle.read()
            if raw in seen:
                continue
            seen.add(raw)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:  # one Latin-1 file in the corpus
                text = raw.decode("cp1252")
            yield f"bbc:{member.name}", text


def _recovery_articles(corpora: Path) -> Iterator[tuple[str, str]]:
    """(id, title + body) of each ReCOVery row with a body (both header shapes)."""
    csv.field_size_limit(sys.maxsize)
    for path in sorted((corpora / "recovery-news").glob("*/*.csv")):
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                body = (row.get("body_text") or "").replace("\u00c2 ", " ")
                if body.strip():
                    title = (row.get("title") or "").strip()
                    rel = path.relative_to(corpora)
                    yield f"recovery:{rel}:{row.get('news_id')}", f"{title}\n\n{body}"


_TAG = re.compile(r"<[^>]+>")


def _plain(markup: str | None) -> str:
    """Text of a feed field that may hold escaped or CDATA HTML."""
    return html.unescape(_TAG.sub(" ", html.unescape(markup or ""))).strip()


def _feed_items(corpora: Path) -> Iterator[tuple[str, str]]:
    """(id, title + description) of each RSS/Atom item; full-article HTML is not used."""
    for path in sorted((corpora / "news-feeds" / "feeds").glob("*.xml")):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError:
            continue
        for n, item in enumerate(
            e for e in root.iter() if e.tag.split("}")[-1] in {"item", "entry"}
        ):
            parts = {c.tag.split("}")[-1]: c.text for c in item}
            title = _plain(parts.get("title"))
            desc = _plain(parts.get("description") or parts.get("summary"))
            text = "\n\n".join(t for t in (title, desc) if t)
            if text:
                yield f"feed:{path.name}:{n}", text


def raw_articles(corpora: Path, max_words: int, seed: int) -> list[tuple[str, str]]:
    """A seeded random sample of articles from all corpora, about ``max_words`` words."""
    articles = [*_bbc_articles(corpora), *_recovery_articles(corpora), *_feed_items(corpora)]
    random.Random(seed).shuffle(articles)
    chosen: list[tuple[str, str]] = []
    words = 0
    for art in articles:
        if words >= max_words:
            break
        chosen.append(art)
        words += len(art[1].split())
    return chosen


def chunk_articles(articles: Sequence[tuple[str, str]]) -> list[tuple[list[str], list[bool]]]:
    """Tokenise and sentence-split articles into chunks of up to SENTENCES_PER_DOC sentences.

    Returns (words, sent_starts) per chunk. Paragraphs are split on blank lines and their
    whitespace normalised, so no whitespace tokens reach the model.
    """
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    chunks: list[tuple[list[str], list[bool]]] = []
    for _, text in articles:
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
        sentences: list[list[str]] = []
        for doc in nlp.pipe(p for p in paragraphs if p):
            for sent in doc.sents:
                words = [t.text for t in sent if not t.is_space]
                if 0 < len(words) <= MAX_SENTENCE_TOKENS:
                    sentences.append(words)
        for i in range(0, len(sentences), SENTENCES_PER_DOC):
            group = sentences[i : i + SENTENCES_PER_DOC]
            chunks.append(
                (
                    [w for s in group for w in s],
                    [j == 0 for s in group for j in range(len(s))],
                )
            )
    return chunks


# --------------------------------------------------------------------------- labelling


def _docs(nlp: Language, chunks: Sequence[tuple[list[str], list[bool]]]) -> Iterator[Doc]:
    """Pre-tokenised Docs with sentence starts set, as in evaluation."""
    from spacy.tokens import Doc

    for words, starts in chunks:
        yield Doc(nlp.vocab, words=words, spaces=[True] * len(words), sent_starts=starts)


def label_chunks(
    model_dir: Path, chunks: Sequence[tuple[list[str], list[bool]]]
) -> list[list[Span]]:
    """Entity spans one teacher predicts for every chunk (tokens exactly as given)."""
    import spacy

    import flows.core.entities.features  # noqa: F401  (registers the feature component)

    nlp = spacy.load(model_dir)
    disable = [n for n in nlp.pipe_names if n not in {"token_features", "tok2vec", "ner"}]
    return [
        [(e.start, e.end, e.label_) for e in doc.ents]
        for doc in nlp.pipe(_docs(nlp, chunks), batch_size=256, disable=disable)
    ]


def _labels_cached(
    model_dir: Path, chunks: Sequence[tuple[list[str], list[bool]]], cache: Path
) -> list[list[Span]]:
    """Teacher labels, computed once per teacher and chunk set and kept in ``cache``."""
    if cache.is_file():
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data["n_chunks"] == len(chunks) and data["model"] == str(model_dir):
            return [[tuple(s) for s in spans] for spans in data["spans"]]
    started = time.monotonic()
    spans = label_chunks(model_dir, chunks)
    words = sum(len(w) for w, _ in chunks)
    seconds = time.monotonic() - started
    print(f"[distill] {model_dir}: {words:,} words labelled in {seconds:.0f} s", flush=True)
    cache.write_text(
        json.dumps({"model": str(model_dir), "n_chunks": len(chunks), "spans": spans}),
        encoding="utf-8",
    )
    return spans


def write_silver(
    chunks: Sequence[tuple[list[str], list[bool]]], spans: Sequence[Sequence[Span]], out: Path
) -> int:
    """Write silver chunks as a DocBin (majority spans as entities, rest "O")."""
    import spacy
    from spacy.tokens import DocBin
    from spacy.tokens import Span as SpacySpan

    vocab = spacy.blank("en").vocab
    docbin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE", "SENT_START"], store_user_data=False)
    for doc, chunk_spans in zip(_docs_vocab(vocab, chunks), spans, strict=True):
        doc.set_ents(
            [SpacySpan(doc, s, e, label=lab) for s, e, lab in chunk_spans], default="outside"
        )
        docbin.add(doc)
    docbin.to_disk(out)
    return len(chunks)


def _docs_vocab(vocab: Any, chunks: Sequence[tuple[list[str], list[bool]]]) -> Iterator[Doc]:
    """Like ``_docs`` but for a bare vocabulary (no pipeline needed to write DocBins)."""
    from spacy.tokens import Doc

    for words, starts in chunks:
        yield Doc(vocab, words=words, spaces=[True] * len(words), sent_starts=starts)


def combine_docbins(gold: Path, silver: Path, gold_repeat: int, out: Path) -> tuple[int, int]:
    """One training DocBin: gold Docs ``gold_repeat`` times plus all silver Docs."""
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("en").vocab
    gold_docs = list(DocBin().from_disk(gold).get_docs(vocab))
    silver_docs = list(DocBin().from_disk(silver).get_docs(vocab))
    docbin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE", "SENT_START"], store_user_data=False)
    for doc in gold_docs * gold_repeat + silver_docs:
        docbin.add(doc)
    docbin.to_disk(out)
    return len(gold_docs) * gold_repeat, len(silver_docs)


# --------------------------------------------------------------------------- driver


def train_teacher(seed: int, args: argparse.Namespace, work: Path) -> Path:
    """Train (once) a teacher with ``ner.cfg`` and ``seed``; returns its model directory."""
    from flows.core.entities import train

    out = work / f"teacher-seed{seed}"
    if (out / "config.cfg").is_file():
        return out
    started = time.monotonic()
    code = train.main(
        [
            "--data",
            str(args.data),
            "--out",
            str(out),
            "--seed",
            str(seed),
            "--max-minutes",
            str(args.teacher_minutes),
            "--work",
            str(work / f"scratch-seed{seed}"),
        ]
    )
    if code != 0:
        raise RuntimeError(f"training the seed-{seed} teacher failed with exit code {code}")
    print(f"[distill] teacher seed {seed}: {(time.monotonic() - started) / 60:.1f} min", flush=True)
    return out


def _dev_f1(model_dir: Path, dev_iob: Path) -> float | None:
    """Current dev F1 (document unit) of the model in ``model_dir``, if one is there."""
    if not (model_dir / "config.cfg").is_file():
        return None
    nlp = finalize_pipeline(model_dir)
    return float(evaluate_file(dev_iob, nlp)["overall"]["f1"])


def run(args: argparse.Namespace) -> int:
    """All distillation steps; returns a process exit code."""
    import spacy

    from flows.core.entities.train import _meta_update

    started = time.monotonic()
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    train_iob, dev_iob = args.data / TRAIN_FILE, args.data / DEV_FILE
    for path in (train_iob, dev_iob):
        if not path.is_file():
            print(f"error: {path} not found (use --data DIR)", file=sys.stderr)
            return 2
    teachers = [Path(t) for t in args.teacher]
    teachers += [train_teacher(seed, args, work) for seed in args.teacher_seeds]
    if len(teachers) < 3 or len(teachers) % 2 == 0:
        print("error: need an odd number (>= 3) of teachers for a majority", file=sys.stderr)
        return 2
    print(f"[distill] teachers: {', '.join(map(str, teachers))}", flush=True)

    articles = raw_articles(args.corpora, args.max_silver_words, args.seed)
    chunks = chunk_articles(articles)
    n_words = sum(len(w) for w, _ in chunks)
    print(
        f"[distill] {len(articles)} articles -> {len(chunks)} chunks, {n_words:,} words",
        flush=True,
    )
    votes = [
        _labels_cached(t, chunks, work / f"labels-{i}-{t.name}.json")
        for i, t in enumerate(teachers)
    ]
    silver = [majority(v, len(teachers)) for v in zip(*votes, strict=True)]
    n_spans = sum(len(s) for s in silver)
    print(f"[distill] {n_spans:,} majority spans on the silver text", flush=True)
    write_silver(chunks, silver, work / "silver.spacy")

    vocab = spacy.blank("en").vocab
    convert(train_iob, work / "gold.spacy", vocab)
    convert(dev_iob, work / "dev.spacy", vocab)
    n_gold, n_silver = combine_docbins(
        work / "gold.spacy", work / "silver.spacy", args.gold_repeat, work / "train.spacy"
    )
    print(f"[distill] training on {n_gold} gold + {n_silver} silver docs", flush=True)
    overrides: dict[str, Any] = {}
    if args.max_steps is not None:
        overrides["training.max_steps"] = args.max_steps
    if args.patience is not None:
        overrides["training.patience"] = args.patience
    best = train_model(
        args.config,
        work / "train.spacy",
        work / "dev.spacy",
        work / "student",
        seed=args.seed,
        minutes=args.max_minutes,
        overrides=overrides,
    )
    nlp = finalize_pipeline(best)
    result = evaluate_file(dev_iob, nlp)
    per_sentence = evaluate_file(dev_iob, nlp, per_sentence=True)
    print("\nCoNLL-2003 dev (exact span match):\n" + format_report(result), flush=True)
    print(f"per-sentence unit: F1 {per_sentence['overall']['f1']:.4f}", flush=True)
    info = {
        "config": args.config.name,
        "seed": args.seed,
        "overrides": overrides,
        "distillation": {
            "teachers": [str(t) for t in teachers],
            "silver_articles": len(articles),
            "silver_docs": n_silver,
            "silver_words": n_words,
            "silver_spans": n_spans,
            "gold_repeat": args.gold_repeat,
            "corpora": ["bbc-news", "recovery-news", "news-feeds"],
        },
        "wall_minutes": round((time.monotonic() - started) / 60.0, 1),
        "trained_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    _meta_update(nlp, result, info, per_sentence, calibrate_on=dev_iob)
    nlp.meta["sources"] = [
        {"name": "CoNLL-2003 English (eng.train, eng.testa)"},
        {"name": "silver labels on BBC News (Greene & Cunningham 2006), ReCOVery, news feeds"},
    ]
    previous = _dev_f1(args.out, dev_iob) if args.only_if_better else None
    if previous is not None and previous >= result["overall"]["f1"]:
        print(
            f"[distill] kept existing model in {args.out} (dev F1 {previous:.4f} >= "
            f"{result['overall']['f1']:.4f}); student left in {work / 'student'}"
        )
        return 0
    save_model(nlp, work / "final", args.out)
    print(
        f"[distill] saved {args.out} ({dir_size_mb(args.out):.1f} MB) "
        f"in {(time.monotonic() - started) / 60.0:.1f} min total",
        flush=True,
    )
    return 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options; defaults train three teachers (seeds 0, 1, 2) from scratch."""
    ap = argparse.ArgumentParser(
        prog="python -m flows.core.entities.distill",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--work", type=Path, required=True, help="scratch directory (kept)")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="CoNLL-2003 directory")
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA, help="raw news corpora")
    ap.add_argument(
        "--teacher",
        action="append",
        default=[],
        help="existing teacher model directory (repeatable), used besides --teacher-seeds",
    )
    ap.add_argument(
        "--teacher-seeds",
        type=int,
        nargs="*",
        default=[0, 1, 2],
        help="seeds of teachers trained with ner.cfg (default: 0 1 2; seed 0 is the "
        "configuration of the non-distilled model)",
    )
    ap.add_argument("--teacher-minutes", type=float, default=20.0)
    ap.add_argument("--max-silver-words", type=int, default=600_000)
    ap.add_argument("--gold-repeat", type=int, default=2)
    ap.add_argument("--out", type=Path, default=SHIPPED_MODEL_DIR)
    ap.add_argument("--seed", type=int, default=0, help="student seed and article sample seed")
    ap.add_argument(
        "--max-minutes", type=float, default=40.0, help="wall-clock budget of student training"
    )
    ap.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    ap.add_argument("--patience", type=int, default=None, help="override training.patience")
    ap.add_argument("--config", type=Path, default=CONFIG_PATH)
    ap.add_argument(
        "--only-if-better",
        action="store_true",
        help="replace --out only if the student's dev F1 beats the model there",
    )
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    return run(parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
