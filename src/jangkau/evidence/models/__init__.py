from .evidence import Evidence
from .status import VillageStatus, VillageStatusChange

__all__ = ["Evidence", "VillageStatus", "VillageStatusChange"]
