r"""The LP relaxation of the MCLP: an upper bound, and plans rounded from it.

Covering models often have an LP relaxation whose optimum is (nearly) the integer optimum. Two
uses follow, both before any branch and bound:

* **A proof.** The relaxation's optimum :math:`z_{LP}` bounds every plan from above. A plan
  worth :math:`z \ge z_{LP} - \epsilon` (:math:`\epsilon` = HiGHS's absolute MIP gap, 1e-6) is
  optimal by the same criterion HiGHS itself applies, and no MIP needs to be solved.
* **Better plans.** The fractional site values :math:`x^*_j` point at where good plans are.
  Each round draws a plan by weighted sampling without replacement (priority
  :math:`u_j^{1/x^*_j}`, :math:`u_j` uniform: Efraimidis & Spirakis 2006), filling the count
  ``p`` or the budget in priority order, then improves it with the swap search of
  :func:`jangkau.cores.planning.mclp_reduce.swap_search`; the best plan is kept. Rounds stop
  early when a plan reaches the bound. The generator is seeded, so the result is
  deterministic.

On a uniform 10,000 x 2,000 instance the bound equalled the optimum; the greedy and swap
plan was 50 people short of it, HiGHS then spent 70 s in cutting-plane rounds before its own
heuristics found the optimum, while the second rounded plan found it in half a second
(docs/benchmarks.md).

Reference: Efraimidis, P. S. and Spirakis, P. G. (2006). Weighted random sampling with a
reservoir. *Information Processing Letters* 97(5), 181-185. doi:10.1016/j.ipl.2005.11.003
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from jangkau.cores.planning._highs import CONTINUOUS, new_highs, solve_rowwise_mip
from jangkau.cores.planning.mclp_reduce import Reduced, column_index, plan_value, swap_search

#: HiGHS's default absolute MIP gap: a plan this close to the bound is optimal.
ABS_GAP = 1e-6
ROUNDS = 30
SEED = 0


@dataclass(frozen=True)
class Relaxation:
    """The solved LP relaxation: its optimum and the site values (model column order)."""

    bound: float
    site_values: np.ndarray


def solve_relaxation(arrays: dict[str, np.ndarray], time_limit: float | None) -> Relaxation | None:
    """Solve the MCLP's LP relaxation with HiGHS (simplex, no presolve).

    ``arrays`` are the row-wise model arrays of ``mclp._build_arrays``; the sites (the first
    columns, as many as ``arrays["integrality"]`` marks integer) are relaxed to ``[0, 1]``.
    Returns ``None`` when the LP is not solved to optimality (time limit): the caller then
    goes straight to the MIP.
    """
    integrality = arrays["integrality"]
    m = int(np.count_nonzero(integrality != CONTINUOUS))
    relaxed = dict(arrays)
    relaxed["integrality"] = np.full_like(integrality, CONTINUOUS)
    outcome = solve_rowwise_mip(
        new_highs(time_limit=time_limit, presolve=False), maximize=True, **relaxed
    )
    if outcome.status != "optimal" or outcome.values is None or outcome.objective is None:
        return None
    return Relaxation(bound=float(outcome.objective), site_values=np.clip(outcome.values[:m], 0, 1))


def simple_bound(reduced: Reduced, p: int | None) -> float:
    """A bound that needs no LP: all the weight there is, and with ``p`` sites no more than
    the ``p`` largest weights a single site can cover. When a plan reaches it (a plan that
    covers everyone, say) the LP is not solved at all."""
    total = float(reduced.single_weight.sum()) + float(reduced.group_weight.sum())
    if p is None:
        return total
    reach = reduced.single_weight + np.bincount(
        reduced.group_indices,
        weights=np.repeat(reduced.group_weight, np.diff(reduced.group_indptr)),
        minlength=reduced.candidates.shape[0],
    )
    largest = np.sort(reach)[::-1][:p]
    return min(total, float(largest.sum()))


def is_proven(value: float, relaxation: Relaxation) -> bool:
    """Whether a plan worth ``value`` is optimal by the relaxation's bound."""
    return value >= relaxation.bound - ABS_GAP


def rounded_plans(
    reduced: Reduced,
    relaxation: Relaxation,
    p: int | None,
    budget: float | None,
    incumbent: list[int],
    rounds: int = ROUNDS,
    seed: int = SEED,
    deadline: float | None = None,
) -> tuple[list[int], float, int]:
    """Improve ``incumbent`` by rounding the relaxation (see the module docstring).

    ``deadline`` (a :func:`time.perf_counter` value) stops the rounds early.

    Returns
    -------
    plan, value, rounds_run : list of int, float, int
        The best plan (positions in the reduced model), its covered weight and the rounds
        run (fewer than ``rounds`` when a plan reached the bound).
    """
    col_ptr, col_groups = column_index(reduced)
    best = list(incumbent)
    best_value = plan_value(reduced, col_ptr, col_groups, best)
    if is_proven(best_value, relaxation):
        return best, best_value, 0
    x = relaxation.site_values
    support = np.flatnonzero(x > 1e-9)
    if support.shape[0] == 0:
        return best, best_value, 0
    rng = np.random.default_rng(seed)
    cost = reduced.cand_cost
    done = 0
    while done < rounds and (deadline is None or time.perf_counter() < deadline):
        done += 1
        # weighted sampling without replacement: largest u ** (1 / x) first
        priority = np.log(rng.random(support.shape[0])) / x[support]
        order = support[np.argsort(-priority, kind="stable")]
        if budget is None:
            plan = order[:p].tolist()
        else:  # fill the budget in priority order, skipping what no longer fits
            plan, spent = [], 0.0
            for j in order.tolist():
                if spent + cost[j] <= budget:
                    plan.append(j)
                    spent += float(cost[j])
        plan = swap_search(reduced, col_ptr, col_groups, plan, p, budget)
        value = plan_value(reduced, col_ptr, col_groups, plan)
        if value > best_value:
            best, best_value = plan, value
        if is_proven(best_value, relaxation):
            break
    return best, best_value, done
