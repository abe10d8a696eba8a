"""The statistics the pages and the API show, computed with the core from raw data and rollups.

* last 24 hours and 7 days: from raw results (:func:`~jangkau.cores.probes.summarize`:
  availability, coverage, p50/p95/p99, jitter, loss);
* 30 and 90 days: from the rollups (:func:`~jangkau.cores.probes.window_stats`; jitter needs
  the raw sequence and is not kept in rollups);
* MTBF and MTTR from the stored outages (:func:`~jangkau.cores.probes.reliability`), with the
  time not covered by results left out of the observed time;
* SLA compliance per WITA month from daily rollups
  (:func:`~jangkau.cores.probes.monthly_sla_from_rollup`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from jangkau.cores.probes import (
    DAY_S,
    FIVE_MINUTES_S,
    HOUR_S,
    WITA_OFFSET_S,
    histogram_quantiles,
    monthly_sla_from_rollup,
    prepare_series,
    reliability,
    summarize,
)
from jangkau.cores.probes import Outage as CoreOutage
from jangkau.monitoring.models import Outage, ProbeResult, ProbeTarget
from jangkau.monitoring.services.rollup_store import (
    SPEC,
    day_window,
    epoch,
    floor_to,
    from_epoch,
    load_raw,
    load_rollup,
    window_rollup,
    window_stats_for,
)


def _num(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


@dataclass(frozen=True)
class PeriodStats:
    """Statistics of one target over one trailing period."""

    days: float
    source: str
    n_results: int
    availability_pct: float | None
    coverage_pct: float | None
    loss_pct: float | None
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    jitter_ms: float | None
    mtbf_s: float | None = None
    mttr_s: float | None = None
    n_outages: int = 0


@dataclass
class TargetSummary:
    """Everything the target page and ``/api/monitoring/targets/{id}/stats`` show."""

    target: ProbeTarget
    now: datetime
    last_result: ProbeResult | None
    periods: list[PeriodStats] = field(default_factory=list)
    sla: list = field(default_factory=list)

    def as_json(self) -> dict:
        last = self.last_result
        return {
            "now": self.now.isoformat(),
            "last_result": None
            if last is None
            else {
                "ts": last.ts.isoformat(),
                "ok": last.ok,
                "latency_ms": last.latency_ms,
                "loss_pct": last.loss_pct,
                "error": last.error,
            },
            "periods": [p.__dict__ for p in self.periods],
            "sla": [
                {
                    "month": m.month,
                    "availability_pct": _num(m.availability_pct),
                    "coverage_pct": _num(m.coverage_pct),
                    "target_pct": m.target_pct,
                    "compliant": m.compliant,
                    "n_results": m.n_results,
                }
                for m in self.sla
            ],
        }


def _core_outages(target: ProbeTarget, start: datetime) -> list[CoreOutage]:
    rows = Outage.objects.filter(target=target).exclude(end__lt=start).order_by("start")
    return [
        CoreOutage(
            epoch(o.start), None if o.end is None else epoch(o.end), o.duration_s, 0, o.end is None
        )
        for o in rows
    ]


def _raw_period(target: ProbeTarget, days: float, now_s: float) -> PeriodStats:
    start = now_s - days * DAY_S
    raw = load_raw([target.pk], from_epoch(start), from_epoch(now_s))
    series = prepare_series(
        raw["ts"], raw["ok"], raw["latency_ms"], ids=raw["id"], sent=raw["sent"], lost=raw["lost"]
    )
    s = summarize(series, start=start, end=now_s, interval_s=target.interval_s)
    rel = reliability(
        _core_outages(target, from_epoch(start)),
        start,
        now_s,
        excluded_s=min(s.gap_s, now_s - start),
    )
    return PeriodStats(
        days=days,
        source="raw",
        n_results=s.n_results,
        availability_pct=_num(s.availability_pct),
        coverage_pct=_num(s.coverage_pct),
        loss_pct=_num(s.loss_pct),
        p50_ms=_num(s.latency_p50_ms),
        p95_ms=_num(s.latency_p95_ms),
        p99_ms=_num(s.latency_p99_ms),
        jitter_ms=_num(s.jitter_ms),
        mtbf_s=None if math.isinf(rel.mtbf_s) else _num(rel.mtbf_s),
        mttr_s=_num(rel.mttr_s),
        n_outages=rel.n_outages,
    )


def _rollup_period(target: ProbeTarget, days: int, now_s: float) -> PeriodStats:
    start, end_s = day_window(now_s, days)
    r = window_rollup(start, end_s, [target.pk])
    ws = window_stats_for(r, start, end_s, interval_s=target.interval_s, targets=[target.pk])
    row = ws.row(target.pk)
    covered = row["count"] * target.interval_s
    rel = reliability(
        _core_outages(target, from_epoch(start)),
        start,
        end_s,
        excluded_s=max(0.0, (end_s - start) - covered),
    )
    return PeriodStats(
        days=days,
        source="rollups",
        n_results=row["count"],
        availability_pct=_num(row["availability_pct"]),
        coverage_pct=_num(row["coverage_pct"]),
        loss_pct=_num(row["loss_pct"]),
        p50_ms=_num(row["latency_p50_ms"]),
        p95_ms=_num(row["latency_p95_ms"]),
        p99_ms=_num(row["latency_p99_ms"]),
        jitter_ms=None,
        mtbf_s=None if math.isinf(rel.mtbf_s) else _num(rel.mtbf_s),
        mttr_s=_num(rel.mttr_s),
        n_outages=rel.n_outages,
    )


def monthly_sla(target: ProbeTarget, now: datetime, months: int = 12) -> list:
    """SLA compliance of the last ``months`` WITA months (newest first)."""
    end = floor_to(epoch(now), DAY_S) + DAY_S
    r = load_rollup(DAY_S, end - (months * 31 + 1) * DAY_S, end, [target.pk])
    if not len(r):
        return []
    rows = monthly_sla_from_rollup(
        r, target_pct=target.sla_target_pct, tz_offset_s=WITA_OFFSET_S, interval_s=target.interval_s
    )
    return list(reversed(rows))[:months]


def last_results(target_ids: list[int]) -> dict[int, ProbeResult]:
    """The latest result of each target (two queries, through the (target, ts) index)."""
    latest = ProbeResult.objects.filter(target=OuterRef("pk")).order_by("-ts", "-pk")
    pairs = (
        ProbeTarget.objects.filter(pk__in=target_ids)
        .annotate(last_id=Subquery(latest.values("pk")[:1]))
        .values_list("pk", "last_id")
    )
    by_id = ProbeResult.objects.in_bulk([lid for _pk, lid in pairs if lid is not None])
    return {pk: by_id[lid] for pk, lid in pairs if lid is not None}


def target_summary(target: ProbeTarget, now: datetime | None = None) -> TargetSummary:
    """Statistics of one target over 24 h and 7 days (raw), 30 and 90 days (rollups)."""
    now = now or timezone.now()
    now_s = epoch(now)
    summary = TargetSummary(target, now, last_results([target.pk]).get(target.pk))
    summary.periods = [
        _raw_period(target, 1, now_s),
        _raw_period(target, 7, now_s),
        _rollup_period(target, 30, now_s),
        _rollup_period(target, 90, now_s),
    ]
    summary.sla = monthly_sla(target, now)
    return summary


def availability_colour(pct: float | None) -> str:
    """Colour of a daily bar: green at the gate threshold and above, to red; grey without data."""
    if pct is None:
        return "#d0d4d8"
    if pct >= 99.5:
        return "#2e7d32"
    if pct >= 99.0:
        return "#7cb342"
    if pct >= 95.0:
        return "#f9a825"
    if pct >= 90.0:
        return "#ef6c00"
    return "#c62828"


def daily_bars(target_ids: list[int], now: datetime, days: int = 90) -> dict[int, list[dict]]:
    """Per target, one entry per WITA day (oldest first): date, availability, results."""
    today = floor_to(epoch(now), DAY_S)
    start = today - (days - 1) * DAY_S
    r = load_rollup(DAY_S, start, today + DAY_S, target_ids)
    found = {
        (int(t), int(b)): (int(c), int(s))
        for t, b, c, s in zip(r.target, r.bucket_start, r.count, r.successes, strict=True)
    }
    out = {}
    for tid in target_ids:
        bars = []
        for k in range(days):
            b = start + k * DAY_S
            count, succ = found.get((tid, b), (0, 0))
            pct = 100.0 * succ / count if count else None
            bars.append(
                {
                    "date": from_epoch(b + WITA_OFFSET_S).date(),
                    "availability_pct": pct,
                    "count": count,
                    "colour": availability_colour(pct),
                }
            )
        out[tid] = bars
    return out


def recent_window(targets: list[ProbeTarget], now: datetime, hours: int = 24) -> dict[int, dict]:
    """Availability, coverage, loss and p95 of each target over the last ``hours`` hours."""
    end = floor_to(epoch(now), HOUR_S)
    start = end - hours * HOUR_S
    r = load_rollup(HOUR_S, start, end, [t.pk for t in targets])
    by_interval: dict[int, list[int]] = {}
    for t in targets:
        by_interval.setdefault(t.interval_s, []).append(t.pk)
    out = {}
    for interval, pks in by_interval.items():
        ws = window_stats_for(r, start, end, interval_s=interval, targets=pks)
        for i, t in enumerate(ws.target):
            out[int(t)] = {
                "availability_pct": _num(ws.availability_pct[i]),
                "coverage_pct": _num(ws.coverage_pct[i]),
                "loss_pct": _num(ws.loss_pct[i]),
                "p95_ms": _num(ws.latency_p95_ms[i]),
                "count": int(ws.count[i]),
            }
    return out


#: chart periods: (rollup width, hours shown).
CHART_PERIODS = {"24h": (FIVE_MINUTES_S, 24), "7d": (HOUR_S, 24 * 7), "90d": (DAY_S, 24 * 90)}


def chart_series(target: ProbeTarget, now: datetime, period: str = "7d") -> dict:
    """Latency p50/p95 and loss per bucket over the period, for the SVG charts."""
    width, hours = CHART_PERIODS[period]
    end = floor_to(epoch(now), width) + width
    start = end - hours * HOUR_S
    r = load_rollup(width, start, end, [target.pk])
    q = (
        histogram_quantiles(r.hist, (50.0, 95.0), SPEC, r.latency_min, r.latency_max)
        if len(r)
        else np.zeros((0, 2))
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        loss = np.where(
            r.packets_sent > 0,
            100.0 * r.packets_lost / np.maximum(r.packets_sent, 1),
            100.0 * (r.count - r.successes) / np.maximum(r.count, 1),
        )
    xs = [float(b) for b in r.bucket_start]
    return {
        "start": start,
        "end": end,
        "width": width,
        "p50": list(zip(xs, [_num(v) for v in q[:, 0]], strict=True)),
        "p95": list(zip(xs, [_num(v) for v in q[:, 1]], strict=True)),
        "loss": list(zip(xs, [_num(v) for v in loss], strict=True)),
    }


def last_seen_by_target(target_ids: list[int]) -> dict[int, datetime]:
    """Time of each target's latest result."""
    rows = (
        ProbeResult.objects.filter(target_id__in=target_ids)
        .order_by()
        .values("target_id")
        .annotate(last=Max("ts"))
    )
    return {r["target_id"]: r["last"] for r in rows}
