"""The stability gate: is a target, a village, a kecamatan "siap" (ready)?

A target is **ready** when, over the gate window (default 30 days), availability
>= 99.5 %, loss <= 1 % and p95 latency <= 150 ms, with enough data (coverage of the window
>= 80 % and at least one result). A village is ready when **all** its targets are, a
kecamatan when **all** its villages are (weakest link: a village counts as online only when
every monitored service it depends on is stable). The decision keeps the numbers behind it
(the worst member's value for each metric) and the reasons when it is not ready.

Statuses:

``"ready"``
    every threshold met with sufficient data ("siap");
``"not_ready"``
    at least one threshold failed on the data available ("belum siap"), even if coverage is
    low: bad data is evidence enough;
``"insufficient_data"``
    no threshold failed but coverage or result count is below the minimum, or there is no
    target at all ("data kurang").

Comparisons are inclusive (``>=`` / ``<=``) with a tolerance of ``1e-9`` percentage points or
ms, so a value exactly at a threshold passes. See ``docs/monitoring-statistics.md``.

References
----------
.. [1] ITU-T Y.1541, "Network performance objectives for IP-based services", 2011 (classes of
   delay, loss and jitter objectives that inspired the defaults).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np

from jangkau.cores.probes.rollups import Rollup
from jangkau.cores.probes.sla import EPS, WindowStats, window_stats
from jangkau.cores.probes.stats import DAY_S, ProbeStats

READY = "ready"
NOT_READY = "not_ready"
INSUFFICIENT = "insufficient_data"


@dataclass(frozen=True)
class GateThresholds:
    """Configurable gate thresholds.

    Attributes
    ----------
    min_availability_pct : float
        Availability floor (inclusive), default 99.5.
    max_loss_pct : float
        Loss ceiling (inclusive), default 1.0.
    max_p95_ms : float
        p95 latency ceiling (inclusive), default 150.
    window_days : float
        Evaluation window, default 30 days.
    min_coverage_pct : float
        Minimum share of the window with results, default 80.
    min_results : int
        Minimum number of results, default 1.
    """

    min_availability_pct: float = 99.5
    max_loss_pct: float = 1.0
    max_p95_ms: float = 150.0
    window_days: float = 30.0
    min_coverage_pct: float = 80.0
    min_results: int = 1

    @property
    def window_s(self) -> float:
        """The window in seconds."""
        return self.window_days * DAY_S


@dataclass(frozen=True)
class TargetMetrics:
    """The numbers the gate looks at for one target over the window.

    Attributes
    ----------
    key : hashable
        Target id.
    n_results : int
    coverage_pct, availability_pct, loss_pct, p95_ms : float
        NaN where not measurable (no results; no successful latency).
    """

    key: Hashable
    n_results: int
    coverage_pct: float
    availability_pct: float
    loss_pct: float
    p95_ms: float


@dataclass(frozen=True)
class GateReason:
    """Why a subject is not ready.

    Attributes
    ----------
    code : str
        ``"availability"``, ``"loss"``, ``"latency_p95"``, ``"coverage"``, ``"results"``,
        ``"no_latency"`` or ``"no_members"``.
    subject : hashable
        The target (or village) whose number failed.
    value, threshold : float
        The measured value and the threshold it missed.
    message : str
        English one-liner.
    """

    code: str
    subject: Hashable
    value: float
    threshold: float
    message: str


@dataclass(frozen=True)
class GateDecision:
    """A gate decision with the numbers behind it.

    Attributes
    ----------
    level : str
        ``"target"``, ``"village"`` or ``"kecamatan"``.
    key : hashable
        Target, village or kecamatan id.
    status : str
        ``"ready"``, ``"not_ready"`` or ``"insufficient_data"``.
    availability_pct, loss_pct, p95_ms, coverage_pct : float
        For a target its own values; for a group the worst over members (min availability,
        max loss, max p95, min coverage), NaN-ignoring; NaN without members.
    n_results : int
        Total results over members.
    n_members, n_ready : int
        Members and ready members (1/0 for a target).
    reasons : tuple of GateReason
        Every failed threshold (of every member), empty when ready.
    members : tuple of GateDecision
        The member decisions (empty for a target).
    """

    level: str
    key: Hashable
    status: str
    availability_pct: float
    loss_pct: float
    p95_ms: float
    coverage_pct: float
    n_results: int
    n_members: int
    n_ready: int
    reasons: tuple[GateReason, ...] = field(default_factory=tuple)
    members: tuple[GateDecision, ...] = field(default_factory=tuple)

    @property
    def ready(self) -> bool:
        """True when the status is ``"ready"`` ("siap")."""
        return self.status == READY


@dataclass(frozen=True)
class GateTransition:
    """A change of gate status between two evaluations.

    Attributes
    ----------
    time : float
        Time of the evaluation where the new status was first seen.
    key : hashable
    previous, current : str
        Statuses before and after.
    reasons : tuple of GateReason
        Reasons of the new status (empty when it became ready).
    """

    time: float
    key: Hashable
    previous: str
    current: str
    reasons: tuple[GateReason, ...]


def metrics_from_stats(key: Hashable, s: ProbeStats) -> TargetMetrics:
    """Gate input from a raw-series summary (:func:`~jangkau.cores.probes.stats.summarize`)."""
    return TargetMetrics(
        key, s.n_results, s.coverage_pct, s.availability_pct, s.loss_pct, s.latency_p95_ms
    )


def metrics_from_window(ws: WindowStats) -> list[TargetMetrics]:
    """Gate inputs from a rollup window query (:func:`~jangkau.cores.probes.sla.window_stats`)."""
    return [
        TargetMetrics(
            int(ws.target[i]),
            int(ws.count[i]),
            float(ws.coverage_pct[i]),
            float(ws.availability_pct[i]),
            float(ws.loss_pct[i]),
            float(ws.latency_p95_ms[i]),
        )
        for i in range(ws.target.size)
    ]


def evaluate_target(m: TargetMetrics, th: GateThresholds = GateThresholds()) -> GateDecision:
    """Gate decision for one target.

    Failed thresholds (on the data available):

    * availability :math:`A <` ``min_availability_pct``;
    * loss :math:`L >` ``max_loss_pct``;
    * :math:`p_{95} >` ``max_p95_ms``, or no successful latency at all while results exist.

    Insufficient data: coverage < ``min_coverage_pct`` or results < ``min_results``.
    """
    failed: list[GateReason] = []
    thin: list[GateReason] = []
    key = m.key
    if m.n_results > 0:
        if not m.availability_pct >= th.min_availability_pct - EPS:
            failed.append(
                GateReason(
                    "availability",
                    key,
                    m.availability_pct,
                    th.min_availability_pct,
                    f"availability {m.availability_pct:.3f} % < {th.min_availability_pct} %",
                )
            )
        if not m.loss_pct <= th.max_loss_pct + EPS:
            failed.append(
                GateReason(
                    "loss",
                    key,
                    m.loss_pct,
                    th.max_loss_pct,
                    f"loss {m.loss_pct:.3f} % > {th.max_loss_pct} %",
                )
            )
        if math.isnan(m.p95_ms):
            failed.append(
                GateReason(
                    "no_latency",
                    key,
                    math.nan,
                    th.max_p95_ms,
                    "no successful result with a latency",
                )
            )
        elif not m.p95_ms <= th.max_p95_ms + EPS:
            failed.append(
                GateReason(
                    "latency_p95",
                    key,
                    m.p95_ms,
                    th.max_p95_ms,
                    f"p95 latency {m.p95_ms:.1f} ms > {th.max_p95_ms} ms",
                )
            )
    if m.n_results < th.min_results:
        thin.append(
            GateReason(
                "results",
                key,
                float(m.n_results),
                float(th.min_results),
                f"{m.n_results} results < {th.min_results} required",
            )
        )
    if not m.coverage_pct >= th.min_coverage_pct - EPS:
        thin.append(
            GateReason(
                "coverage",
                key,
                m.coverage_pct,
                th.min_coverage_pct,
                f"data covers {m.coverage_pct:.1f} % of the window < {th.min_coverage_pct} %",
            )
        )
    status = NOT_READY if failed else (INSUFFICIENT if thin else READY)
    return GateDecision(
        level="target",
        key=key,
        status=status,
        availability_pct=m.availability_pct,
        loss_pct=m.loss_pct,
        p95_ms=m.p95_ms,
        coverage_pct=m.coverage_pct,
        n_results=m.n_results,
        n_members=1,
        n_ready=int(status == READY),
        reasons=tuple(failed + thin),
    )


def _worst(values: list[float], fn) -> float:
    arr = np.asarray(values, dtype=np.float64)
    arr = arr[np.isfinite(arr)]
    return float(fn(arr)) if arr.size else math.nan


def _combine(level: str, key: Hashable, members: Sequence[GateDecision]) -> GateDecision:
    """All-members aggregation: not ready if any member fails, worst numbers."""
    members = tuple(members)
    if not members:
        return GateDecision(
            level=level,
            key=key,
            status=INSUFFICIENT,
            availability_pct=math.nan,
            loss_pct=math.nan,
            p95_ms=math.nan,
            coverage_pct=math.nan,
            n_results=0,
            n_members=0,
            n_ready=0,
            reasons=(GateReason("no_members", key, 0.0, 1.0, f"{level} has nothing monitored"),),
        )
    statuses = {d.status for d in members}
    status = (
        NOT_READY if NOT_READY in statuses else INSUFFICIENT if INSUFFICIENT in statuses else READY
    )
    return GateDecision(
        level=level,
        key=key,
        status=status,
        availability_pct=_worst([d.availability_pct for d in members], np.min),
        loss_pct=_worst([d.loss_pct for d in members], np.max),
        p95_ms=_worst([d.p95_ms for d in members], np.max),
        coverage_pct=_worst([d.coverage_pct for d in members], np.min),
        n_results=sum(d.n_results for d in members),
        n_members=len(members),
        n_ready=sum(d.ready for d in members),
        reasons=tuple(r for d in members for r in d.reasons),
        members=members,
    )


def evaluate_village(
    key: Hashable, targets: Sequence[TargetMetrics], th: GateThresholds = GateThresholds()
) -> GateDecision:
    """Village gate: ready when every one of its targets is ready.

    No targets -> ``"insufficient_data"`` with reason ``"no_members"``.
    """
    return _combine("village", key, [evaluate_target(m, th) for m in targets])


def evaluate_kecamatan(key: Hashable, villages: Sequence[GateDecision]) -> GateDecision:
    """Kecamatan gate: ready when every one of its villages is ready (village decisions in)."""
    return _combine("kecamatan", key, villages)


def rolling_metrics(
    r: Rollup, eval_times, *, window_s: float, interval_s: float, targets=None
) -> list[list[TargetMetrics]]:
    """Gate inputs at each evaluation time over the trailing window ``[t - window_s, t)``.

    Parameters
    ----------
    r : Rollup
        Rollups (daily is enough for a daily gate) of the targets.
    eval_times : array_like of float
        Evaluation instants (align to bucket edges for exact windows).
    window_s, interval_s : float
        Window length and nominal probe interval.
    targets : array_like of int, optional
        Targets to report at every time (absent ones with zero results).

    Returns
    -------
    list of list of TargetMetrics
        One list per evaluation time.
    """
    if targets is None:
        targets = np.unique(r.target)
    return [
        metrics_from_window(
            window_stats(r, float(t) - window_s, float(t), interval_s=interval_s, targets=targets)
        )
        for t in np.asarray(eval_times, dtype=np.float64)
    ]


def gate_transitions(
    times, decisions: Sequence[GateDecision], include_initial: bool = False
) -> list[GateTransition]:
    """Status changes in a time-ordered history of decisions about one subject.

    Parameters
    ----------
    times : array_like of float
        Evaluation times, same length as ``decisions``, ascending.
    decisions : sequence of GateDecision
        The decisions at those times.
    include_initial : bool
        Also report the first status as a transition from ``"unknown"``.

    Returns
    -------
    list of GateTransition
        One per change, e.g. for alerts ("village X is no longer siap: loss 2.1 % > 1 %").
    """
    t = np.asarray(times, dtype=np.float64)
    if t.size != len(decisions):
        raise ValueError("times and decisions differ in length")
    if t.size > 1 and np.any(np.diff(t) < 0):
        raise ValueError("times must be ascending")
    out = []
    prev = None
    for ti, d in zip(t.tolist(), decisions, strict=True):
        if (prev is None and include_initial) or (prev is not None and d.status != prev):
            out.append(GateTransition(ti, d.key, prev or "unknown", d.status, d.reasons))
        prev = d.status
    return out
