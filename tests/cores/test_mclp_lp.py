"""The LP stage of the MCLP core: bounds that prove a plan optimal, and plans rounded from the
relaxation."""

from __future__ import annotations

import numpy as np
import pytest

from jangkau.cores.planning import mclp
from jangkau.cores.planning.mclp import solve_mclp
from jangkau.cores.planning.mclp_input import flatten_covers
from jangkau.cores.planning.mclp_lp import (
    Relaxation,
    is_proven,
    rounded_plans,
    simple_bound,
    solve_relaxation,
)
from jangkau.cores.planning.mclp_reduce import (
    column_index,
    greedy_start,
    plan_value,
    reduce_instance,
)
from tests.cores.test_mclp import brute_force, covered_weight, geometric_instance


def reduced_of(weights, covers, m, costs=None, budget=None):
    w = np.asarray(weights, dtype=float)
    indptr, indices = flatten_covers(covers, w.shape[0], m)
    cost = None if costs is None else np.asarray(costs, dtype=float)
    return reduce_instance(w, indptr, indices, m, cost, budget)


def test_simple_bound_is_all_the_weight_or_the_p_largest_reaches():
    # site 0 reaches 10 + 5, site 1 reaches 5 + 7, site 2 reaches 1
    weights, covers = [10, 5, 7, 1], [[0], [0, 1], [1], [2]]
    red = reduced_of(weights, covers, 3)
    assert simple_bound(red, 1) == 15.0
    assert simple_bound(red, 2) == 23.0  # min(total 23, 15 + 12)
    assert simple_bound(red, 3) == 23.0
    assert simple_bound(red, None) == 23.0


def test_the_relaxation_bounds_the_brute_force_optimum():
    for seed in range(8):
        weights, covers = geometric_instance(14, 7, seed=seed, radius=60.0)
        m, p = 7, 2
        red = reduced_of(weights, covers, m)
        if red.candidates.shape[0] == 0:
            continue
        arrays = mclp._build_arrays(red, p, None)
        relaxation = solve_relaxation(arrays, None)
        optimum = brute_force(weights.tolist(), [c.tolist() for c in covers], m, p=p)
        assert relaxation.bound >= optimum - 1e-6
        assert relaxation.site_values.shape == (red.candidates.shape[0],)
        assert ((relaxation.site_values >= 0) & (relaxation.site_values <= 1)).all()


def test_a_plan_at_the_bound_is_proven_and_one_below_is_not():
    relaxation = Relaxation(bound=100.0, site_values=np.ones(2))
    assert is_proven(100.0, relaxation)
    assert is_proven(100.0 - 1e-7, relaxation)
    assert not is_proven(99.0, relaxation)


def test_rounded_plans_never_lose_the_incumbent_and_are_reproducible():
    weights, covers = geometric_instance(800, 160, seed=3)
    red = reduced_of(weights, covers, 160)
    arrays = mclp._build_arrays(red, 6, None)
    relaxation = solve_relaxation(arrays, None)
    col_ptr, col_groups = column_index(red)
    start = greedy_start(red, 6, None)
    incumbent = np.flatnonzero(start[: red.candidates.shape[0]] > 0.5).tolist()
    value0 = plan_value(red, col_ptr, col_groups, incumbent)
    first = rounded_plans(red, relaxation, 6, None, incumbent, rounds=5)
    second = rounded_plans(red, relaxation, 6, None, incumbent, rounds=5)
    assert first == second
    plan, value, rounds = first
    assert value >= value0
    assert value <= relaxation.bound + 1e-6
    assert len(plan) <= 6 and 0 <= rounds <= 5
    assert value == pytest.approx(plan_value(red, col_ptr, col_groups, plan))


def test_rounded_plans_respect_the_budget():
    weights, covers = geometric_instance(500, 120, seed=8)
    costs = np.random.default_rng(8).uniform(1.0, 5.0, 120)
    budget = 9.0
    red = reduced_of(weights, covers, 120, costs, budget)
    arrays = mclp._build_arrays(red, None, budget)
    relaxation = solve_relaxation(arrays, None)
    plan, value, _ = rounded_plans(red, relaxation, None, budget, [], rounds=10)
    assert red.cand_cost[plan].sum() <= budget + 1e-9
    assert value > 0


def test_a_plan_covering_everyone_is_returned_without_an_lp():
    # three clusters, three sites, p = 3: the greedy plan covers all the weight
    weights = [5, 6, 7, 8, 9, 10]
    covers = [[0], [0, 1], [1], [1, 2], [2], [2, 0]]
    result = solve_mclp(weights, covers, 3, p=3)
    assert result.objective == sum(weights)
    assert result.stats["proven_by_simple_bound"] is True
    assert result.stats["lp_seconds"] == 0.0


def test_geometric_instances_proven_by_the_lp_match_a_full_branch_and_bound(monkeypatch):
    """The LP stage changes how optimality is proven, never the optimum: the same instances
    solved with the stage disabled (straight to HiGHS) give the same objective."""
    proven = 0
    for seed in range(6):
        weights, covers = geometric_instance(1500, 300, seed=100 + seed)
        with_lp = solve_mclp(weights, covers, 300, p=10)
        proven += bool(with_lp.stats.get("proven_by_lp"))
        monkeypatch.setattr(
            mclp, "_from_relaxation", lambda reduced, *a, **k: (_greedy(reduced, a), False)
        )
        without = solve_mclp(weights, covers, 300, p=10)
        monkeypatch.undo()
        assert with_lp.status == without.status == "optimal"
        assert with_lp.objective == pytest.approx(without.objective)
        assert with_lp.objective == pytest.approx(
            covered_weight(weights.tolist(), [c.tolist() for c in covers], with_lp.chosen)
        )
    assert proven >= 1  # the stage is exercised, not skipped by the simple bound


def _greedy(reduced, args):
    start = args[3]
    return np.flatnonzero(start[: reduced.candidates.shape[0]] > 0.5).tolist()
