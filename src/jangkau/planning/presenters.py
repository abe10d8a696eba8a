"""What the results page, the printable report and the exports show of a stored plan.

One function, :func:`result_context`, gathers it (tables per year and kecamatan, the village
rows with their explanation, the cost curve, the map, notes and the cost items with their
sources), so the page, the report and the spreadsheet cannot disagree.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from jangkau.planning import charts, explain
from jangkau.planning.choices import (
    KIND_COLOURS,
    PlanOutcomeChoices,
    PlanStatusChoices,
    year_colour,
)
from jangkau.planning.models import PlanResult
from jangkau.planning.services import curve_points, kecamatan_rows, plan_items

#: cost items always listed with a plan (the planner's defaults), besides those it used.
PLANNER_ITEMS = (
    "new_4g_site",
    "upgrade_site",
    "repeater",
    "satellite_terminal",
    "backhaul_fiber_km",
    "backhaul_fiber_site_equipment",
    "backhaul_microwave_hop",
    "backhaul_satellite",
)


def village_rows(result: PlanResult) -> list[dict]:
    """One row per village with the explanation in the active language."""
    items = list(plan_items(result, with_display=True))
    names = {i.village.code: i.village.name for i in items}
    return [
        {
            "item": item,
            "village": item.village,
            "kecamatan": item.village.district,
            "text": explain.village_explanation(item, names),
            "kind_label": explain.kind_label(
                item.kind,
                ((item.explanation.get("meta") or {}).get("option") or {}).get("orbit", ""),
            )
            if item.kind
            else "",
        }
        for item in items
    ]


def year_rows(result: PlanResult) -> list[dict]:
    rows = []
    for year in result.years:
        entry = result.per_year.get(str(year), {})
        rows.append(
            {
                "year": year,
                "people": entry.get("people", 0),
                "capex": entry.get("capex", 0.0),
                "opex": entry.get("opex", 0.0),
                "spend": entry.get("spend", 0.0),
                "budget": entry.get("budget", 0.0),
                "available": entry.get("available", entry.get("budget", 0.0)),
                "villages": 0,
                "by_kind": {},
            }
        )
    return rows


def _add_villages_per_year(rows: list[dict], villages: list[dict]) -> None:
    by_year = {r["year"]: r for r in rows}
    for row in villages:
        item = row["item"]
        if item.reason == PlanOutcomeChoices.SERVED and item.year in by_year:
            target = by_year[item.year]
            target["villages"] += 1
            target["by_kind"][row["kind_label"]] = target["by_kind"].get(row["kind_label"], 0) + 1


def cost_items(result: PlanResult, villages: list[dict]) -> list:
    """The cost items behind the plan: the planner's defaults and every item the plan used."""
    used = {name for row in villages for name in row["item"].cost_items}
    names = set(PLANNER_ITEMS) | used
    return [i for i in result.cost_table.items.order_by("pk") if i.item in names]


def map_svg(result: PlanResult, villages: list[dict]):
    """The inline SVG map of the plan (report and page)."""
    first = result.years[0] if result.years else 0
    areas = []
    for row in villages:
        item, village = row["item"], row["village"]
        served = item.reason == PlanOutcomeChoices.SERVED
        areas.append(
            {
                "geometry": village.boundary_display or village.boundary,
                "fill": year_colour(item.year, first) if served else "#f0f0f0",
                "title": f"{village.name}: {item.year} {row['kind_label']}"
                if served
                else village.name,
            }
        )
    points, lines = [], []
    for built in result.built_items:
        if built.get("type") == "access" and built.get("kind") in ("new_4g_site", "upgrade_site"):
            if built.get("lat") is None:
                continue
            points.append(
                {
                    "lat": built["lat"],
                    "lon": built["lon"],
                    "fill": KIND_COLOURS.get(built["kind"], "#333"),
                    "title": f"{built['year']}: {built.get('label', '')}",
                    "shape": "circle" if built["kind"] == "new_4g_site" else "square",
                }
            )
        elif built.get("type") == "backhaul" and built.get("node_lat") is not None:
            lines.append(
                {
                    "coords": [
                        (built["node_lon"], built["node_lat"]),
                        (built["site_lon"], built["site_lat"]),
                    ],
                    "stroke": "#ef6c00" if built["kind"] == "fiber" else "#00838f",
                    "dash": built["kind"] == "microwave",
                }
            )
    legend = [(year_colour(y, first), str(y)) for y in result.years]
    legend += [
        ("#f0f0f0", _("not in the plan")),
        (KIND_COLOURS["new_4g_site"], _("new 4G tower (dot)")),
        (KIND_COLOURS["upgrade_site"], _("upgraded tower (square)")),
    ]
    return charts.plan_map_svg(
        areas, points, lines, title=_("Map of the plan by year"), legend=legend
    )


def curve_svg(points: list[dict]):
    return charts.cost_curve_svg(
        points,
        x_label=_("Total budget over the plan"),
        y_label=_("People newly served (estimated)"),
        format_x=explain.rupiah,
        format_y=explain.number,
        title=_("Cost curve: people served against budget"),
        infeasible_label=_("no plan at"),
    )


def bars_svg(rows: list[dict]):
    return charts.year_bars_svg(
        rows,
        title=_("Spend per year against the budget"),
        labels={"capex": _("capex"), "opex": _("opex"), "budget": _("budget available")},
        format_money=explain.rupiah,
    )


def result_context(result: PlanResult, *, with_svg: bool = True) -> dict:
    """Everything a page, the report or an export shows of ``result``."""
    villages = village_rows(result)
    years = year_rows(result)
    _add_villages_per_year(years, villages)
    points = curve_points(result)
    population_qualities = sorted(
        {r["item"].population_quality for r in villages if r["item"].population_quality}
    )
    context = {
        "result": result,
        "scenario": result.scenario,
        "has_plan": result.has_plan,
        "proven": result.status == PlanStatusChoices.OPTIMAL,
        "year_rows": years,
        "kecamatan_rows": kecamatan_rows(result, [r["item"] for r in villages]),
        "village_rows": villages,
        "served_rows": [r for r in villages if r["item"].reason == PlanOutcomeChoices.SERVED],
        "curve": points,
        "notes": [explain.note_text(n) for n in result.notes],
        "diagnostics": [
            {**d, "title": explain.diagnosis_title(d.get("code", ""))}
            for d in sorted(result.diagnostics, key=lambda d: d.get("severity") != "error")
        ],
        "cost_items": cost_items(result, villages),
        "weights": explain.weight_rows(result.inputs),
        "assumptions": explain.assumption_rows(),
        "population_qualities": population_qualities,
        "unserved_total": sum(r["item"].people_unserved for r in villages),
        "spend_share": (result.total_spend / result.total_budget) if result.total_budget else None,
        "first_year": result.years[0] if result.years else None,
        "unknown_as": explain.status_label(result.inputs.get("unknown_status_as", "")),
    }
    if with_svg:
        context["curve_svg"] = curve_svg(points) if len(points) > 1 else ""
        context["bars_svg"] = bars_svg(years) if years else ""
        context["map_svg"] = map_svg(result, villages)
    return context
