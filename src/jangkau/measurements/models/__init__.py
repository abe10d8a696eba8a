"""Models of this app (one module per noun)."""

from .imports import ImportRun
from .ookla import OoklaTile
from .signals import SignalReading
from .speedtests import SpeedTest
from .surveys import VillageSurvey

__all__ = ["ImportRun", "OoklaTile", "SignalReading", "SpeedTest", "VillageSurvey"]
