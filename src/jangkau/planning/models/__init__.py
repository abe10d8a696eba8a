"""Models of the planning app (one module per noun)."""

from .costs import CostItem, CostTable
from .results import PlanItem, PlanResult
from .scenarios import Scenario

__all__ = ["CostItem", "CostTable", "PlanItem", "PlanResult", "Scenario"]
