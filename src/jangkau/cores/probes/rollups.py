"""Latency histograms and time-bucket rollups of probe results (5-minute, hourly, daily).

Split from :mod:`jangkau.cores.probes.stats`; the definitions (bucket layout, the p95 error
bound) are in ``docs/monitoring-statistics.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from jangkau.cores.probes.stats import to_epoch_seconds

# --------------------------------------------------------------------------------------------
# Latency histogram (fixed log-spaced buckets) and rollups
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistogramSpec:
    """Fixed log-spaced latency buckets, mergeable by addition (DDSketch-like, [4]_).

    Bucket 0 is ``[0, lo_ms)``; bucket ``k`` (``1 <= k <= K``) is
    ``[lo r^{k-1}, lo r^k)``; bucket ``K+1`` is ``[lo r^K, inf)`` with
    ``K = ceil(log(hi/lo) / log r)``. A value is represented by its bucket's geometric midpoint
    :math:`lo\\, r^{k-1/2}`, so for a value :math:`x` in a regular bucket
    :math:`|\\hat x - x| \\le \\delta x` with :math:`\\delta = \\sqrt r - 1` (2.47 % for the
    default ``r = 1.05``); in bucket 0 the error is at most ``lo/2``.
    """

    lo_ms: float = 1.0
    hi_ms: float = 60_000.0
    ratio: float = 1.05

    def __post_init__(self):
        if not (0 < self.lo_ms < self.hi_ms) or self.ratio <= 1:
            raise ValueError("need 0 < lo_ms < hi_ms and ratio > 1")

    @property
    def n_regular(self) -> int:
        """Number of regular (log-spaced) buckets ``K``."""
        return int(math.ceil(math.log(self.hi_ms / self.lo_ms) / math.log(self.ratio) - 1e-12))

    @property
    def n_bins(self) -> int:
        """Total buckets: underflow + regular + overflow."""
        return self.n_regular + 2

    @property
    def relative_error(self) -> float:
        """The relative error bound :math:`\\delta = \\sqrt r - 1`."""
        return math.sqrt(self.ratio) - 1.0

    @property
    def top_ms(self) -> float:
        """Lower edge of the overflow bucket, ``lo r^K`` (>= ``hi_ms``)."""
        return self.lo_ms * self.ratio**self.n_regular

    def bin_index(self, latency_ms) -> np.ndarray:
        """Bucket index of each latency (NaN must be filtered out before)."""
        x = np.asarray(latency_ms, dtype=np.float64)
        with np.errstate(divide="ignore"):
            k = np.floor(np.log(np.maximum(x, 1e-300) / self.lo_ms) / math.log(self.ratio))
        idx = np.where(x < self.lo_ms, 0, k + 1)
        return np.clip(idx, 0, self.n_bins - 1).astype(np.int64)

    def representatives(self) -> np.ndarray:
        """Value representing each bucket: ``lo/2``, geometric midpoints, then ``top_ms``."""
        k = np.arange(1, self.n_regular + 1, dtype=np.float64)
        mids = self.lo_ms * self.ratio ** (k - 0.5)
        return np.concatenate(([self.lo_ms / 2.0], mids, [self.top_ms]))


def histogram_quantiles(hist, qs, spec: HistogramSpec, lat_min=None, lat_max=None) -> np.ndarray:
    """Quantiles from latency histograms, mirroring numpy's ``linear`` method.

    For each row with :math:`n` counted latencies and :math:`h = (n-1)p`, the order statistics
    :math:`x_{\\lfloor h\\rfloor}` and :math:`x_{\\lfloor h\\rfloor+1}` are located in their
    buckets, replaced by the buckets' representatives :math:`m_a, m_b` and interpolated,
    :math:`\\hat Q = m_a + (h - \\lfloor h \\rfloor)(m_b - m_a)`, then clipped to
    ``[lat_min, lat_max]`` when given. Because each representative is within
    :math:`\\delta x` of its value, :math:`|\\hat Q - Q| \\le \\delta Q + lo/2` where ``Q`` is
    ``numpy.percentile(raw, q, method="linear")``; if an order statistic lies in the overflow
    bucket the bound is ``lat_max - top_ms`` instead (and the representative used is
    ``(top_ms + lat_max) / 2``).

    Parameters
    ----------
    hist : array_like, shape (n_bins,) or (rows, n_bins)
        Bucket counts.
    qs : sequence of float
        Percentiles in [0, 100].
    spec : HistogramSpec
        The bucket layout the histograms were built with.
    lat_min, lat_max : array_like, optional
        Exact minimum/maximum per row (rollups keep them).

    Returns
    -------
    numpy.ndarray, shape (rows, len(qs)) (or (len(qs),) for a 1-D ``hist``)
        NaN for rows without latencies.
    """
    h2 = np.atleast_2d(np.asarray(hist))
    rows = h2.shape[0]
    cum = np.cumsum(h2, axis=1, dtype=np.int64)
    n = cum[:, -1]
    reps = np.broadcast_to(spec.representatives(), h2.shape).copy()
    if lat_max is not None:
        top = np.maximum(np.asarray(lat_max, dtype=np.float64).reshape(rows), spec.top_ms)
        reps[:, -1] = np.where(np.isfinite(top), (spec.top_ms + top) / 2.0, spec.top_ms)
    out = np.full((rows, len(qs)), np.nan)
    has = n > 0
    row_idx = np.arange(rows)
    for j, q in enumerate(qs):
        pos = (n - 1).clip(min=0) * (q / 100.0)
        lo_rank = np.floor(pos).astype(np.int64)
        frac = pos - lo_rank
        hi_rank = np.minimum(lo_rank + 1, (n - 1).clip(min=0))
        # bucket of the r-th order statistic (0-based): first k with cum[k] > r
        ka = (cum <= lo_rank[:, None]).sum(axis=1).clip(max=h2.shape[1] - 1)
        kb = (cum <= hi_rank[:, None]).sum(axis=1).clip(max=h2.shape[1] - 1)
        ma = reps[row_idx, ka]
        mb = reps[row_idx, kb]
        out[:, j] = np.where(has, ma + frac * (mb - ma), np.nan)
    if lat_min is not None:
        out = np.maximum(out, np.asarray(lat_min, dtype=np.float64).reshape(rows, 1))
    if lat_max is not None:
        out = np.minimum(out, np.asarray(lat_max, dtype=np.float64).reshape(rows, 1))
    return out[0] if np.ndim(hist) == 1 else out


@dataclass(frozen=True)
class Rollup:
    """Results aggregated into fixed-width time buckets, one row per (target, bucket).

    Rows are sorted by ``(target, bucket_start)``. Bucket ``b`` of width ``w`` and offset
    ``o`` covers ``[b, b + w)`` with ``(b + o) % w == 0`` (``o = 8 h`` gives WITA days).

    Attributes
    ----------
    width_s, offset_s : int
        Bucket width and alignment offset in seconds.
    spec : HistogramSpec
        Latency bucket layout of ``hist``.
    target : numpy.ndarray
        int64 target id of each row.
    bucket_start : numpy.ndarray
        int64 epoch seconds.
    count, successes : numpy.ndarray
        int64 results and successful results.
    latency_count : numpy.ndarray
        int64 successful results with a latency (the histogram total).
    latency_sum, latency_min, latency_max : numpy.ndarray
        float64 sum / min / max of those latencies (min/max NaN when none).
    packets_sent, packets_lost : numpy.ndarray
        int64 ICMP packet counts.
    hist : numpy.ndarray
        int32 ``(rows, spec.n_bins)`` latency histogram.
    """

    width_s: int
    offset_s: int
    spec: HistogramSpec
    target: np.ndarray
    bucket_start: np.ndarray
    count: np.ndarray
    successes: np.ndarray
    latency_count: np.ndarray
    latency_sum: np.ndarray
    latency_min: np.ndarray
    latency_max: np.ndarray
    packets_sent: np.ndarray
    packets_lost: np.ndarray
    hist: np.ndarray

    def __len__(self) -> int:
        return int(self.bucket_start.size)


def _group(target: np.ndarray, bucket: np.ndarray):
    """Group rows by (target, bucket): sort order, group starts and the group keys.

    The order is ``slice(None)`` (no copy) when the rows are already sorted, the usual case
    when coarsening a rollup.
    """
    dt, db = np.diff(target), np.diff(bucket)
    if np.all((dt > 0) | ((dt == 0) & (db >= 0))):
        order = slice(None)
    else:
        order = np.lexsort((bucket, target))
    t_s, b_s = target[order], bucket[order]
    new = np.ones(target.size, dtype=bool)
    new[1:] = (t_s[1:] != t_s[:-1]) | (b_s[1:] != b_s[:-1])
    starts = np.flatnonzero(new)
    return order, starts, t_s[starts], b_s[starts]


def _segment_minmax(values: np.ndarray, starts: np.ndarray, fn) -> np.ndarray:
    """Segmented min/max ignoring NaN (NaN when a segment has no finite value)."""
    if values.size == 0:
        return np.empty(0)
    fill = np.inf if fn is np.minimum else -np.inf
    v = np.where(np.isfinite(values), values, fill)
    out = fn.reduceat(v, starts)
    return np.where(np.isfinite(out), out, np.nan)


def rollup(
    ts,
    ok,
    latency_ms=None,
    *,
    width_s: int,
    target=0,
    offset_s: int = 0,
    sent=None,
    lost=None,
    spec: HistogramSpec | None = None,
) -> Rollup:
    """Aggregate raw results (one or many targets) into fixed-width buckets.

    The input should be deduplicated (:func:`prepare_series`) but need not be sorted.

    Parameters
    ----------
    ts, ok, latency_ms
        Raw results (epoch seconds, success, ms).
    width_s : int
        Bucket width: 300 (5 min), 3600 (hour), 86400 (day), or any positive value.
    target : int or array_like of int
        Target id of every result (scalar for a single target).
    offset_s : int
        Alignment offset: bucket starts satisfy ``(start + offset_s) % width_s == 0``.
    sent, lost : array_like, optional
        ICMP packet counts per result.
    spec : HistogramSpec, optional
        Histogram layout, default ``HistogramSpec()``.

    Returns
    -------
    Rollup
    """
    spec = spec or HistogramSpec()
    t = to_epoch_seconds(ts).ravel()
    n = t.size
    okv = np.asarray(ok, dtype=bool).ravel()
    lat = (
        np.full(n, np.nan)
        if latency_ms is None
        else np.asarray(latency_ms, dtype=np.float64).ravel()
    )
    lat = np.where(okv, lat, np.nan)
    tgt = np.broadcast_to(np.asarray(target, dtype=np.int64), (n,))
    snt = np.zeros(n, np.int64) if sent is None else np.asarray(sent, dtype=np.int64).ravel()
    lst = np.zeros(n, np.int64) if lost is None else np.asarray(lost, dtype=np.int64).ravel()
    bucket = np.floor((t + offset_s) / width_s).astype(np.int64) * width_s - offset_s
    order, starts, g_target, g_bucket = _group(tgt, bucket)
    n_groups = starts.size
    group_of = np.repeat(np.arange(n_groups), np.diff(np.append(starts, n)))
    lat_o, ok_o = lat[order], okv[order]
    fin = np.isfinite(lat_o)

    def seg_sum(v):
        return np.add.reduceat(v, starts) if n_groups else np.zeros(0, v.dtype)

    hist = np.zeros((n_groups, spec.n_bins), dtype=np.int32)
    if fin.any():
        flat = group_of[fin] * spec.n_bins + spec.bin_index(lat_o[fin])
        hist = np.bincount(flat, minlength=n_groups * spec.n_bins).astype(np.int32)
        hist = hist.reshape(n_groups, spec.n_bins)
    return Rollup(
        width_s=int(width_s),
        offset_s=int(offset_s),
        spec=spec,
        target=g_target,
        bucket_start=g_bucket,
        count=np.diff(np.append(starts, n)).astype(np.int64),
        successes=seg_sum(ok_o.astype(np.int64)),
        latency_count=seg_sum(fin.astype(np.int64)),
        latency_sum=seg_sum(np.where(fin, lat_o, 0.0)),
        latency_min=_segment_minmax(lat_o, starts, np.minimum),
        latency_max=_segment_minmax(lat_o, starts, np.maximum),
        packets_sent=seg_sum(snt[order]),
        packets_lost=seg_sum(lst[order]),
        hist=hist,
    )


def concat_rollups(parts) -> Rollup:
    """Concatenate rollups of the same width, offset and spec (e.g. one per target).

    Rows are re-sorted by ``(target, bucket_start)``; overlapping keys are merged as in
    :func:`coarsen` with the same width.
    """
    parts = list(parts)
    if not parts:
        raise ValueError("nothing to concatenate")
    first = parts[0]
    for p in parts[1:]:
        if (p.width_s, p.offset_s, p.spec) != (first.width_s, first.offset_s, first.spec):
            raise ValueError("rollups differ in width, offset or histogram spec")
    cols = {
        name: np.concatenate([getattr(p, name) for p in parts])
        for name in (
            "target",
            "bucket_start",
            "count",
            "successes",
            "latency_count",
            "latency_sum",
            "latency_min",
            "latency_max",
            "packets_sent",
            "packets_lost",
            "hist",
        )
    }
    merged = Rollup(width_s=first.width_s, offset_s=first.offset_s, spec=first.spec, **cols)
    return coarsen(merged, first.width_s)


def coarsen(r: Rollup, width_s: int) -> Rollup:
    """Re-aggregate a rollup into wider buckets (5 min -> hour -> day), exactly.

    ``width_s`` must be a multiple of ``r.width_s``; the offset is kept. Counts, sums and
    histograms add; minima and maxima combine. The result equals :func:`rollup` applied to the
    raw results with ``width_s``.
    """
    if width_s % r.width_s:
        raise ValueError("new width must be a multiple of the old width")
    bucket = (
        np.floor((r.bucket_start + r.offset_s) / width_s).astype(np.int64) * width_s - r.offset_s
    )
    order, starts, g_target, g_bucket = _group(r.target, bucket)

    def seg(v):
        if not starts.size:
            return v[:0]
        return np.add.reduceat(v[order], starts, axis=0)

    return Rollup(
        width_s=int(width_s),
        offset_s=r.offset_s,
        spec=r.spec,
        target=g_target,
        bucket_start=g_bucket,
        count=seg(r.count),
        successes=seg(r.successes),
        latency_count=seg(r.latency_count),
        latency_sum=seg(r.latency_sum),
        latency_min=_segment_minmax(r.latency_min[order], starts, np.minimum),
        latency_max=_segment_minmax(r.latency_max[order], starts, np.maximum),
        packets_sent=seg(r.packets_sent),
        packets_lost=seg(r.packets_lost),
        hist=seg(r.hist).astype(np.int32),
    )
