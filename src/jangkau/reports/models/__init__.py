"""Models of this app (one module per noun)."""

from .corrections import VillageCorrection
from .moderation import ModerationDecision
from .reports import CitizenReport

__all__ = ["CitizenReport", "ModerationDecision", "VillageCorrection"]
