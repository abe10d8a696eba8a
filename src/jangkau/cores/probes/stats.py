"""Series cleaning, summary statistics, latency histograms and rollups of probe results.

A *probe series* is the list of results of one probe (one target, one kind) as parallel arrays:
time ``ts`` (UTC epoch seconds, float), success ``ok`` (bool), round-trip ``latency_ms``
(float, NaN when unknown or failed) and, for ICMP, the packets ``sent`` and ``lost`` of each
result. Every definition used here (gaps, availability, percentiles, jitter, loss, histogram
error) is written out in ``docs/monitoring-statistics.md``.

References
----------
.. [1] R. J. Hyndman and Y. Fan, "Sample quantiles in statistical packages", The American
   Statistician 50(4), 361-365, 1996 (definition 7 is numpy's ``method="linear"``).
.. [2] H. Schulzrinne et al., "RTP: A Transport Protocol for Real-Time Applications",
   RFC 3550, section 6.4.1 (interarrival jitter), 2003.
.. [3] ITU-T Y.1540, "IP packet transfer and availability performance parameters", 2019.
.. [4] C. Masson, J. E. Rim and H. K. Lee, "DDSketch: A fast and fully-mergeable quantile
   sketch with relative-error guarantees", PVLDB 12(12), 2019 (log-spaced buckets).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

FIVE_MINUTES_S = 300
HOUR_S = 3_600
DAY_S = 86_400
#: Time offset of Waktu Indonesia Tengah (WITA, UTC+8, no daylight saving) for local days.
WITA_OFFSET_S = 8 * HOUR_S


def to_epoch_seconds(ts) -> np.ndarray:
    """Convert timestamps to float64 UTC epoch seconds.

    Parameters
    ----------
    ts : array_like
        Numbers (already epoch seconds) or ``numpy.datetime64`` values (naive, read as UTC).

    Returns
    -------
    numpy.ndarray
        float64 seconds since 1970-01-01T00:00:00Z.
    """
    arr = np.asarray(ts)
    if np.issubdtype(arr.dtype, np.datetime64):
        return arr.astype("datetime64[us]").astype(np.int64) / 1e6
    return arr.astype(np.float64)


@dataclass(frozen=True)
class ProbeSeries:
    """A cleaned probe series: sorted by time, one entry per result.

    Attributes
    ----------
    ts : numpy.ndarray
        float64 UTC epoch seconds, non-decreasing.
    ok : numpy.ndarray
        bool, the probe succeeded.
    latency_ms : numpy.ndarray
        float64 round-trip time in ms; NaN where unknown (failures always NaN).
    sent, lost : numpy.ndarray
        int64 ICMP packets sent and lost per result; all zero for non-ICMP probes.
    """

    ts: np.ndarray
    ok: np.ndarray
    latency_ms: np.ndarray
    sent: np.ndarray
    lost: np.ndarray

    def __len__(self) -> int:
        return int(self.ts.size)


def prepare_series(ts, ok, latency_ms=None, *, ids=None, sent=None, lost=None) -> ProbeSeries:
    """Sort, deduplicate and validate a raw probe series.

    Results arrive out of order (the agent uploads a backlog after an outage, clocks are skewed
    by a few seconds) and may be repeated (a batch re-sent after a lost acknowledgement). The
    series is stably sorted by ``(ts, id)``; duplicates are then removed, keeping the first:

    * with ``ids`` (the result uuid or database id): one row per id, the same id seen twice is
      the same result however its timestamp was recorded;
    * without ``ids``: one row per exact timestamp (one probe cannot run twice at one instant).

    Failures have their latency set to NaN so a stray latency on a failed result never enters
    a percentile.

    Parameters
    ----------
    ts : array_like
        Result times, epoch seconds or ``datetime64``.
    ok : array_like of bool
        Success flags.
    latency_ms : array_like of float, optional
        Round-trip times in ms (NaN for unknown).
    ids : array_like, optional
        Result identifiers used for deduplication.
    sent, lost : array_like of int, optional
        ICMP packets sent and lost per result.

    Returns
    -------
    ProbeSeries
    """
    t = to_epoch_seconds(ts).ravel()
    n = t.size
    okv = np.asarray(ok, dtype=bool).ravel()
    lat = (
        np.full(n, np.nan)
        if latency_ms is None
        else np.asarray(latency_ms, dtype=np.float64).ravel().copy()
    )
    snt = np.zeros(n, np.int64) if sent is None else np.asarray(sent, dtype=np.int64).ravel()
    lst = np.zeros(n, np.int64) if lost is None else np.asarray(lost, dtype=np.int64).ravel()
    for name, arr in (("ok", okv), ("latency_ms", lat), ("sent", snt), ("lost", lst)):
        if arr.size != n:
            raise ValueError(f"{name} has {arr.size} values, ts has {n}")
    if np.any(~np.isfinite(t)):
        raise ValueError("ts contains NaN or infinite values")
    if np.any(lst > snt) or np.any(lst < 0):
        raise ValueError("lost must be between 0 and sent")
    if ids is not None:
        idv = np.asarray(ids).ravel()
        if idv.size != n:
            raise ValueError(f"ids has {idv.size} values, ts has {n}")
        order = np.lexsort((idv, t))
        _, first = np.unique(idv[order], return_index=True)
        keep = order[np.sort(first)]
    else:
        order = np.argsort(t, kind="stable")
        ts_sorted = t[order]
        first = np.ones(n, dtype=bool)
        first[1:] = ts_sorted[1:] != ts_sorted[:-1]
        keep = order[first]
    lat = lat[keep]
    okk = okv[keep]
    lat[~okk] = np.nan
    return ProbeSeries(ts=t[keep], ok=okk, latency_ms=lat, sent=snt[keep], lost=lst[keep])


@dataclass(frozen=True)
class Gap:
    """A period without results (the agent or its uplink was off), ``[start, end)`` seconds."""

    start: float
    end: float

    @property
    def duration_s(self) -> float:
        """Length of the gap in seconds."""
        return self.end - self.start


def find_gaps(
    ts, interval_s: float, start: float, end: float, gap_factor: float = 2.5
) -> list[Gap]:
    """Find periods of the window ``[start, end)`` without results.

    Result ``i`` covers ``[ts_i, ts_i + interval_s)``. Between consecutive results (and between
    the window edges and the first/last result) a silence longer than
    ``gap_factor * interval_s`` is a gap; it starts one interval after the last result (or at
    ``start``) and ends at the next result (or at ``end``). Shorter silences are scheduling
    jitter and are not gaps.

    Parameters
    ----------
    ts : array_like
        Sorted result times (epoch seconds).
    interval_s : float
        Nominal probe interval.
    start, end : float
        Window edges.
    gap_factor : float
        Silence, in intervals, above which a gap is declared.

    Returns
    -------
    list of Gap
    """
    t = np.asarray(ts, dtype=np.float64)
    t = t[(t >= start) & (t < end)]
    limit = gap_factor * interval_s
    edges = np.concatenate(([start - interval_s], t, [end]))
    silence = np.diff(edges)
    idx = np.flatnonzero(silence > limit)
    gaps = []
    for i in idx:
        g_start = max(start, edges[i] + interval_s)
        g_end = float(edges[i + 1])
        if g_end > g_start:
            gaps.append(Gap(float(g_start), g_end))
    return gaps


def latency_percentiles(latency_ms, qs=(50.0, 95.0, 99.0)) -> tuple[float, ...]:
    """Latency percentiles by numpy's ``linear`` method (Hyndman-Fan type 7, [1]_).

    For sorted finite values :math:`x_0 \\le \\dots \\le x_{n-1}` and :math:`p = q/100`,
    :math:`h = (n-1)p`, :math:`Q(p) = x_{\\lfloor h \\rfloor} + (h - \\lfloor h \\rfloor)
    (x_{\\lfloor h \\rfloor + 1} - x_{\\lfloor h \\rfloor})`. NaN values are ignored.

    Returns
    -------
    tuple of float
        One value per ``q``; NaN when there is no finite latency.
    """
    lat = np.asarray(latency_ms, dtype=np.float64)
    lat = lat[np.isfinite(lat)]
    if lat.size == 0:
        return tuple(math.nan for _ in qs)
    return tuple(float(v) for v in np.percentile(lat, qs, method="linear"))


def jitter(latency_ms) -> tuple[float, float]:
    """Jitter of a latency sequence: mean absolute difference and the RFC 3550 estimate.

    With the finite latencies :math:`L_0, \\dots, L_{n-1}` in time order and
    :math:`D_i = |L_i - L_{i-1}|`:

    * mean absolute difference :math:`\\bar J = \\frac{1}{n-1} \\sum_{i=1}^{n-1} D_i`;
    * RFC 3550 [2]_ running estimate :math:`J_i = J_{i-1} + (D_i - J_{i-1}) / 16`,
      :math:`J_0 = 0`, reported as its final value :math:`J_{n-1}`.

    Failures (NaN) are skipped: the difference is taken between consecutive *successful*
    results.

    Returns
    -------
    (float, float)
        ``(mean_abs_diff_ms, rfc3550_ms)``, NaN when fewer than two latencies.
    """
    lat = np.asarray(latency_ms, dtype=np.float64)
    lat = lat[np.isfinite(lat)]
    if lat.size < 2:
        return math.nan, math.nan
    d = np.abs(np.diff(lat))
    # J_n = sum_i D_i (1/16) (15/16)^(n-i): closed form of the recursion.
    weights = (15.0 / 16.0) ** np.arange(d.size - 1, -1, -1, dtype=np.float64)
    return float(d.mean()), float((d * weights).sum() / 16.0)


def loss_pct(ok, sent=None, lost=None) -> float:
    """Loss in percent.

    With packet counts (ICMP): :math:`100 \\sum \\text{lost} / \\sum \\text{sent}`. Otherwise
    (TCP, HTTP, DNS, or no packet counts): :math:`100 \\cdot \\text{failures} / \\text{attempts}`.

    Returns
    -------
    float
        NaN when nothing was attempted.
    """
    okv = np.asarray(ok, dtype=bool)
    if sent is not None:
        total = int(np.asarray(sent, dtype=np.int64).sum())
        if total > 0:
            return 100.0 * int(np.asarray(lost, dtype=np.int64).sum()) / total
    if okv.size == 0:
        return math.nan
    return 100.0 * float((~okv).sum()) / okv.size


@dataclass(frozen=True)
class ProbeStats:
    """Summary of one probe series over a window ``[start, end)``.

    Attributes
    ----------
    start, end, interval_s : float
        The window and the nominal probe interval.
    n_results, n_success : int
        Results received (after dedupe) and how many succeeded.
    expected : int
        Results expected if the agent had run the whole window: ``floor((end-start)/interval)``.
    coverage_pct : float
        ``100 * min(1, n_results / expected)``: how much of the window has data.
    availability_pct : float
        ``100 * n_success / n_results``: missing results (gaps) are excluded, NaN without data.
    availability_lower_pct : float
        ``100 * n_success / max(expected, n_results)``: every missing result counted as down,
        a lower bound.
    loss_pct : float
        See :func:`loss_pct`.
    latency_p50_ms, latency_p95_ms, latency_p99_ms, latency_mean_ms,
    latency_min_ms, latency_max_ms : float
        Over successful results with a latency; NaN if none.
    jitter_ms, jitter_rfc3550_ms : float
        See :func:`jitter`.
    gaps : tuple of Gap
        Periods without results; ``gap_s`` is their total length.
    """

    start: float
    end: float
    interval_s: float
    n_results: int
    n_success: int
    expected: int
    coverage_pct: float
    availability_pct: float
    availability_lower_pct: float
    loss_pct: float
    latency_p50_ms: float
    latency_p95_ms: float
    latency_p99_ms: float
    latency_mean_ms: float
    latency_min_ms: float
    latency_max_ms: float
    jitter_ms: float
    jitter_rfc3550_ms: float
    gaps: tuple[Gap, ...] = field(default_factory=tuple)

    @property
    def gap_s(self) -> float:
        """Total length of the gaps in seconds."""
        return float(sum(g.duration_s for g in self.gaps))


def summarize(
    series: ProbeSeries, *, start: float, end: float, interval_s: float, gap_factor: float = 2.5
) -> ProbeStats:
    """Summarise a cleaned series over the window ``[start, end)``.

    Availability follows ITU-T Y.1540 [3]_ in spirit: the share of successful attempts among
    the attempts made. Periods without any result (agent off, see :func:`find_gaps`) say
    nothing about the target and are excluded from the denominator; how much of the window is
    covered is reported separately as ``coverage_pct``, and ``availability_lower_pct`` counts
    every missing result as a failure.

    Parameters
    ----------
    series : ProbeSeries
        From :func:`prepare_series`.
    start, end : float
        Window in epoch seconds.
    interval_s : float
        Nominal probe interval in seconds.
    gap_factor : float
        See :func:`find_gaps`.

    Returns
    -------
    ProbeStats
    """
    if end <= start:
        raise ValueError("end must be after start")
    if interval_s <= 0:
        raise ValueError("interval_s must be positive")
    sel = (series.ts >= start) & (series.ts < end)
    ok = series.ok[sel]
    lat = series.latency_ms[sel]
    n = int(ok.size)
    n_ok = int(ok.sum())
    expected = int(math.floor((end - start) / interval_s + 1e-9))
    finite = lat[np.isfinite(lat)]
    p50, p95, p99 = latency_percentiles(finite)
    j_mean, j_rfc = jitter(finite)
    nan = math.nan
    return ProbeStats(
        start=float(start),
        end=float(end),
        interval_s=float(interval_s),
        n_results=n,
        n_success=n_ok,
        expected=expected,
        coverage_pct=100.0 * min(1.0, n / expected) if expected else (100.0 if n else 0.0),
        availability_pct=100.0 * n_ok / n if n else nan,
        availability_lower_pct=100.0 * n_ok / max(expected, n) if max(expected, n) else nan,
        loss_pct=loss_pct(ok, series.sent[sel], series.lost[sel]),
        latency_p50_ms=p50,
        latency_p95_ms=p95,
        latency_p99_ms=p99,
        latency_mean_ms=float(finite.mean()) if finite.size else nan,
        latency_min_ms=float(finite.min()) if finite.size else nan,
        latency_max_ms=float(finite.max()) if finite.size else nan,
        jitter_ms=j_mean,
        jitter_rfc3550_ms=j_rfc,
        gaps=tuple(find_gaps(series.ts[sel], interval_s, start, end, gap_factor)),
    )


# Rollups live in their own module (jangkau.cores.probes.rollups); these names stay importable
# from here for older callers, resolved lazily to avoid an import cycle.
_ROLLUP_NAMES = frozenset(
    {"HistogramSpec", "Rollup", "coarsen", "concat_rollups", "histogram_quantiles", "rollup"}
)


def __getattr__(name: str):
    if name in _ROLLUP_NAMES:
        from jangkau.cores.probes import rollups

        return getattr(rollups, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
