from .facts import PopulationFigure, RegionFact
from .islands import Island
from .regions import District, Regency, Village
from .scopes import VillageOperatorAssignment

__all__ = [
    "District",
    "Island",
    "PopulationFigure",
    "Regency",
    "RegionFact",
    "Village",
    "VillageOperatorAssignment",
]
