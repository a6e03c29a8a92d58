"""Train the shipped English entity model (flows/models/ner_en) from CoNLL-2003 IOB files.

Usage::

    python -m flows.core.entities.train [--data DIR] [--out DIR] [--seed N] [--max-minutes M]

Steps: convert train/dev IOB to spaCy DocBin in a scratch directory outside the repository,
train with ``ner.cfg`` (fixed seed, step cap, wall-clock guard), score the best checkpoint
on dev with the same exact-span scorer the project uses, and save a slim inference-only
pipeline (tok2vec + ner + sentencizer) whose meta carries the per-label dev precision used
as ``confidence``. Training is deterministic for a given seed unless the time guard fires.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows.core.entities.calibration import CONFIDENCE_MEANING, fit_outcomes
from flows.core.entities.evaluate import (
    SENTENCES_PER_DOC,
    Sentence,
    document_breaks,
    evaluate_file,
    format_report,
    iob_to_spans,
    read_iob,
    sentence_groups,
    span_outcomes,
)
from flows.core.entities.ner import SHIPPED_MODEL_DIR

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.language import Language
    from spacy.vocab import Vocab

CONFIG_PATH = Path(__file__).resolve().with_name("ner.cfg")
REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "ner"
TRAIN_FILE = "conll2003-train.iob"
DEV_FILE = "conll2003-dev.iob"
# Minutes kept free after training for loading, dev scoring and saving.
FINISH_RESERVE_MINUTES = 2.0
KEEP_IN_OUT = {"MODEL_CARD.md"}
LICENSE_NOTE = (
    "Trained on CoNLL-2003 English (Reuters RCV1 newswire): research / evaluation use only "
    "unless cleared; see MODEL_CARD.md."
)


class TimeLimitReached(RuntimeError):
    """Raised from the training loop when the wall-clock budget is used up."""


def register_callbacks() -> None:
    """Register the wall-clock guard named in ner.cfg and the model's feature component
    (idempotent)."""
    import spacy

    import flows.core.entities.features  # noqa: F401  (registers the spaCy factory)

    if "wirehouse.stop_after_minutes.v1" in spacy.registry.callbacks:
        return

    @spacy.registry.callbacks("wirehouse.stop_after_minutes.v1")
    def stop_after_minutes(minutes: float) -> Callable[[Any, dict[str, Any]], None]:
        """Stop training once ``minutes`` have passed; the best checkpoint is kept."""
        deadline = time.monotonic() + minutes * 60.0

        def before_update(nlp: Any, info: dict[str, Any]) -> None:
            if time.monotonic() > deadline:
                raise TimeLimitReached(f"time limit of {minutes:.1f} min reached")

        return before_update


def _normalised_tags(tags: Sequence[str]) -> list[str]:
    """Rewrite tags as strict IOB2 so spaCy accepts them (stray I- becomes B-)."""
    out = ["O"] * len(tags)
    for start, end, label in iob_to_spans(tags):
        out[start] = f"B-{label}"
        for i in range(start + 1, end):
            out[i] = f"I-{label}"
    return out


def _group_sentences(sentences: list[Sentence], breaks: list[int]) -> list[list[Sentence]]:
    """Chunks of up to SENTENCES_PER_DOC consecutive sentences that never cross a document.

    The same chunking as evaluation (``sentence_groups``), so train and dev Docs match.
    """
    groups = sentence_groups(len(sentences), breaks or [0], SENTENCES_PER_DOC)
    return [[sentences[i] for i in g] for g in groups]


def convert(iob_path: Path, out_path: Path, vocab: Vocab) -> int:
    """Write ``iob_path`` as a DocBin of multi-sentence Docs; return the number of Docs."""
    from spacy.tokens import Doc, DocBin

    sentences = read_iob(iob_path)
    docbin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE", "SENT_START"], store_user_data=False)
    groups = _group_sentences(sentences, document_breaks(iob_path))
    for group in groups:
        words = [w for ws, _ in group for w in ws]
        tags = [t for _, ts in group for t in _normalised_tags(ts)]
        sent_starts = [i == 0 for ws, _ in group for i in range(len(ws))]
        doc = Doc(
            vocab, words=words, spaces=[True] * len(words), ents=tags, sent_starts=sent_starts
        )
        docbin.add(doc)
    docbin.to_disk(out_path)
    return len(groups)


def train_model(
    config_path: Path,
    train_path: Path,
    dev_path: Path,
    output_dir: Path,
    *,
    seed: int,
    minutes: float,
    overrides: dict[str, Any],
) -> Path:
    """Run spaCy training; return the best checkpoint (kept even if the time guard fires).

    This is ``spacy train`` minus its CPU set-up, which would swap thinc's ops back to the
    BLIS ones: with numpy's BLAS (``blas.use_numpy_blas``) training is faster and the
    saved model is the same kind of model.
    """
    from spacy import util
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_nlp

    from flows.core.entities.blas import use_numpy_blas

    register_callbacks()
    use_numpy_blas()
    settings = {
        "paths.train": str(train_path),
        "paths.dev": str(dev_path),
        "system.seed": seed,
        "training.before_update.minutes": minutes,
        **overrides,
    }
    output_dir.mkdir(parents=True, exist_ok=True)
    config = util.load_config(config_path, overrides=settings, interpolate=False)
    try:
        nlp = init_nlp(config)
        train_nlp(nlp, output_dir, stdout=sys.stdout, stderr=sys.stderr)
    except TimeLimitReached as exc:
        print(f"[train] stopped early: {exc}; using the best checkpoint so far", flush=True)
    best = output_dir / "model-best"
    if not (best / "config.cfg").is_file():
        raise RuntimeError(f"training produced no checkpoint in {output_dir}")
    return best


def finalize_pipeline(checkpoint: Path) -> Language:
    """Load a checkpoint and add the sentencizer so inference has sentence boundaries."""
    import spacy

    register_callbacks()
    nlp = spacy.load(checkpoint)
    if "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", last=True)
    return nlp


def _strip_training_config(model_dir: Path) -> None:
    """Drop training-only settings that would reference local paths or unregistered code."""
    from thinc.api import Config

    cfg_path = model_dir / "config.cfg"
    cfg = Config().from_disk(cfg_path, interpolate=False)
    for key in ("train", "dev", "vectors", "init_tok2vec"):
        cfg["paths"][key] = None
    cfg["training"]["before_update"] = None
    cfg.to_disk(cfg_path)


def _meta_update(
    nlp: Language,
    result: dict[str, Any],
    info: dict[str, Any],
    per_sentence: dict[str, Any] | None = None,
    calibrate_on: Path | None = None,
) -> None:
    """Store dev scores, the confidence tables and provenance in the model's meta.json.

    ``result`` is the document-unit evaluation (``evaluate_file`` default), whose per-label
    precision is the fallback confidence; ``calibrate_on`` (the dev file) fits the span
    confidence table. ``per_sentence`` is the stricter one-sentence-per-Doc figure, kept so
    older numbers stay comparable.
    """
    per_label = {lab: s["p"] for lab, s in result["per_label"].items() if s["support"]}
    confidence: dict[str, Any] = {"meaning": CONFIDENCE_MEANING, "per_label": per_label}
    if calibrate_on is not None:
        confidence["calibration"] = fit_outcomes(span_outcomes(calibrate_on, nlp)).to_json()
    nlp.meta.update(
        {
            "name": "ner_en",
            "version": "1.0.0",
            "description": "English PER/ORG/LOC/MISC entity recognizer for Wirehouse.",
            "license": "research/evaluation use only (CoNLL-2003, Reuters RCV1)",
            "sources": [{"name": "CoNLL-2003 English (eng.train, eng.testa)"}],
            "notes": LICENSE_NOTE,
            "confidence": confidence,
            "wirehouse_dev": {
                "overall": result["overall"],
                "per_label": result["per_label"],
                "sentences": result["sentences"],
                "docs": result.get("docs"),
                "unit": f"documents of up to {SENTENCES_PER_DOC} sentences",
            },
            "wirehouse_training": info,
        }
    )
    if per_sentence is not None:
        nlp.meta["wirehouse_dev_per_sentence"] = {
            "overall": per_sentence["overall"],
            "per_label": per_sentence["per_label"],
            "sentences": per_sentence["sentences"],
        }


def dev_f1_of(model_dir: Path) -> float | None:
    """Dev F1 recorded in an existing model's meta.json, if any."""
    meta = model_dir / "meta.json"
    if not meta.is_file():
        return None
    data = json.loads(meta.read_text(encoding="utf-8"))
    return data.get("wirehouse_dev", {}).get("overall", {}).get("f1")


def save_model(nlp: Language, staging: Path, out: Path) -> None:
    """Write the pipeline to ``staging``, slim it, then replace ``out`` (keeping the card)."""
    if staging.exists():
        shutil.rmtree(staging)
    nlp.to_disk(staging)
    _strip_training_config(staging)
    out.mkdir(parents=True, exist_ok=True)
    for entry in out.iterdir():
        if entry.name in KEEP_IN_OUT:
            continue
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for entry in staging.iterdir():
        target = out / entry.name
        shutil.copytree(entry, target) if entry.is_dir() else shutil.copy2(entry, target)


def dir_size_mb(path: Path) -> float:
    """Total size of the files under ``path`` in MB (what gets committed)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options; defaults reproduce the shipped model."""
    ap = argparse.ArgumentParser(
        prog="python -m flows.core.entities.train",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"directory with {TRAIN_FILE} and {DEV_FILE}",
    )
    ap.add_argument("--out", type=Path, default=SHIPPED_MODEL_DIR, help="model output directory")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-minutes", type=float, default=40.0, help="wall-clock budget")
    ap.add_argument(
        "--work",
        type=Path,
        default=None,
        help="scratch directory (default: a temporary one, deleted afterwards)",
    )
    ap.add_argument("--config", type=Path, default=CONFIG_PATH, help="spaCy training config")
    ap.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=JSON",
        help="extra config override, e.g. training.patience=800 (repeatable)",
    )
    ap.add_argument(
        "--only-if-better",
        action="store_true",
        help="keep the existing model in --out unless the new dev F1 is higher",
    )
    return ap.parse_args(argv)


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    """Config overrides from --max-steps and --set KEY=JSON."""
    overrides: dict[str, Any] = {}
    if args.max_steps is not None:
        overrides["training.max_steps"] = args.max_steps
    for item in args.set:
        key, _, raw = item.partition("=")
        try:
            overrides[key] = json.loads(raw)
        except json.JSONDecodeError:
            overrides[key] = raw
    return overrides


def run(args: argparse.Namespace, work: Path) -> int:
    """Convert, train, evaluate and save; returns a process exit code."""
    import spacy

    started = time.monotonic()
    train_iob, dev_iob = args.data / TRAIN_FILE, args.data / DEV_FILE
    for path in (train_iob, dev_iob):
        if not path.is_file():
            print(f"error: {path} not found (use --data DIR)", file=sys.stderr)
            return 2
    vocab = spacy.blank("en").vocab
    n_train = convert(train_iob, work / "train.spacy", vocab)
    n_dev = convert(dev_iob, work / "dev.spacy", vocab)
    print(f"[train] converted {n_train} train / {n_dev} dev docs into {work}", flush=True)
    elapsed = (time.monotonic() - started) / 60.0
    budget = max(1.0, args.max_minutes - elapsed - FINISH_RESERVE_MINUTES)
    overrides = _overrides(args)
    best = train_model(
        args.config,
        work / "train.spacy",
        work / "dev.spacy",
        work / "training",
        seed=args.seed,
        minutes=budget,
        overrides=overrides,
    )
    nlp = finalize_pipeline(best)
    result = evaluate_file(dev_iob, nlp)
    per_sentence = evaluate_file(dev_iob, nlp, per_sentence=True)
    train_minutes = (time.monotonic() - started) / 60.0
    print("\nCoNLL-2003 dev (exact span match):\n" + format_report(result), flush=True)
    print(f"per-sentence unit: F1 {per_sentence['overall']['f1']:.4f}", flush=True)
    info = {
        "config": args.config.name,
        "seed": args.seed,
        "overrides": {k: v for k, v in overrides.items()},
        "wall_minutes": round(train_minutes, 1),
        "trained_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    _meta_update(nlp, result, info, per_sentence, calibrate_on=dev_iob)
    previous = dev_f1_of(args.out) if args.only_if_better else None
    if previous is not None and previous >= result["overall"]["f1"]:
        print(
            f"[train] kept existing model in {args.out} (dev F1 {previous:.4f} >= "
            f"{result['overall']['f1']:.4f})"
        )
        return 0
    save_model(nlp, work / "final", args.out)
    print(
        f"[train] saved {args.out} ({dir_size_mb(args.out):.1f} MB) "
        f"in {(time.monotonic() - started) / 60.0:.1f} min total",
        flush=True,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; the scratch directory is removed unless --work was given."""
    args = parse_args(argv)
    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)
        return run(args, args.work)
    with tempfile.TemporaryDirectory(prefix="wirehouse-ner-") as tmp:
        return run(args, Path(tmp))


if __name__ == "__main__":
    raise SystemExit(main())
