"""Entity tagging on several cores: worker processes that load the model once and send back
span rows, not spaCy Docs.

spaCy's own ``nlp.pipe(n_process=N)`` pickles every annotated Doc back to the parent, which
deserializes it and builds the rows on one core. On news articles that serial tail kept the
second core mostly idle (1.4x with two processes). Here each worker runs ``extract_spans``
(every member's, and their vote, in the accurate mode: ``ensemble.tag``) on a contiguous
chunk of texts and returns the small ``ner.SCHEMA`` frame; the parent only
shifts ``text_index`` and concatenates, in input order, so the result is identical to one
process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

import polars as pl

from flows.core.entities import ensemble
from flows.core.entities.blas import limit_blas_threads
from flows.core.entities.ner import SCHEMA

# Characters of text per task sent to a worker: at most ~30k words, about a second of
# tagging; big enough that pickling and scheduling are noise.
CHUNK_CHARS = 200_000
# Smaller batches are cut into at least this many chunks per worker (down to MIN_CHUNK_CHARS),
# so the last chunk leaves a worker idle for a small share of the batch: with 7 chunks of
# 200k characters on two workers, one waited an eighth of the time.
CHUNKS_PER_WORKER = 8
MIN_CHUNK_CHARS = 20_000

_worker_model: str | None = None


def chunk_bounds(lengths: Sequence[int], budget: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Contiguous [start, end) ranges of texts whose lengths add up to about ``budget``.

    A text longer than the budget gets a chunk of its own; no chunk is empty.
    """
    bounds: list[tuple[int, int]] = []
    start, size = 0, 0
    for index, length in enumerate(lengths):
        if size and size + length > budget:
            bounds.append((start, index))
            start, size = index, 0
        size += length
    if start < len(lengths):
        bounds.append((start, len(lengths)))
    return bounds


def balanced_budget(total_chars: int, processes: int) -> int:
    """Chunk size that gives every worker several chunks, within the bounds above."""
    wanted = total_chars // max(1, processes * CHUNKS_PER_WORKER)
    return max(MIN_CHUNK_CHARS, min(CHUNK_CHARS, wanted))


def _init_worker(model: str | None) -> None:
    """Load the pipeline (or every member of a vote) once per worker process (cached in
    ``ner.load_pipeline``).

    Each worker gets one BLAS thread: the workers already fill the cores, and a second
    thread per worker would only make them take turns.
    """
    global _worker_model
    _worker_model = model
    limit_blas_threads(1)
    ensemble.load(model)


def _tag_chunk(texts: list[str]) -> pl.DataFrame:
    return ensemble.tag(_worker_model, texts)


class TagJob:
    """Texts being tagged: chunk futures on the workers, or the in-process fallback."""

    def __init__(
        self,
        bounds: list[tuple[int, int]],
        futures: list[Future[pl.DataFrame]],
        in_process: Callable[[Callable[[int], None] | None], pl.DataFrame] | None = None,
    ) -> None:
        self.bounds, self.futures, self.in_process = bounds, futures, in_process

    def spans(self, progress: Callable[[int], None] | None = None) -> pl.DataFrame:
        """The spans (``ner.SCHEMA``) in input order; waits for the workers."""
        if self.in_process is not None:
            return self.in_process(progress)
        frames = []
        for (start, end), future in zip(self.bounds, self.futures, strict=True):
            frame = future.result()
            frames.append(frame.with_columns((pl.col("text_index") + start).cast(pl.UInt32)))
            if progress is not None:
                progress(end)
        return pl.concat(frames) if frames else pl.DataFrame(schema=SCHEMA)


class Tagger:
    """Tags batches of texts; with ``processes > 1`` a pool of workers lives as long as the
    tagger, so a run that tags many batches loads the model once per worker.

    ``model`` is a model setting (``ensemble.members``): one pipeline or the members of a
    vote. They are loaded in this process at the first call (cached per process), so a broken
    or missing model fails here with its one-line message instead of inside a worker.
    Workers are started with ``spawn``: forking a process that runs Prefect's threads and
    event loop is not safe.
    """

    def __init__(self, model: str | None = None, processes: int = 1) -> None:
        self.model, self.processes = model, processes
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Tagger:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __call__(
        self,
        texts: Sequence[str],
        progress: Callable[[int], None] | None = None,
        chunk_chars: int | None = None,
    ) -> pl.DataFrame:
        """Entity spans of ``texts`` (``ner.SCHEMA``), in input order, as one process gives."""
        return self.submit(texts, chunk_chars).spans(progress)

    def submit(self, texts: Sequence[str], chunk_chars: int | None = None) -> TagJob:
        """Start tagging ``texts`` on the workers and return at once; ``TagJob.spans`` waits.

        A caller that links one batch while the workers tag the next keeps both cores busy.
        Without workers (or for a batch too small to split) the texts are tagged in this
        process when the spans are asked for.
        """
        ensemble.load(self.model)
        lengths = [len(t or "") for t in texts]
        budget = chunk_chars or balanced_budget(sum(lengths), self.processes)
        bounds = chunk_bounds(lengths, budget)
        if self.processes <= 1 or len(bounds) < 2:
            return TagJob(bounds, [], lambda progress: ensemble.tag(self.model, texts, progress))
        pool = self._workers()
        futures = [pool.submit(_tag_chunk, list(texts[start:end])) for start, end in bounds]
        return TagJob(bounds, futures)

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(self.model,),
            )
        return self._pool
