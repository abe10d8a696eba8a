"""The rollup step of the monitoring cycle: raw results -> 5-minute, hourly, daily, weekly rows.

1. **Recompute.** Results not yet counted (``rolled_up=False``) with ``ts`` on or after the raw
   horizon mark their 5-minute buckets as stale. Those buckets are recomputed from *all* raw
   results in them with :func:`jangkau.cores.probes.rollup`, then the hours, days and weeks
   containing them are recomputed from the 5-minute, hourly and daily rows with
   :func:`~jangkau.cores.probes.coarsen`; the rows are replaced (delete + insert) and the
   results read are flagged ``rolled_up`` in the same transaction. Recomputing a bucket
   always gives the same row.
2. **Late results.** A result older than the raw horizon (an agent that was offline for
   weeks) cannot be recomputed with its bucket's purged neighbours; its contribution is added
   to the stored rows (:func:`~jangkau.cores.probes.concat_rollups`) and the result is deleted
   in the same transaction, so it is counted exactly once.
3. **Retention.** When the raw horizon moves (once a day: ``JANGKAU_MONITORING_RAW_DAYS``
   before now, cut at a WITA midnight), the rolled-up raw results before it are deleted;
   5-minute and hourly rows older than their retention too. Daily and weekly rows are kept
   forever.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db import transaction
from django.db.models import Max, Min

from jangkau.cores.probes import DAY_S, FIVE_MINUTES_S, HOUR_S, coarsen, concat_rollups, rollup
from jangkau.monitoring import conf
from jangkau.monitoring.models import ProbeResult, ProbeTarget, ResultRollup, RollupCursor
from jangkau.monitoring.services.rollup_store import (
    OFFSET_S,
    SPEC,
    WEEK_S,
    ceil_to,
    empty_rollup,
    epoch,
    floor_to,
    from_epoch,
    load_raw,
    load_rollup,
    replace_rows,
    take,
)

#: targets whose new results all lie in the last few hours are recomputed together.
RECENT_S = 6 * HOUR_S
_ID_CHUNK = 900


@dataclass
class RollupOutcome:
    """What one rollup step did.

    ``pending`` maps each target whose new results were counted to the (earliest, latest)
    ``ts`` of those results (epoch s); outage detection starts from there.
    """

    pending: dict[int, tuple[float, float]] = field(default_factory=dict)
    rows: dict[int, int] = field(
        default_factory=lambda: {FIVE_MINUTES_S: 0, HOUR_S: 0, DAY_S: 0, WEEK_S: 0}
    )
    counted: int = 0
    late_merged: int = 0
    purged: int = 0
    pruned: int = 0

    def as_json(self) -> dict:
        return {
            "targets": len(self.pending),
            "counted": self.counted,
            "rows_5m": self.rows[FIVE_MINUTES_S],
            "rows_hour": self.rows[HOUR_S],
            "rows_day": self.rows[DAY_S],
            "rows_week": self.rows[WEEK_S],
            "late_merged": self.late_merged,
            "raw_purged": self.purged,
            "rollups_pruned": self.pruned,
        }


def cursor() -> RollupCursor:
    """The rollup task's bookkeeping row (created on first use)."""
    obj, _ = RollupCursor.objects.get_or_create(name="default")
    return obj


def _rollup_raw(raw: dict, width_s: int):
    if not raw["ts"].size:
        return empty_rollup(width_s)
    return rollup(
        raw["ts"],
        raw["ok"],
        raw["latency_ms"],
        width_s=width_s,
        target=raw["target"],
        offset_s=OFFSET_S,
        sent=raw["sent"],
        lost=raw["lost"],
        spec=SPEC,
    )


def _mark_rolled(ids: np.ndarray) -> None:
    for i in range(0, ids.size, _ID_CHUNK):
        chunk = [int(x) for x in ids[i : i + _ID_CHUNK]]
        ProbeResult.objects.filter(pk__in=chunk).update(rolled_up=True)


def _recompute(group: list[int], lo: float, hi: float, out: RollupOutcome) -> None:
    """Recompute the buckets of ``group`` covering ``[lo, hi]`` at every width."""
    s5, e5 = floor_to(lo, FIVE_MINUTES_S), floor_to(hi, FIVE_MINUTES_S) + FIVE_MINUTES_S
    s_h, e_h = floor_to(s5, HOUR_S), ceil_to(e5, HOUR_S)
    s_d, e_d = floor_to(s_h, DAY_S), ceil_to(e_h, DAY_S)
    with transaction.atomic():
        raw = load_raw(group, from_epoch(s5), from_epoch(e5))
        out.rows[FIVE_MINUTES_S] += replace_rows(
            FIVE_MINUTES_S, group, s5, e5, _rollup_raw(raw, FIVE_MINUTES_S)
        )
        five = load_rollup(FIVE_MINUTES_S, s_h, e_h, group)
        hours = coarsen(five, HOUR_S) if len(five) else empty_rollup(HOUR_S)
        out.rows[HOUR_S] += replace_rows(HOUR_S, group, s_h, e_h, hours)
        hourly = load_rollup(HOUR_S, s_d, e_d, group)
        days = coarsen(hourly, DAY_S) if len(hourly) else empty_rollup(DAY_S)
        out.rows[DAY_S] += replace_rows(DAY_S, group, s_d, e_d, days)
        s_w, e_w = floor_to(s_d, WEEK_S), ceil_to(e_d, WEEK_S)
        daily = load_rollup(DAY_S, s_w, e_w, group)
        weeks = coarsen(daily, WEEK_S) if len(daily) else empty_rollup(WEEK_S)
        out.rows[WEEK_S] += replace_rows(WEEK_S, group, s_w, e_w, weeks)
        new_ids = raw["id"][~raw["rolled_up"]]
        _mark_rolled(new_ids)
        out.counted += int(new_ids.size)


def _merge_late(horizon: datetime, now: datetime, out: RollupOutcome) -> None:
    """Fold results older than the raw horizon into the stored rows, then delete them."""
    now_s = epoch(now)
    keep = {
        FIVE_MINUTES_S: floor_to(now_s - conf.rollup_5m_days() * DAY_S, DAY_S),
        HOUR_S: floor_to(now_s - conf.rollup_hour_days() * DAY_S, DAY_S),
        DAY_S: None,
        WEEK_S: None,
    }
    with transaction.atomic():
        late = load_raw(None, None, horizon, rolled_up=False)
        if not late["ts"].size:
            return
        for width, cutoff in keep.items():
            new = _rollup_raw(late, width)
            if cutoff is not None:
                new = take(new, new.bucket_start >= cutoff)
            if not len(new):
                continue
            targets = [int(t) for t in np.unique(new.target)]
            lo, hi = int(new.bucket_start.min()), int(new.bucket_start.max()) + width
            existing = load_rollup(width, lo, hi, targets)
            merged = concat_rollups([existing, new]) if len(existing) else new
            out.rows[width] += replace_rows(width, targets, lo, hi, merged)
        ids = [int(x) for x in late["id"]]
        for i in range(0, len(ids), _ID_CHUNK):
            ProbeResult.objects.filter(pk__in=ids[i : i + _ID_CHUNK]).delete()
        out.late_merged += len(ids)


def _purge(cur: RollupCursor, now: datetime, out: RollupOutcome) -> None:
    """Delete rolled-up raw results before the new horizon (when it has moved: once a day),
    target by target through the ``(target, ts)`` index; prune old 5-minute and hourly rows."""
    now_s = epoch(now)
    horizon = from_epoch(floor_to(now_s - conf.raw_days() * DAY_S, DAY_S))
    if cur.purged_before is None or horizon > cur.purged_before:
        for target_id in ProbeTarget.objects.order_by("pk").values_list("pk", flat=True):
            out.purged += ProbeResult.objects.filter(
                target_id=target_id, ts__lt=horizon, rolled_up=True
            ).delete()[0]
        cur.purged_before = horizon
        cur.save(update_fields=["purged_before"])
    for width, days in ((FIVE_MINUTES_S, conf.rollup_5m_days()), (HOUR_S, conf.rollup_hour_days())):
        cutoff = floor_to(now_s - days * DAY_S, DAY_S)
        out.pruned += ResultRollup.objects.filter(width_s=width, bucket_start__lt=cutoff).delete()[
            0
        ]


def roll_up(now: datetime, cur: RollupCursor | None = None) -> RollupOutcome:
    """Run the three stages above once; returns what was done.

    Parameters
    ----------
    now : datetime
        The time of the run (retention cut-offs are computed from it).
    cur : RollupCursor, optional
        The bookkeeping row, when the caller already holds it.
    """
    cur = cur or cursor()
    out = RollupOutcome()
    horizon = cur.purged_before
    pending = ProbeResult.objects.filter(rolled_up=False)
    if horizon is not None:
        pending = pending.filter(ts__gte=horizon)
    spans = pending.order_by().values("target_id").annotate(lo=Min("ts"), hi=Max("ts"))
    out.pending = {s["target_id"]: (epoch(s["lo"]), epoch(s["hi"])) for s in spans}
    now_s = epoch(now)
    recent = sorted(t for t, (lo, _hi) in out.pending.items() if lo >= now_s - RECENT_S)
    in_recent = set(recent)
    groups = [recent] if recent else []
    groups += [[t] for t in sorted(out.pending) if t not in in_recent]
    for group in groups:
        lo = min(out.pending[t][0] for t in group)
        hi = max(out.pending[t][1] for t in group)
        _recompute(group, lo, hi, out)
    if horizon is not None:
        _merge_late(horizon, now, out)
    _purge(cur, now, out)
    return out
