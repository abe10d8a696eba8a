"""The stability gate per village and kecamatan, stored as current state plus change rows.

Every enabled target is measured over the gate window (default the 30 whole WITA days before
today plus today so far) from the stored rollups (:func:`~jangkau.cores.probes.window_stats`).
A village is decided by :func:`~jangkau.cores.probes.evaluate_village` over its enabled
targets, a kecamatan by :func:`~jangkau.cores.probes.evaluate_kecamatan` over **all** its
villages (a village without targets is "insufficient data", so a kecamatan is siap only when
every village in it is monitored and siap). A change of status (found with
:func:`~jangkau.cores.probes.gate_transitions`) is written as a ``GateChange`` row.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from jangkau.cores.probes import (
    GateDecision,
    GateReason,
    evaluate_kecamatan,
    evaluate_village,
    gate_transitions,
    metrics_from_window,
)
from jangkau.cores.probes.gate import TargetMetrics
from jangkau.monitoring import conf
from jangkau.monitoring.choices import GateLevelChoices
from jangkau.monitoring.models import GateChange, GateState, ProbeTarget
from jangkau.monitoring.services.rollup_store import (
    day_window,
    epoch,
    from_epoch,
    window_rollup,
    window_stats_for,
)
from jangkau.regions.models import District, Village

_NUMBERS = ("availability_pct", "loss_pct", "p95_ms", "coverage_pct")
_STORED = (
    "status",
    "ready",
    *_NUMBERS,
    "n_results",
    "n_members",
    "n_ready",
    "reasons",
    "window_start",
    "window_end",
)


@dataclass(frozen=True)
class GateEvent:
    """A subject's gate status changed (``previous`` is "" on the first evaluation)."""

    level: str
    subject: object
    previous: str
    current: str
    change: GateChange


def _num(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _reason_json(r: GateReason) -> dict:
    return {
        "code": r.code,
        "subject": r.subject,
        "value": _num(r.value),
        "threshold": _num(r.threshold),
        "message": r.message,
    }


def gate_window(now: datetime) -> tuple[int, int]:
    """The gate window ``[start, end)``: the last ``window_days`` whole WITA days and today so
    far (from the rollups, as far as they have been computed)."""
    return day_window(epoch(now), conf.gate_thresholds().window_days)


def target_metrics(
    start: int, end: int, targets: list[tuple[int, int]]
) -> dict[int, TargetMetrics]:
    """Gate inputs of ``targets`` (``(id, interval_s)`` pairs) over ``[start, end)``."""
    r = window_rollup(start, end, [pk for pk, _ in targets])
    by_interval: dict[int, list[int]] = defaultdict(list)
    for pk, interval in targets:
        by_interval[interval].append(pk)
    out: dict[int, TargetMetrics] = {}
    for interval, pks in by_interval.items():
        ws = window_stats_for(r, start, end, interval_s=interval, targets=pks)
        out.update({m.key: m for m in metrics_from_window(ws)})
    return out


def decide(now: datetime) -> tuple[dict[int, GateDecision], dict[int, GateDecision], tuple]:
    """Village and kecamatan decisions (keyed by village / district pk) and the window."""
    th = conf.gate_thresholds()
    start, end = gate_window(now)
    targets = list(
        ProbeTarget.objects.filter(enabled=True).values_list("pk", "village_id", "interval_s")
    )
    metrics = target_metrics(start, end, [(pk, interval) for pk, _v, interval in targets])
    per_village: dict[int, list[TargetMetrics]] = defaultdict(list)
    for pk, village_id, _interval in targets:
        per_village[village_id].append(metrics[pk])
    villages = list(Village.objects.order_by("code").values_list("pk", "code", "district_id"))
    village_decisions = {
        pk: evaluate_village(code, per_village.get(pk, []), th) for pk, code, _d in villages
    }
    members: dict[int, list[GateDecision]] = defaultdict(list)
    for pk, _code, district_id in villages:
        members[district_id].append(village_decisions[pk])
    kecamatan_decisions = {
        pk: evaluate_kecamatan(code, members.get(pk, []))
        for pk, code in District.objects.order_by("code").values_list("pk", "code")
    }
    return village_decisions, kecamatan_decisions, (start, end)


def _as_decision(state: GateState) -> GateDecision:
    """A stored state as a core decision (for :func:`gate_transitions`)."""
    nan = math.nan
    return GateDecision(
        level=state.level,
        key=state.subject_code,
        status=state.status,
        availability_pct=nan if state.availability_pct is None else state.availability_pct,
        loss_pct=nan if state.loss_pct is None else state.loss_pct,
        p95_ms=nan if state.p95_ms is None else state.p95_ms,
        coverage_pct=nan if state.coverage_pct is None else state.coverage_pct,
        n_results=state.n_results,
        n_members=state.n_members,
        n_ready=state.n_ready,
    )


def _fill(obj, d: GateDecision, window: tuple[int, int]) -> None:
    obj.status = d.status
    obj.ready = d.ready
    for name in _NUMBERS:
        setattr(obj, name, _num(getattr(d, name)))
    obj.n_results, obj.n_members, obj.n_ready = d.n_results, d.n_members, d.n_ready
    obj.reasons = [_reason_json(r) for r in d.reasons]
    obj.window_start, obj.window_end = from_epoch(window[0]), from_epoch(window[1])


def _values(obj) -> tuple:
    return tuple(getattr(obj, f) for f in _STORED)


def evaluate_gates(now: datetime) -> list[GateEvent]:
    """Decide every village and kecamatan, store states and changes; return the changes.

    Only states whose decision or numbers changed are rewritten; ``evaluated_at`` of all is
    set in one statement.
    """
    villages, kecamatan, window = decide(now)
    now_s = epoch(now)
    light = ("id", "code", "name", "district")
    states = {
        (s.level, s.village_id or s.district_id): s
        for s in GateState.objects.select_related("village", "district").only(
            *_STORED,
            "level",
            "since",
            "evaluated_at",
            "village_id",
            "district_id",
            *(f"village__{f}" for f in light),
            *(f"district__{f}" for f in light[:3]),
        )
    }
    subjects = {
        GateLevelChoices.VILLAGE: Village.objects.only(*light).in_bulk(list(villages)),
        GateLevelChoices.KECAMATAN: District.objects.only(*light[:3]).in_bulk(list(kecamatan)),
    }
    events: list[GateEvent] = []
    to_update: list[GateState] = []
    with transaction.atomic():
        for level, decisions in (
            (GateLevelChoices.VILLAGE, villages),
            (GateLevelChoices.KECAMATAN, kecamatan),
        ):
            field = "village" if level == GateLevelChoices.VILLAGE else "district"
            for pk, d in decisions.items():
                subject = subjects[level][pk]
                state = states.get((level, pk))
                previous = "" if state is None else state.status
                if state is None:
                    changed = True
                    state = GateState(level=level, since=now, **{field: subject})
                    before = None
                else:
                    times = [min(epoch(state.evaluated_at), now_s), now_s]
                    changed = bool(gate_transitions(times, [_as_decision(state), d]))
                    before = _values(state)
                _fill(state, d, window)
                if changed:
                    state.since = now
                    change = GateChange(
                        level=level, previous_status=previous, at=now, **{field: subject}
                    )
                    _fill(change, d, window)
                    change.save()
                    events.append(GateEvent(level, subject, previous, d.status, change))
                if state.pk is None:
                    state.evaluated_at = now
                    state.save()
                elif changed or _values(state) != before:
                    to_update.append(state)
        GateState.objects.bulk_update(to_update, [*_STORED, "since"], batch_size=200)
        GateState.objects.update(evaluated_at=now)
    return events
