"""Matrix products for spaCy through numpy's BLAS instead of thinc's bundled BLIS.

thinc's CPU backend sends every dense layer's matrix product to the BLIS build it bundles.
On the x86-64 machines Wirehouse runs on, that build reaches about a third of the speed of
the OpenBLAS that numpy links (29 vs 88 GFLOP/s on one core for the tok2vec's shapes), and
those products are most of the entity model's time. ``BlasOps`` keeps every other kernel of
thinc's ``NumpyOps`` and only reroutes ``gemm``; the model, its weights and its predictions
are unchanged (the products agree to float32 rounding).

Install it before a pipeline is loaded or trained: spaCy builds each layer with the ops
that are current at that moment.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np


@functools.cache
def _ops_class() -> type:
    """``NumpyOps`` with ``gemm`` through numpy (built lazily: thinc imports slowly)."""
    from thinc.api import NumpyOps

    class BlasOps(NumpyOps):  # type: ignore[misc, valid-type]
        """thinc's CPU ops with numpy's matrix product."""

        name = "numpy"

        def gemm(
            self,
            x: np.ndarray,
            y: np.ndarray,
            out: np.ndarray | None = None,
            trans1: bool = False,
            trans2: bool = False,
        ) -> np.ndarray:
            a = x.T if trans1 else x
            b = y.T if trans2 else y
            if out is None:
                return np.matmul(a, b)
            np.matmul(a, b, out=out)
            return out

    return BlasOps


def use_numpy_blas() -> Any:
    """Make numpy's BLAS the matrix product of every thinc model built from now on."""
    from thinc.api import get_current_ops, set_current_ops

    cls = _ops_class()
    current = get_current_ops()
    if isinstance(current, cls):
        return current
    if type(current).__name__ != "NumpyOps":  # a GPU or Apple backend: leave it alone
        return current
    ops = cls()
    set_current_ops(ops)
    return ops


def limit_blas_threads(threads: int) -> None:
    """Cap numpy's BLAS threads in this process (tagging workers use one core each)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads, user_api="blas")
