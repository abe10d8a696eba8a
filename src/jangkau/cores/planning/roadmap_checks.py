"""Diagnoses for roadmap instances: cheap pre-checks, and a conflict search when HiGHS says no.

The pre-checks prove infeasibility for the common cases with a sentence naming the item,
kecamatan and year (forced items over budget or contradictory, equity floors that no usable
option can reach or that cost more than the budget up to their year). When they find nothing
and HiGHS still reports the model infeasible, :func:`find_conflict` runs a deletion filter over
the switchable constraint groups (forced items, forbidden items, equity floors per kecamatan) to
name a minimal set of them that cannot hold together within the yearly budgets (the group-level
analogue of an irreducible infeasible subsystem, Chinneck & Dravnieks 1991).
"""

from __future__ import annotations

import numpy as np

from jangkau.cores.planning._highs import INTEGER, new_highs, solve_rowwise_mip
from jangkau.cores.planning.roadmap_model import (
    Context,
    FloorTarget,
    Groups,
    Model,
    build_model,
)
from jangkau.cores.planning.roadmap_result import Diagnosis

__all__ = ["find_conflict", "precheck"]

_TOLERANCE = 1e-9


def _fmt(amount: float) -> str:
    return f"{amount:,.0f}"


class _Checker:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        inst = ctx.instance
        self.forbidden = set(inst.forbidden)
        self.budgets = [float(inst.budgets[year]) for year in ctx.years]
        self.diagnoses: list[Diagnosis] = []

    def usable_backhauls(self, a: int) -> list[int]:
        ctx = self.ctx
        return [
            m
            for m in ctx.backhaul_of.get(a, [])
            if m not in ctx.physically_blocked and ctx.item_ids[m] not in self.forbidden
        ]

    def build_cost(self, a: int) -> float | None:
        """Lowest capex of building access option ``a`` (with its cheapest usable backhaul)."""
        ctx = self.ctx
        if ctx.item_ids[a] in self.forbidden:
            return None
        if a not in ctx.backhaul_of:
            return float(ctx.capex[a])
        usable = self.usable_backhauls(a)
        if not usable:
            return None
        return float(ctx.capex[a] + min(ctx.capex[m] for m in usable))

    def error(self, code: str, constraint: str, message: str, **kwargs: object) -> None:
        self.diagnoses.append(Diagnosis("error", code, constraint, message, **kwargs))

    def info(self, code: str, constraint: str, message: str, **kwargs: object) -> None:
        self.diagnoses.append(Diagnosis("info", code, constraint, message, **kwargs))

    # ---------------------------------------------------------------------------------------

    def check_options(self) -> None:
        ctx = self.ctx
        for a in sorted(ctx.backhaul_of):
            if ctx.item_ids[a] not in self.forbidden and not self.usable_backhauls(a):
                self.info(
                    "no_usable_backhaul",
                    "backhaul",
                    f"new site {ctx.item_ids[a]!r} has no usable backhaul option (none given, "
                    "all forbidden, or microwave without line of sight), so it is never built",
                    item_id=ctx.item_ids[a],
                )

    def check_forced(self) -> None:
        ctx = self.ctx
        inst = ctx.instance
        forced_backhaul_of: dict[int, list[int]] = {}
        for item_id, year in sorted(inst.forced.items()):
            k = ctx.item_index[item_id]
            if item_id in self.forbidden:
                self.error(
                    "forced_and_forbidden",
                    "forced",
                    f"item {item_id!r} is both forced and forbidden",
                    item_id=item_id,
                )
            if k in ctx.physically_blocked:
                self.error(
                    "forced_without_line_of_sight",
                    "forced",
                    f"forced backhaul {item_id!r} is a microwave hop without line of sight",
                    item_id=item_id,
                )
            if k in ctx.backhaul_of and not self.usable_backhauls(k):
                self.error(
                    "forced_without_backhaul",
                    "backhaul",
                    f"forced new site {item_id!r} has no usable backhaul option",
                    item_id=item_id,
                )
            if k in ctx.access_of_backhaul:
                a = ctx.access_of_backhaul[k]
                forced_backhaul_of.setdefault(a, []).append(k)
                site = ctx.item_ids[a]
                if site in self.forbidden:
                    self.error(
                        "forced_backhaul_of_forbidden_site",
                        "forced",
                        f"forced backhaul {item_id!r} belongs to the forbidden site {site!r}",
                        item_id=item_id,
                    )
                site_year = inst.forced.get(site)
                if year is not None and site_year is not None and site_year != year:
                    self.error(
                        "forced_years_differ",
                        "backhaul",
                        f"forced backhaul {item_id!r} is forced in {year} but its site {site!r} "
                        f"in {site_year}; a backhaul is built in the same year as its site",
                        item_id=item_id,
                        year=year,
                    )
        for a, backhauls in sorted(forced_backhaul_of.items()):
            if len(backhauls) > 1:
                names = ", ".join(repr(ctx.item_ids[m]) for m in backhauls)
                self.error(
                    "forced_two_backhauls",
                    "backhaul",
                    f"site {ctx.item_ids[a]!r} has several forced backhauls ({names}) but takes "
                    "exactly one",
                    item_id=ctx.item_ids[a],
                )
        if not any(d.severity == "error" for d in self.diagnoses):
            self._check_forced_budget(forced_backhaul_of)

    def _forced_bundles(
        self, forced_backhaul_of: dict[int, list[int]]
    ) -> list[tuple[list[str], int | None, float, float]]:
        """Forced items grouped with what they imply: (ids, year, capex, opex) lower bounds."""
        ctx = self.ctx
        inst = ctx.instance
        bundles = []
        done: set[int] = set()
        for item_id in sorted(inst.forced):
            k = ctx.item_index[item_id]
            a = ctx.access_of_backhaul.get(k, k)
            if a in done:
                continue
            done.add(a)
            ids = [ctx.item_ids[a]]
            capex, opex = float(ctx.capex[a]), float(ctx.opex[a])
            year = inst.forced.get(ctx.item_ids[a])
            if a in ctx.backhaul_of:
                chosen = forced_backhaul_of.get(a)
                if chosen:
                    m = chosen[0]
                    ids.append(ctx.item_ids[m])
                    capex += float(ctx.capex[m])
                    opex += float(ctx.opex[m])
                    year = year if year is not None else inst.forced[ctx.item_ids[m]]
                else:
                    usable = self.usable_backhauls(a)
                    capex += min(float(ctx.capex[m]) for m in usable)
                    opex += min(float(ctx.opex[m]) for m in usable)
            bundles.append((ids, year, capex, opex))
        return bundles

    def _check_forced_budget(self, forced_backhaul_of: dict[int, list[int]]) -> None:
        ctx = self.ctx
        inst = ctx.instance
        bundles = self._forced_bundles(forced_backhaul_of)
        n = ctx.n_years
        spend = [0.0] * n
        names: list[list[str]] = [[] for _ in range(n)]
        for ids, year, capex, opex in bundles:
            if year is None:
                continue
            s = ctx.years.index(year)
            for t in range(s, n):
                amount = capex if t == s else 0.0
                if t >= s + inst.opex_start_offset:
                    amount += opex
                if amount > 0:
                    spend[t] += amount
                    names[t].extend(ids)
        for t in range(n):
            if inst.carry_forward:
                needed, available = sum(spend[: t + 1]), sum(self.budgets[: t + 1])
                scope = f"up to {ctx.years[t]}"
            else:
                needed, available = spend[t], self.budgets[t]
                scope = f"in {ctx.years[t]}"
            if needed > available * (1 + _TOLERANCE) + _TOLERANCE:
                items = ", ".join(repr(i) for i in sorted(set(names[t])))
                self.error(
                    "forced_over_budget",
                    "budget",
                    f"forced items ({items}) cost at least {_fmt(needed)} {scope} "
                    f"but the budget {scope} is {_fmt(available)}",
                    year=ctx.years[t],
                    details={"needed": needed, "available": available},
                )
                return
        largest = max(self.budgets)
        total = sum(self.budgets)
        for ids, year, capex, _ in bundles:
            if year is not None:
                continue
            bound, what = (
                (total, "the whole plan's budget")
                if inst.carry_forward
                else (largest, "any single year's budget")
            )
            if capex > bound * (1 + _TOLERANCE) + _TOLERANCE:
                self.error(
                    "forced_over_budget",
                    "budget",
                    f"forced item {ids[0]!r} costs at least {_fmt(capex)} to build, more than "
                    f"{what} ({_fmt(bound)})",
                    item_id=ids[0],
                    details={"needed": capex, "available": bound},
                )
        needed = sum(capex for _, _, capex, _ in bundles)
        if needed > total * (1 + _TOLERANCE) + _TOLERANCE:
            self.error(
                "forced_over_budget",
                "budget",
                f"the forced items together cost at least {_fmt(needed)} to build but the "
                f"budgets of {ctx.years[0]}-{ctx.years[-1]} total {_fmt(total)}",
                details={"needed": needed, "available": total},
            )

    # ---------------------------------------------------------------------------------------

    def check_floors(self) -> None:
        for target in self.ctx.floor_targets:
            self._check_floor(target)

    def _check_floor(self, target: FloorTarget) -> None:
        ctx = self.ctx
        inst = ctx.instance
        budgets = self.budgets[: target.by_index + 1]
        affordable = sum(budgets) if inst.carry_forward else max(budgets)
        label = (
            f"equity floor {target.share:.0%} by {target.by_year} for kecamatan "
            f"{target.kecamatan_id!r}"
        )
        best_any: dict[int, int] = {}
        best_affordable: dict[int, int] = {}
        costs: dict[int, float] = {}
        for a, v, people, _ in ctx.pairs:
            if ctx.villages[v].kecamatan_id != target.kecamatan_id:
                continue
            cost = self.build_cost(a)
            if cost is None:
                continue
            best_any[v] = max(best_any.get(v, 0), people)
            if cost <= affordable * (1 + _TOLERANCE) + _TOLERANCE:
                best_affordable[v] = max(best_affordable.get(v, 0), people)
                costs[a] = cost
        reach_any = sum(best_any.values())
        reach = sum(best_affordable.values())
        details = {"need": target.need, "unserved": target.unserved, "reach": reach}
        kwargs = {"kecamatan_id": target.kecamatan_id, "year": target.by_year, "details": details}
        if reach_any + _TOLERANCE < target.need:
            self.error(
                "equity_floor_unreachable",
                "equity_floor",
                f"{label} is impossible: it needs {target.need:,.0f} of its "
                f"{target.unserved:,} unserved people served, but the usable options reach at "
                f"most {reach_any:,}",
                **kwargs,
            )
            return
        if reach + _TOLERANCE < target.need:
            self.error(
                "equity_floor_over_budget",
                "equity_floor",
                f"{label} is impossible within the budget: it needs {target.need:,.0f} people "
                f"served, but the options it would take each cost more than the "
                f"{_fmt(affordable)} available for one item by then (affordable options reach "
                f"{reach:,} people)",
                **kwargs,
            )
            return
        minimum = self._min_capex(target, costs)
        available = sum(budgets)
        if minimum is not None and minimum > available * (1 + 1e-7) + _TOLERANCE:
            details["min_capex"] = minimum
            details["available"] = available
            self.error(
                "equity_floor_over_budget",
                "equity_floor",
                f"{label} is impossible within the budget: serving {target.need:,.0f} people "
                f"there costs at least {_fmt(minimum)} but the budgets up to {target.by_year} "
                f"total {_fmt(available)}",
                **kwargs,
            )

    def _min_capex(self, target: FloorTarget, costs: dict[int, float]) -> float | None:
        """Least capex reaching the floor in the kecamatan alone (a small covering MILP)."""
        ctx = self.ctx
        options = sorted(costs)
        col_of = {a: k for k, a in enumerate(options)}
        pairs = [
            (a, v, people)
            for a, v, people, _ in ctx.pairs
            if a in col_of and ctx.villages[v].kecamatan_id == target.kecamatan_id
        ]
        n_u, n_s = len(options), len(pairs)
        starts, index, value, lower, upper = [0], [], [], [], []

        def add(cols: list[int], vals: list[float], lo: float, hi: float) -> None:
            index.extend(cols)
            value.extend(vals)
            starts.append(len(index))
            lower.append(lo)
            upper.append(hi)

        add([n_u + k for k in range(n_s)], [float(p[2]) for p in pairs], target.need, np.inf)
        for k, (a, _, _) in enumerate(pairs):
            add([n_u + k, col_of[a]], [1.0, -1.0], -np.inf, 0.0)
        by_village: dict[int, list[int]] = {}
        for k, (_, v, _) in enumerate(pairs):
            by_village.setdefault(v, []).append(n_u + k)
        for cols in by_village.values():
            add(cols, [1.0] * len(cols), -np.inf, 1.0)
        scale = ctx.money_scale
        outcome = solve_rowwise_mip(
            new_highs(time_limit=10.0),
            maximize=False,
            col_cost=np.array([costs[a] / scale for a in options] + [0.0] * n_s),
            col_lower=np.zeros(n_u + n_s),
            col_upper=np.ones(n_u + n_s),
            row_lower=np.array(lower),
            row_upper=np.array(upper),
            row_start=np.array(starts),
            col_index=np.array(index),
            value=np.array(value),
            integrality=np.full(n_u + n_s, INTEGER, dtype=np.int32),
        )
        if outcome.status != "optimal" or outcome.objective is None:
            return None
        return outcome.objective * scale


def precheck(ctx: Context) -> list[Diagnosis]:
    """Find common causes of infeasibility, and options that can never be chosen.

    Parameters
    ----------
    ctx : Context
        Index maps of a validated instance.

    Returns
    -------
    list of Diagnosis
        ``"error"`` entries each prove the instance infeasible; ``"info"`` entries flag options
        that are never usable.
    """
    checker = _Checker(ctx)
    checker.check_options()
    checker.check_forced()
    checker.check_floors()
    return checker.diagnoses


def _group_label(ctx: Context, kind: str, key: object) -> tuple[str, dict[str, object]]:
    inst = ctx.instance
    if kind == "forced":
        year = inst.forced[key]
        when = f" in {year}" if year is not None else ""
        return f"forced item {key!r}{when}", {"item_id": key, "year": year}
    if kind == "forbidden":
        return f"forbidden item {key!r}", {"item_id": key}
    f, kecamatan_id = key
    floor = inst.equity_floors[f]
    return (
        f"equity floor {float(floor.share):.0%} by {floor.by_year} for kecamatan {kecamatan_id!r}",
        {"kecamatan_id": kecamatan_id, "year": floor.by_year},
    )


def find_conflict(
    ctx: Context, check_seconds: float = 10.0, max_groups: int = 100
) -> list[Diagnosis]:
    """Name a minimal set of switchable constraints that cannot hold together.

    Parameters
    ----------
    ctx : Context
    check_seconds : float, default 10
        Time limit of each feasibility solve; an undecided check keeps its group.
    max_groups : int, default 100
        Beyond this many groups the search is skipped and a generic message returned.

    Returns
    -------
    list of Diagnosis
        One ``"conflict"`` error per member of the set, each message naming the whole set.
    """
    groups = ctx.all_groups()
    members: list[tuple[str, object]] = (
        [("forced", k) for k in sorted(groups.forced)]
        + [("forbidden", k) for k in sorted(groups.forbidden)]
        + [("floor", k) for k in sorted(groups.floors)]
    )
    generic = Diagnosis(
        "error",
        "infeasible",
        "budget",
        "HiGHS proved the plan infeasible: the yearly budgets, forced and forbidden items and "
        "equity floors cannot all be met together",
    )
    if not members or len(members) > max_groups:
        return [generic]

    def feasible(active: list[tuple[str, object]]) -> bool | None:
        chosen = Groups(
            forced=frozenset(k for kind, k in active if kind == "forced"),
            forbidden=frozenset(k for kind, k in active if kind == "forbidden"),
            floors=frozenset(k for kind, k in active if kind == "floor"),
        )
        model = build_model(ctx, chosen)
        outcome = solve_model_feasibility(model, check_seconds)
        if outcome == "infeasible":
            return False
        return True if outcome in ("optimal", "time_limit_feasible") else None

    active = list(members)
    for member in members:
        trial = [m for m in active if m != member]
        if feasible(trial) is False:
            active = trial
    if not active:
        return [generic]
    labels = [_group_label(ctx, kind, key) for kind, key in active]
    together = "; ".join(label for label, _ in labels)
    constraint_of = {"forced": "forced", "forbidden": "forbidden", "floor": "equity_floor"}
    return [
        Diagnosis(
            "error",
            "conflict",
            constraint_of[kind],
            "these requirements cannot all be met within the yearly budgets: " + together,
            **fields,
        )
        for (kind, _), (_, fields) in zip(active, labels, strict=True)
    ]


def solve_model_feasibility(model: Model, check_seconds: float) -> str:
    """Feasibility-only solve (zero objective); returns a HiGHS status name."""
    highs = new_highs(time_limit=check_seconds)
    outcome = solve_rowwise_mip(
        highs, maximize=True, col_cost=np.zeros(model.people.shape[0]), **model.arrays
    )
    if outcome.status == "time_limit" and outcome.values is not None:
        return "time_limit_feasible"
    return outcome.status
