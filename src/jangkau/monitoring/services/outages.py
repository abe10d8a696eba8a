"""Outage rows from raw results with the core's rule (:func:`jangkau.cores.probes.detect_outages`).

For each target with newly counted results, the detector is re-run over a window that starts
in a known state, and the stored outages in that window are made equal to what it finds
(matched by start time, so a row keeps its identity while it is ongoing and when it ends):

* the window starts at the earliest new result, moved back to the start of any stored outage
  that overlaps it or ends within the merge gap before it (repeatedly), and then back to the
  last success before that point, where the target was certainly up and no failure run was
  in progress;
* raw results older than the raw horizon are purged; an outage that began before the horizon
  and was still open at it is carried into the window by prefixing N synthetic failures at its
  stored start, so the detector resumes it "down" and keeps its start. An outage that ended
  before the horizon is final (it is not merged with one that starts after the horizon).

Creating an ongoing outage raises ``outage_started``; an outage getting its end (or found
already ended, e.g. in a backlog uploaded after the uplink came back) raises
``outage_recovered``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db import transaction
from django.db.models import Max, Q

from jangkau.cores.probes import detect_outages, prepare_series
from jangkau.monitoring import conf
from jangkau.monitoring.choices import AlertEventChoices
from jangkau.monitoring.models import Outage, ProbeResult
from jangkau.monitoring.services.rollup_store import epoch, from_epoch, load_raw


@dataclass(frozen=True)
class OutageEvent:
    """An outage started or was restored."""

    event: str
    outage: Outage


def _window_start(target_id: int, earliest: float, h: float, gap: float):
    """(window start S or None for "from the first result", the outage to carry or None)."""
    stored = Outage.objects.filter(target_id=target_id)
    if math.isfinite(h):
        stored = stored.filter(Q(end__isnull=True) | Q(end__gte=from_epoch(h - gap)))
    a = earliest
    for o in stored.order_by("-start"):
        o_end = math.inf if o.end is None else epoch(o.end)
        if o_end < a - gap:
            break
        a = min(a, epoch(o.start))
    if a < h:
        carry = (
            Outage.objects.filter(target_id=target_id, start__lt=from_epoch(h))
            .filter(Q(end__isnull=True) | Q(end__gte=from_epoch(h)))
            .order_by("-start")
            .first()
        )
        return h, carry
    last_ok = ProbeResult.objects.filter(target_id=target_id, ok=True, ts__lt=from_epoch(a))
    if math.isfinite(h):
        last_ok = last_ok.filter(ts__gte=from_epoch(h))
    found = last_ok.aggregate(at=Max("ts"))["at"]
    if found is not None:
        return epoch(found), None
    return (h if math.isfinite(h) else None), None


def _reconcile_target(
    target_id: int, earliest: float, now: datetime, h: float
) -> list[OutageEvent]:
    n_fail, m_success, gap = conf.outage_rule()
    start, carry = _window_start(target_id, earliest, h, gap)
    raw = load_raw([target_id], None if start is None else from_epoch(start), None)
    ts, ok, ids = raw["ts"], raw["ok"], raw["id"]
    if carry is not None:
        c = epoch(carry.start)
        ts = np.concatenate((c + 1e-3 * np.arange(n_fail), ts))
        ok = np.concatenate((np.zeros(n_fail, bool), ok))
        ids = np.concatenate((-1 - np.arange(n_fail), ids))
    series = prepare_series(ts, ok, ids=ids)
    found = detect_outages(
        series, n_fail=n_fail, m_success=m_success, merge_gap_s=gap, as_of=epoch(now)
    )
    window_from = (
        carry.start if carry is not None else (None if start is None else from_epoch(start))
    )
    events: list[OutageEvent] = []
    with transaction.atomic():
        existing_qs = Outage.objects.select_for_update().filter(target_id=target_id)
        if window_from is not None:
            existing_qs = existing_qs.filter(start__gte=window_from)
        existing = {o.start: o for o in existing_qs}
        for d in found:
            begin = (
                carry.start
                if carry is not None and d.start == epoch(carry.start)
                else (from_epoch(d.start))
            )
            end = None if d.end is None else from_epoch(d.end)
            row = existing.pop(begin, None)
            if row is None:
                row = Outage.objects.create(
                    target_id=target_id,
                    start=begin,
                    end=end,
                    duration_s=d.duration_s,
                    detected_at=now,
                    updated_at=now,
                )
                kind = (
                    AlertEventChoices.OUTAGE_STARTED
                    if end is None
                    else AlertEventChoices.OUTAGE_RECOVERED
                )
                events.append(OutageEvent(kind, row))
                continue
            was_open = row.end is None
            if row.end != end or row.duration_s != d.duration_s:
                row.end, row.duration_s, row.updated_at = end, d.duration_s, now
                row.save(update_fields=["end", "duration_s", "updated_at"])
            if was_open and end is not None:
                events.append(OutageEvent(AlertEventChoices.OUTAGE_RECOVERED, row))
        for stale in existing.values():  # superseded by late results (e.g. a backlog)
            stale.delete()
    return events


def reconcile_outages(
    pending: dict[int, tuple[float, float]], now: datetime, horizon: datetime | None
) -> list[OutageEvent]:
    """Bring the stored outages of every target in ``pending`` up to date; return the events.

    Parameters
    ----------
    pending : dict
        ``{target_id: (earliest, latest) ts of its newly counted results}`` (epoch s).
    now : datetime
        Evaluation time; an ongoing outage's duration counts up to it.
    horizon : datetime or None
        Raw results before it have been purged.
    """
    h = -math.inf if horizon is None else epoch(horizon)
    events: list[OutageEvent] = []
    for target_id in sorted(pending):
        events += _reconcile_target(target_id, pending[target_id][0], now, h)
    return events
