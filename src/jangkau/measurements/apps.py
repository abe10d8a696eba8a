from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasurementsConfig(AppConfig):
    name = "jangkau.measurements"
    label = "measurements"
    verbose_name = _("Measurements and surveys")

    def ready(self) -> None:
        # Register the importers (speedtests, signals, surveys, ookla, mlab).
        from jangkau.measurements import importers  # noqa: F401
