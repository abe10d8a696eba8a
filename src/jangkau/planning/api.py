"""Planning API (mounted at /api/planning/): scenarios, runs, per-village results, exports.

Plans are internal working material: every endpoint needs a login. Reading needs
``planning.view`` (any role); creating and running scenarios ``planning.run`` (admin,
planner). Errors use the project's body (``jangkau.core.api``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from jangkau.core.api import DEFAULT_LIMIT, error_body, paginate
from jangkau.core.permissions import require
from jangkau.planning import assumptions as A
from jangkau.planning import explain
from jangkau.planning.choices import ResultKindChoices
from jangkau.planning.costs import default_cost_table
from jangkau.planning.models import CostTable, PlanResult, Scenario
from jangkau.planning.tasks import ScenarioBusy, enqueue_run

router = Router(tags=["planning"], auth=django_auth)


def _details(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"field": "" if field == "__all__" else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": "", "message": m} for m in exc.messages]


def _invalid(details: list[dict]):
    message = "; ".join(
        f"{d['field']}: {d['message']}" if d["field"] else d["message"] for d in details
    )
    return Status(422, error_body("invalid", message, details))


def _scenario(pk: int) -> Scenario:
    scenario = Scenario.objects.select_related("cost_table").filter(pk=pk).first()
    if scenario is None:
        raise Http404(f"scenario {pk} not found")
    return scenario


def _result(pk: int) -> PlanResult:
    result = (
        PlanResult.objects.select_related("scenario", "cost_table")
        .filter(pk=pk, kind=ResultKindChoices.MAIN)
        .first()
    )
    if result is None:
        raise Http404(f"plan result {pk} not found")
    return result


def result_dict(result: PlanResult) -> dict:
    return {
        "id": result.pk,
        "scenario": result.scenario_id,
        "status": result.status,
        "gap": result.gap,
        "stage_status": result.stage_status,
        "cost_table_version": result.cost_table.version,
        "people_served": result.people_served,
        "people_quality": "estimated",
        "total_spend": result.total_spend,
        "total_budget": result.total_budget,
        "cost_per_person": result.cost_per_person,
        "per_year": result.per_year,
        "curve": [
            {"scale": p.budget_scale, "people_served": p.people_served, "status": p.status}
            for p in result.curve_points.order_by("budget_scale")
        ],
        "diagnostics": result.diagnostics,
        "notes": [{"code": n.get("code"), "message": explain.note_text(n)} for n in result.notes],
        "inputs": result.inputs,
        "build_seconds": result.build_seconds,
        "solve_seconds": result.solve_seconds,
        "source": result.source,
        "quality": result.quality,
        "created": result.created.isoformat(),
    }


def scenario_dict(scenario: Scenario, full: bool = False) -> dict:
    body = {
        "id": scenario.pk,
        "name": scenario.name,
        "description": scenario.description,
        "year_from": scenario.year_from,
        "year_to": scenario.year_to,
        "budgets": [float(b) for b in scenario.budgets],
        "carry_forward": scenario.carry_forward,
        "cost_table_version": scenario.cost_table.version,
        "state": scenario.state,
        "progress_id": scenario.progress_id,
        "created": scenario.created.isoformat(),
    }
    if full:
        latest = scenario.latest_result()
        body.update(
            status_weights=scenario.status_weights,
            remoteness_weights=scenario.remoteness_weights,
            facility_bonus=scenario.facility_bonus,
            unknown_status_as=scenario.unknown_status_as,
            equity_floor_share=scenario.equity_floor_share,
            equity_floor_year=scenario.equity_floor_year,
            forced=scenario.forced,
            forbidden=scenario.forbidden,
            curve_scales=scenario.curve_scales,
            time_limit_seconds=scenario.time_limit_seconds,
            latest_result=result_dict(latest) if latest is not None else None,
        )
    return body


def item_dict(item, names: dict[str, str]) -> dict:
    return {
        "village": item.village.code,
        "village_name": item.village.name,
        "kecamatan": item.village.district.code,
        "outcome": item.reason,
        "year": item.year,
        "intervention": item.kind,
        "option_id": item.option_id,
        "backhaul": item.backhaul_kind,
        "backhaul_id": item.backhaul_id,
        "fiber_km": item.fiber_km,
        "line_of_sight": item.los_check,
        "status": item.status,
        "status_weighted_as": item.status_weighted_as,
        "remoteness_class": item.remoteness_class,
        "people_unserved": item.people_unserved,
        "people_served": item.people_served,
        "people_quality": item.population_quality,
        "capex_share": item.capex,
        "opex_share_per_year": item.opex_per_year,
        "cost_per_person": item.cost_per_person,
        "cost_quality": item.cost_quality,
        "cost_is_assumption": item.cost_is_assumption,
        "cost_items": item.cost_items,
        "explanation": item.explanation.get("core", {}),
        "explanation_text": explain.village_explanation(item, names),
    }


def _village_page(
    request, result: PlanResult, kecamatan, year, intervention, outcome, limit, offset
):
    qs = result.items.select_related("village__district").order_by("village__code")
    if kecamatan:
        qs = qs.filter(village__district__code=kecamatan)
    if year is not None:
        qs = qs.filter(year=year)
    if intervention:
        qs = qs.filter(kind=intervention)
    if outcome:
        qs = qs.filter(reason=outcome)
    names = dict(result.items.values_list("village__code", "village__name"))
    body = paginate(request, qs, limit, offset, lambda item: item_dict(item, names))
    body["result"] = result.pk
    return body


class ScenarioIn(Schema):
    """A new scenario; omitted weights take the planning core's defaults."""

    name: str = Field(..., min_length=1, max_length=200)
    description: str = ""
    year_from: int = A.DEFAULT_YEAR_FROM
    year_to: int = A.DEFAULT_YEAR_TO
    budgets: list[float] | float = Field(
        A.DEFAULT_BUDGET_PER_YEAR_IDR,
        description="IDR per year: one amount for every year, or a list with one per year",
    )
    carry_forward: bool = False
    status_weights: dict[str, float] | None = None
    remoteness_weights: dict[str, float] | None = None
    facility_bonus: dict[str, float] | None = None
    unknown_status_as: str = "2g_3g_only"
    equity_floor_share: float | None = None
    equity_floor_year: int | None = None
    forced: dict[str, int | None] = Field(default_factory=dict)
    forbidden: list[str] = Field(default_factory=list)
    cost_table_version: int | None = None
    curve_scales: list[float] | None = None
    time_limit_seconds: int = Field(A.DEFAULT_TIME_LIMIT_S, ge=1, le=3600)


@router.get("/scenarios", summary="List scenarios (any role)")
def list_scenarios(request, limit: int = DEFAULT_LIMIT, offset: int = 0):
    require(request.user, "planning.view")
    qs = Scenario.objects.select_related("cost_table").order_by("-created", "-pk")
    return paginate(request, qs, limit, offset, scenario_dict)


@router.get("/scenarios/{scenario_id}", summary="One scenario with its latest result")
def get_scenario(request, scenario_id: int):
    require(request.user, "planning.view")
    return scenario_dict(_scenario(scenario_id), full=True)


@router.post(
    "/scenarios",
    response={201: dict, 422: dict},
    summary="Create a scenario (admin, planner)",
)
def create_scenario(request, payload: ScenarioIn):
    require(request.user, "planning.run")
    if payload.cost_table_version is None:
        table = default_cost_table()
    else:
        table = CostTable.objects.filter(version=payload.cost_table_version).first()
        if table is None:
            return _invalid(
                [
                    {
                        "field": "cost_table_version",
                        "message": f"no cost table version {payload.cost_table_version}",
                    }
                ]
            )
    n_years = payload.year_to - payload.year_from + 1
    budgets = (
        payload.budgets
        if isinstance(payload.budgets, list)
        else [payload.budgets] * max(n_years, 0)
    )
    scenario = Scenario(
        name=payload.name,
        description=payload.description,
        year_from=payload.year_from,
        year_to=payload.year_to,
        budgets=[int(b) if float(b).is_integer() else b for b in budgets],
        carry_forward=payload.carry_forward,
        unknown_status_as=payload.unknown_status_as,
        equity_floor_share=payload.equity_floor_share,
        equity_floor_year=payload.equity_floor_year,
        forced=payload.forced,
        forbidden=payload.forbidden,
        cost_table=table,
        time_limit_seconds=payload.time_limit_seconds,
        created_by=request.user,
    )
    for field in ("status_weights", "remoteness_weights", "facility_bonus", "curve_scales"):
        value = getattr(payload, field)
        if value is not None:
            setattr(scenario, field, value)
    try:
        scenario.full_clean()
    except ValidationError as exc:
        return _invalid(_details(exc))
    scenario.save()
    return Status(201, scenario_dict(scenario, full=True))


@router.post(
    "/scenarios/{scenario_id}/run",
    response={202: dict, 409: dict},
    summary="Solve the scenario and its cost curve in the background (admin, planner)",
)
def run_scenario(request, scenario_id: int):
    require(request.user, "planning.run")
    scenario = _scenario(scenario_id)
    try:
        progress = enqueue_run(scenario, request.user)
    except ScenarioBusy:
        return Status(409, error_body("conflict", "the scenario is already being solved"))
    latest = scenario.latest_result()
    return Status(
        202,
        {
            "progress_id": progress.pk,
            "state": progress.state,
            "scenario_state": scenario.state,
            "latest_result": latest.pk if latest is not None else None,
        },
    )


@router.get(
    "/scenarios/{scenario_id}/villages",
    summary="Per-village results of the scenario's latest plan (filter kecamatan, year, ...)",
)
def scenario_villages(
    request,
    scenario_id: int,
    kecamatan: str | None = None,
    year: int | None = None,
    intervention: str | None = None,
    outcome: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    require(request.user, "planning.view")
    result = _scenario(scenario_id).latest_result()
    if result is None:
        raise Http404(f"scenario {scenario_id} has no result yet")
    return _village_page(request, result, kecamatan, year, intervention, outcome, limit, offset)


@router.get("/results/{result_id}", summary="One plan result (totals, per year, curve, notes)")
def get_result(request, result_id: int):
    require(request.user, "planning.view")
    return result_dict(_result(result_id))


@router.get("/results/{result_id}/villages", summary="Per-village results of one plan")
def result_villages(
    request,
    result_id: int,
    kecamatan: str | None = None,
    year: int | None = None,
    intervention: str | None = None,
    outcome: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
):
    require(request.user, "planning.view")
    result = _result(result_id)
    return _village_page(request, result, kecamatan, year, intervention, outcome, limit, offset)


@router.get("/scenarios/{scenario_id}/exports", summary="Links to the exports of the latest plan")
def scenario_exports(request, scenario_id: int):
    require(request.user, "planning.view")
    result = _scenario(scenario_id).latest_result()
    if result is None:
        raise Http404(f"scenario {scenario_id} has no result yet")
    return export_links(request, result)


def export_links(request, result: PlanResult) -> dict:
    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(f"planning:{name}", args=[result.pk]))

    return {
        "result": result.pk,
        "csv": url("result-csv"),
        "geojson": url("result-geojson-download"),
        "xlsx": url("result-xlsx"),
        "report_html": url("result-report"),
        "report_pdf": url("result-pdf") if result.pdf_file() is not None else None,
    }


@router.get("/cost-tables", summary="Cost table versions")
def list_cost_tables(request, limit: int = DEFAULT_LIMIT, offset: int = 0):
    require(request.user, "planning.view")
    default_cost_table()
    qs = CostTable.objects.order_by("-version")
    return paginate(
        request,
        qs,
        limit,
        offset,
        lambda t: {
            "version": t.version,
            "name": t.name,
            "is_default": t.is_default,
            "based_on": t.based_on.version if t.based_on_id else None,
            "created": t.created.isoformat(),
        },
    )


@router.get("/cost-tables/{version}", summary="One cost table with its items and sources")
def get_cost_table(request, version: int):
    require(request.user, "planning.view")
    table = CostTable.objects.filter(version=version).first()
    if table is None:
        raise Http404(f"cost table version {version} not found")
    return {
        "version": table.version,
        "name": table.name,
        "source_notes": table.source_notes,
        "is_default": table.is_default,
        "items": [
            {
                "item": i.item,
                "unit": i.unit,
                "capex_idr": float(i.capex_idr),
                "opex_idr_per_year": float(i.opex_idr_per_year),
                "lifetime_years": i.lifetime_years,
                "capacity": i.capacity,
                "source": i.source,
                "source_url": i.source_url,
                "quality": i.quality,
                "is_assumption": i.is_assumption,
                "notes": i.notes,
            }
            for i in table.items.order_by("pk")
        ],
    }
