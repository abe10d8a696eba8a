from .agents import Agent
from .alerts import AlertLog, AlertRule
from .gate import GateChange, GateState
from .outages import Outage
from .results import ProbeResult
from .rollups import ResultRollup, RollupCursor
from .targets import ProbeTarget

__all__ = [
    "Agent",
    "AlertLog",
    "AlertRule",
    "GateChange",
    "GateState",
    "Outage",
    "ProbeResult",
    "ProbeTarget",
    "ResultRollup",
    "RollupCursor",
]
