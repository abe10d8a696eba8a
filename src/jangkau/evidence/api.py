"""Read API for evidence and status history."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from jangkau.core.api import DEFAULT_LIMIT, paginate
from jangkau.core.choices import QualityChoices
from jangkau.core.permissions import require
from jangkau.evidence.choices import (
    ConnectivityStatusChoices,
    EvidenceKindChoices,
    OperatorChoices,
)
from jangkau.evidence.models import Evidence, VillageStatusChange
from jangkau.evidence.tasks import enqueue_recompute
from jangkau.regions.models import Village

router = Router(tags=["evidence"])


def evidence_dict(e: Evidence) -> dict:
    return {
        "key": e.key,
        "village": e.village.code,
        "kind": e.kind,
        "operator": e.operator,
        "status": e.status,
        "as_of": e.as_of.isoformat() if e.as_of else None,
        "as_of_label": e.as_of_label,
        "source": e.source,
        "source_url": e.source_url,
        "quality": e.quality,
        "detail": e.detail,
        "note": e.note,
    }


@router.get("/evidence", summary="List evidence (filter by village, kind)")
def list_evidence(
    request,
    village: str | None = None,
    kind: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = Evidence.objects.select_related("village").order_by("village__code", "-as_of", "key")
    if village:
        qs = qs.filter(village__code=village)
    if kind:
        qs = qs.filter(kind=kind)
    return paginate(request, qs, limit, offset, evidence_dict)


@router.get("/status-changes", summary="History of village status changes")
def list_status_changes(
    request, village: str | None = None, limit: int = DEFAULT_LIMIT, offset: int = 0
):
    qs = VillageStatusChange.objects.select_related("village").order_by("-changed_at", "pk")
    if village:
        qs = qs.filter(village__code=village)
    return paginate(
        request,
        qs,
        limit,
        offset,
        lambda c: {
            "village": c.village.code,
            "operator": c.operator,
            "previous_status": c.previous_status,
            "status": c.status,
            "as_of": c.as_of.isoformat() if c.as_of else None,
            "confidence": c.confidence,
            "needs_review": c.needs_review,
            "decided_by": c.decided_by,
            "changed_at": c.changed_at.isoformat(),
        },
    )


class EvidenceIn(Schema):
    """A piece of evidence about one village, already expressed as a status."""

    key: str = Field(
        ...,
        min_length=3,
        max_length=200,
        description="natural key of the source row; re-sending it changes nothing",
    )
    village: str = Field(..., description="Kemendagri village code")
    kind: EvidenceKindChoices
    status: ConnectivityStatusChoices
    operator: OperatorChoices = OperatorChoices.ANY
    as_of: date
    source: str = Field(..., min_length=3, max_length=300)
    source_url: str = Field("", max_length=2000)
    quality: QualityChoices = QualityChoices.MEASURED
    note: str = Field("", max_length=2000)


@router.post(
    "/evidence",
    auth=django_auth,
    response={201: dict, 200: dict},
    summary="Record evidence (admin, planner, network operator; village operator for "
    "their own villages); the village status is recomputed in the background",
)
def add_evidence(request, payload: EvidenceIn):
    require(request.user, "evidence.add", village_code=payload.village)
    village = Village.objects.filter(code=payload.village).first()
    if village is None:
        raise HttpError(422, f"village: code {payload.village!r} does not exist")
    if payload.as_of > timezone.localdate():
        raise HttpError(422, f"as_of: {payload.as_of} is in the future")
    if payload.kind == EvidenceKindChoices.CITIZEN_REPORT:
        raise HttpError(
            422, "kind: citizen reports go through the public report form and moderation"
        )
    existing = Evidence.objects.filter(key=payload.key).first()
    if existing is not None:
        if existing.village_id != village.pk:
            raise HttpError(409, f"key {payload.key!r} already names evidence for another village")
        return Status(200, evidence_dict(existing))
    e = Evidence.objects.create(
        key=payload.key,
        village=village,
        kind=payload.kind,
        status=payload.status,
        operator=payload.operator,
        as_of=payload.as_of,
        source=payload.source,
        source_url=payload.source_url,
        quality=payload.quality,
        note=payload.note,
    )
    progress = enqueue_recompute([village.code], label=f"Status of {village.code}")
    body = evidence_dict(e)
    body["recompute_progress_id"] = progress.pk
    return Status(201, body)


@router.post(
    "/status/recompute",
    auth=django_auth,
    response={202: dict},
    summary="Recompute every village's status in the background (admin, planner)",
)
def recompute(request):
    require(request.user, "evidence.recompute")
    progress = enqueue_recompute(None, label="Recompute all village statuses")
    return Status(202, {"progress_id": progress.pk, "state": progress.state})
