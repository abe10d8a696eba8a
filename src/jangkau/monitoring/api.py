"""Monitoring API (mounted at /api/monitoring): the agent protocol and public reads.

Agent endpoints authenticate with ``Authorization: Bearer <token>`` only (never the session,
so no CSRF); their bodies are parsed by hand because the protocol answers a malformed batch
with 400, not the API's 422. Refused tokens are counted per client address and answered with
429 beyond ``JANGKAU_AGENT_FAILED_AUTH_PER_MINUTE``.
"""

from __future__ import annotations

import json
import logging

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from jangkau.core.api import DEFAULT_LIMIT, error_body, paginate
from jangkau.core.permissions import require
from jangkau.core.ratelimit import client_address, hit
from jangkau.monitoring import conf
from jangkau.monitoring.models import GateChange, GateState, Outage, ProbeTarget
from jangkau.monitoring.serializers import (
    gate_change_dict,
    gate_state_dict,
    outage_dict,
    target_dict,
)
from jangkau.monitoring.services.agents import authenticate
from jangkau.monitoring.services.ingest import MalformedBatch, ingest_batch, touch_agent
from jangkau.monitoring.services.stats import target_summary
from jangkau.monitoring.tasks import enqueue_cycle

log = logging.getLogger("jangkau.monitoring.api")

router = Router(tags=["monitoring"])

_RESULTS_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["results"],
                    "properties": {
                        "agent_version": {"type": "string"},
                        "backlog": {"type": "integer", "minimum": 0},
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["uuid", "probe_id", "ts", "ok"],
                                "properties": {
                                    "uuid": {"type": "string", "format": "uuid"},
                                    "probe_id": {"type": "integer"},
                                    "ts": {"type": "string", "format": "date-time"},
                                    "ok": {"type": "boolean"},
                                    "latency_ms": {"type": ["number", "null"]},
                                    "loss_pct": {"type": ["number", "null"]},
                                    "error": {"type": ["string", "null"]},
                                    "detail": {"type": "object"},
                                },
                            },
                        },
                    },
                }
            }
        },
    },
    "security": [{"AgentBearer": []}],
}


def _refused(request, code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status)


def _agent_or_refusal(request):
    """(agent, None) for a valid token, else (None, the 401/429 response)."""
    agent = authenticate(request)
    if agent is not None:
        return agent, None
    address = client_address(request)
    allowed, retry_after = hit(f"agent-auth:{address}", conf.agent_failed_auth_per_minute(), 60)
    log.warning("refused agent token from %s on %s", address, request.path)
    if not allowed:
        response = _refused(
            request, "rate_limited", f"Too many refused tokens; try again in {retry_after} s.", 429
        )
        response["Retry-After"] = str(retry_after)
        return None, response
    return None, _refused(request, "unauthenticated", "Unknown or revoked agent token.", 401)


@router.get(
    "/agent/probes",
    summary="The probe list of the calling agent (bearer token)",
    openapi_extra={"security": [{"AgentBearer": []}]},
)
@csrf_exempt
def agent_probes(request):
    agent, refusal = _agent_or_refusal(request)
    if refusal is not None:
        return refusal
    touch_agent(agent, address=client_address(request))
    targets = agent.targets.filter(enabled=True).order_by("pk")
    return {
        "agent": agent.name,
        "interval_default_s": conf.default_interval_s(),
        "probes": [t.protocol_dict() for t in targets],
    }


@router.post(
    "/agent/results",
    summary="Upload a batch of results (bearer token); per-uuid reply",
    openapi_extra=_RESULTS_BODY,
)
@csrf_exempt
def agent_results(request):
    agent, refusal = _agent_or_refusal(request)
    if refusal is not None:
        return refusal
    try:
        payload = json.loads(request.body)
    except RequestDataTooBig:
        log.warning("agent %s: upload too large", agent.name)
        return _refused(request, "malformed_batch", "The upload is too large.", 400)
    except (ValueError, UnicodeDecodeError) as exc:
        log.warning("agent %s: upload is not JSON: %s", agent.name, exc)
        return _refused(request, "malformed_batch", f"The body is not JSON: {exc}", 400)
    try:
        reply = ingest_batch(agent, payload, address=client_address(request))
    except MalformedBatch as exc:
        log.warning("agent %s: malformed batch refused: %s", agent.name, exc)
        return _refused(request, "malformed_batch", str(exc), 400)
    return reply.as_dict()


# -- public reads ----------------------------------------------------------------------------


@router.get("/targets", summary="Probe targets (without addresses) with village and kecamatan")
def list_targets(
    request,
    village: str | None = None,
    kecamatan: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = ProbeTarget.objects.select_related("village__district").order_by("pk")
    if village:
        qs = qs.filter(village__code=village)
    if kecamatan:
        qs = qs.filter(village__district__code=kecamatan)
    return paginate(request, qs, limit, offset, target_dict)


@router.get("/targets/{target_id}/stats", summary="Availability, latency, loss, SLA, MTBF/MTTR")
def get_target_stats(request, target_id: int):
    target = ProbeTarget.objects.select_related("village__district").filter(pk=target_id).first()
    if target is None:
        raise Http404(f"target {target_id} not found")
    return {"target": target_dict(target), **target_summary(target).as_json()}


@router.get("/outages", summary="Outages (filter by target, village, kecamatan, ongoing)")
def list_outages(
    request,
    target: int | None = None,
    village: str | None = None,
    kecamatan: str | None = None,
    ongoing: bool | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = Outage.objects.select_related("target__village__district").order_by("-start", "pk")
    if target is not None:
        qs = qs.filter(target_id=target)
    if village:
        qs = qs.filter(target__village__code=village)
    if kecamatan:
        qs = qs.filter(target__village__district__code=kecamatan)
    if ongoing is not None:
        qs = qs.filter(end__isnull=ongoing)
    return paginate(request, qs, limit, offset, outage_dict)


@router.get("/gate-states", summary="Current stability gate (siap / belum siap)")
def list_gate_states(
    request,
    level: str | None = None,
    kecamatan: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = GateState.objects.select_related("village__district", "district").order_by(
        "level", "village__code", "district__code"
    )
    if level:
        if level not in ("village", "kecamatan"):
            raise HttpError(422, "level must be 'village' or 'kecamatan'")
        qs = qs.filter(level=level)
    if kecamatan:
        qs = qs.filter(village__district__code=kecamatan) | qs.filter(district__code=kecamatan)
    return paginate(request, qs, limit, offset, gate_state_dict)


@router.get("/gate-changes", summary="History of gate changes")
def list_gate_changes(
    request,
    village: str | None = None,
    kecamatan: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    qs = GateChange.objects.select_related("village__district", "district").order_by("-at", "pk")
    if village:
        qs = qs.filter(village__code=village)
    if kecamatan:
        qs = qs.filter(district__code=kecamatan)
    return paginate(request, qs, limit, offset, gate_change_dict)


@router.post(
    "/rollup",
    auth=django_auth,
    response={202: dict},
    summary="Run the rollup, outage, gate and alert cycle in the background (admin, planner)",
)
def run_rollup(request):
    require(request.user, "monitoring.rollup")
    progress = enqueue_cycle(label="Monitoring rollup (API)")
    return Status(202, {"progress_id": progress.pk, "state": progress.state})
