"""Planning optimisation cores: where to put sites, and what to build in which year.

Pure Python + NumPy + HiGHS (``highspy``); nothing here imports Django.

* :func:`solve_mclp` — maximal covering location problem (count or budget form);
* :func:`run_mclp` — the ``jangkau plan mclp`` file-to-file batch contract;
* :func:`plan_roadmap` — multi-year budgeted, equitable roadmap over access and backhaul
  options, with :class:`RoadmapInstance` as input and :class:`RoadmapResult` as output;
* :func:`load_cost_table` — the versioned cost table with its sources.

Formulations and references: ``docs/planning-optimisation.md``.
"""

from jangkau.cores.planning.costs import CostItem, CostTableError, load_cost_table
from jangkau.cores.planning.mclp import MclpResult, solve_mclp
from jangkau.cores.planning.mclp_batch import run_mclp
from jangkau.cores.planning.roadmap import plan_roadmap
from jangkau.cores.planning.roadmap_instance import (
    AccessOption,
    BackhaulOption,
    EquityFloor,
    PriorityWeights,
    RoadmapInstance,
    Village,
    validate_instance,
)
from jangkau.cores.planning.roadmap_result import (
    Diagnosis,
    PlannedItem,
    RoadmapResult,
    VillagePlan,
)

__all__ = [
    "AccessOption",
    "BackhaulOption",
    "CostItem",
    "CostTableError",
    "Diagnosis",
    "EquityFloor",
    "MclpResult",
    "PlannedItem",
    "PriorityWeights",
    "RoadmapInstance",
    "RoadmapResult",
    "Village",
    "VillagePlan",
    "load_cost_table",
    "plan_roadmap",
    "run_mclp",
    "solve_mclp",
    "validate_instance",
]
