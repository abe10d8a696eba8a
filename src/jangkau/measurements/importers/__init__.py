"""The importers of this app, registered with :mod:`jangkau.core.importing` on app start."""

from jangkau.measurements.importers import mlab, ookla, signals, speedtests, surveys

SPECS = (speedtests.SPEC, signals.SPEC, surveys.SPEC, ookla.SPEC, mlab.SPEC)

__all__ = ["SPECS", "mlab", "ookla", "signals", "speedtests", "surveys"]
