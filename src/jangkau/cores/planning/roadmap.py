r"""Multi-year, budgeted and equitable connectivity roadmap, solved exactly with HiGHS.

:func:`plan_roadmap` decides which access options (new 4G sites, site upgrades, repeaters,
satellite terminals) and which backhaul (fiber, microwave, satellite) to build in which plan
year, so that as many people as possible, weighted by need, are newly served within yearly
budgets; see its docstring for the model. Input types live in
:mod:`~jangkau.cores.planning.roadmap_instance`, output types in
:mod:`~jangkau.cores.planning.roadmap_result`.
"""

from __future__ import annotations

import math
import time

import numpy as np

from jangkau.cores.planning.roadmap_checks import find_conflict, precheck
from jangkau.cores.planning.roadmap_instance import RoadmapInstance, validate_instance
from jangkau.cores.planning.roadmap_model import Context, build_model, solve_model
from jangkau.cores.planning.roadmap_result import (
    Diagnosis,
    PlannedItem,
    RoadmapResult,
    VillagePlan,
)

__all__ = ["plan_roadmap"]


def _tolerance(value: float) -> float:
    """Slack allowed when an optimal objective is fixed for the next lexicographic stage."""
    return 1e-7 * max(1.0, abs(value)) + 1e-6


def plan_roadmap(instance: RoadmapInstance, time_limit: float | None = None) -> RoadmapResult:
    r"""Plan which options to build in which year.

    Parameters
    ----------
    instance : RoadmapInstance
        Villages, access and backhaul options, yearly budgets and policy (weights, equity
        floors, forced and forbidden items, carry-forward).
    time_limit : float, optional
        Seconds for the whole call; the main solve gets what is left, each tie-break solve
        what remains after it. On expiry the best plan found is returned with its gap.

    Returns
    -------
    RoadmapResult
        Items with their year, per-village plan and explanation, people served, spend and
        budget per year, cost per person, objective, status, gap and diagnostics. An
        infeasible instance gives ``status="infeasible"`` and error diagnostics naming the
        constraint and the item, kecamatan or year (see ``RoadmapResult.messages``).

    Raises
    ------
    ValueError
        When the instance is malformed or empty (see
        :func:`~jangkau.cores.planning.roadmap_instance.validate_instance`).

    Notes
    -----
    Years :math:`t \in \{0..T-1\}`, items :math:`k` (access options :math:`a` and backhaul
    options :math:`m`), villages :math:`v`, pairs :math:`(a, v)` with :math:`p_{av} > 0` people
    served. Binary variables: :math:`x_{kt}` (item :math:`k` built in year :math:`t`) and
    :math:`z_{avt}` (village :math:`v` counted as newly served by :math:`a` from year
    :math:`t`). With :math:`\mathrm{value}_{av}` from
    :class:`~jangkau.cores.planning.roadmap_instance.PriorityWeights`, capex :math:`C_k`, opex
    :math:`O_k`, budgets :math:`B_t`, opex offset :math:`\delta \in \{0, 1\}`:

    .. math::

        \max \; & \sum_{a,v,t} \mathrm{value}_{av}\, z_{avt} \\
        \text{s.t.}\; & \textstyle\sum_t x_{at} \le 1 && \forall a
            && \text{(built once)} \\
        & \textstyle\sum_{m \in M(a)} x_{mt} = x_{at} && \forall a \text{ new site}, t
            && \text{(exactly one backhaul, same year)} \\
        & z_{avt} \le x_{at} && \forall (a,v), t && \text{(counted from the build year)} \\
        & \textstyle\sum_{a,t} z_{avt} \le 1 && \forall v
            && \text{(one access counted per village)} \\
        & S_t = \textstyle\sum_k C_k x_{kt} + \sum_k O_k \sum_{s \le t-\delta} x_{ks}
            \le B_t && \forall t && \text{(yearly budget)} \\
        & \textstyle\sum_{t' \le t} S_{t'} \le \sum_{t' \le t} B_{t'} && \forall t
            && \text{(instead, with carry-forward)} \\
        & \textstyle\sum_{v \in K} \sum_a \sum_{t \le Y_f} p_{av} z_{avt} \ge
            \sigma_f U_K && \forall f, K && \text{(equity floor)} \\
        & \textstyle\sum_t x_{kt} = 1 \text{ or } x_{k,Y_k} = 1 && k \text{ forced}, \qquad
          x_{kt} = 0 \;\; k \text{ forbidden or microwave without line of sight}

    with :math:`U_K` the unserved people of kecamatan :math:`K` and :math:`\sigma_f` the floor's
    share. Opex is paid in the years after the build year (:math:`\delta = 1`, default: the
    first year's running cost is treated as part of commissioning) up to the end of the
    horizon; unspent money is lost at year end unless ``carry_forward`` is set (no borrowing
    from later years either way).

    The plan is chosen lexicographically, each stage proven optimal by HiGHS with the
    previous optimum fixed (to a relative slack of 1e-7):

    1. maximise weighted people newly served (the objective above; ``gap`` refers to it);
    2. among those plans, maximise weighted people-years
       :math:`\sum \mathrm{value}_{av} (T - t) z_{avt}` (serve the neediest early);
    3. among those, minimise total spend over the horizon (no item that adds nothing).

    This removes the arbitrary choices a single budget-constrained objective leaves open
    (Terragraph's "no cost pressure" issue). HiGHS runs with one thread and a fixed seed, so
    the same instance gives the same plan.

    References
    ----------
    .. [1] Church, R. and ReVelle, C. (1974). The maximal covering location problem.
       *Papers of the Regional Science Association* 32(1), 101-118.
    .. [2] Schilling, D. A. (1980). Dynamic location modeling for public-sector facilities:
       a multicriteria approach. *Decision Sciences* 11(4), 714-724.
    .. [3] Chinneck, J. W. and Dravnieks, E. W. (1991). Locating minimal infeasible constraint
       sets in linear programs. *ORSA Journal on Computing* 3(2), 157-168.
    """
    started = time.perf_counter()
    validate_instance(instance)
    ctx = Context(instance)

    def remaining() -> float | None:
        if time_limit is None:
            return None
        return max(time_limit - (time.perf_counter() - started), 0.01)

    diagnostics = precheck(ctx)
    if not ctx.pairs:
        diagnostics.append(
            Diagnosis(
                "info",
                "nothing_to_plan",
                "one_access_per_village",
                "no access option serves any unserved people: there is nothing to plan",
            )
        )
    if any(d.severity == "error" for d in diagnostics):
        return _infeasible(ctx, diagnostics, {}, started)

    stages: dict[str, str] = {}
    if ctx.n_cols == 0:  # no options at all: the empty plan is the only one
        return _assemble(ctx, np.zeros(0), "optimal", 0.0, diagnostics, stages, started)
    model = build_model(ctx, ctx.all_groups())
    first = solve_model(model, model.people, maximize=True, time_limit=remaining())
    stages["people"] = first.status
    if first.values is None:
        if first.status in ("infeasible", "infeasible_or_unbounded"):
            diagnostics.extend(find_conflict(ctx))
            return _infeasible(ctx, diagnostics, stages, started)
        diagnostics.append(
            Diagnosis(
                "error",
                "no_solution",
                "budget",
                f"HiGHS stopped with status {first.status!r} before finding any plan",
            )
        )
        return _infeasible(ctx, diagnostics, stages, started, status=first.status)
    values = np.round(first.values)  # all columns are binary
    if first.status == "optimal":
        best_people = float(model.people @ values)
        second = solve_model(
            model,
            model.people_years,
            maximize=True,
            bounds=[(model.people, best_people - _tolerance(best_people))],
            start=values,
            time_limit=remaining(),
        )
        stages["people_years"] = second.status
        if second.values is not None:
            values = np.round(second.values)
        if second.status == "optimal":
            best_years = float(model.people_years @ values)
            third = solve_model(
                model,
                model.cost,
                maximize=False,
                bounds=[
                    (model.people, best_people - _tolerance(best_people)),
                    (model.people_years, best_years - _tolerance(best_years)),
                ],
                start=values,
                time_limit=remaining(),
            )
            stages["cost"] = third.status
            if third.values is not None:
                values = np.round(third.values)
    return _assemble(ctx, values, first.status, first.gap, diagnostics, stages, started)


# --------------------------------------------------------------------------------------------
# Result assembly
# --------------------------------------------------------------------------------------------


def _empty_years(ctx: Context, kind: type) -> dict:
    return {year: kind(0) for year in ctx.years}


def _infeasible(
    ctx: Context,
    diagnostics: list[Diagnosis],
    stages: dict[str, str],
    started: float,
    status: str = "infeasible",
) -> RoadmapResult:
    villages = [
        VillagePlan(
            village_id=v.id,
            kecamatan_id=v.kecamatan_id,
            served_year=None,
            option_id=None,
            option_kind=None,
            backhaul_id=None,
            backhaul_kind=None,
            people_served=0,
            value=0.0,
            explanation={"reason": "no_plan", "people_unserved": v.people_unserved},
        )
        for v in ctx.villages
    ]
    budgets = {year: float(ctx.instance.budgets[year]) for year in ctx.years}
    return RoadmapResult(
        status=status,
        gap=None,
        objective=0.0,
        people_years=0.0,
        items=[],
        villages=villages,
        people_served_per_year=_empty_years(ctx, int),
        capex_per_year=_empty_years(ctx, float),
        opex_per_year=_empty_years(ctx, float),
        spend_per_year=_empty_years(ctx, float),
        budget_available_per_year=budgets,
        total_spend=0.0,
        people_served=0,
        cost_per_person=None,
        diagnostics=diagnostics,
        stage_status=stages,
        seconds=time.perf_counter() - started,
    )


def _option_cost(ctx: Context, a: int, backhaul: int | None, year_index: int) -> float:
    """Capex plus opex over the rest of the horizon of an access option and its backhaul."""
    total = 0.0
    for k in (a,) if backhaul is None else (a, backhaul):
        total += ctx.capex[k] + ctx.opex[k] * ctx.charged_years(year_index, ctx.n_years - 1)
    return float(total)


def _cheapest_backhaul(ctx: Context, a: int) -> int | None:
    forbidden = set(ctx.instance.forbidden)
    usable = [
        m
        for m in ctx.backhaul_of.get(a, [])
        if m not in ctx.physically_blocked and ctx.item_ids[m] not in forbidden
    ]
    if not usable:
        return None
    return min(usable, key=lambda m: (_option_cost(ctx, m, None, 0), ctx.item_ids[m]))


def _fiber_km(ctx: Context, a: int, backhaul: int | None) -> float | None:
    if backhaul is not None and ctx.backhaul[backhaul - ctx.n_access].kind == "fiber":
        return ctx.backhaul[backhaul - ctx.n_access].length_km
    lengths = [
        ctx.backhaul[m - ctx.n_access].length_km
        for m in ctx.backhaul_of.get(a, [])
        if ctx.backhaul[m - ctx.n_access].kind == "fiber"
    ]
    return min(lengths) if lengths else None


def _blocked_reason(ctx: Context, a: int) -> str | None:
    """Why access option ``a`` can never be built, or ``None`` when it can."""
    inst = ctx.instance
    if ctx.access[a].id in set(inst.forbidden):
        return "forbidden"
    capex = float(ctx.capex[a])
    if a in ctx.backhaul_of:
        backhaul = _cheapest_backhaul(ctx, a)
        if backhaul is None:
            return "no_usable_backhaul"
        forbidden = set(inst.forbidden)
        capex += min(
            float(ctx.capex[m])
            for m in ctx.backhaul_of[a]
            if m not in ctx.physically_blocked and ctx.item_ids[m] not in forbidden
        )
    budgets = [float(b) for b in inst.budgets.values()]
    available = sum(budgets) if inst.carry_forward else max(budgets)
    if capex > available * (1 + 1e-9) + 1e-9:
        return "over_budget"
    return None


def _usable(ctx: Context, a: int) -> bool:
    return _blocked_reason(ctx, a) is None


def _assemble(
    ctx: Context,
    values: np.ndarray,
    status: str,
    gap: float | None,
    diagnostics: list[Diagnosis],
    stages: dict[str, str],
    started: float,
) -> RoadmapResult:
    inst = ctx.instance
    n_years = ctx.n_years
    chosen = values > 0.5
    built_year: dict[int, int] = {}
    for k in range(ctx.n_items):
        for t in range(n_years):
            if chosen[ctx.x_col(k, t)]:
                built_year[k] = t
    backhaul_for: dict[int, int] = {
        ctx.access_of_backhaul[m]: m for m in built_year if m in ctx.access_of_backhaul
    }
    counted: dict[int, tuple[int, int]] = {}  # village -> (pair, year index)
    for p in range(len(ctx.pairs)):
        for t in range(n_years):
            if chosen[ctx.z_col(p, t)]:
                counted[ctx.pairs[p][1]] = (p, t)
    forced = set(inst.forced)
    items = []
    for k, t in built_year.items():
        is_access = k < ctx.n_access
        option = ctx.access[k] if is_access else ctx.backhaul[k - ctx.n_access]
        items.append(
            PlannedItem(
                item_id=option.id,
                item_type="access" if is_access else "backhaul",
                kind=option.kind,
                year=ctx.years[t],
                capex=float(option.capex),
                opex_per_year=float(option.opex_per_year),
                access_option_id=None if is_access else option.access_option_id,
                forced=option.id in forced,
            )
        )
    items.sort(key=lambda item: (item.year, item.item_type, item.item_id))
    capex = [0.0] * n_years
    opex = [0.0] * n_years
    for k, s in built_year.items():
        capex[s] += float(ctx.capex[k])
        for t in range(s + inst.opex_start_offset, n_years):
            opex[t] += float(ctx.opex[k])
    budgets = [float(inst.budgets[year]) for year in ctx.years]
    available = []
    carried = 0.0
    for t in range(n_years):
        available.append(budgets[t] + carried)
        if inst.carry_forward:
            carried = max(0.0, available[t] - capex[t] - opex[t])
    people_per_year = [0] * n_years
    option_people: dict[int, int] = {}
    objective = 0.0
    people_years = 0.0
    for p, t in counted.values():
        a, _, people, value = ctx.pairs[p]
        people_per_year[t] += people
        option_people[a] = option_people.get(a, 0) + people
        objective += value
        people_years += value * (n_years - t)
    villages = [
        _village_plan(ctx, v, counted, built_year, backhaul_for, option_people)
        for v in range(len(ctx.villages))
    ]
    total_spend = float(sum(capex) + sum(opex))
    served = int(sum(people_per_year))
    return RoadmapResult(
        status=status,
        gap=gap,
        objective=objective,
        people_years=people_years,
        items=items,
        villages=villages,
        people_served_per_year=dict(zip(ctx.years, people_per_year, strict=True)),
        capex_per_year=dict(zip(ctx.years, capex, strict=True)),
        opex_per_year=dict(zip(ctx.years, opex, strict=True)),
        spend_per_year={year: capex[t] + opex[t] for t, year in enumerate(ctx.years)},
        budget_available_per_year=dict(zip(ctx.years, available, strict=True)),
        total_spend=total_spend,
        people_served=served,
        cost_per_person=total_spend / served if served else None,
        diagnostics=diagnostics,
        stage_status=stages,
        seconds=time.perf_counter() - started,
    )


def _village_plan(
    ctx: Context,
    v: int,
    counted: dict[int, tuple[int, int]],
    built_year: dict[int, int],
    backhaul_for: dict[int, int],
    option_people: dict[int, int],
) -> VillagePlan:
    village = ctx.villages[v]
    weights = ctx.instance.weights
    weight_record = {
        "status": float(weights.status[village.status]),
        "remoteness": float(weights.remoteness[village.remoteness_class]),
        "facility_bonus": float(
            sum(
                float(weights.facility_bonus.get(kind, 0.0)) * count
                for kind, count in village.facilities.items()
            )
        ),
    }
    pair_ids = ctx.pairs_of_village.get(v, [])
    usable_pairs = [p for p in pair_ids if _usable(ctx, ctx.pairs[p][0])]
    if v in counted:
        p, t = counted[v]
        a, _, people, value = ctx.pairs[p]
        backhaul = backhaul_for.get(a)
        cost = _option_cost(ctx, a, backhaul, built_year[a])
        shared = sorted(
            ctx.villages[w].id for w, (q, _) in counted.items() if w != v and ctx.pairs[q][0] == a
        )
        backhaul_option = ctx.backhaul[backhaul - ctx.n_access] if backhaul is not None else None
        explanation = {
            "reason": "served",
            "option_id": ctx.access[a].id,
            "option_kind": ctx.access[a].kind,
            "candidate_id": ctx.access[a].candidate_id,
            "year": ctx.years[t],
            "people_served": people,
            "people_unserved": village.people_unserved,
            "value": value,
            "weights": weight_record,
            "option_cost": cost,
            "option_people": option_people[a],
            "cost_per_person": cost / option_people[a],
            "backhaul_id": backhaul_option.id if backhaul_option else None,
            "backhaul_kind": backhaul_option.kind if backhaul_option else None,
            "fiber_km": _fiber_km(ctx, a, backhaul),
            "shared_with": shared,
            "alternatives": len([q for q in usable_pairs if ctx.pairs[q][0] != a]),
            "forced": ctx.access[a].id in ctx.instance.forced,
        }
        return VillagePlan(
            village_id=village.id,
            kecamatan_id=village.kecamatan_id,
            served_year=ctx.years[t],
            option_id=ctx.access[a].id,
            option_kind=ctx.access[a].kind,
            backhaul_id=explanation["backhaul_id"],
            backhaul_kind=explanation["backhaul_kind"],
            people_served=people,
            value=value,
            explanation=explanation,
        )
    explanation: dict[str, object] = {
        "people_unserved": village.people_unserved,
        "weights": weight_record,
        "blocked_options": {
            ctx.access[ctx.pairs[p][0]].id: _blocked_reason(ctx, ctx.pairs[p][0])
            for p in pair_ids
            if p not in usable_pairs
        },
    }
    if village.people_unserved == 0:
        explanation["reason"] = "nothing_to_serve"
    elif not pair_ids:
        explanation["reason"] = "no_option"
    elif not usable_pairs:
        explanation["reason"] = "no_usable_option"
    else:
        explanation["reason"] = "not_selected"
    if usable_pairs:
        best = None
        for p in usable_pairs:
            a, _, people, value = ctx.pairs[p]
            cost = _option_cost(ctx, a, _cheapest_backhaul(ctx, a), 0)
            total_people = sum(q[2] for q in ctx.pairs if q[0] == a)
            per_person = cost / total_people if total_people else math.inf
            key = (per_person, ctx.access[a].id)
            if best is None or key < best[0]:
                best = (key, a, value)
        (per_person, option_id), _, value = best
        explanation.update(
            best_option_id=option_id,
            best_option_cost_per_person=per_person,
            value_if_served=value,
        )
    return VillagePlan(
        village_id=village.id,
        kecamatan_id=village.kecamatan_id,
        served_year=None,
        option_id=None,
        option_kind=None,
        backhaul_id=None,
        backhaul_kind=None,
        people_served=0,
        value=0.0,
        explanation=explanation,
    )
