"""Models of this app (one module per noun)."""

from .moderation import ModerationDecision
from .reports import CitizenReport

__all__ = ["CitizenReport", "ModerationDecision"]
