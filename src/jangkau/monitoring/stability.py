"""The numbers behind a village's gate decision, for the village page's stability card."""

from __future__ import annotations

from django.utils import timezone

from jangkau.cores.probes import evaluate_target
from jangkau.monitoring import conf
from jangkau.monitoring.choices import GATE_COLOURS, GateLevelChoices, GateStatusChoices
from jangkau.monitoring.models import GateState, Outage
from jangkau.monitoring.services.gate import gate_window, target_metrics
from jangkau.monitoring.services.rollup_store import from_epoch


def _num(x):
    return None if x is None or x != x else float(x)


def village_stability_context(village, now=None) -> dict:
    """Template context of ``monitoring/_village_stability.html`` for ``village``.

    The stored gate state (as of the last cycle) and, per enabled target, its numbers over the
    gate window with the core's per-target decision, so the reader sees which target and which
    threshold keep the village "belum siap".
    """
    now = now or timezone.now()
    th = conf.gate_thresholds()
    state = GateState.objects.filter(level=GateLevelChoices.VILLAGE, village=village).first()
    targets = list(village.probe_targets.filter(enabled=True).order_by("name", "pk"))
    start, end = gate_window(now)
    metrics = target_metrics(start, end, [(t.pk, t.interval_s) for t in targets])
    rows = []
    for t in targets:
        m = metrics[t.pk]
        d = evaluate_target(m, th)
        rows.append(
            {
                "target": t,
                "status": d.status,
                "label": GateStatusChoices(d.status).label,
                "colour": GATE_COLOURS[d.status],
                "availability_pct": _num(m.availability_pct),
                "loss_pct": _num(m.loss_pct),
                "p95_ms": _num(m.p95_ms),
                "coverage_pct": _num(m.coverage_pct),
                "n_results": m.n_results,
                "reasons": [r.message for r in d.reasons],
            }
        )
    status = state.status if state else GateStatusChoices.INSUFFICIENT
    return {
        "village": village,
        "state": state,
        "status": status,
        "status_label": GateStatusChoices(status).label,
        "colour": GATE_COLOURS[status],
        "rows": rows,
        "thresholds": th,
        "window_start": from_epoch(start),
        "window_end": from_epoch(end),
        "ongoing": Outage.objects.filter(target__in=targets, end__isnull=True)
        .select_related("target")
        .order_by("start"),
    }
