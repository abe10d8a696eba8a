"""Turn stored evidence into stored statuses, through the pure status engine.

Only a change (status or review flag) writes a :class:`VillageStatusChange` row, so the history
is the list of transitions.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jangkau.cores import status as status_core
from jangkau.evidence.models import Evidence, VillageStatus, VillageStatusChange
from jangkau.regions.models import Village


def _core_evidence(e: Evidence) -> status_core.Evidence:
    return status_core.Evidence(
        id=e.key,
        kind=e.kind,
        observed_on=e.as_of,
        operator=e.operator or None,
        status=e.status,
        source=e.source,
        weight=float(e.detail.get("count", 1)) if isinstance(e.detail, dict) else 1.0,
    )


def recompute_statuses(village_codes=None, as_of: dt.date | None = None, progress=None) -> int:
    """Recompute the status of the given villages (all if None); return the number changed."""
    as_of = as_of or timezone.localdate()
    villages = Village.objects.order_by("code")
    if village_codes is not None:
        villages = villages.filter(code__in=list(village_codes))
    villages = list(villages)
    evidence_by_village: dict[int, list[Evidence]] = {}
    for e in Evidence.objects.filter(village__in=villages):
        evidence_by_village.setdefault(e.village_id, []).append(e)
    changed = 0
    now = timezone.now()
    total = len(villages)
    for index, village in enumerate(villages, start=1):
        items = [
            _core_evidence(e)
            for e in evidence_by_village.get(village.pk, [])
            if e.status != "unknown"
        ]
        result = status_core.fuse(items, as_of=as_of)
        outcomes = {"": result.overall, **{op: st for op, st in result.by_operator.items() if op}}
        with transaction.atomic():
            current = {s.operator: s for s in VillageStatus.objects.filter(village=village)}
            for operator, outcome in outcomes.items():
                changed += _store(village, operator, outcome, current.get(operator), now)
            for operator, stale in current.items():
                if operator not in outcomes:
                    stale.delete()
        if progress is not None:
            progress(index, total)
    return changed


def _store(village, operator, outcome, existing, now) -> int:
    values = {
        "status": str(outcome.status.value),
        "as_of": outcome.as_of,
        "confidence": round(float(outcome.confidence), 4),
        "decided_by": list(outcome.decided_by),
        "needs_review": bool(outcome.needs_review),
        "review_reason": outcome.review_reason or "",
    }
    if existing is None:
        VillageStatus.objects.create(village=village, operator=operator, computed_at=now, **values)
        VillageStatusChange.objects.create(
            village=village,
            operator=operator,
            previous_status="",
            status=values["status"],
            as_of=outcome.as_of,
            confidence=values["confidence"],
            decided_by=values["decided_by"],
            needs_review=values["needs_review"],
            changed_at=now,
        )
        return 1
    moved = existing.status != values["status"] or existing.needs_review != values["needs_review"]
    if moved:
        VillageStatusChange.objects.create(
            village=village,
            operator=operator,
            previous_status=existing.status,
            status=values["status"],
            as_of=outcome.as_of,
            confidence=values["confidence"],
            decided_by=values["decided_by"],
            needs_review=values["needs_review"],
            changed_at=now,
        )
    if any(getattr(existing, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(existing, k, v)
        existing.computed_at = now
        existing.save()
    return int(moved)
