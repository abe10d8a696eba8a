"""Input checks of the MCLP core: argument validation and cover sets as sorted CSR arrays.

Every error is a ``ValueError`` naming the argument and the offending entry, e.g.
``covers[12][3]: candidate index 600 out of range 0..499``; the batch command passes these
messages on unchanged.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Sequence

import numpy as np

__all__ = ["MAX_CANDIDATES", "check_number_array", "check_scalars", "flatten_covers"]

#: Largest number of candidates: HiGHS indexes columns with 32-bit integers.
MAX_CANDIDATES = 2**31 - 1


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


def _range_text(n_candidates: int) -> str:
    return f"0..{n_candidates - 1}" if n_candidates else "empty (n_candidates is 0)"


def check_number_array(name: str, values: object, length: int | None) -> np.ndarray:
    """Return ``values`` as a finite, non-negative float array, or raise naming the entry."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
        raise ValueError(f"{name}: expected a sequence of numbers")
    items = list(values) if not isinstance(values, np.ndarray) else values.tolist()
    if isinstance(values, np.ndarray) and values.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D sequence of numbers, got {values.ndim}-D")
    for k, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, numbers.Real):
            raise ValueError(f"{name}[{k}]: expected a number, got {item!r}")
    array = np.asarray(items, dtype=np.float64)
    if length is not None and array.shape[0] != length:
        raise ValueError(f"{name}: has {array.shape[0]} entries, expected {length}")
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        k = int(bad[0])
        raise ValueError(f"{name}[{k}]: must be a finite number, got {items[k]!r}")
    negative = np.flatnonzero(array < 0)
    if negative.size:
        k = int(negative[0])
        raise ValueError(f"{name}[{k}]: must not be negative, got {items[k]!r}")
    return array


def flatten_covers(covers: object, n_demand: int, n_candidates: int) -> tuple[np.ndarray, ...]:
    """Validate ``covers`` and return it as sorted, duplicate-free CSR arrays.

    Returns ``(indptr, indices)`` with ``indices[indptr[i]:indptr[i+1]]`` the sorted distinct
    candidates covering demand ``i``.
    """
    if isinstance(covers, str | bytes) or not isinstance(covers, Sequence | np.ndarray):
        raise ValueError("covers: expected a sequence of candidate-index lists")
    if len(covers) != n_demand:
        raise ValueError(
            f"covers: has {len(covers)} cover sets but weights has {n_demand} entries "
            "(one cover set per demand point)"
        )
    rows: list[np.ndarray] = []
    all_arrays = True
    for i, row in enumerate(covers):
        if isinstance(row, np.ndarray):
            if row.ndim != 1:
                raise ValueError(f"covers[{i}]: expected a 1-D list of candidate indices")
            continue
        all_arrays = False
        if isinstance(row, str | bytes) or not isinstance(row, Sequence):
            raise ValueError(f"covers[{i}]: expected a list of candidate indices, got {row!r}")
    lengths = np.fromiter((len(row) for row in covers), dtype=np.int64, count=n_demand)
    indptr = np.zeros(n_demand + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    if all_arrays and n_demand:
        rows = list(covers)
        for i, row in enumerate(rows):
            if row.size and row.dtype.kind not in "iu":
                bad = next(k for k, v in enumerate(row.tolist()) if not _is_int(v))
                raise ValueError(
                    f"covers[{i}][{bad}]: candidate index must be an integer, "
                    f"got {row.tolist()[bad]!r}"
                )
            if row.size and row.dtype.kind == "u" and int(row.max()) >= n_candidates:
                bad = int(np.argmax(row >= n_candidates))
                raise ValueError(
                    f"covers[{i}][{bad}]: candidate index {int(row[bad])} out of range "
                    f"{_range_text(n_candidates)}"
                )
        flat = np.concatenate([np.asarray(row, dtype=np.int64) for row in rows])
    else:
        items = list(itertools.chain.from_iterable(covers))
        kinds = set(map(type, items))
        if not all(issubclass(kind, numbers.Integral) and kind is not bool for kind in kinds):
            pos = next(k for k, v in enumerate(items) if not _is_int(v))
            i = int(np.searchsorted(indptr, pos, side="right") - 1)
            raise ValueError(
                f"covers[{i}][{pos - indptr[i]}]: candidate index must be an integer, "
                f"got {items[pos]!r}"
            )
        try:
            flat = np.array(items, dtype=np.int64) if items else np.zeros(0, dtype=np.int64)
        except OverflowError:
            pos = next(k for k, v in enumerate(items) if not -(2**63) <= v < 2**63)
            i = int(np.searchsorted(indptr, pos, side="right") - 1)
            raise ValueError(
                f"covers[{i}][{pos - indptr[i]}]: candidate index {items[pos]} out of range "
                f"{_range_text(n_candidates)}"
            ) from None
    out_of_range = np.flatnonzero((flat < 0) | (flat >= n_candidates))
    if out_of_range.size:
        pos = int(out_of_range[0])
        i = int(np.searchsorted(indptr, pos, side="right") - 1)
        raise ValueError(
            f"covers[{i}][{pos - indptr[i]}]: candidate index {int(flat[pos])} out of range "
            f"{_range_text(n_candidates)}"
        )
    # Sort within rows and drop duplicates through one combined key (row, candidate).
    width = max(n_candidates, 1)
    row_of = np.repeat(np.arange(n_demand, dtype=np.int64), lengths)
    key = row_of * width + flat
    if key.size > 1:
        step = np.diff(key)
        if not (step > 0).all():
            key.sort()
            key = key[np.concatenate(([True], np.diff(key) != 0))]
    rows_sorted = key // width
    indices = key - rows_sorted * width
    counts = np.bincount(rows_sorted, minlength=n_demand)
    indptr = np.zeros(n_demand + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return indptr, indices


def check_scalars(
    n_candidates: object, p: object, budget: object, costs: object, time_limit: object
) -> None:
    """Check ``n_candidates``, ``p``/``budget``/``costs`` consistency and ``time_limit``."""
    if not _is_int(n_candidates) or int(n_candidates) < 0:
        raise ValueError(f"n_candidates: must be a non-negative integer, got {n_candidates!r}")
    if int(n_candidates) > MAX_CANDIDATES:
        raise ValueError(
            f"n_candidates: at most {MAX_CANDIDATES:,} (HiGHS indexes columns with 32-bit "
            f"integers), got {n_candidates:,}"
        )
    if p is not None and budget is not None:
        raise ValueError("give either p (number of sites) or budget (with costs), not both")
    if p is None and budget is None:
        raise ValueError("give p (number of sites) or budget (with costs); neither was given")
    if p is not None:
        if not _is_int(p):
            raise ValueError(f"p: must be an integer, got {p!r}")
        if not 0 <= int(p) <= int(n_candidates):
            raise ValueError(f"p: must be between 0 and n_candidates={n_candidates}, got {p}")
        if costs is not None:
            raise ValueError("costs: only used with budget; give budget instead of p or drop costs")
    if budget is not None:
        if costs is None:
            raise ValueError("budget: given without costs (one cost per candidate is needed)")
        if isinstance(budget, bool) or not isinstance(budget, numbers.Real):
            raise ValueError(f"budget: must be a number, got {budget!r}")
        if not math.isfinite(float(budget)) or float(budget) < 0:
            raise ValueError(f"budget: must be a finite non-negative number, got {budget!r}")
    if time_limit is not None:
        if isinstance(time_limit, bool) or not isinstance(time_limit, numbers.Real):
            raise ValueError(f"time_limit: must be a number of seconds, got {time_limit!r}")
        if not float(time_limit) > 0:
            raise ValueError(f"time_limit: must be positive, got {time_limit!r}")
