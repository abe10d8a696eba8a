"""Signal readings: what a phone measured of the mobile signal at a place and time."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jangkau.evidence.choices import OperatorChoices
from jangkau.measurements.choices import TechnologyChoices
from jangkau.measurements.models.base import Measurement


class SignalReading(Measurement):
    """A reading of RSRP/RSRQ/SINR or signal bars on one operator's network.

    ``technology`` is the network the phone was on (``none`` = no service). RSRP is an LTE/5G
    measure; bars (0-5) are what a phone shows when nothing else was recorded.
    """

    EVIDENCE_PREFIX = "signals"

    reading_id = models.CharField(_("reading id"), max_length=100, blank=True, default="")
    measured_at = models.DateTimeField(_("measured at"))
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    operator = models.CharField(
        _("operator"), max_length=20, choices=OperatorChoices.choices, blank=True, default=""
    )
    technology = models.CharField(_("technology"), max_length=10, choices=TechnologyChoices.choices)
    rsrp_dbm = models.FloatField(_("RSRP (dBm)"), null=True, blank=True)
    rsrq_db = models.FloatField(_("RSRQ (dB)"), null=True, blank=True)
    sinr_db = models.FloatField(_("SINR (dB)"), null=True, blank=True)
    bars = models.PositiveSmallIntegerField(_("signal bars (0-5)"), null=True, blank=True)
    device = models.CharField(_("device or app"), max_length=120, blank=True, default="")

    class Meta:
        ordering = ["-measured_at", "key"]
        verbose_name = _("signal reading")
        verbose_name_plural = _("signal readings")
        indexes = [models.Index(fields=["village", "measured_at"], name="signal_village_time_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="signal_unique_key",
                violation_error_message=_("A signal reading with this key exists."),
            ),
            models.CheckConstraint(
                name="signal_rsrp_in_range",
                condition=models.Q(rsrp_dbm__isnull=True)
                | models.Q(rsrp_dbm__gte=-156, rsrp_dbm__lte=-31),
                violation_error_message=_("RSRP lies between -156 and -31 dBm."),
            ),
            models.CheckConstraint(
                name="signal_bars_in_range",
                condition=models.Q(bars__isnull=True) | models.Q(bars__lte=5),
                violation_error_message=_("Signal bars go from 0 to 5."),
            ),
            models.CheckConstraint(
                name="signal_lonlat_in_range",
                condition=models.Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                violation_error_message=_("Coordinates must be WGS84 longitude/latitude."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.technology} {self.rsrp_dbm or ''}"
