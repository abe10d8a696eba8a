"""Small shared helpers around :mod:`highspy` for the planning cores.

Both the MCLP and the roadmap model hand HiGHS a whole model in one call
(``Highs.passModel`` with row-wise sparse arrays) and read back the same few numbers, so the
option settings and the status vocabulary live here once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np

__all__ = ["SolveOutcome", "new_highs", "solve_rowwise_mip", "status_name"]

_STATUS_NAMES = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kUnbounded: "unbounded",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible_or_unbounded",
    highspy.HighsModelStatus.kInterrupt: "interrupted",
    highspy.HighsModelStatus.kSolutionLimit: "solution_limit",
    highspy.HighsModelStatus.kIterationLimit: "iteration_limit",
    highspy.HighsModelStatus.kMemoryLimit: "memory_limit",
    highspy.HighsModelStatus.kModelEmpty: "optimal",
}

#: ``HighsVarType`` integrality codes as HiGHS expects them in ``passModel``.
CONTINUOUS = 0
INTEGER = 1


def status_name(model_status: highspy.HighsModelStatus) -> str:
    """Map a HiGHS model status to the short lower-case name the planning results use.

    Parameters
    ----------
    model_status : highspy.HighsModelStatus
        Status returned by ``Highs.getModelStatus()``.

    Returns
    -------
    str
        One of ``"optimal"``, ``"time_limit"``, ``"infeasible"``, ``"unbounded"``,
        ``"infeasible_or_unbounded"``, ``"interrupted"``, ``"solution_limit"``,
        ``"iteration_limit"``, ``"memory_limit"`` or ``"error"``.
    """
    return _STATUS_NAMES.get(model_status, "error")


def new_highs(
    time_limit: float | None = None, mip_rel_gap: float = 0.0, presolve: bool = True
) -> highspy.Highs:
    """Create a silent, deterministic HiGHS instance.

    Parameters
    ----------
    time_limit : float, optional
        Wall-clock limit in seconds for ``run()``; ``None`` means no limit.
    mip_rel_gap : float, default 0.0
        Relative MIP gap at which HiGHS stops. The default 0 asks for a proven optimum
        (up to HiGHS's absolute gap tolerance ``mip_abs_gap`` = 1e-6).
    presolve : bool, default True
        Whether HiGHS runs its own presolve. The MCLP core reduces its model itself and turns
        it off: on large covering models HiGHS's presolve costs more than it saves.

    Returns
    -------
    highspy.Highs
        Instance with ``output_flag`` off, ``random_seed`` 0 and one thread, so the same
        model gives the same answer on every run.
    """
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("random_seed", 0)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    if not presolve:
        highs.setOptionValue("presolve", "off")
    if time_limit is not None:
        highs.setOptionValue("time_limit", float(time_limit))
    return highs


@dataclass(frozen=True)
class SolveOutcome:
    """What the planning cores read back from one HiGHS run.

    Attributes
    ----------
    status : str
        Name from :func:`status_name`.
    values : numpy.ndarray or None
        Column values of the best solution found, ``None`` when HiGHS has none.
    objective : float or None
        Objective of that solution in the model's own sense.
    gap : float or None
        HiGHS's relative MIP gap, ``None`` when there is no solution or it is not finite.
    """

    status: str
    values: np.ndarray | None
    objective: float | None
    gap: float | None


def solve_rowwise_mip(
    highs: highspy.Highs,
    *,
    maximize: bool,
    col_cost: np.ndarray,
    col_lower: np.ndarray,
    col_upper: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    row_start: np.ndarray,
    col_index: np.ndarray,
    value: np.ndarray,
    integrality: np.ndarray,
    start_values: np.ndarray | None = None,
) -> SolveOutcome:
    """Pass a whole MIP to HiGHS in row-wise sparse form in one call and solve it.

    Parameters
    ----------
    highs : highspy.Highs
        Instance from :func:`new_highs`.
    maximize : bool
        Objective sense.
    col_cost, col_lower, col_upper : numpy.ndarray
        Objective coefficients and bounds of the columns.
    row_lower, row_upper : numpy.ndarray
        Row activity bounds (``-inf``/``inf`` for one-sided rows).
    row_start, col_index, value : numpy.ndarray
        Compressed sparse row matrix: row ``r`` holds ``value[row_start[r]:row_start[r+1]]`` at
        columns ``col_index[row_start[r]:row_start[r+1]]``; ``row_start`` has one entry per row
        plus the final end offset.
    integrality : numpy.ndarray
        0 for continuous, 1 for integer columns.
    start_values : numpy.ndarray, optional
        A feasible solution to start the branch and bound from.

    Returns
    -------
    SolveOutcome
        Status, column values, objective and gap.

    Raises
    ------
    RuntimeError
        When HiGHS rejects the model (a bug in the caller, never a property of the data).
    """
    num_col = int(col_cost.shape[0])
    num_row = int(row_lower.shape[0])
    num_nz = int(value.shape[0])
    sense = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    status = highs.passModel(
        num_col,
        num_row,
        num_nz,
        int(highspy.MatrixFormat.kRowwise),
        int(sense),
        0.0,
        np.ascontiguousarray(col_cost, dtype=np.float64),
        np.ascontiguousarray(col_lower, dtype=np.float64),
        np.ascontiguousarray(col_upper, dtype=np.float64),
        np.ascontiguousarray(row_lower, dtype=np.float64),
        np.ascontiguousarray(row_upper, dtype=np.float64),
        np.ascontiguousarray(row_start[:-1] if num_row else row_start[:0], dtype=np.int32),
        np.ascontiguousarray(col_index, dtype=np.int32),
        np.ascontiguousarray(value, dtype=np.float64),
        np.ascontiguousarray(integrality, dtype=np.int32),
    )
    if status == highspy.HighsStatus.kError:
        raise RuntimeError("HiGHS rejected the model passed to it")
    if start_values is not None:
        solution = highspy.HighsSolution()
        solution.col_value = list(map(float, start_values))
        highs.setSolution(solution)
    highs.run()
    name = status_name(highs.getModelStatus())
    info = highs.getInfo()
    has_solution = info.primal_solution_status == highspy.kSolutionStatusFeasible
    if not has_solution:
        return SolveOutcome(status=name, values=None, objective=None, gap=None)
    values = np.asarray(highs.getSolution().col_value, dtype=np.float64)
    gap = float(info.mip_gap)
    return SolveOutcome(
        status=name,
        values=values,
        objective=float(info.objective_function_value),
        gap=gap if math.isfinite(gap) else None,
    )
