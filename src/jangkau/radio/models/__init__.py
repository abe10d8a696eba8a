"""Models of the coverage app (one module per noun)."""

from .proposed import ProposedSite
from .runs import CoverageRun, VillageCoverage
from .terrain import Terrain

__all__ = ["CoverageRun", "ProposedSite", "Terrain", "VillageCoverage"]
