r"""Maximal covering location problem (MCLP), built as sparse arrays and solved by HiGHS.

The model is the MCLP of Church & ReVelle (1974) in its two usual forms: a fixed number of
sites ``p`` or, for sites with different costs, a budget. Cover sets are given directly
(``covers[i]`` lists the candidates that cover demand point ``i``), so coverage can come from a
radius, a drive time or a propagation model alike.

The whole model is assembled as NumPy arrays and handed to HiGHS in one ``passModel`` call;
no per-variable Python objects are created, which is what makes the build fast. Before the
build the instance is reduced in ways that keep the proven optimum (see :func:`solve_mclp`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from jangkau.cores.planning._highs import (
    CONTINUOUS,
    INTEGER,
    new_highs,
    solve_rowwise_mip,
)
from jangkau.cores.planning.mclp_input import check_number_array, check_scalars, flatten_covers
from jangkau.cores.planning.mclp_lp import (
    ABS_GAP,
    is_proven,
    rounded_plans,
    simple_bound,
    solve_relaxation,
)
from jangkau.cores.planning.mclp_reduce import (
    Reduced,
    column_index,
    drop_redundant,
    greedy_start,
    plan_start,
    plan_value,
    reduce_instance,
)

__all__ = ["MclpResult", "solve_mclp"]


@dataclass(frozen=True)
class MclpResult:
    """Solution of one MCLP instance.

    Attributes
    ----------
    objective : float
        Sum of the weights of the covered demand points (recomputed from ``chosen``).
    chosen : list of int
        Sorted indices of the chosen candidate sites. Sites that add no weighted coverage to
        the others are not listed (see :func:`solve_mclp`).
    covered : list of int
        Sorted indices of the demand points covered by at least one chosen site (zero-weight
        points included).
    status : str
        ``"optimal"`` (proven within the requested gap), ``"time_limit"`` (best plan found when
        the time ran out), or another HiGHS status name such as ``"infeasible"`` or ``"error"``.
    gap : float or None
        Relative MIP gap reported by HiGHS, 0 for a proven optimum; ``None`` when no solution
        exists.
    seconds : float
        Wall-clock time of the whole call: validation, reduction, build and solve.
    stats : dict
        Sizes and timings for diagnostics: ``n_demand``, ``n_candidates``, ``model_rows``,
        ``model_columns``, ``model_nonzeros``, ``merged_demand_groups``,
        ``single_cover_groups``, ``kept_candidates``, ``build_seconds``, ``solve_seconds``,
        and of the steps before branch and bound ``lp_bound``, ``lp_seconds``, ``lp_rounds``,
        ``proven_by_lp``, ``proven_by_simple_bound``.
    """

    objective: float
    chosen: list[int]
    covered: list[int]
    status: str
    gap: float | None
    seconds: float
    stats: dict[str, float] = field(default_factory=dict)


def _build_arrays(reduced: Reduced, p: int | None, budget: float | None) -> dict[str, np.ndarray]:
    """Row-wise arrays of the reduced MCLP (columns: x for candidates, then y for groups)."""
    m = reduced.candidates.shape[0]
    g = reduced.group_weight.shape[0]
    lengths = np.diff(reduced.group_indptr)
    # Rows 0..g-1:  y_g - sum_{j in N_g} x_j <= 0 ; row g: sum_j x_j <= p  or  sum c_j x_j <= B.
    row_len = np.concatenate([lengths + 1, [m]])
    row_start = np.zeros(g + 2, dtype=np.int64)
    np.cumsum(row_len, out=row_start[1:])
    nnz = int(row_start[-1])
    col_index = np.empty(nnz, dtype=np.int64)
    value = np.empty(nnz, dtype=np.float64)
    y_pos = row_start[:g]
    col_index[y_pos] = m + np.arange(g)
    value[y_pos] = 1.0
    x_pos = np.ones(nnz, dtype=bool)
    x_pos[y_pos] = False
    x_pos[row_start[g] :] = False
    col_index[x_pos] = reduced.group_indices
    value[x_pos] = -1.0
    col_index[row_start[g] :] = np.arange(m)
    if budget is not None:
        value[row_start[g] :] = reduced.cand_cost
        last_upper = float(budget)
    else:
        value[row_start[g] :] = 1.0
        last_upper = float(p)
    return {
        "col_cost": np.concatenate([reduced.single_weight, reduced.group_weight]),
        "col_lower": np.zeros(m + g),
        "col_upper": np.ones(m + g),
        "row_lower": np.full(g + 1, -np.inf),
        "row_upper": np.concatenate([np.zeros(g), [last_upper]]),
        "row_start": row_start,
        "col_index": col_index,
        "value": value,
        "integrality": np.concatenate(
            [np.full(m, INTEGER, dtype=np.int32), np.full(g, CONTINUOUS, dtype=np.int32)]
        ),
    }


def _from_relaxation(
    reduced: Reduced,
    arrays: dict[str, np.ndarray],
    p: int | None,
    budget: float | None,
    start: np.ndarray,
    time_limit: float | None,
    started: float,
    stats: dict[str, float],
) -> tuple[list[int], bool]:
    """The LP stage (:mod:`jangkau.cores.planning.mclp_lp`): the best plan known after
    rounding the relaxation, and whether the relaxation's bound proves it optimal."""
    m = reduced.candidates.shape[0]
    plan = np.flatnonzero(start[:m] > 0.5).tolist()
    col_ptr, col_groups = column_index(reduced)
    if plan_value(reduced, col_ptr, col_groups, plan) >= simple_bound(reduced, p) - ABS_GAP:
        stats.update(lp_seconds=0.0, lp_rounds=0, proven_by_lp=False, proven_by_simple_bound=True)
        return plan, True
    lp_start = time.perf_counter()
    left = None if time_limit is None else max(0.0, time_limit - (lp_start - started))
    relaxation = solve_relaxation(arrays, left)
    if relaxation is None:
        stats.update(lp_seconds=time.perf_counter() - lp_start, lp_rounds=0, proven_by_lp=False)
        return plan, False
    deadline = None if time_limit is None else started + time_limit
    plan, value, rounds = rounded_plans(reduced, relaxation, p, budget, plan, deadline=deadline)
    proven = is_proven(value, relaxation)
    stats.update(
        lp_bound=relaxation.bound,
        lp_seconds=time.perf_counter() - lp_start,
        lp_rounds=rounds,
        proven_by_lp=proven,
    )
    return plan, proven


def solve_mclp(
    weights: Sequence[float] | np.ndarray,
    covers: Sequence[Sequence[int]],
    n_candidates: int,
    p: int | None = None,
    costs: Sequence[float] | np.ndarray | None = None,
    budget: float | None = None,
    time_limit: float | None = None,
) -> MclpResult:
    r"""Solve a maximal covering location problem with HiGHS.

    Choose candidate sites so that the total weight of the demand points within reach of a
    chosen site is as large as possible, with at most ``p`` sites or with the chosen sites'
    costs within ``budget``.

    Parameters
    ----------
    weights : sequence of float
        Non-negative weight :math:`w_i` of each demand point (e.g. people).
    covers : sequence of sequence of int
        ``covers[i]`` lists the candidates :math:`N_i` that cover demand point :math:`i`
        (duplicates are ignored). NumPy integer arrays are accepted and are the fastest input.
    n_candidates : int
        Number of candidate sites :math:`J`; indices in ``covers`` lie in ``0..J-1``.
    p : int, optional
        Maximum number of sites to open, :math:`0 \le p \le J`. Give ``p`` or ``budget``.
    costs : sequence of float, optional
        Non-negative cost :math:`c_j` of each candidate; required with ``budget``.
    budget : float, optional
        Upper bound :math:`B` on the total cost of the chosen sites.
    time_limit : float, optional
        Seconds HiGHS may spend; on expiry the best plan found is returned with status
        ``"time_limit"`` and its gap.

    Returns
    -------
    MclpResult
        Objective, chosen sites, covered points, HiGHS status and gap, and the time taken.

    Raises
    ------
    ValueError
        On malformed input; the message names the argument and the offending entry, e.g.
        ``covers[12][3]: candidate index 600 out of range 0..499``.

    Notes
    -----
    With :math:`x_j \in \{0,1\}` (site :math:`j` opened) and :math:`y_i` (point :math:`i`
    covered) the model of Church & ReVelle (1974) is

    .. math::

        \max \sum_i w_i y_i
        \quad\text{s.t.}\quad
        y_i \le \sum_{j \in N_i} x_j \;\; \forall i, \qquad
        \sum_j x_j \le p \;\;\text{or}\;\; \sum_j c_j x_j \le B, \qquad
        x_j \in \{0,1\},\; 0 \le y_i \le 1 .

    The :math:`y_i` are continuous: for integral :math:`x` an optimal :math:`y_i` equals
    :math:`\min(1, \sum_{j\in N_i} x_j)`, which is 0 or 1. The original paper fixes
    :math:`\sum_j x_j = p`; any extra site beyond the optimum's useful ones adds no weight, so
    the optimal objective is the same, and sites that add no weighted coverage to the others
    are dropped from ``chosen`` (from the most expensive, or highest index, down).

    Reductions applied before the build, each keeping the optimal objective:

    1. points with zero weight or an empty cover set are dropped, and under a budget the
       candidates costing more than the budget;
    2. candidates covering no remaining point are dropped, and candidates with identical
       cover columns are merged into the cheapest one (lowest index on ties);
    3. points with identical cover sets are merged into one group with the summed weight;
    4. a group covered by a single candidate :math:`j` is covered exactly when
       :math:`x_j = 1`, so its weight moves onto the objective coefficient of :math:`x_j` and
       its row and column disappear.

    Then a plan is sought and, where possible, proven optimal before any branch and bound:

    5. a greedy plan improved by swap moves (``mclp_reduce.greedy_start``); if it reaches a
       simple bound (all the weight there is, or the ``p`` largest single-site coverages) it
       is optimal and returned;
    6. otherwise the LP relaxation is solved; plans rounded from it and improved by swap
       moves replace the greedy plan when better, and a plan that reaches the relaxation's
       optimum is optimal and returned (:mod:`jangkau.cores.planning.mclp_lp`);
    7. otherwise HiGHS's branch and bound starts from the best plan.

    HiGHS runs with one thread, ``random_seed`` 0 and ``mip_rel_gap`` 0, the rounding with a
    seeded generator, so results are deterministic and optimal up to HiGHS's absolute gap
    tolerance (1e-6), the same tolerance steps 5 and 6 prove optimality with.

    References
    ----------
    .. [1] Church, R. and ReVelle, C. (1974). The maximal covering location problem.
       *Papers of the Regional Science Association* 32(1), 101-118.
       doi:10.1007/BF01942293
    .. [2] Huangfu, Q. and Hall, J. A. J. (2018). Parallelizing the dual revised simplex
       method. *Mathematical Programming Computation* 10(1), 119-142 (HiGHS).

    Examples
    --------
    >>> result = solve_mclp([5, 3, 6], [[0], [0, 1], [1]], n_candidates=2, p=1)
    >>> result.objective, result.chosen, result.covered
    (9.0, [1], [1, 2])
    """
    started = time.perf_counter()
    check_scalars(n_candidates, p, budget, costs, time_limit)
    n_candidates = int(n_candidates)
    weight_array = check_number_array("weights", weights, None)
    cost_array = check_number_array("costs", costs, n_candidates) if costs is not None else None
    indptr, indices = flatten_covers(covers, weight_array.shape[0], n_candidates)

    build_start = time.perf_counter()
    reduced = reduce_instance(
        weight_array, indptr, indices, n_candidates, cost_array, None if p is not None else budget
    )
    m = reduced.candidates.shape[0]
    stats: dict[str, float] = {
        "n_demand": weight_array.shape[0],
        "n_candidates": n_candidates,
        "kept_candidates": m,
        "merged_demand_groups": reduced.n_groups,
        "single_cover_groups": reduced.n_groups - reduced.group_weight.shape[0],
    }
    status, gap = "optimal", 0.0
    solve_seconds = 0.0
    if m == 0:
        chosen_pos = np.zeros(0, dtype=np.int64)
        stats.update(model_rows=0, model_columns=0, model_nonzeros=0)
        build_seconds = time.perf_counter() - build_start
    else:
        arrays = _build_arrays(reduced, None if budget is not None else int(p), budget)
        stats.update(
            model_rows=arrays["row_lower"].shape[0],
            model_columns=arrays["col_cost"].shape[0],
            model_nonzeros=arrays["value"].shape[0],
        )
        build_seconds = time.perf_counter() - build_start
        solve_start = time.perf_counter()
        count = None if budget is not None else int(p)
        start = greedy_start(reduced, count, budget)
        plan, proven = _from_relaxation(
            reduced, arrays, count, budget, start, time_limit, started, stats
        )
        if proven:
            chosen_pos = np.asarray(plan, dtype=np.int64)
        else:
            col_ptr, col_groups = column_index(reduced)
            start = plan_start(reduced, col_ptr, col_groups, plan)
            left = (
                None
                if time_limit is None
                else max(0.0, time_limit - (time.perf_counter() - started))
            )
            highs = new_highs(time_limit=left, presolve=False)
            outcome = solve_rowwise_mip(highs, maximize=True, start_values=start, **arrays)
            status, gap = outcome.status, outcome.gap
            if outcome.values is None:
                chosen_pos = np.zeros(0, dtype=np.int64)
            else:
                chosen_pos = np.flatnonzero(outcome.values[:m] > 0.5)
        solve_seconds = time.perf_counter() - solve_start
        chosen_pos = drop_redundant(chosen_pos, reduced, cost_array)
    chosen = reduced.candidates[chosen_pos]
    is_chosen = np.zeros(n_candidates, dtype=bool)
    is_chosen[chosen] = True
    row_of = np.repeat(np.arange(weight_array.shape[0]), np.diff(indptr))
    hits = np.bincount(row_of, weights=is_chosen[indices], minlength=weight_array.shape[0])
    covered = np.flatnonzero(hits > 0)
    objective = math.fsum(weight_array[covered].tolist())
    stats.update(build_seconds=build_seconds, solve_seconds=solve_seconds)
    return MclpResult(
        objective=objective,
        chosen=chosen.tolist(),
        covered=covered.tolist(),
        status=status,
        gap=gap,
        seconds=time.perf_counter() - started,
        stats=stats,
    )
