"""Optimum-preserving reductions of an MCLP instance, and the heuristics around the solve.

:func:`reduce_instance` shrinks the model before it is built (see
:func:`jangkau.cores.planning.mclp.solve_mclp` for the list of reductions);
:func:`greedy_start` gives HiGHS a first incumbent; :func:`drop_redundant` removes chosen sites
that add no weighted coverage.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Reduced",
    "column_index",
    "drop_redundant",
    "greedy_start",
    "plan_start",
    "plan_value",
    "reduce_instance",
]


@dataclass
class Reduced:
    """The instance after the optimum-preserving reductions."""

    candidates: np.ndarray  # original index of each kept candidate (model column order)
    cand_cost: np.ndarray  # cost of each kept candidate (0 in the p form)
    single_weight: np.ndarray  # weight of the groups covered by that candidate alone
    group_weight: np.ndarray  # weight of each multi-candidate demand group
    group_indptr: np.ndarray  # CSR of the groups over kept-candidate positions
    group_indices: np.ndarray
    n_groups: int  # merged demand groups before singletons were moved onto candidates


def _group_identical_rows(
    indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Group rows with identical index lists; return (group id per row, first row per group)."""
    seen: dict[bytes, int] = {}
    group_of = np.empty(rows.shape[0], dtype=np.int64)
    first: list[int] = []
    for k, row in enumerate(rows.tolist()):
        signature = indices[indptr[row] : indptr[row + 1]].tobytes()
        group = seen.get(signature)
        if group is None:
            group = len(first)
            seen[signature] = group
            first.append(row)
        group_of[k] = group
    return group_of, np.asarray(first, dtype=np.int64)


def reduce_instance(
    weights: np.ndarray,
    indptr: np.ndarray,
    indices: np.ndarray,
    n_candidates: int,
    costs: np.ndarray | None,
    budget: float | None = None,
) -> Reduced:
    """Apply the reductions of :func:`~jangkau.cores.planning.mclp.solve_mclp` (Notes 1-4).

    Parameters
    ----------
    weights : numpy.ndarray
        Demand weights.
    indptr, indices : numpy.ndarray
        Cover sets as sorted, duplicate-free CSR arrays (from ``flatten_covers``).
    n_candidates : int
    costs : numpy.ndarray or None
        Candidate costs in the budget form; twins then keep the cheapest.
    budget : float, optional
        The budget; candidates costing more are dropped.

    Returns
    -------
    Reduced
        Kept candidates (model column order), their costs and single-cover weights, and the
        merged multi-candidate demand groups as CSR over kept-candidate positions.
    """
    n_demand = weights.shape[0]
    lengths = np.diff(indptr)
    row_of = np.repeat(np.arange(n_demand, dtype=np.int64), lengths)
    # 0. Under a budget, a candidate dearer than the budget can never be chosen.
    if costs is not None and budget is not None:
        allowed = costs <= budget
    else:
        allowed = np.ones(n_candidates, dtype=bool)
    # 1. Drop demand points that cannot add to the objective (zero weight, or no candidate
    #    left that covers them).
    entry_mask = (weights[row_of] > 0) & allowed[indices]
    keep_rows = np.flatnonzero(np.bincount(row_of[entry_mask], minlength=n_demand) > 0)
    # 2. Keep only candidates covering a kept point; merge candidates with identical columns
    #    (keep the cheapest, ties to the lowest index).
    used = np.zeros(n_candidates, dtype=bool)
    used[indices[entry_mask]] = True
    used_cands = np.flatnonzero(used)
    if used_cands.size:
        col_entries = np.flatnonzero(entry_mask)
        order = np.lexsort((row_of[col_entries], indices[col_entries]))
        col_sorted = indices[col_entries][order]
        col_rows = row_of[col_entries][order]
        col_counts = np.bincount(col_sorted, minlength=n_candidates)
        col_ptr = np.zeros(n_candidates + 1, dtype=np.int64)
        np.cumsum(col_counts, out=col_ptr[1:])
        if costs is not None:
            rank = np.lexsort((used_cands, costs[used_cands]))
            ordered = used_cands[rank]
        else:
            ordered = used_cands
        _, first = _group_identical_rows(col_ptr, col_rows, ordered)
        survivors = np.sort(first)
    else:
        survivors = used_cands
    position = np.full(n_candidates, -1, dtype=np.int64)
    position[survivors] = np.arange(survivors.shape[0])
    # Rebuild the kept rows over surviving candidate positions (still sorted, since
    # ``position`` is increasing in the original index).
    kept_entries = entry_mask & (position[indices] >= 0)
    new_indices = position[indices[kept_entries]]
    new_lengths = np.bincount(row_of[kept_entries], minlength=n_demand)[keep_rows]
    new_ptr = np.zeros(keep_rows.shape[0] + 1, dtype=np.int64)
    np.cumsum(new_lengths, out=new_ptr[1:])
    # 3. Merge demand points with identical cover sets, summing their weights.
    group_of, first = _group_identical_rows(
        new_ptr, new_indices, np.arange(keep_rows.shape[0], dtype=np.int64)
    )
    group_weight = np.bincount(group_of, weights=weights[keep_rows], minlength=first.shape[0])
    group_len = new_lengths[first]
    # 4. A group covered by one candidate only is covered exactly when that candidate is
    #    chosen: move its weight onto the candidate's objective coefficient.
    single = group_len == 1
    single_weight = np.zeros(survivors.shape[0])
    np.add.at(single_weight, new_indices[new_ptr[first[single]]], group_weight[single])
    multi = np.flatnonzero(~single)
    multi_first = first[multi]
    multi_len = group_len[multi]
    group_ptr = np.zeros(multi.shape[0] + 1, dtype=np.int64)
    np.cumsum(multi_len, out=group_ptr[1:])
    gather = np.repeat(new_ptr[multi_first] - group_ptr[:-1], multi_len) + np.arange(group_ptr[-1])
    group_indices = new_indices[gather]
    return Reduced(
        candidates=survivors,
        cand_cost=costs[survivors] if costs is not None else np.zeros(survivors.shape[0]),
        single_weight=single_weight,
        group_weight=group_weight[multi],
        group_indptr=group_ptr,
        group_indices=group_indices,
        n_groups=int(first.shape[0]),
    )


def drop_redundant(chosen: np.ndarray, reduced: Reduced, costs: np.ndarray | None) -> np.ndarray:
    """Remove chosen positions whose every positive-weight group is covered by another one.

    Positions are examined from the most expensive (p form: highest index) down, so the result
    is deterministic and, under a budget, keeps the cheaper of two interchangeable sites.
    """
    if chosen.size == 0:
        return chosen
    m = reduced.candidates.shape[0]
    is_chosen = np.zeros(m, dtype=bool)
    is_chosen[chosen] = True
    lengths = np.diff(reduced.group_indptr)
    group_of = np.repeat(np.arange(lengths.shape[0]), lengths)
    count = np.bincount(
        group_of, weights=is_chosen[reduced.group_indices], minlength=lengths.shape[0]
    ).astype(np.int64)
    # Groups touched by each chosen candidate (column view of the chosen columns only).
    chosen_entries = np.flatnonzero(is_chosen[reduced.group_indices])
    by_cand: dict[int, list[int]] = {int(j): [] for j in chosen}
    for pos in chosen_entries.tolist():
        by_cand[int(reduced.group_indices[pos])].append(int(group_of[pos]))
    if costs is not None:
        order = sorted(chosen.tolist(), key=lambda j: (-reduced.cand_cost[j], -j))
    else:
        order = sorted(chosen.tolist(), reverse=True)
    for j in order:
        if reduced.single_weight[j] > 0:
            continue
        groups = by_cand[j]
        if all(count[k] >= 2 for k in groups):
            is_chosen[j] = False
            for k in groups:
                count[k] -= 1
    return np.flatnonzero(is_chosen)


def column_index(reduced: Reduced) -> tuple[np.ndarray, np.ndarray]:
    """The groups each candidate covers, as CSR: ``col_groups[col_ptr[j]:col_ptr[j + 1]]``."""
    m = reduced.candidates.shape[0]
    lengths = np.diff(reduced.group_indptr)
    group_of = np.repeat(np.arange(lengths.shape[0]), lengths)
    order = np.argsort(reduced.group_indices, kind="stable")
    col_ptr = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(reduced.group_indices, minlength=m), out=col_ptr[1:])
    return col_ptr, group_of[order]


def plan_value(
    reduced: Reduced, col_ptr: np.ndarray, col_groups: np.ndarray, plan: list[int]
) -> float:
    """Covered weight of a plan (positions in the reduced model)."""
    covered = np.zeros(reduced.group_weight.shape[0], dtype=bool)
    for j in plan:
        covered[col_groups[col_ptr[j] : col_ptr[j + 1]]] = True
    return float(reduced.single_weight[plan].sum()) + float(reduced.group_weight[covered].sum())


def plan_start(
    reduced: Reduced, col_ptr: np.ndarray, col_groups: np.ndarray, plan: list[int]
) -> np.ndarray:
    """A plan as a full column vector for HiGHS: sites, then the groups they cover."""
    m = reduced.candidates.shape[0]
    start = np.zeros(m + reduced.group_weight.shape[0])
    start[plan] = 1.0
    for j in plan:
        start[m + col_groups[col_ptr[j] : col_ptr[j + 1]]] = 1.0
    return start


def greedy_start(reduced: Reduced, p: int | None, budget: float | None) -> np.ndarray:
    """Greedy plan in the reduced space, used only as HiGHS's starting incumbent.

    Adds, one at a time, the candidate with the largest marginal covered weight (per unit of
    cost under a budget; lazily re-evaluated from a heap), while the count or budget allows.
    The greedy plan is then improved by :func:`swap_search`. Under a budget the best single
    affordable candidate replaces the plan when it is better, the usual safeguard of the
    cost-ratio greedy.
    """
    m = reduced.candidates.shape[0]
    col_ptr, col_groups = column_index(reduced)
    weight = reduced.group_weight.copy()
    cost = reduced.cand_cost

    def gain(j: int) -> float:
        groups = col_groups[col_ptr[j] : col_ptr[j + 1]]
        return float(reduced.single_weight[j] + weight[groups].sum())

    def score(j: int, g: float) -> float:
        if budget is None:
            return g
        return g / cost[j] if cost[j] > 0 else math.inf

    heap = [(-score(j, gain(j)), j) for j in range(m)]
    heapq.heapify(heap)
    chosen: list[int] = []
    spent = 0.0
    limit = p if budget is None else m
    while heap and len(chosen) < limit:
        neg, j = heapq.heappop(heap)
        if budget is not None and spent + cost[j] > budget:
            continue
        g = gain(j)
        current = score(j, g)
        if heap and current < -heap[0][0] and current < -neg:
            heapq.heappush(heap, (-current, j))
            continue
        if g <= 0:
            break
        chosen.append(j)
        spent += float(cost[j]) if budget is not None else 0.0
        weight[col_groups[col_ptr[j] : col_ptr[j + 1]]] = 0.0
    chosen = swap_search(reduced, col_ptr, col_groups, chosen, p, budget)
    weight = reduced.group_weight.copy()
    for j in chosen:
        weight[col_groups[col_ptr[j] : col_ptr[j + 1]]] = 0.0
    start = np.zeros(m + reduced.group_weight.shape[0])
    start[chosen] = 1.0
    if budget is not None:
        affordable = np.flatnonzero(cost <= budget)
        if affordable.size:
            singles = np.array([gain_single for gain_single in single_gains(reduced, affordable)])
            best = int(affordable[int(np.argmax(singles))])
            greedy_value = float(reduced.single_weight[chosen].sum()) + float(
                (reduced.group_weight - weight).sum()
            )
            if singles.max() > greedy_value:
                start[:m] = 0.0
                start[best] = 1.0
                chosen = [best]
    covered = np.zeros(reduced.group_weight.shape[0], dtype=bool)
    for j in chosen:
        covered[col_groups[col_ptr[j] : col_ptr[j + 1]]] = True
    start[m:] = covered
    return start


def _gather(ptr: np.ndarray, data: np.ndarray, items: np.ndarray) -> tuple[np.ndarray, ...]:
    """Concatenate ``data[ptr[i]:ptr[i+1]]`` for ``items``; also return each entry's item."""
    lens = ptr[items + 1] - ptr[items]
    total = int(lens.sum())
    shift = np.repeat(ptr[items] - np.cumsum(lens) + lens, lens)
    return data[shift + np.arange(total)], np.repeat(np.arange(items.shape[0]), lens)


def swap_search(
    reduced: Reduced,
    col_ptr: np.ndarray,
    col_groups: np.ndarray,
    chosen: list[int],
    p: int | None,
    budget: float | None,
    max_moves: int | None = None,
) -> list[int]:
    r"""Improve a plan by best-improvement add and swap moves (a 1-opt local search).

    With :math:`n_g` the number of chosen sites covering group :math:`g`, a move that adds
    site :math:`j` and drops chosen site :math:`k` changes the covered weight by

    .. math::

        \Delta(j, k) = \underbrace{s_j + \sum_{g \in C_j,\, n_g = 0} W_g}_{\text{gain}_j}
        - \underbrace{\Bigl(s_k + \sum_{g \in C_k,\, n_g = 1} W_g\Bigr)}_{\text{loss}_k}
        + \sum_{g \in C_j \cap C_k,\, n_g = 1} W_g ,

    with :math:`C_j` the groups site :math:`j` covers and :math:`s_j` the weight only it covers.
    Only sites with a positive gain can improve, so each step looks at the sites covering an
    uncovered group. Moves respect the count or the budget; the best move is applied until
    none improves or ``max_moves`` (default ``2 * len(chosen) + 20``) is reached. The result is
    deterministic (ties go to the lowest index).
    """
    m = reduced.candidates.shape[0]
    n_groups = reduced.group_weight.shape[0]
    weight = reduced.group_weight
    single = reduced.single_weight
    cost = reduced.cand_cost
    in_plan = np.zeros(m, dtype=bool)
    in_plan[chosen] = True
    count = np.zeros(n_groups, dtype=np.int64)
    id_sum = np.zeros(n_groups, dtype=np.int64)  # the only coverer's index when count == 1
    for j in chosen:
        groups = col_groups[col_ptr[j] : col_ptr[j + 1]]
        count[groups] += 1
        id_sum[groups] += j
    spent = float(cost[chosen].sum()) if budget is not None else 0.0
    tolerance = 1e-9 * max(1.0, float(weight.sum() + single.sum()))
    limit = 2 * len(chosen) + 20 if max_moves is None else max_moves
    position = np.full(m, -1, dtype=np.int64)
    for _ in range(limit):
        plan = np.flatnonzero(in_plan)
        position[plan] = np.arange(plan.shape[0])
        uncovered = np.flatnonzero(count == 0)
        cands, owner = _gather(reduced.group_indptr, reduced.group_indices, uncovered)
        gain = np.bincount(cands, weights=weight[uncovered][owner], minlength=m).astype(float)
        gain += np.where(in_plan, 0.0, single)
        gain[in_plan] = 0.0
        movers = np.flatnonzero(gain > tolerance)
        if movers.shape[0] == 0:
            break
        if budget is None:
            can_add = np.full(movers.shape[0], plan.shape[0] < p)
        else:
            can_add = spent + cost[movers] <= budget
        add_delta = np.where(can_add, gain[movers], -np.inf)
        best_add = int(np.argmax(add_delta))
        best = (float(add_delta[best_add]), movers[best_add], -1)
        if plan.shape[0]:
            groups, owner = _gather(col_ptr, col_groups, plan)
            once = count[groups] == 1
            loss = single[plan] + np.bincount(
                owner, weights=weight[groups] * once, minlength=plan.shape[0]
            )
            groups, owner = _gather(col_ptr, col_groups, movers)
            once = count[groups] == 1
            bonus = np.zeros((movers.shape[0], plan.shape[0]))
            np.add.at(bonus, (owner[once], position[id_sum[groups[once]]]), weight[groups[once]])
            delta = gain[movers][:, None] - loss[None, :] + bonus
            if budget is not None:
                fits = spent - cost[plan][None, :] + cost[movers][:, None] <= budget
                delta = np.where(fits, delta, -np.inf)
            flat = int(np.argmax(delta))
            row, col = divmod(flat, plan.shape[0])
            if delta[row, col] > best[0]:
                best = (float(delta[row, col]), movers[row], plan[col])
        improvement, j_in, k_out = best
        if not improvement > tolerance:
            break
        if k_out >= 0:
            groups = col_groups[col_ptr[k_out] : col_ptr[k_out + 1]]
            count[groups] -= 1
            id_sum[groups] -= k_out
            in_plan[k_out] = False
            spent -= float(cost[k_out]) if budget is not None else 0.0
        groups = col_groups[col_ptr[j_in] : col_ptr[j_in + 1]]
        count[groups] += 1
        id_sum[groups] += j_in
        in_plan[j_in] = True
        spent += float(cost[j_in]) if budget is not None else 0.0
    return np.flatnonzero(in_plan).tolist()


def single_gains(reduced: Reduced, candidates: np.ndarray) -> np.ndarray:
    """Weight each candidate covers on its own."""
    lengths = np.diff(reduced.group_indptr)
    group_of = np.repeat(np.arange(lengths.shape[0]), lengths)
    m = reduced.candidates.shape[0]
    per_cand = reduced.single_weight + np.bincount(
        reduced.group_indices, weights=reduced.group_weight[group_of], minlength=m
    )
    return per_cand[candidates]
