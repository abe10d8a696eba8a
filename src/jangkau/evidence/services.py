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


#: villages whose evidence is read at once by :func:`recompute_statuses`: bounds the memory of a
#: whole-regency recompute by the evidence of this many villages, not of all of them.
RECOMPUTE_CHUNK = 100

#: the evidence fields the status engine reads (``detail`` for the weight of an aggregate).
_FUSED_FIELDS = ("village_id", "key", "kind", "as_of", "operator", "status", "source", "detail")


def recompute_statuses(village_codes=None, as_of: dt.date | None = None, progress=None) -> int:
    """Recompute the status of the given villages (all if None); return the number changed.

    Villages are taken :data:`RECOMPUTE_CHUNK` at a time, in code order; each chunk's evidence
    is read in one query of the fields the engine needs, and each village is written in its own
    transaction.
    """
    as_of = as_of or timezone.localdate()
    villages = Village.objects.order_by("code")
    if village_codes is not None:
        villages = villages.filter(code__in=list(village_codes))
    villages = list(villages)
    changed = 0
    now = timezone.now()
    total = len(villages)
    for start in range(0, total, RECOMPUTE_CHUNK):
        chunk = villages[start : start + RECOMPUTE_CHUNK]
        evidence_by_village: dict[int, list[Evidence]] = {}
        rows = (
            Evidence.objects.filter(village__in=chunk)
            .exclude(status="unknown")
            .only(*_FUSED_FIELDS)
            .order_by("village_id", "pk")
        )
        for e in rows.iterator(chunk_size=2000):
            evidence_by_village.setdefault(e.village_id, []).append(e)
        for index, village in enumerate(chunk, start=start + 1):
            items = [_core_evidence(e) for e in evidence_by_village.pop(village.pk, [])]
            changed += _store_village(village, status_core.fuse(items, as_of=as_of), now)
            if progress is not None:
                progress(index, total)
    return changed


def _store_village(village, result, now) -> int:
    """Store one village's fused result (overall and per operator); return the changes made."""
    outcomes = {"": result.overall, **{op: st for op, st in result.by_operator.items() if op}}
    changed = 0
    with transaction.atomic():
        current = {s.operator: s for s in VillageStatus.objects.filter(village=village)}
        for operator, outcome in outcomes.items():
            changed += _store(village, operator, outcome, current.get(operator), now)
        for operator, stale in current.items():
            if operator not in outcomes:
                stale.delete()
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
