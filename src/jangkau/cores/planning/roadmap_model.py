r"""The roadmap MILP as row-wise sparse arrays (formulation: :func:`.roadmap.plan_roadmap`).

Columns, for plan years :math:`t = 0..T-1`:

* :math:`x_{kt} \in \{0,1\}` for every item :math:`k` (access options first, then backhaul
  options): item :math:`k` is built in year :math:`t`;
* :math:`z_{pt} \in \{0,1\}` for every pair :math:`p = (a, v)` of an access option and a village
  it serves with :math:`p_{av} > 0` people: village :math:`v` is counted as newly served by
  option :math:`a` from year :math:`t`.

The constraint groups that the infeasibility search can switch off (forced items, forbidden
items, equity floors per kecamatan) are selected by :class:`Groups`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jangkau.cores.planning._highs import INTEGER, SolveOutcome, new_highs, solve_rowwise_mip
from jangkau.cores.planning.roadmap_instance import RoadmapInstance

__all__ = ["Context", "Groups", "Model", "build_model", "solve_model"]


@dataclass(frozen=True)
class Groups:
    """Switchable constraint groups: forced item ids, forbidden item ids, floors.

    ``floors`` holds ``(floor index, kecamatan id)`` pairs.
    """

    forced: frozenset[str]
    forbidden: frozenset[str]
    floors: frozenset[tuple[int, str]]


@dataclass(frozen=True)
class FloorTarget:
    """One equity-floor requirement: people served in a kecamatan by a year index."""

    floor: int
    kecamatan_id: str
    need: float
    unserved: int
    by_year: int
    by_index: int
    share: float


class Context:
    """Index maps and derived numbers of an instance, shared by the model and the checks."""

    def __init__(self, instance: RoadmapInstance) -> None:
        self.instance = instance
        self.years = instance.years
        self.n_years = len(self.years)
        self.villages = list(instance.villages)
        self.village_index = {v.id: k for k, v in enumerate(self.villages)}
        self.access = list(instance.access_options)
        self.backhaul = list(instance.backhaul_options)
        self.n_access = len(self.access)
        self.n_items = self.n_access + len(self.backhaul)
        self.item_ids = [a.id for a in self.access] + [m.id for m in self.backhaul]
        self.item_index = {item_id: k for k, item_id in enumerate(self.item_ids)}
        self.capex = np.array([float(o.capex) for o in self.access + self.backhaul])
        self.opex = np.array([float(o.opex_per_year) for o in self.access + self.backhaul])
        access_index = {a.id: k for k, a in enumerate(self.access)}
        self.backhaul_of: dict[int, list[int]] = {
            k: [] for k, a in enumerate(self.access) if a.kind == "new_4g_site"
        }
        self.access_of_backhaul: dict[int, int] = {}
        for m, option in enumerate(self.backhaul):
            a = access_index[option.access_option_id]
            self.backhaul_of[a].append(self.n_access + m)
            self.access_of_backhaul[self.n_access + m] = a
        # Items that can never be built whatever the groups: microwave without line of sight.
        self.physically_blocked = {
            self.n_access + m
            for m, option in enumerate(self.backhaul)
            if option.kind == "microwave" and not option.los_feasible
        }
        weights = instance.weights
        self.pairs: list[tuple[int, int, int, float]] = []
        for a, option in enumerate(self.access):
            for village_id, people in option.serves.items():
                if people > 0:
                    v = self.village_index[village_id]
                    self.pairs.append((a, v, int(people), self.value(v, int(people))))
        self.pairs_of_village: dict[int, list[int]] = {}
        for p, (_, v, _, _) in enumerate(self.pairs):
            self.pairs_of_village.setdefault(v, []).append(p)
        del weights
        money = [float(b) for b in instance.budgets.values()] + list(self.capex + self.opex)
        self.money_scale = max(max(money, default=1.0), 1.0) / 1000.0
        self.floor_targets: list[FloorTarget] = []
        unserved_by_kecamatan: dict[str, int] = {}
        for village in self.villages:
            unserved_by_kecamatan[village.kecamatan_id] = (
                unserved_by_kecamatan.get(village.kecamatan_id, 0) + village.people_unserved
            )
        for f, floor in enumerate(instance.equity_floors):
            scope = floor.kecamatan_ids or sorted(unserved_by_kecamatan)
            for kecamatan_id in scope:
                unserved = unserved_by_kecamatan[kecamatan_id]
                if unserved > 0:
                    self.floor_targets.append(
                        FloorTarget(
                            floor=f,
                            kecamatan_id=kecamatan_id,
                            need=float(floor.share) * unserved,
                            unserved=unserved,
                            by_year=floor.by_year,
                            by_index=self.years.index(floor.by_year),
                            share=float(floor.share),
                        )
                    )

    def value(self, v: int, people: int) -> float:
        """Objective value of counting ``people`` served in village index ``v``."""
        village = self.villages[v]
        weights = self.instance.weights
        bonus = sum(
            float(weights.facility_bonus.get(kind, 0.0)) * count
            for kind, count in village.facilities.items()
        )
        return (
            float(weights.remoteness[village.remoteness_class])
            * float(weights.status[village.status])
            * (people + bonus)
        )

    def all_groups(self) -> Groups:
        """Every forced item, forbidden item and floor of the instance."""
        return Groups(
            forced=frozenset(self.instance.forced),
            forbidden=frozenset(self.instance.forbidden),
            floors=frozenset((t.floor, t.kecamatan_id) for t in self.floor_targets),
        )

    def x_col(self, k: int, t: int) -> int:
        """Column of item ``k`` built in year index ``t``."""
        return k * self.n_years + t

    def z_col(self, p: int, t: int) -> int:
        """Column of pair ``p`` counted from year index ``t``."""
        return (self.n_items + p) * self.n_years + t

    @property
    def n_cols(self) -> int:
        return (self.n_items + len(self.pairs)) * self.n_years

    def charged_years(self, build: int, until: int) -> int:
        """Years of opex charged from building in index ``build`` up to index ``until``."""
        first = build + self.instance.opex_start_offset
        return max(0, until - first + 1)


@dataclass
class Model:
    """Row-wise arrays of the MILP plus the three objective vectors."""

    arrays: dict[str, np.ndarray]
    people: np.ndarray  # weighted people newly served (maximise)
    people_years: np.ndarray  # weighted people-years within the horizon (maximise)
    cost: np.ndarray  # total spend over the horizon, scaled by 1 / money_scale (minimise)


class _Rows:
    def __init__(self) -> None:
        self.start = [0]
        self.index: list[int] = []
        self.value: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []

    def add(self, cols: list[int], vals: list[float], lower: float, upper: float) -> None:
        self.index.extend(cols)
        self.value.extend(vals)
        self.start.append(len(self.index))
        self.lower.append(lower)
        self.upper.append(upper)


def build_model(ctx: Context, groups: Groups) -> Model:
    """Assemble the roadmap MILP with the given switchable groups active."""
    inst = ctx.instance
    n_years = ctx.n_years
    lower = np.zeros(ctx.n_cols)
    upper = np.ones(ctx.n_cols)
    for item_id in groups.forbidden:
        k = ctx.item_index[item_id]
        upper[ctx.x_col(k, 0) : ctx.x_col(k, 0) + n_years] = 0.0
    for k in ctx.physically_blocked:
        upper[ctx.x_col(k, 0) : ctx.x_col(k, 0) + n_years] = 0.0
    rows = _Rows()
    for item_id in sorted(groups.forced):
        k = ctx.item_index[item_id]
        year = inst.forced[item_id]
        if year is None:
            rows.add([ctx.x_col(k, t) for t in range(n_years)], [1.0] * n_years, 1.0, np.inf)
        else:
            lower[ctx.x_col(k, ctx.years.index(year))] = 1.0
    # Each access option is built at most once.
    for a in range(ctx.n_access):
        rows.add([ctx.x_col(a, t) for t in range(n_years)], [1.0] * n_years, -np.inf, 1.0)
    # A new site is built together with exactly one backhaul, in the same year.
    for a, options in sorted(ctx.backhaul_of.items()):
        for t in range(n_years):
            cols = [ctx.x_col(m, t) for m in options] + [ctx.x_col(a, t)]
            rows.add(cols, [1.0] * len(options) + [-1.0], 0.0, 0.0)
    # A village is counted under an option only from the option's build year ...
    for p, (a, _, _, _) in enumerate(ctx.pairs):
        for t in range(n_years):
            rows.add([ctx.z_col(p, t), ctx.x_col(a, t)], [1.0, -1.0], -np.inf, 0.0)
    # ... and at most once, under one option.
    for _, pair_ids in sorted(ctx.pairs_of_village.items()):
        cols = [ctx.z_col(p, t) for p in pair_ids for t in range(n_years)]
        rows.add(cols, [1.0] * len(cols), -np.inf, 1.0)
    # Yearly budgets: capex in the build year, opex in the years after (cumulative with
    # carry-forward).
    scale = ctx.money_scale
    budgets = [float(inst.budgets[year]) / scale for year in ctx.years]
    for t in range(n_years):
        cols: list[int] = []
        vals: list[float] = []
        for k in range(ctx.n_items):
            for s in range(t + 1):
                if inst.carry_forward:
                    coef = ctx.capex[k] + ctx.opex[k] * ctx.charged_years(s, t)
                else:
                    coef = ctx.capex[k] * (s == t) + ctx.opex[k] * (s + inst.opex_start_offset <= t)
                if coef > 0:
                    cols.append(ctx.x_col(k, s))
                    vals.append(coef / scale)
        available = sum(budgets[: t + 1]) if inst.carry_forward else budgets[t]
        rows.add(cols, vals, -np.inf, available)
    # Equity floors: people served in the kecamatan by the floor's year.
    for target in ctx.floor_targets:
        if (target.floor, target.kecamatan_id) not in groups.floors:
            continue
        cols, vals = [], []
        for p, (_, v, people, _) in enumerate(ctx.pairs):
            if ctx.villages[v].kecamatan_id == target.kecamatan_id:
                for t in range(target.by_index + 1):
                    cols.append(ctx.z_col(p, t))
                    vals.append(float(people))
        rows.add(cols, vals, target.need, np.inf)
    people = np.zeros(ctx.n_cols)
    people_years = np.zeros(ctx.n_cols)
    for p, (_, _, _, value) in enumerate(ctx.pairs):
        for t in range(n_years):
            people[ctx.z_col(p, t)] = value
            people_years[ctx.z_col(p, t)] = value * (n_years - t)
    cost = np.zeros(ctx.n_cols)
    for k in range(ctx.n_items):
        for s in range(n_years):
            total = ctx.capex[k] + ctx.opex[k] * ctx.charged_years(s, n_years - 1)
            cost[ctx.x_col(k, s)] = total / scale
    arrays = {
        "col_lower": lower,
        "col_upper": upper,
        "row_lower": np.asarray(rows.lower, dtype=np.float64),
        "row_upper": np.asarray(rows.upper, dtype=np.float64),
        "row_start": np.asarray(rows.start, dtype=np.int64),
        "col_index": np.asarray(rows.index, dtype=np.int64),
        "value": np.asarray(rows.value, dtype=np.float64),
        "integrality": np.full(ctx.n_cols, INTEGER, dtype=np.int32),
    }
    return Model(arrays=arrays, people=people, people_years=people_years, cost=cost)


def solve_model(
    model: Model,
    objective: np.ndarray,
    *,
    maximize: bool,
    bounds: list[tuple[np.ndarray, float]] = (),
    start: np.ndarray | None = None,
    time_limit: float | None = None,
) -> SolveOutcome:
    """Solve ``model`` for one objective, with extra rows ``objective_k . x >= bound_k``."""
    arrays = dict(model.arrays)
    if bounds:
        starts = [arrays["row_start"]]
        index = [arrays["col_index"]]
        value = [arrays["value"]]
        lower = [arrays["row_lower"]]
        upper = [arrays["row_upper"]]
        end = int(arrays["row_start"][-1])
        for vector, bound in bounds:
            cols = np.flatnonzero(vector)
            index.append(cols)
            value.append(vector[cols])
            end += cols.shape[0]
            starts.append(np.array([end]))
            lower.append(np.array([bound]))
            upper.append(np.array([np.inf]))
        arrays.update(
            row_start=np.concatenate(starts),
            col_index=np.concatenate(index),
            value=np.concatenate(value),
            row_lower=np.concatenate(lower),
            row_upper=np.concatenate(upper),
        )
    highs = new_highs(time_limit=time_limit)
    return solve_rowwise_mip(
        highs, maximize=maximize, col_cost=objective, start_values=start, **arrays
    )
