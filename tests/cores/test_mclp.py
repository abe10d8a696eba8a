"""Tests of the MCLP core: optimum against brute force, reductions, limits, input errors."""

from __future__ import annotations

import doctest
import itertools

import numpy as np
import pytest

from jangkau.cores.planning import mclp
from jangkau.cores.planning.mclp import solve_mclp


def covered_weight(weights, covers, chosen) -> float:
    chosen = set(chosen)
    return float(sum(w for w, row in zip(weights, covers, strict=True) if chosen & set(row)))


def brute_force(weights, covers, n_candidates, p=None, costs=None, budget=None) -> float:
    best = 0.0
    for size in range(n_candidates + 1):
        if p is not None and size > p:
            break
        for subset in itertools.combinations(range(n_candidates), size):
            if budget is not None and sum(costs[j] for j in subset) > budget + 1e-9:
                continue
            best = max(best, covered_weight(weights, covers, subset))
    return best


def random_instance(rng: np.random.Generator, duplicates: bool = True):
    n = int(rng.integers(1, 13))
    m = int(rng.integers(1, 8))
    weights = rng.integers(0, 20, n).astype(float).tolist()
    covers = [
        sorted(rng.choice(m, int(rng.integers(0, m + 1)), replace=False).tolist()) for _ in range(n)
    ]
    if duplicates and n > 2:
        covers[-1] = list(covers[0])  # identical cover sets to merge
    return weights, covers, m


@pytest.mark.parametrize("seed", range(60))
def test_count_form_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    weights, covers, m = random_instance(rng)
    p = int(rng.integers(0, m + 1))
    result = solve_mclp(weights, covers, m, p=p)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(brute_force(weights, covers, m, p=p))
    assert len(result.chosen) <= p
    assert result.objective == pytest.approx(covered_weight(weights, covers, result.chosen))
    expected_covered = [i for i, row in enumerate(covers) if set(row) & set(result.chosen)]
    assert result.covered == expected_covered
    assert result.chosen == sorted(result.chosen)


@pytest.mark.parametrize("seed", range(60))
def test_budget_form_matches_brute_force(seed):
    rng = np.random.default_rng(1000 + seed)
    weights, covers, m = random_instance(rng)
    costs = rng.integers(0, 10, m).astype(float).tolist()
    budget = float(rng.integers(0, 25))
    result = solve_mclp(weights, covers, m, costs=costs, budget=budget)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(
        brute_force(weights, covers, m, costs=costs, budget=budget)
    )
    assert sum(costs[j] for j in result.chosen) <= budget + 1e-9


def test_fractional_weights_match_brute_force():
    rng = np.random.default_rng(7)
    for _ in range(20):
        weights, covers, m = random_instance(rng)
        weights = [w * 0.37 for w in weights]
        p = int(rng.integers(1, m + 1))
        result = solve_mclp(weights, covers, m, p=p)
        assert result.objective == pytest.approx(brute_force(weights, covers, m, p=p))


def test_docstring_example_runs():
    failures, _ = doctest.testmod(mclp, verbose=False)
    assert failures == 0


def test_hand_checked_instance():
    # Candidate 0 covers points 0 and 1 (5 + 3); candidate 1 covers 1 and 2 (3 + 6).
    result = solve_mclp([5, 3, 6], [[0], [0, 1], [1]], n_candidates=2, p=1)
    assert (result.objective, result.chosen, result.covered) == (9.0, [1], [1, 2])
    both = solve_mclp([5, 3, 6], [[0], [0, 1], [1]], n_candidates=2, p=2)
    assert (both.objective, both.chosen, both.covered) == (14.0, [0, 1], [0, 1, 2])


def test_reductions_shrink_the_model_and_keep_the_optimum():
    # Points 0-2 share a cover set, point 3 has zero weight, point 4 is covered by nothing;
    # candidates 0/1 and 2/3 are twins (identical cover columns), candidate 4 covers only the
    # zero-weight point.
    weights = [1, 2, 3, 0, 7, 4]
    covers = [[0, 1], [1, 0], [0, 1, 1], [4], [], [2, 3]]
    result = solve_mclp(weights, covers, 5, p=2)
    assert result.objective == pytest.approx(brute_force(weights, covers, 5, p=2)) == 10.0
    assert result.stats["merged_demand_groups"] == 2
    assert result.stats["kept_candidates"] == 2
    assert result.chosen == [0, 2]  # the lower-index twin is kept
    assert result.covered == [0, 1, 2, 5]


def test_twin_candidates_keep_the_cheapest_under_a_budget():
    result = solve_mclp([10], [[0, 1]], 2, costs=[5.0, 3.0], budget=4.0)
    assert result.chosen == [1]
    assert result.objective == 10.0


def test_candidates_dearer_than_the_budget_are_dropped():
    result = solve_mclp([100, 1], [[0], [1]], 2, costs=[10.0, 1.0], budget=5.0)
    assert result.chosen == [1] and result.objective == 1.0
    assert result.stats["kept_candidates"] == 1


def test_sites_that_add_nothing_are_not_reported():
    # One site covers everything; p allows three.
    result = solve_mclp([1, 1, 1], [[0, 1], [0, 2], [0]], 3, p=3)
    assert result.chosen == [0]
    assert result.objective == 3.0
    free = solve_mclp([1, 1], [[0, 1], [1]], 2, costs=[0.0, 0.0], budget=0.0)
    assert free.chosen == [1]


def test_zero_cost_candidates_fit_a_zero_budget():
    result = solve_mclp([4, 6], [[0], [1]], 2, costs=[0.0, 1.0], budget=0.0)
    assert result.chosen == [0]
    assert result.objective == 4.0


def test_empty_and_trivial_instances():
    empty = solve_mclp([], [], 0, p=0)
    assert (empty.objective, empty.chosen, empty.covered, empty.status) == (
        0.0,
        [],
        [],
        "optimal",
    )
    none_chosen = solve_mclp([3, 4], [[0], [1]], 2, p=0)
    assert none_chosen.chosen == [] and none_chosen.objective == 0.0
    zero_weight = solve_mclp([0, 0], [[0], [1]], 2, p=1)
    assert zero_weight.chosen == [] and zero_weight.status == "optimal"


def test_numpy_input_gives_the_same_result_as_lists():
    rng = np.random.default_rng(3)
    weights, covers, m = random_instance(rng, duplicates=False)
    as_lists = solve_mclp(weights, covers, m, p=min(2, m))
    as_arrays = solve_mclp(
        np.asarray(weights), [np.asarray(row, dtype=np.int32) for row in covers], m, p=min(2, m)
    )
    assert (as_arrays.objective, as_arrays.chosen, as_arrays.covered) == (
        as_lists.objective,
        as_lists.chosen,
        as_lists.covered,
    )


def geometric_instance(n: int, m: int, seed: int, radius: float = 15.0):
    rng = np.random.default_rng(seed)
    demand = rng.uniform(0, 200, (n, 2))
    sites = rng.uniform(0, 200, (m, 2))
    distance = np.hypot(*(demand[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
    covers = [np.flatnonzero(row <= radius) for row in distance]
    weights = rng.integers(1, 500, n)
    return weights, covers


def test_same_input_gives_the_same_plan():
    weights, covers = geometric_instance(600, 150, seed=11)
    first = solve_mclp(weights, covers, 150, p=8)
    second = solve_mclp(weights, covers, 150, p=8)
    assert first.status == "optimal"
    assert (first.chosen, first.covered, first.objective) == (
        second.chosen,
        second.covered,
        second.objective,
    )


def test_time_limit_returns_best_plan_and_gap():
    weights, covers = geometric_instance(3000, 600, seed=5)
    result = solve_mclp(weights, covers, 600, p=12, time_limit=1e-3)
    assert result.status == "time_limit"
    assert result.gap is None or result.gap > 0
    assert len(result.chosen) <= 12
    assert result.objective == pytest.approx(
        covered_weight(weights.tolist(), [r.tolist() for r in covers], result.chosen)
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(weights=[1, 2], covers=[[0]], n_candidates=1, p=1), "covers: has 1 cover sets"),
        (
            dict(weights=[1] * 13, covers=[[0]] * 12 + [[0, 1, 2, 600]], n_candidates=500, p=1),
            "covers[12][3]: candidate index 600 out of range 0..499",
        ),
        (dict(weights=[1], covers=[[-1]], n_candidates=3, p=1), "covers[0][0]: candidate index -1"),
        (dict(weights=[1], covers=[[0.5]], n_candidates=3, p=1), "covers[0][0]: candidate index"),
        (dict(weights=[1], covers=[[True]], n_candidates=3, p=1), "covers[0][0]: candidate index"),
        (dict(weights=[1], covers=[5], n_candidates=3, p=1), "covers[0]: expected a list"),
        (dict(weights=[1], covers=[[0]], n_candidates=0, p=0), "out of range empty"),
        (
            dict(weights=[1], covers=[[10**30]], n_candidates=3, p=1),
            f"covers[0][0]: candidate index {10**30} out of range 0..2",
        ),
        (dict(weights=[1], covers=[[0]], n_candidates=2**31, p=1), "n_candidates: at most"),
        (dict(weights=[1, -2], covers=[[0], [0]], n_candidates=1, p=1), "weights[1]: must not"),
        (dict(weights=[float("nan")], covers=[[0]], n_candidates=1, p=1), "weights[0]: must be"),
        (dict(weights=["a"], covers=[[0]], n_candidates=1, p=1), "weights[0]: expected a number"),
        (dict(weights=5, covers=[[0]], n_candidates=1, p=1), "weights: expected a sequence"),
        (dict(weights=[1], covers=[[0]], n_candidates=-1, p=0), "n_candidates: must be"),
        (dict(weights=[1], covers=[[0]], n_candidates=2.0, p=0), "n_candidates: must be"),
        (dict(weights=[1], covers=[[0]], n_candidates=2, p=3), "p: must be between 0 and"),
        (dict(weights=[1], covers=[[0]], n_candidates=2, p=-1), "p: must be between 0 and"),
        (dict(weights=[1], covers=[[0]], n_candidates=2, p=1.5), "p: must be an integer"),
        (dict(weights=[1], covers=[[0]], n_candidates=2), "neither was given"),
        (
            dict(weights=[1], covers=[[0]], n_candidates=2, p=1, costs=[1, 1], budget=3),
            "not both",
        ),
        (dict(weights=[1], covers=[[0]], n_candidates=2, budget=3), "budget: given without costs"),
        (dict(weights=[1], covers=[[0]], n_candidates=2, p=1, costs=[1, 1]), "costs: only used"),
        (dict(weights=[1], covers=[[0]], n_candidates=2, costs=[1], budget=3), "costs: has 1"),
        (
            dict(weights=[1], covers=[[0]], n_candidates=2, costs=[1, -1], budget=3),
            "costs[1]: must not be negative",
        ),
        (
            dict(weights=[1], covers=[[0]], n_candidates=2, costs=[1, 1], budget=-1),
            "budget: must be a finite non-negative",
        ),
        (
            dict(weights=[1], covers=[[0]], n_candidates=2, costs=[1, 1], budget="9"),
            "budget: must be a number",
        ),
        (dict(weights=[1], covers=[[0]], n_candidates=2, p=1, time_limit=0), "time_limit"),
    ],
)
def test_malformed_input_is_named(kwargs, message):
    with pytest.raises(ValueError) as raised:
        solve_mclp(**kwargs)
    assert message in str(raised.value)


def test_duplicate_indices_in_a_cover_set_are_ignored():
    result = solve_mclp([2, 3], [[0, 0, 0], [1, 1]], 2, p=1)
    assert result.objective == 3.0 and result.chosen == [1]


def test_swap_search_repairs_a_greedy_plan():
    # Site 0 covers points 0-3, site 1 points 0, 1, 4, site 2 points 2, 3, 5 (weight 1 each).
    # Greedy with p = 2 takes site 0 first (4 points) and ends at 5; swapping site 0 for the
    # other one covers all 6.
    from jangkau.cores.planning.mclp_input import flatten_covers
    from jangkau.cores.planning.mclp_reduce import greedy_start, reduce_instance

    covers = [[0, 1], [0, 1], [0, 2], [0, 2], [1], [2]]
    indptr, indices = flatten_covers(covers, 6, 3)
    reduced = reduce_instance(np.ones(6), indptr, indices, 3, None)
    start = greedy_start(reduced, 2, None)
    assert sorted(reduced.candidates[np.flatnonzero(start[:3] > 0.5)].tolist()) == [1, 2]
    assert solve_mclp([1] * 6, covers, 3, p=2).chosen == [1, 2]
