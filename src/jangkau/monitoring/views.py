"""Pages of the monitoring app, the gate GeoJSON layer and ``/metrics`` (thin; see services)."""

from __future__ import annotations

import hmac
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from jangkau.core.api import error_body
from jangkau.core.permissions import can, require
from jangkau.core.ratelimit import client_address, hit
from jangkau.monitoring import conf
from jangkau.monitoring.charts import availability_strip, line_chart
from jangkau.monitoring.choices import GATE_COLOURS, GateLevelChoices, GateStatusChoices
from jangkau.monitoring.models import Agent, GateChange, GateState, Outage, ProbeTarget
from jangkau.monitoring.services.agents import bearer_token
from jangkau.monitoring.services.metrics import CONTENT_TYPE, render_metrics
from jangkau.monitoring.services.stats import (
    CHART_PERIODS,
    chart_series,
    daily_bars,
    last_seen_by_target,
    recent_window,
    target_summary,
)
from jangkau.monitoring.stability import village_stability_context
from jangkau.regions.models import District, Village

PAGE_SIZE = 50


def _state(target: ProbeTarget, ongoing: set[int], last_seen: dict, recent: dict, now) -> str:
    """``down`` (ongoing outage), ``no_data`` (silent), ``degraded`` (over a warning), ``up``."""
    if target.pk in ongoing:
        return "down"
    seen = last_seen.get(target.pk)
    if seen is None or now - seen > timedelta(seconds=max(3 * target.interval_s, 900)):
        return "no_data"
    r = recent.get(target.pk) or {}
    if (r.get("p95_ms") or 0) > target.latency_warn_ms or (r.get("loss_pct") or 0) > (
        target.loss_warn_pct
    ):
        return "degraded"
    return "up"


STATE_LABELS = {
    "up": gettext_lazy("operational"),
    "degraded": gettext_lazy("degraded"),
    "down": gettext_lazy("outage"),
    "no_data": gettext_lazy("no recent data"),
}


@require_GET
def status_page(request):
    """Public status page: a 90-day availability strip per target, current state, outages."""
    now = timezone.now()
    kecamatan = request.GET.get("kecamatan") or ""
    targets = ProbeTarget.objects.filter(enabled=True).select_related("village__district")
    if kecamatan:
        targets = targets.filter(village__district__code=kecamatan)
    targets = targets.order_by("village__district__code", "village__code", "name", "pk")
    page = Paginator(targets, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    ids = [t.pk for t in items]
    bars = daily_bars(ids, now)
    recent = recent_window(items, now)
    ongoing = set(
        Outage.objects.filter(target_id__in=ids, end__isnull=True).values_list(
            "target_id", flat=True
        )
    )
    seen = last_seen_by_target(ids)
    rows = []
    for t in items:
        days = bars[t.pk]
        n = sum(d["count"] for d in days)
        ok = sum(d["count"] * (d["availability_pct"] or 0) / 100 for d in days)
        state = _state(t, ongoing, seen, recent, now)
        rows.append(
            {
                "target": t,
                "strip": availability_strip(
                    days, _("Daily availability of %(name)s") % {"name": t.name}
                ),
                "availability_90d": 100.0 * ok / n if n else None,
                "recent": recent.get(t.pk, {}),
                "state": state,
                "state_label": STATE_LABELS[state],
            }
        )
    all_enabled = ProbeTarget.objects.filter(enabled=True)
    return render(
        request,
        "monitoring/status.html",
        {
            "rows": rows,
            "page": page,
            "kecamatan": kecamatan,
            "districts": District.objects.order_by("name"),
            "n_targets": all_enabled.count(),
            "n_down": Outage.objects.filter(end__isnull=True, target__enabled=True)
            .values("target_id")
            .distinct()
            .count(),
            "recent_outages": Outage.objects.select_related("target__village").order_by("-start")[
                :10
            ],
            "now": now,
        },
    )


@require_GET
def target_detail(request, pk: int):
    """One target: statistics, charts, outages, monthly SLA, the 90-day strip."""
    target = get_object_or_404(ProbeTarget.objects.select_related("village__district"), pk=pk)
    now = timezone.now()
    period = request.GET.get("chart", "7d")
    if period not in CHART_PERIODS:
        period = "7d"
    series = chart_series(target, now, period)
    latency_chart = line_chart(
        [
            (_("p50 latency"), "#0b5cad", series["p50"]),
            (_("p95 latency"), "#c62828", series["p95"]),
        ],
        start=series["start"],
        end=series["end"],
        unit="ms",
        title=_("Latency of %(name)s") % {"name": target.name},
    )
    loss_values = [v for _t, v in series["loss"] if v is not None]
    loss_chart = line_chart(
        [(_("loss"), "#ef6c00", series["loss"])],
        start=series["start"],
        end=series["end"],
        unit="%",
        title=_("Loss of %(name)s") % {"name": target.name},
        y_max=100.0 if max(loss_values, default=0) > 10 else 10.0,
    )
    return render(
        request,
        "monitoring/target_detail.html",
        {
            "target": target,
            "summary": target_summary(target, now),
            "latency_chart": latency_chart,
            "loss_chart": loss_chart,
            "period": period,
            "periods": list(CHART_PERIODS),
            "strip": availability_strip(
                daily_bars([target.pk], now)[target.pk],
                _("Daily availability of %(name)s") % {"name": target.name},
            ),
            "outages": target.outages.order_by("-start")[:50],
            "show_address": can(request.user, "monitoring.agents.view"),
            "now": now,
        },
    )


@require_GET
def outage_list(request):
    """Outages with their durations, newest first (filter by kecamatan, village, ongoing)."""
    qs = Outage.objects.select_related("target__village__district").order_by("-start", "pk")
    kecamatan = request.GET.get("kecamatan") or ""
    village = request.GET.get("village") or ""
    ongoing = request.GET.get("ongoing") == "1"
    if kecamatan:
        qs = qs.filter(target__village__district__code=kecamatan)
    if village:
        qs = qs.filter(target__village__code=village)
    if ongoing:
        qs = qs.filter(end__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "monitoring/outage_list.html",
        {
            "page": page,
            "rows": [(o, o.duration_at(now)) for o in page.object_list],
            "districts": District.objects.order_by("name"),
            "kecamatan": kecamatan,
            "village": village,
            "ongoing": ongoing,
        },
    )


@require_GET
def readiness(request):
    """The stability gate: a map layer and the table of villages and kecamatan."""
    states = GateState.objects.select_related("village__district", "district")
    return render(
        request,
        "monitoring/readiness.html",
        {
            "kecamatan_states": states.filter(level=GateLevelChoices.KECAMATAN).order_by(
                "district__name"
            ),
            "village_states": states.filter(level=GateLevelChoices.VILLAGE).order_by(
                "village__district__name", "village__name"
            ),
            "changes": GateChange.objects.select_related("village", "district").order_by("-at")[
                :30
            ],
            "thresholds": conf.gate_thresholds(),
            "colours": GATE_COLOURS,
            "statuses": list(GateStatusChoices),
        },
    )


@login_required
@require_GET
def agent_health(request):
    """Agents: last seen, backlog, version (admin, planner, network operator)."""
    require(request.user, "monitoring.agents.view")
    now = timezone.now()
    agents = Agent.objects.select_related("village").order_by("name")
    rows = []
    for a in agents:
        silence = (now - a.last_seen).total_seconds() if a.last_seen else None
        rows.append(
            {
                "agent": a,
                "silence_s": silence,
                "stale": silence is None or silence > 900,
                "n_targets": a.targets.filter(enabled=True).count(),
            }
        )
    return render(request, "monitoring/agents.html", {"rows": rows, "now": now})


@require_GET
def village_stability(request, code: str):
    """The village page's stability card on its own (for HTMX)."""
    village = Village.objects.select_related("district").filter(code=code).first()
    if village is None:
        raise Http404(f"village {code} not found")
    return render(request, "monitoring/_village_stability.html", village_stability_context(village))


@require_GET
def gate_geojson(request):
    """Villages with their gate status and the numbers behind it (for gate-layer.js)."""
    states = {s.village_id: s for s in GateState.objects.filter(level=GateLevelChoices.VILLAGE)}
    features = []
    for v in Village.objects.select_related("district").order_by("code"):
        s = states.get(v.pk)
        status = s.status if s else GateStatusChoices.INSUFFICIENT
        features.append(
            {
                "type": "Feature",
                "id": v.code,
                "properties": {
                    "code": v.code,
                    "name": v.name,
                    "kec": v.district.code,
                    "kec_name": v.district.name,
                    "gate": status,
                    "ready": bool(s and s.ready),
                    "label": str(GateStatusChoices(status).label),
                    "colour": GATE_COLOURS[status],
                    "availability_pct": s.availability_pct if s else None,
                    "loss_pct": s.loss_pct if s else None,
                    "p95_ms": s.p95_ms if s else None,
                    "coverage_pct": s.coverage_pct if s else None,
                    "targets": s.n_members if s else 0,
                    "targets_ready": s.n_ready if s else 0,
                    "evaluated_at": s.evaluated_at.isoformat() if s else None,
                },
                "geometry": v.boundary_display,
            }
        )
    return JsonResponse(
        {"type": "FeatureCollection", "features": features},
        json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
    )


@require_GET
def metrics(request):
    """Prometheus exposition. With ``JANGKAU_METRICS_TOKEN`` set, a bearer token is required;
    without it the endpoint is public and rate-limited per address."""
    expected = conf.metrics_token()
    if expected:
        given = bearer_token(request) or ""
        if not hmac.compare_digest(given.encode(), expected.encode()):
            response = JsonResponse(
                error_body("unauthenticated", "Bearer token required."), status=401
            )
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    else:
        allowed, retry_after = hit(
            f"metrics:{client_address(request)}", conf.metrics_per_minute(), 60
        )
        if not allowed:
            response = JsonResponse(
                error_body("rate_limited", f"Too many requests; try again in {retry_after} s."),
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            return response
    return HttpResponse(render_metrics(), content_type=CONTENT_TYPE)
