"""Write measurement rows and their evidence rows by natural key, counting what changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from jangkau.core.importing import WriteStats
from jangkau.core.importing.bulk import bulk_upsert
from jangkau.evidence.models import Evidence
from jangkau.regions.models import Village

#: the operators a row may name (blank = not known).
OPERATOR_CODES = ("telkomsel", "indosat", "xl", "smartfren", "other")

#: evidence note for a speed test that is not on the mobile network.
NOT_MOBILE_NOTE = (
    "Not counted for the village status: a test over Wi-Fi, a fixed line or satellite shows "
    "that one place has internet, not that the mobile signal reaches the village."
)


@dataclass
class Prepared:
    """One row ready to write: the record's field values and its evidence's field values."""

    key: str
    values: dict[str, Any]
    evidence: dict[str, Any]


def local_date(moment: datetime):
    """The date of an aware moment in the regency's time zone (``JANGKAU_TIME_ZONE``, WITA)."""
    return moment.astimezone(timezone.get_default_timezone()).date()


def write_prepared(model, items: list[Prepared]) -> WriteStats:
    """Create or update ``model`` rows and their evidence rows by key.

    A row counts as ``created`` when its record is new, ``updated`` when its record or its
    evidence changed, ``unchanged`` otherwise. The villages whose evidence was created or
    changed (both the old and the new village when a record moved) are returned for the status
    recomputation.
    """
    stats = WriteStats()
    if not items:
        return stats
    prefix = model.EVIDENCE_PREFIX
    records = bulk_upsert(model, {item.key: item.values for item in items}, touch="updated")
    evidence_by_key = {f"{prefix}:{item.key}": item.evidence for item in items}
    evidence = bulk_upsert(Evidence, evidence_by_key)
    codes = dict(Village.objects.values_list("id", "code"))
    for key in evidence.created + evidence.updated:
        stats.villages.add(codes[evidence_by_key[key]["village"].pk])
    for old in evidence.previous.values():
        stats.villages.add(codes.get(old["village_id"], ""))
    created, updated = set(records.created), set(records.updated)
    evidence_changed = set(evidence.created) | set(evidence.updated)
    for item in items:
        if item.key in created:
            stats.created += 1
        elif item.key in updated or f"{prefix}:{item.key}" in evidence_changed:
            stats.updated += 1
        else:
            stats.unchanged += 1
    stats.villages.discard("")
    return stats


def evidence_values(
    *,
    village,
    kind: str,
    status: str,
    as_of,
    source: str,
    source_url: str = "",
    quality: str = "measured",
    operator: str = "",
    detail: dict | None = None,
    note: str = "",
    as_of_label: str = "",
) -> dict[str, Any]:
    """The field values of one evidence row."""
    return {
        "village": village,
        "kind": kind,
        "operator": operator or "",
        "status": status,
        "as_of": as_of,
        "as_of_label": as_of_label,
        "source": source[:300],
        "source_url": source_url or "",
        "quality": quality,
        "detail": detail or {},
        "note": note,
    }


def iso(moment: datetime | None) -> str | None:
    """An aware moment as ISO 8601 in UTC (for evidence detail)."""
    return moment.astimezone(UTC).isoformat() if moment else None
