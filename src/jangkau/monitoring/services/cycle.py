"""One monitoring cycle: rollups, outages, the gate, alerts (run by the task and the command)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from jangkau.monitoring.models import RollupCursor
from jangkau.monitoring.services.alerts import alert_events, dispatch_due, raise_alerts
from jangkau.monitoring.services.gate import evaluate_gates
from jangkau.monitoring.services.outages import reconcile_outages
from jangkau.monitoring.services.rollups import cursor, roll_up

log = logging.getLogger("jangkau.monitoring.cycle")

#: a claim on the cursor older than this is taken to be a crashed run.
STALE_CLAIM = timedelta(hours=1)
STAGES = 4


class CycleBusy(RuntimeError):
    """Another run holds the cursor."""


def _claim(cur: RollupCursor) -> bool:
    real_now = timezone.now()
    return bool(
        RollupCursor.objects.filter(pk=cur.pk)
        .filter(Q(running_since__isnull=True) | Q(running_since__lt=real_now - STALE_CLAIM))
        .update(running_since=real_now)
    )


def run_cycle(
    now: datetime | None = None, progress: Callable[[int, int, str], None] | None = None
) -> dict:
    """Run the whole cycle once and return a summary (also stored on the cursor).

    Parameters
    ----------
    now : datetime, optional
        Time of the run (tests control it); default ``timezone.now()``.
    progress : callable, optional
        ``progress(done, total, message)`` after each stage.

    Raises
    ------
    CycleBusy
        When another run is in progress.
    """
    now = now or timezone.now()
    step = progress or (lambda done, total, message: None)
    cur = cursor()
    if not _claim(cur):
        raise CycleBusy("another monitoring cycle is running")
    try:
        cur.refresh_from_db()
        rolled = roll_up(now, cur)
        step(1, STAGES, "rollups")
        outage_events = reconcile_outages(rolled.pending, now, cur.purged_before)
        step(2, STAGES, "outages")
        gate_events = evaluate_gates(now)
        step(3, STAGES, "gate")
        logs = raise_alerts(alert_events(outage_events, gate_events), now)
        delivered = dispatch_due(now)
        step(4, STAGES, "alerts")
        summary = {
            **rolled.as_json(),
            "outage_events": len(outage_events),
            "gate_changes": len(gate_events),
            "alerts_raised": len(logs),
            "alerts_sent": delivered["sent"],
            "alerts_failed": delivered["failed"],
        }
        cur.last_run_at = now
        cur.last_summary = summary
        cur.updated = timezone.now()
        cur.save(update_fields=["last_run_at", "last_summary", "updated"])
        log.info("monitoring cycle: %s", summary)
        return summary
    finally:
        RollupCursor.objects.filter(pk=cur.pk).update(running_since=None)
