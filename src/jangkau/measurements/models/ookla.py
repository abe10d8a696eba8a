"""Ookla open-data performance tiles (zoom-16 Web Mercator tiles, one quarter each)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jangkau.measurements.choices import NetworkTypeChoices
from jangkau.measurements.models.base import Measurement


class OoklaTile(Measurement):
    """The quarter's averages of the Speedtest results in one ~610 m tile.

    ``period`` is the first day of the quarter; the evidence is dated on its last day.
    ``centre_lat``/``centre_lon`` is the tile's centre in Web Mercator, which places the tile in
    its village. ``key`` is ``"<network>:<period>:<quadkey>"``.
    """

    EVIDENCE_PREFIX = "ookla"

    quadkey = models.CharField(_("quadkey"), max_length=24)
    period = models.DateField(_("quarter (first day)"))
    network = models.CharField(_("network"), max_length=8, choices=NetworkTypeChoices.choices)
    avg_d_kbps = models.PositiveIntegerField(_("mean download (kbit/s)"))
    avg_u_kbps = models.PositiveIntegerField(_("mean upload (kbit/s)"))
    avg_lat_ms = models.PositiveIntegerField(_("mean latency (ms)"))
    tests = models.PositiveIntegerField(_("tests"))
    devices = models.PositiveIntegerField(_("devices"))
    centre_lat = models.FloatField(_("centre latitude"))
    centre_lon = models.FloatField(_("centre longitude"))

    class Meta:
        ordering = ["-period", "network", "quadkey"]
        verbose_name = _("Ookla tile")
        verbose_name_plural = _("Ookla tiles")
        indexes = [models.Index(fields=["village", "period"], name="ookla_village_period_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="ookla_unique_key",
                violation_error_message=_("An Ookla tile with this key exists."),
            ),
            models.UniqueConstraint(
                fields=["network", "period", "quadkey"],
                name="ookla_unique_tile_per_quarter",
                violation_error_message=_("This tile is already stored for this quarter."),
            ),
            models.CheckConstraint(
                name="ookla_devices_within_tests",
                condition=models.Q(devices__gte=1, devices__lte=models.F("tests")),
                violation_error_message=_("A tile has at least one device and no more than tests."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.period} {self.quadkey}"
