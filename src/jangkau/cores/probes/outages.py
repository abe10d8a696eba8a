"""Outage detection with flap suppression, and MTBF / MTTR over a window.

The rule (documented with examples in ``docs/monitoring-statistics.md``):

* an outage **starts** when ``n_fail`` consecutive results fail (default 3); its start time is
  the time of the first failure of that run. Fewer consecutive failures are blips, not outages;
* it **ends** when ``m_success`` consecutive results succeed (default 2); its end time is the
  time of the first success of that confirming run. Shorter success runs inside an outage are
  flapping and do not end it;
* two outages separated by less than ``merge_gap_s`` (time from the end of one to the start of
  the next) are merged into one;
* an outage still unconfirmed-as-recovered at the end of the series is **ongoing**
  (``end is None``), its duration counted up to ``as_of``.

"Consecutive" is consecutive in the cleaned series (sorted by time, duplicates removed, see
:func:`jangkau.cores.probes.stats.prepare_series`); a period without results does not break a
run, so an outage during which the agent was also offline lasts until the first confirmed
success after it.

References
----------
.. [1] IEC 60050-192:2015, International Electrotechnical Vocabulary, Part 192:
   Dependability (mean operating time between failures, mean time to restoration).
.. [2] ITU-T Y.1540 (2019), section 7: availability with a sliding window of consecutive
   failed intervals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from jangkau.cores.probes.stats import ProbeSeries


@dataclass(frozen=True)
class Outage:
    """One outage.

    Attributes
    ----------
    start : float
        Time of the first failure of the triggering run (epoch seconds).
    end : float or None
        Time of the first success of the confirming run; None while ongoing.
    duration_s : float
        ``end - start``, or ``as_of - start`` when ongoing.
    n_failures : int
        Failed results between ``start`` and ``end``.
    ongoing : bool
        Still down (recovery not confirmed) at the end of the series.
    """

    start: float
    end: float | None
    duration_s: float
    n_failures: int
    ongoing: bool


def _runs(ok: np.ndarray):
    """Run-length encoding of a boolean array: (start index, length, value) arrays."""
    if ok.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, bool)
    change = np.flatnonzero(ok[1:] != ok[:-1]) + 1
    starts = np.concatenate(([0], change))
    lengths = np.diff(np.concatenate((starts, [ok.size])))
    return starts, lengths, ok[starts]


def detect_outages(
    series: ProbeSeries,
    *,
    n_fail: int = 3,
    m_success: int = 2,
    merge_gap_s: float = 0.0,
    as_of: float | None = None,
) -> list[Outage]:
    """Detect outages in a cleaned probe series.

    The state machine runs over runs of equal results (run-length encoding), so its cost is
    proportional to the number of state changes, not the number of results.

    Parameters
    ----------
    series : ProbeSeries
        From :func:`~jangkau.cores.probes.stats.prepare_series` (sorted, deduplicated).
    n_fail : int
        Consecutive failures that open an outage (``N``, >= 1).
    m_success : int
        Consecutive successes that confirm recovery (``M``, >= 1).
    merge_gap_s : float
        Outages with ``next.start - prev.end < merge_gap_s`` are merged.
    as_of : float, optional
        Time up to which an ongoing outage is measured; default the last result's time.

    Returns
    -------
    list of Outage
        In time order.
    """
    if n_fail < 1 or m_success < 1:
        raise ValueError("n_fail and m_success must be >= 1")
    ts, ok = series.ts, series.ok
    if ts.size and np.any(np.diff(ts) < 0):
        raise ValueError("series is not sorted: clean it with prepare_series")
    starts, lengths, values = _runs(ok)
    fail_cum = np.concatenate(([0], np.cumsum(~ok)))
    raw: list[list] = []  # [start_idx, end_idx or None]
    down = False
    for s, n, v in zip(starts.tolist(), lengths.tolist(), values.tolist(), strict=True):
        if not down and not v and n >= n_fail:
            raw.append([s, None])
            down = True
        elif down and v and n >= m_success:
            raw[-1][1] = s
            down = False
    if as_of is None:
        as_of = float(ts[-1]) if ts.size else 0.0
    merged: list[list] = []
    for s_idx, e_idx in raw:
        if merged and merged[-1][1] is not None and ts[s_idx] - ts[merged[-1][1]] < merge_gap_s:
            merged[-1][1] = e_idx
        else:
            merged.append([s_idx, e_idx])
    out = []
    for s_idx, e_idx in merged:
        start = float(ts[s_idx])
        if e_idx is None:
            n_f = int(fail_cum[-1] - fail_cum[s_idx])
            out.append(Outage(start, None, max(0.0, as_of - start), n_f, True))
        else:
            end = float(ts[e_idx])
            n_f = int(fail_cum[e_idx] - fail_cum[s_idx])
            out.append(Outage(start, end, end - start, n_f, False))
    return out


@dataclass(frozen=True)
class Reliability:
    """Outage-based reliability over a window ``[start, end)``.

    Attributes
    ----------
    start, end : float
        The window.
    observed_s : float
        Window length minus ``excluded_s`` (e.g. gaps without data).
    downtime_s : float
        Total outage time clipped to the window (ongoing outages up to ``end``).
    uptime_s : float
        ``observed_s - downtime_s``.
    n_outages : int
        Outages that **started** in the window.
    n_restored : int
        Outages that **ended** in the window.
    mtbf_s : float
        Mean time between failures, ``uptime_s / n_outages`` (inf without outages).
    mttr_s : float
        Mean time to restore, mean full duration of the outages restored in the window
        (NaN if none).
    availability_pct : float
        Time-based availability ``100 * uptime_s / observed_s``.
    """

    start: float
    end: float
    observed_s: float
    downtime_s: float
    uptime_s: float
    n_outages: int
    n_restored: int
    mtbf_s: float
    mttr_s: float
    availability_pct: float


def reliability(
    outages: list[Outage], start: float, end: float, *, excluded_s: float = 0.0
) -> Reliability:
    """MTBF, MTTR and time-based availability over ``[start, end)``.

    With :math:`T` the observed time (window minus ``excluded_s``), :math:`D` the outage time
    inside the window, :math:`k` the outages starting in the window and :math:`R` the set of
    outages restored in the window:

    .. math::

        \\mathrm{MTBF} = \\frac{T - D}{k}, \\qquad
        \\mathrm{MTTR} = \\frac{1}{|R|} \\sum_{o \\in R} (o.\\mathrm{end} - o.\\mathrm{start}),
        \\qquad A = 100 \\frac{T - D}{T}.

    (IEC 60050-192 mean operating time between failures and mean time to restoration [1]_.)
    MTTR uses full durations of restored outages, so an outage that began before the window is
    counted with its whole length; ongoing outages add to :math:`D` but not to MTTR.

    Parameters
    ----------
    outages : list of Outage
        From :func:`detect_outages`.
    start, end : float
        The window.
    excluded_s : float
        Time inside the window to leave out of :math:`T` (gaps without data).

    Returns
    -------
    Reliability
    """
    if end <= start:
        raise ValueError("end must be after start")
    observed = max(0.0, (end - start) - excluded_s)
    down = 0.0
    n_start = 0
    restored = []
    for o in outages:
        o_end = end if o.end is None else o.end
        down += max(0.0, min(o_end, end) - max(o.start, start))
        if start <= o.start < end:
            n_start += 1
        if o.end is not None and start <= o.end < end:
            restored.append(o.end - o.start)
    down = min(down, observed)
    up = observed - down
    return Reliability(
        start=float(start),
        end=float(end),
        observed_s=observed,
        downtime_s=down,
        uptime_s=up,
        n_outages=n_start,
        n_restored=len(restored),
        mtbf_s=up / n_start if n_start else math.inf,
        mttr_s=float(np.mean(restored)) if restored else math.nan,
        availability_pct=100.0 * up / observed if observed else math.nan,
    )
