"""Service levels over windows: the many-targets window query and monthly SLA compliance.

:func:`window_stats` answers "availability, loss and p95 of every target over the last 90
days" from rollups (:class:`~jangkau.cores.probes.stats.Rollup`) in a few vectorised passes;
:func:`monthly_sla` and :func:`monthly_sla_from_rollup` check an availability target per
calendar month (in a fixed time zone: WITA is UTC+8 without daylight saving).

Definitions are those of :mod:`jangkau.cores.probes.stats`: availability excludes periods
without results and coverage is reported beside it. See ``docs/monitoring-statistics.md``.

References
----------
.. [1] ITU-T E.800, "Definitions of terms related to quality of service", 2008 (availability).
.. [2] R. J. Hyndman and Y. Fan, "Sample quantiles in statistical packages", 1996.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from jangkau.cores.probes.rollups import Rollup, histogram_quantiles
from jangkau.cores.probes.stats import to_epoch_seconds

#: Tolerance on threshold comparisons, so that e.g. 199/200 -> 99.49999999999999 % still
#: meets a 99.5 % target (percentages are computed from integer counts).
EPS = 1e-9


@dataclass(frozen=True)
class WindowStats:
    """Per-target statistics over one window, as parallel arrays (one entry per target).

    Attributes
    ----------
    start, end, interval_s : float
        Window ``[start, end)`` and nominal probe interval.
    target : numpy.ndarray
        int64 target ids, ascending (or in the order requested).
    count, successes, expected : numpy.ndarray
        int64 results, successful results, results expected over the whole window.
    coverage_pct, availability_pct, loss_pct : numpy.ndarray
        float64; availability and loss NaN without data.
    latency_mean_ms, latency_min_ms, latency_max_ms : numpy.ndarray
        float64 exact values (from sums, minima and maxima).
    latency_p50_ms, latency_p95_ms, latency_p99_ms : numpy.ndarray
        float64 histogram estimates, within ``spec.relative_error * Q + spec.lo_ms / 2`` of
        the percentile of the raw latencies.
    """

    start: float
    end: float
    interval_s: float
    target: np.ndarray
    count: np.ndarray
    successes: np.ndarray
    expected: np.ndarray
    coverage_pct: np.ndarray
    availability_pct: np.ndarray
    loss_pct: np.ndarray
    latency_mean_ms: np.ndarray
    latency_min_ms: np.ndarray
    latency_max_ms: np.ndarray
    latency_p50_ms: np.ndarray
    latency_p95_ms: np.ndarray
    latency_p99_ms: np.ndarray

    def row(self, target: int) -> dict:
        """The statistics of one target as a plain dict (``KeyError`` if absent)."""
        idx = np.flatnonzero(self.target == target)
        if not idx.size:
            raise KeyError(target)
        i = int(idx[0])
        out = {"target": int(target)}
        for name in ("count", "successes", "expected"):
            out[name] = int(getattr(self, name)[i])
        for name in (
            "coverage_pct",
            "availability_pct",
            "loss_pct",
            "latency_mean_ms",
            "latency_min_ms",
            "latency_max_ms",
            "latency_p50_ms",
            "latency_p95_ms",
            "latency_p99_ms",
        ):
            out[name] = float(getattr(self, name)[i])
        return out


def window_stats(
    r: Rollup, start: float, end: float, *, interval_s: float, targets=None
) -> WindowStats:
    """Availability, loss, latency mean and percentiles per target over ``[start, end)``.

    Rows whose ``bucket_start`` lies in ``[start, end)`` are summed per target (align the window
    to bucket edges for exact results). With :math:`c`, :math:`s` the summed counts and
    successes and :math:`E = \\lfloor (end-start)/\\text{interval} \\rfloor`:

    * availability :math:`= 100 s / c` (gaps excluded), coverage :math:`= 100 \\min(1, c/E)`;
    * loss :math:`= 100\\, \\text{lost}/\\text{sent}` when packets were counted, else
      :math:`100 (c - s)/c`;
    * percentiles from the summed histogram, see
      :func:`~jangkau.cores.probes.stats.histogram_quantiles`.

    Parameters
    ----------
    r : Rollup
        Rows of any number of targets, sorted by ``(target, bucket_start)`` as built.
    start, end : float
        Window in epoch seconds.
    interval_s : float
        Nominal probe interval (for ``expected`` and coverage).
    targets : array_like of int, optional
        Report exactly these targets in this order (absent ones with zero counts).

    Returns
    -------
    WindowStats
    """
    if end <= start or interval_s <= 0:
        raise ValueError("need end > start and interval_s > 0")
    sel = np.flatnonzero((r.bucket_start >= start) & (r.bucket_start < end))
    tgt = r.target[sel]
    if sel.size and np.any(np.diff(tgt) < 0):
        order = np.argsort(tgt, kind="stable")
        sel, tgt = sel[order], tgt[order]
    new = np.ones(sel.size, dtype=bool)
    new[1:] = tgt[1:] != tgt[:-1]
    starts = np.flatnonzero(new)
    keys = tgt[starts]

    def seg(v, dtype=None):
        if not starts.size:
            return np.zeros((0,) + v.shape[1:], dtype=dtype or v.dtype)
        return np.add.reduceat(v[sel], starts, axis=0, dtype=dtype)

    def seg_ext(v, fn, fill):
        if not starts.size:
            return np.zeros(0)
        x = v[sel]
        out = fn.reduceat(np.where(np.isfinite(x), x, fill), starts)
        return np.where(np.isfinite(out), out, np.nan)

    count = seg(r.count, np.int64)
    succ = seg(r.successes, np.int64)
    lat_n = seg(r.latency_count, np.int64)
    lat_sum = seg(r.latency_sum, np.float64)
    sent = seg(r.packets_sent, np.int64)
    lost = seg(r.packets_lost, np.int64)
    lat_min = seg_ext(r.latency_min, np.minimum, np.inf)
    lat_max = seg_ext(r.latency_max, np.maximum, -np.inf)
    hist = seg(r.hist, np.int64)

    if targets is not None:
        want = np.asarray(targets, dtype=np.int64).ravel()
        pos = np.searchsorted(keys, want)
        if keys.size:
            found = (pos < keys.size) & (keys[np.minimum(pos, keys.size - 1)] == want)
        else:  # no row in the window: every wanted target is absent
            found = np.zeros(want.size, dtype=bool)
        take = np.where(found, pos, 0)

        def pick(v, fill):
            if not keys.size:
                return np.full((want.size,) + v.shape[1:], fill, dtype=np.result_type(v, fill))
            out = v[take].astype(np.result_type(v, fill))
            out[~found] = fill
            return out

        count, succ, lat_n, sent, lost = (pick(v, 0) for v in (count, succ, lat_n, sent, lost))
        lat_sum, lat_min, lat_max = (pick(v, np.nan) for v in (lat_sum, lat_min, lat_max))
        hist = pick(hist, 0)
        keys = want

    expected = int(math.floor((end - start) / interval_s + 1e-9))
    with np.errstate(invalid="ignore", divide="ignore"):
        avail = np.where(count > 0, 100.0 * succ / np.maximum(count, 1), np.nan)
        loss = np.where(
            sent > 0,
            100.0 * lost / np.maximum(sent, 1),
            np.where(count > 0, 100.0 * (count - succ) / np.maximum(count, 1), np.nan),
        )
        mean = np.where(lat_n > 0, lat_sum / np.maximum(lat_n, 1), np.nan)
        cover = (
            100.0 * np.minimum(1.0, count / expected)
            if expected
            else np.where(count > 0, 100.0, 0.0)
        )
    q = histogram_quantiles(
        hist.reshape(-1, r.spec.n_bins), (50.0, 95.0, 99.0), r.spec, lat_min, lat_max
    )
    return WindowStats(
        start=float(start),
        end=float(end),
        interval_s=float(interval_s),
        target=keys,
        count=count,
        successes=succ,
        expected=np.full(keys.size, expected, dtype=np.int64),
        coverage_pct=np.asarray(cover, dtype=np.float64),
        availability_pct=avail,
        loss_pct=loss,
        latency_mean_ms=mean,
        latency_min_ms=lat_min,
        latency_max_ms=lat_max,
        latency_p50_ms=q[:, 0],
        latency_p95_ms=q[:, 1],
        latency_p99_ms=q[:, 2],
    )


@dataclass(frozen=True)
class MonthlySla:
    """SLA compliance of one target in one calendar month.

    Attributes
    ----------
    target : int
        Target id (0 for a single raw series).
    month : str
        ``"YYYY-MM"`` in the chosen time zone.
    start, end : float
        The month's edges in UTC epoch seconds.
    n_results, n_success : int
        Results and successes in the month.
    availability_pct : float
        ``100 * n_success / n_results``; NaN without data.
    coverage_pct : float
        ``100 * min(1, n_results / expected)`` when ``interval_s`` is given, else NaN.
    target_pct : float
        The SLA availability target.
    compliant : bool or None
        ``availability_pct >= target_pct`` (with tolerance ``EPS``); None without data.
    """

    target: int
    month: str
    start: float
    end: float
    n_results: int
    n_success: int
    availability_pct: float
    coverage_pct: float
    target_pct: float
    compliant: bool | None


def _month_of(epoch_s: np.ndarray, tz_offset_s: int) -> np.ndarray:
    """Calendar month (``datetime64[M]``) of each instant in the time zone ``UTC+offset``."""
    local = np.floor(np.asarray(epoch_s, dtype=np.float64) + tz_offset_s).astype(np.int64)
    return local.astype("datetime64[s]").astype("datetime64[M]")


def _month_edges(month: np.datetime64, tz_offset_s: int) -> tuple[float, float]:
    start = month.astype("datetime64[s]").astype(np.int64) - tz_offset_s
    end = (month + 1).astype("datetime64[s]").astype(np.int64) - tz_offset_s
    return float(start), float(end)


def _sla_rows(
    target: int,
    months: np.ndarray,
    counts: np.ndarray,
    succ: np.ndarray,
    target_pct: float,
    tz_offset_s: int,
    interval_s: float | None,
    span: tuple[np.datetime64, np.datetime64] | None,
) -> list[MonthlySla]:
    if span is None:
        if not months.size:
            return []
        span = (months.min(), months.max())
    out = []
    m = span[0]
    while m <= span[1]:
        sel = months == m
        n = int(counts[sel].sum())
        k = int(succ[sel].sum())
        lo, hi = _month_edges(m, tz_offset_s)
        avail = 100.0 * k / n if n else math.nan
        if interval_s:
            expected = math.floor((hi - lo) / interval_s + 1e-9)
            cover = 100.0 * min(1.0, n / expected)
        else:
            cover = math.nan
        out.append(
            MonthlySla(
                target=int(target),
                month=str(m),
                start=lo,
                end=hi,
                n_results=n,
                n_success=k,
                availability_pct=avail,
                coverage_pct=cover,
                target_pct=float(target_pct),
                compliant=(avail >= target_pct - EPS) if n else None,
            )
        )
        m = m + 1
    return out


def monthly_sla(
    ts,
    ok,
    *,
    target_pct: float,
    tz_offset_s: int = 0,
    interval_s: float | None = None,
    start: float | None = None,
    end: float | None = None,
    target: int = 0,
) -> list[MonthlySla]:
    """SLA compliance per calendar month from raw (cleaned) results.

    A month complies when :math:`100\\, \\text{successes}/\\text{results} \\ge` ``target_pct``.
    Months are calendar months in the time zone ``UTC + tz_offset_s`` (use
    ``stats.WITA_OFFSET_S`` for Kutai Timur); a result belongs to the month containing its
    timestamp.

    Parameters
    ----------
    ts, ok : array_like
        Result times (epoch seconds or datetime64) and success flags.
    target_pct : float
        Availability target, e.g. 99.5.
    tz_offset_s : int
        Fixed offset of the reporting time zone.
    interval_s : float, optional
        Nominal interval, to report coverage per month.
    start, end : float, optional
        Report every month from the one containing ``start`` to the one containing
        ``end - 1 s`` (months without data included with ``compliant=None``). Default: the
        months spanned by the data.
    target : int
        Target id copied into the rows.

    Returns
    -------
    list of MonthlySla
    """
    t = to_epoch_seconds(ts).ravel()
    okv = np.asarray(ok, dtype=bool).ravel()
    span = None
    if start is not None and end is not None:
        sel = (t >= start) & (t < end)
        t, okv = t[sel], okv[sel]
        span = (
            _month_of(np.array([start]), tz_offset_s)[0],
            _month_of(np.array([end - 1.0]), tz_offset_s)[0],
        )
    months = _month_of(t, tz_offset_s)
    return _sla_rows(
        target,
        months,
        np.ones(t.size, np.int64),
        okv.astype(np.int64),
        target_pct,
        tz_offset_s,
        interval_s,
        span,
    )


def monthly_sla_from_rollup(
    r: Rollup, *, target_pct: float | dict, tz_offset_s: int = 0, interval_s: float | None = None
) -> list[MonthlySla]:
    """SLA compliance per target and calendar month from rollups.

    Every bucket must lie within one month of the time zone ``UTC + tz_offset_s`` (true for
    5-minute and hourly buckets with any whole-hour offset, and for daily buckets built with
    ``offset_s == tz_offset_s``); otherwise ``ValueError``.

    Parameters
    ----------
    r : Rollup
        Rollup rows of one or many targets.
    target_pct : float or dict
        One SLA target for all, or ``{target_id: target_pct}`` (targets not in the dict are
        skipped).
    tz_offset_s, interval_s
        As in :func:`monthly_sla`.

    Returns
    -------
    list of MonthlySla
        Ordered by target, then month.
    """
    m_first = _month_of(r.bucket_start, tz_offset_s)
    m_last = _month_of(r.bucket_start + r.width_s - 1, tz_offset_s)
    if np.any(m_first != m_last):
        raise ValueError(
            "rollup buckets straddle month boundaries in this time zone; "
            "use daily buckets with offset_s == tz_offset_s, or finer buckets"
        )
    out: list[MonthlySla] = []
    for tid in np.unique(r.target):
        if isinstance(target_pct, dict):
            if int(tid) not in target_pct:
                continue
            goal = target_pct[int(tid)]
        else:
            goal = target_pct
        sel = r.target == tid
        out.extend(
            _sla_rows(
                int(tid),
                m_first[sel],
                r.count[sel],
                r.successes[sel],
                goal,
                tz_offset_s,
                interval_s,
                None,
            )
        )
    return out
