"""Running a scenario (build, solve, store) and comparing two scenarios.

:func:`run_scenario` is what the background task calls: it builds the instance once, solves
the plan and each point of the cost curve (every point a separate solve with all budgets
multiplied), and stores a :class:`~jangkau.planning.models.PlanResult` per solve with one
:class:`~jangkau.planning.models.PlanItem` per village for the plan itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from jangkau.core.choices import QualityChoices
from jangkau.cores.planning import RoadmapResult, plan_roadmap
from jangkau.planning.builders import AUTO, BuiltInstance, PlanInputError, build_instance
from jangkau.planning.choices import PlanOutcomeChoices, PlanStatusChoices, ResultKindChoices
from jangkau.planning.costs import worst_quality
from jangkau.planning.models import PlanItem, PlanResult, Scenario

Progress = Callable[[int, int, str], None]

_STATUS = {
    "optimal": PlanStatusChoices.OPTIMAL,
    "time_limit": PlanStatusChoices.TIME_LIMIT,
    "infeasible": PlanStatusChoices.INFEASIBLE,
    "infeasible_or_unbounded": PlanStatusChoices.INFEASIBLE,
}


def _jsonable(value):
    """Plain JSON values: tuples to lists, numpy scalars to Python, inf/NaN to None."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [_jsonable(v) for v in items]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _source(scenario: Scenario) -> str:
    return (
        f"Jangkau roadmap planner (HiGHS), scenario “{scenario.name}”, cost table "
        f"v{scenario.cost_table.version}"
    )


def _per_year(result: RoadmapResult, budgets: dict[int, float]) -> dict:
    return {
        str(year): {
            "people": int(result.people_served_per_year.get(year, 0)),
            "capex": float(result.capex_per_year.get(year, 0.0)),
            "opex": float(result.opex_per_year.get(year, 0.0)),
            "spend": float(result.spend_per_year.get(year, 0.0)),
            "budget": float(budgets[year]),
            "available": float(result.budget_available_per_year.get(year, budgets[year])),
        }
        for year in sorted(budgets)
    }


def _option_dict(built: BuiltInstance, option_id: str | None) -> dict | None:
    info = built.options.get(option_id) if option_id else None
    if info is None:
        return None
    return _jsonable(asdict(info))


def _backhaul_dict(built: BuiltInstance, backhaul_id: str | None) -> dict | None:
    info = built.backhauls.get(backhaul_id) if backhaul_id else None
    return _jsonable(asdict(info)) if info is not None else None


def _built_items(built: BuiltInstance, result: RoadmapResult) -> list[dict]:
    counted: dict[str, list[str]] = {}
    for plan in result.villages:
        if plan.option_id:
            counted.setdefault(plan.option_id, []).append(plan.village_id)
    items = []
    for item in result.items:
        entry = {
            "id": item.item_id,
            "type": item.item_type,
            "kind": item.kind,
            "year": item.year,
            "capex": item.capex,
            "opex_per_year": item.opex_per_year,
            "forced": item.forced,
        }
        if item.item_type == "access":
            info = built.options[item.item_id]
            entry.update(
                label=info.label,
                lat=info.lat,
                lon=info.lon,
                village=info.village_code,
                orbit=info.orbit,
                villages=sorted(counted.get(item.item_id, [])),
                cost_quality=info.cost_quality,
                cost_is_assumption=info.cost_is_assumption,
            )
        else:
            info = built.backhauls[item.item_id]
            site = built.options[info.access_id]
            entry.update(
                access_option_id=item.access_option_id,
                length_km=info.length_km,
                node_label=info.node_label,
                node_lat=info.node_lat,
                node_lon=info.node_lon,
                site_lat=site.lat,
                site_lon=site.lon,
                los=info.los,
                cost_quality=info.cost_quality,
                cost_is_assumption=info.cost_is_assumption,
            )
        items.append(_jsonable(entry))
    return items


def _item_rows(built: BuiltInstance, result: RoadmapResult, stored: PlanResult) -> list[PlanItem]:
    from jangkau.regions.models import Village

    village_pk = dict(Village.objects.values_list("code", "pk"))
    access = {o.id: o for o in built.instance.access_options}
    backhaul = {o.id: o for o in built.instance.backhaul_options}
    fiber_data = any(b.kind == "fiber" for b in built.instance.backhaul_options)
    rows = []
    for plan in result.villages:
        info = built.villages[plan.village_id]
        record = _jsonable(dict(plan.explanation))
        meta: dict = {"fiber_data": fiber_data}
        row = PlanItem(
            result=stored,
            village_id=village_pk[plan.village_id],
            reason=record.get("reason", PlanOutcomeChoices.NO_PLAN),
            status=info.status,
            status_weighted_as=info.status_weighted_as,
            remoteness_class=info.remoteness_class,
            people_unserved=info.people_unserved,
            population_quality=info.population_quality,
            value=float(plan.value),
        )
        if plan.option_id:
            option = built.options[plan.option_id]
            meta["option"] = _option_dict(built, plan.option_id)
            meta["backhaul"] = _backhaul_dict(built, plan.backhaul_id)
            meta["fiber"] = _backhaul_dict(built, f"{plan.option_id}/fiber")
            chosen = [access[plan.option_id]]
            qualities = [option.cost_quality]
            assumption = option.cost_is_assumption
            items = list(option.cost_items)
            if plan.backhaul_id:
                chosen.append(backhaul[plan.backhaul_id])
                b_info = built.backhauls[plan.backhaul_id]
                qualities.append(b_info.cost_quality)
                assumption = assumption or b_info.cost_is_assumption
                items += [i for i in b_info.cost_items if i not in items]
                row.fiber_km = record.get("fiber_km")
                row.los_check = b_info.los
            share = plan.people_served / max(int(record.get("option_people") or 1), 1)
            row.year = plan.served_year
            row.kind = plan.option_kind
            row.option_id = plan.option_id
            row.option_label = option.label[:200]
            row.backhaul_kind = plan.backhaul_kind or ""
            row.backhaul_id = plan.backhaul_id or ""
            row.people_served = plan.people_served
            row.capex = sum(float(o.capex) for o in chosen) * share
            row.opex_per_year = sum(float(o.opex_per_year) for o in chosen) * share
            row.option_cost = record.get("option_cost")
            row.option_people = int(record.get("option_people") or 0)
            row.cost_per_person = record.get("cost_per_person")
            row.shared_with = list(record.get("shared_with") or [])
            row.cost_quality = worst_quality(qualities)
            row.cost_is_assumption = assumption
            row.cost_items = items
        else:
            best = record.get("best_option_id")
            if best:
                meta["best_option"] = _option_dict(built, best)
                row.cost_per_person = record.get("best_option_cost_per_person")
                info_best = built.options.get(best)
                if info_best is not None:
                    row.cost_quality = info_best.cost_quality
                    row.cost_is_assumption = info_best.cost_is_assumption
        row.explanation = {"core": record, "meta": meta}
        rows.append(row)
    return rows


def _store(
    scenario: Scenario,
    built: BuiltInstance,
    result: RoadmapResult,
    *,
    scale: float,
    main: PlanResult | None,
    inputs: dict,
    user=None,
) -> PlanResult:
    budgets = {year: float(b) for year, b in built.scaled(scale).budgets.items()}
    built_items = _built_items(built, result)
    notes = list(built.notes)
    idle = [
        i["id"]
        for i in built_items
        if i["type"] == "access" and not i.get("villages") and not i.get("forced")
    ]
    if idle:
        notes.append(
            {"code": "items_without_people", "params": {"count": len(idle), "items": idle}}
        )
    stored = PlanResult.objects.create(
        scenario=scenario,
        kind=ResultKindChoices.MAIN if main is None else ResultKindChoices.CURVE,
        main=main,
        budget_scale=scale,
        cost_table=scenario.cost_table,
        inputs=inputs,
        status=_STATUS.get(result.status, PlanStatusChoices.ERROR),
        gap=result.gap if result.gap is None or math.isfinite(result.gap) else None,
        objective=float(result.objective),
        people_years=float(result.people_years),
        people_served=int(result.people_served),
        total_spend=float(result.total_spend),
        total_budget=float(sum(budgets.values())),
        cost_per_person=result.cost_per_person,
        per_year=_per_year(result, budgets),
        built_items=built_items if main is None else [],
        diagnostics=_jsonable([asdict(d) for d in result.diagnostics]),
        notes=_jsonable(notes),
        stage_status=dict(result.stage_status),
        summary=built.summary(),
        build_seconds=round(built.seconds, 3),
        solve_seconds=round(result.seconds, 3),
        source=_source(scenario),
        as_of=timezone.localdate(),
        quality=QualityChoices.ESTIMATED,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    if main is None:
        PlanItem.objects.bulk_create(_item_rows(built, result, stored), batch_size=500)
    return stored


def _invalid(scenario: Scenario, inputs: dict, message: str, user=None) -> PlanResult:
    return PlanResult.objects.create(
        scenario=scenario,
        cost_table=scenario.cost_table,
        inputs=inputs,
        status=PlanStatusChoices.INVALID,
        total_budget=float(sum(float(b) for b in scenario.budgets)),
        diagnostics=[
            {"severity": "error", "code": "invalid", "constraint": "", "message": message}
        ],
        source=_source(scenario),
        as_of=timezone.localdate(),
        quality=QualityChoices.ESTIMATED,
        created_by=user if user is not None and user.is_authenticated else None,
    )


def curve_scales(scenario: Scenario) -> list[float]:
    """The extra budget multipliers of the cost curve (1.0 is the plan itself)."""
    scales = set()
    for value in scenario.curve_scales or []:
        scale = float(value)
        if scale > 0 and not math.isclose(scale, 1.0):
            scales.add(round(scale, 4))
    return sorted(scales)


def run_scenario(
    scenario: Scenario, progress: Progress | None = None, user=None, terrain=AUTO
) -> PlanResult:
    """Build, solve and store the plan and its cost curve; return the plan's result.

    An invalid scenario (an unknown forced item, a malformed instance) gives a result with
    status ``invalid`` and the reason; an infeasible one a result with the core's diagnostics.
    """
    report = progress or (lambda done, total, message: None)
    scales = curve_scales(scenario)
    total = 2 + len(scales)
    inputs = scenario.inputs_snapshot()
    report(0, total, "instance")
    try:
        built = build_instance(scenario, terrain=terrain)
        report(1, total, "plan")
        result = plan_roadmap(built.instance, time_limit=float(scenario.time_limit_seconds))
    except (PlanInputError, ValueError) as exc:
        return _invalid(scenario, inputs, str(exc), user)
    with transaction.atomic():
        main = _store(scenario, built, result, scale=1.0, main=None, inputs=inputs, user=user)
    for k, scale in enumerate(scales):
        report(2 + k, total, f"curve {scale:g}")
        point = plan_roadmap(built.scaled(scale), time_limit=float(scenario.time_limit_seconds))
        _store(scenario, built, point, scale=scale, main=main, inputs=inputs, user=user)
    return main


# ---- reading results -------------------------------------------------------------------------


def curve_points(result: PlanResult) -> list[dict]:
    """Points of the cost curve of a plan (the plan itself included), by budget."""
    rows = [result, *result.curve_points.all()]
    points = [
        {
            "scale": r.budget_scale,
            "budget": r.total_budget,
            "people": r.people_served,
            "spend": r.total_spend,
            "status": r.status,
            "gap": r.gap,
            "has_plan": r.has_plan,
            "is_main": r.pk == result.pk,
        }
        for r in rows
    ]
    return sorted(points, key=lambda p: p["scale"])


#: heavy boundary fields not needed to list plan rows (the map uses ``boundary_display``).
HEAVY_FIELDS = (
    "village__boundary",
    "village__district__boundary",
    "village__district__boundary_display",
)


def plan_items(result: PlanResult, *, with_display: bool = False):
    """The village rows of a plan with village and kecamatan, without the heavy geometry."""
    heavy = HEAVY_FIELDS if with_display else (*HEAVY_FIELDS, "village__boundary_display")
    return result.items.select_related("village__district").defer(*heavy).order_by("village__code")


def kecamatan_rows(result: PlanResult, items=None) -> list[dict]:
    """Per kecamatan: villages, people unserved and served, share served, spend share."""
    rows: dict[str, dict] = {}
    years = result.years
    for item in plan_items(result) if items is None else items:
        district = item.village.district
        row = rows.setdefault(
            district.code,
            {
                "code": district.code,
                "name": district.name,
                "villages": 0,
                "villages_served": 0,
                "unserved": 0,
                "served": 0,
                "cost": 0.0,
                "by_year": {year: 0 for year in years},
            },
        )
        row["villages"] += 1
        row["unserved"] += item.people_unserved
        if item.reason == PlanOutcomeChoices.SERVED:
            row["villages_served"] += 1
            row["served"] += item.people_served
            row["cost"] += item.plan_cost_share
            row["by_year"][item.year] = row["by_year"].get(item.year, 0) + item.people_served
    for row in rows.values():
        row["share"] = row["served"] / row["unserved"] if row["unserved"] else None
        row["by_year_list"] = [row["by_year"].get(year, 0) for year in years]
    return sorted(rows.values(), key=lambda r: r["code"])


def compare(a: Scenario, b: Scenario) -> dict:
    """Two scenarios' latest plans side by side: totals per year and villages that differ."""
    ra, rb = a.latest_result(), b.latest_result()
    out = {"a": a, "b": b, "result_a": ra, "result_b": rb, "years": [], "villages": []}
    if ra is None or rb is None:
        return out
    years = sorted({*ra.years, *rb.years})
    for year in years:
        ya = ra.per_year.get(str(year), {})
        yb = rb.per_year.get(str(year), {})
        out["years"].append(
            {
                "year": year,
                "people_a": ya.get("people"),
                "people_b": yb.get("people"),
                "spend_a": ya.get("spend"),
                "spend_b": yb.get("spend"),
                "budget_a": ya.get("budget"),
                "budget_b": yb.get("budget"),
            }
        )
    items_a = {i.village.code: i for i in plan_items(ra)}
    items_b = {i.village.code: i for i in plan_items(rb)}
    for code in sorted(set(items_a) | set(items_b)):
        ia, ib = items_a.get(code), items_b.get(code)

        def key(item):
            if item is None:
                return None
            return (item.reason, item.year, item.kind, item.backhaul_kind, item.people_served)

        if key(ia) != key(ib):
            village = (ia or ib).village
            out["villages"].append({"village": village, "a": ia, "b": ib})
    out["totals"] = {
        "people_a": ra.people_served,
        "people_b": rb.people_served,
        "spend_a": ra.total_spend,
        "spend_b": rb.total_spend,
        "cpp_a": ra.cost_per_person,
        "cpp_b": rb.cost_per_person,
    }
    return out
