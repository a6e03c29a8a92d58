"""A trained pipeline stored smaller: its hash-embedding tables as int8 (26 -> 9.8 MB).

The accurate mode (``ensemble.py``) ships two more models beside the default one. At
26 MB each they would take the models over the project's 50 MB budget, and 23 of those
26 MB are the ``tok2vec`` hash-embedding tables. Stored as int8 with one float32 scale per
row (the row's largest absolute value / 127), each table is 4x smaller (the CNN's weights
stay float32); on CoNLL-2003 dev the two members move from F1 0.8999 and 0.8971 to 0.8999
and 0.8969 (model card).

A compact directory is a spaCy pipeline directory whose ``tok2vec/model`` is replaced by
``tok2vec/model.int8``: spaCy's own loader refuses it (the file it wants is missing) instead
of reading int8 numbers as weights, and ``load`` below builds the pipeline from its config,
loads every other component with spaCy and the tables itself.

Build one with ``python -m flows.core.entities.compact SRC_DIR OUT_DIR``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.language import Language

TABLES_FILE = Path("tok2vec") / "model.int8"
# Parameters with at least this many numbers are stored as int8 (the embedding tables:
# 128 rows x 96 and up); the CNN's weights and biases stay float32.
MIN_QUANTIZED_SIZE = 100_000


def quantize_rows(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 codes and per-row float32 scales with ``codes * scales ~= table``.

    A row's error is at most half its scale, i.e. 1/254 of its largest absolute value.
    """
    scales = (np.abs(table).max(axis=1, keepdims=True) / 127.0).astype(np.float32)
    scales = np.where(scales > 0, scales, np.float32(1.0))
    codes = np.clip(np.rint(table / scales), -127, 127).astype(np.int8)
    return codes, scales


def dequantize_rows(codes: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """The float32 table the model computes with."""
    return codes.astype(np.float32) * scales


def is_compact(path: Path | str) -> bool:
    """True for a directory written by ``write``."""
    return (Path(path) / TABLES_FILE).is_file()


def _packed(params: dict[str, Any]) -> dict[str, Any]:
    packed: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, np.ndarray) and value.ndim == 2 and value.size >= MIN_QUANTIZED_SIZE:
            codes, scales = quantize_rows(value)
            packed[name] = {"int8": codes, "scale": scales}
        else:
            packed[name] = value
    return packed


def _unpacked(params: dict[str, Any]) -> dict[str, Any]:
    return {
        name: dequantize_rows(value["int8"], value["scale"]) if isinstance(value, dict) else value
        for name, value in params.items()
    }


def _float_tables(folder: str, names: list[str]) -> list[str]:
    """``copytree`` filter: leave out the float32 ``tok2vec/model``."""
    return [TABLES_FILE.stem] if Path(folder).name == TABLES_FILE.parent.name else []


def write(source: Path, out: Path, name: str | None = None) -> int:
    """Copy the pipeline at ``source`` to ``out`` with int8 tables; returns numbers packed.

    ``meta.json`` gets ``name`` (default: the source's) and a ``wirehouse_compact`` note.
    """
    import spacy
    import srsly

    import flows.core.entities.features  # noqa: F401  (registers the feature component)

    nlp = spacy.load(source)
    msg = nlp.get_pipe("tok2vec").model.to_dict()
    msg["params"] = [_packed(params) for params in msg["params"]]
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(source, out, ignore=_float_tables)
    (out / TABLES_FILE).write_bytes(srsly.msgpack_dumps(msg))
    packed = sum(
        value["int8"].size
        for params in msg["params"]
        for value in params.values()
        if isinstance(value, dict)
    )
    meta = srsly.read_json(out / "meta.json")
    meta["name"] = name or meta.get("name", out.name)
    meta["wirehouse_compact"] = {"int8_numbers": packed, "scale": "one float32 per row"}
    srsly.write_json(out / "meta.json", meta)
    return packed


def load(path: Path) -> Language:
    """The pipeline of a compact directory, computing with float32 tables as trained."""
    import spacy
    import srsly

    config = spacy.util.load_config(path / "config.cfg")
    meta = srsly.read_json(path / "meta.json")
    nlp = spacy.util.load_model_from_config(config, meta=meta, auto_fill=False, validate=False)
    nlp.from_disk(path, exclude=["tok2vec"])
    msg = srsly.msgpack_loads((path / TABLES_FILE).read_bytes())
    msg["params"] = [_unpacked(params) for params in msg["params"]]
    nlp.get_pipe("tok2vec").model.from_dict(msg)
    return nlp


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m flows.core.entities.compact",
        description="Copy a trained pipeline with its hash-embedding tables stored as int8.",
    )
    parser.add_argument("source", type=Path, help="a trained pipeline directory")
    parser.add_argument("out", type=Path, help="where to write the compact copy (replaced)")
    parser.add_argument("--name", help="the copy's name in meta.json (default: the source's)")
    args = parser.parse_args(argv)
    if not (args.source / "config.cfg").is_file():
        print(f"error: {args.source} is not a pipeline directory (no config.cfg)", file=sys.stderr)
        return 2
    packed = write(args.source, args.out, args.name)
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"{args.out}: {packed:,} numbers stored as int8, {size / 1e6:.1f} MB on disk")
    return 0


if __name__ == "__main__":
    sys.exit(main())
