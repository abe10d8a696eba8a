"""Plain-dict views of the monitoring models for the API and GeoJSON."""

from __future__ import annotations

from django.utils import timezone

from jangkau.monitoring.models import GateChange, GateState, Outage, ProbeTarget


def _iso(dt) -> str | None:
    return dt.isoformat() if dt else None


def target_dict(t: ProbeTarget) -> dict:
    """A target for public reads: no address or port (internal network details)."""
    return {
        "id": t.pk,
        "name": t.name,
        "kind": t.kind,
        "village": t.village.code,
        "village_name": t.village.name,
        "kecamatan": t.village.district.code,
        "kecamatan_name": t.village.district.name,
        "subject_kind": t.subject_kind,
        "subject_code": t.subject_code,
        "interval_s": t.interval_s,
        "sla_target_pct": t.sla_target_pct,
        "enabled": t.enabled,
    }


def outage_dict(o: Outage) -> dict:
    return {
        "id": o.pk,
        "target": o.target_id,
        "target_name": o.target.name,
        "village": o.target.village.code,
        "kecamatan": o.target.village.district.code,
        "start": _iso(o.start),
        "end": _iso(o.end),
        "ongoing": o.ongoing,
        "duration_s": round(o.duration_at(timezone.now()), 1),
    }


def _gate_numbers(g) -> dict:
    return {
        "level": g.level,
        "code": g.subject_code,
        "name": g.subject.name if g.subject else "",
        "status": g.status,
        "ready": g.ready,
        "availability_pct": g.availability_pct,
        "loss_pct": g.loss_pct,
        "p95_ms": g.p95_ms,
        "coverage_pct": g.coverage_pct,
        "n_results": g.n_results,
        "n_members": g.n_members,
        "n_ready": g.n_ready,
        "reasons": g.reasons,
        "window_start": _iso(g.window_start),
        "window_end": _iso(g.window_end),
    }


def gate_state_dict(g: GateState) -> dict:
    return {**_gate_numbers(g), "since": _iso(g.since), "evaluated_at": _iso(g.evaluated_at)}


def gate_change_dict(g: GateChange) -> dict:
    return {**_gate_numbers(g), "previous_status": g.previous_status, "at": _iso(g.at)}
