"""API routes of this app (mounted at /api/reports/ by jangkau.urls).

Filing is public and goes through the same form, limits and honeypot as the web page; reading
a report by its reference shows its state only. Listing and deciding need a moderator.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.security import django_auth

from jangkau.core.api import DEFAULT_LIMIT, error_body, paginate
from jangkau.core.permissions import require
from jangkau.core.ratelimit import client_address
from jangkau.evidence.choices import OperatorChoices
from jangkau.reports import services
from jangkau.reports.choices import (
    ChannelChoices,
    DecisionChoices,
    LocationMethodChoices,
    ReportStateChoices,
    ServiceAnswerChoices,
)
from jangkau.reports.forms import (
    CitizenReportForm,
    DecisionForm,
    LocationForm,
    VillageCorrectionForm,
)
from jangkau.reports.guards import limit_api_body
from jangkau.reports.limits import MAX_LATENCY_MS, MAX_MBPS, MAX_NOTE_CHARS, MAX_REASON_CHARS
from jangkau.reports.models import CitizenReport

router = Router(tags=["reports"])


class ReportIn(Schema):
    """A citizen report. ``website`` is a honeypot: leave it out."""

    latitude: float = Field(..., ge=-90, le=90)
    longitude: float = Field(..., ge=-180, le=180)
    location_method: LocationMethodChoices = LocationMethodChoices.TYPED
    operator: OperatorChoices = OperatorChoices.ANY
    answer: ServiceAnswerChoices
    download_mbps: float | None = Field(None, ge=0, le=MAX_MBPS)
    upload_mbps: float | None = Field(None, ge=0, le=MAX_MBPS)
    latency_ms: float | None = Field(None, ge=0, le=MAX_LATENCY_MS)
    note: str = Field("", max_length=MAX_NOTE_CHARS)
    website: str = Field("", max_length=200, description="honeypot: people leave it empty")


class DecisionIn(Schema):
    decision: DecisionChoices
    reason: str = Field("", max_length=MAX_REASON_CHARS)


class VillageCorrectionIn(Schema):
    """The code of the village the report belongs to, and why."""

    village: str = Field(..., max_length=20, description="official code, e.g. 64.08.11.2001")
    reason: str = Field(..., min_length=1, max_length=MAX_REASON_CHARS)


def _village(village) -> dict:
    return {"code": village.code, "name": village.name, "kecamatan": village.district.name}


def _public(report: CitizenReport) -> dict:
    """What anyone holding the reference may see: no location, note or sender."""
    decided = report.decisions.only("decided_at").first()
    return {
        "reference": report.reference,
        "state": report.state,
        "village": _village(report.village),
        "observed_on": report.observed_on.isoformat(),
        "decided_at": decided.decided_at.isoformat() if decided else None,
    }


def _full(report: CitizenReport) -> dict:
    """What a moderator sees."""
    return {
        "reference": report.reference,
        "state": report.state,
        "village": _village(report.village),
        "latitude": report.latitude,
        "longitude": report.longitude,
        "location_method": report.location_method,
        "operator": report.operator,
        "answer": report.answer,
        "status_if_approved": report.answer_status,
        "download_mbps": report.download_mbps,
        "upload_mbps": report.upload_mbps,
        "latency_ms": report.latency_ms,
        "note": report.note,
        "observed_on": report.observed_on.isoformat(),
        "submitted_at": report.submitted_at.isoformat(),
        "channel": report.channel,
        "sender": report.sender,
    }


def _form_errors(form) -> list[dict]:
    """Form errors named like the API's own validation errors (``payload.<field>``)."""
    return [
        {"field": "payload" if field == "__all__" else f"payload.{field}", "message": str(message)}
        for field, messages in form.errors.items()
        for message in messages
    ]


def _invalid(form) -> JsonResponse:
    return JsonResponse(error_body("invalid", "Invalid request.", _form_errors(form)), status=422)


@router.post(
    "/",
    response={201: dict},
    summary="File a citizen report (public; rate limited per client; answer with the reference)",
)
@decorate_view(limit_api_body())
def file_report(request, payload: ReportIn):
    data = {k: ("" if v is None else v) for k, v in payload.dict().items()}
    form = CitizenReportForm(data=data)
    if not form.is_valid():
        return _invalid(form)
    allowed, retry_after = services.allow_submission(request)
    if not allowed:
        response = JsonResponse(
            error_body("rate_limited", f"Too many reports; try again in {retry_after} s.", []),
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        return response
    filed = services.file_report(form, address=client_address(request), channel=ChannelChoices.API)
    return Status(
        201,
        {
            "reference": filed.reference,
            "state": ReportStateChoices.PENDING.value,
            "village": _village(form.village),
            "check_url": reverse("reports:check", args=[filed.reference]),
        },
    )


@router.get("/locate", summary="The village of the regency at a point (public)")
def locate(request, latitude: float, longitude: float):
    form = LocationForm(data={"latitude": latitude, "longitude": longitude})
    if not form.is_valid():
        return _invalid(form)
    return _village(form.village)


@router.get(
    "/",
    auth=django_auth,
    summary="Reports the user may moderate (admin, planner; village operator: own villages)",
)
def list_reports(
    request,
    state: ReportStateChoices = ReportStateChoices.PENDING,
    village: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    if not services.may_moderate_any(request.user):
        raise PermissionDenied("not allowed: reports.moderate")
    qs = services.reports_for(request.user).filter(state=state).order_by("submitted_at", "pk")
    if village:
        qs = qs.filter(village__code=village)
    return paginate(request, qs, limit, offset, _full)


@router.get("/{reference}", summary="The state of one report, by its reference (public)")
def get_report(request, reference: str):
    report = services.find_report(reference)
    if report is None:
        raise Http404("No report with this reference.")
    return _public(report)


def _report_to_moderate(request, reference: str) -> CitizenReport:
    """The report, if ``request.user`` may moderate its village (else 404 or 403)."""
    report = get_object_or_404(
        CitizenReport.objects.select_related("village__district"),
        reference=services.normalise_reference(reference),
    )
    require(request.user, services.MODERATE, village_code=report.village.code)
    return report


@router.post(
    "/{reference}/decisions",
    auth=django_auth,
    response={201: dict},
    summary="Approve or reject a report (admin, planner; village operator: own villages)",
)
def decide(request, reference: str, payload: DecisionIn):
    report = _report_to_moderate(request, reference)
    form = DecisionForm(data=payload.dict())
    if not form.is_valid():
        return _invalid(form)
    try:
        decided = services.decide(
            report, request.user, form.cleaned_data["decision"], form.cleaned_data["reason"]
        )
    except services.DecisionRefused as exc:
        return JsonResponse(error_body("conflict", str(exc)), status=409)
    body = _full(report)
    body["decision"] = {
        "previous_state": decided.decision.previous_state,
        "state": decided.decision.state,
        "moderator": request.user.get_username(),
        "reason": decided.decision.reason,
        "decided_at": decided.decision.decided_at.isoformat(),
    }
    body["recompute_progress_id"] = decided.progress.pk if decided.progress else None
    return Status(201, body)


@router.post(
    "/{reference}/village",
    auth=django_auth,
    response={201: dict},
    summary="Move a report to another village (moderators of both villages)",
)
def correct_village(request, reference: str, payload: VillageCorrectionIn):
    report = _report_to_moderate(request, reference)
    form = VillageCorrectionForm(data=payload.dict())
    if not form.is_valid():
        return _invalid(form)
    try:
        corrected = services.correct_village(
            report, request.user, form.cleaned_data["village"], form.cleaned_data["reason"]
        )
    except services.CorrectionRefused as exc:
        return JsonResponse(error_body("conflict", str(exc)), status=409)
    row = corrected.correction
    body = _full(report)
    body["correction"] = {
        "previous_village": _village(row.previous_village),
        "village": _village(row.village),
        "moderator": request.user.get_username(),
        "reason": row.reason,
        "distance_m": row.distance_m,
        "corrected_at": row.corrected_at.isoformat(),
    }
    body["recompute_progress_id"] = corrected.progress.pk if corrected.progress else None
    return Status(201, body)
