"""Speed tests: one test by an app, a tool such as M-Lab NDT, or the field team."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jangkau.evidence.choices import OperatorChoices
from jangkau.measurements.choices import TechnologyChoices, ToolChoices
from jangkau.measurements.models.base import Measurement


class SpeedTest(Measurement):
    """A speed test at a place and time: throughput, latency and the network it ran on.

    ``measured_at`` is stored in UTC. ``key`` is ``"<tool>:<test id>"`` when the tool gives an id,
    else ``"<tool>:<time>:<lat>,<lon>:<operator>"``. ``extra`` keeps tool-specific raw values
    (e.g. M-Lab's AS number and geolocation accuracy).
    """

    EVIDENCE_PREFIX = "speedtests"

    tool = models.CharField(_("tool"), max_length=20, choices=ToolChoices.choices)
    test_id = models.CharField(_("test id"), max_length=100, blank=True, default="")
    measured_at = models.DateTimeField(_("measured at"))
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    download_mbps = models.FloatField(_("download (Mbit/s)"))
    upload_mbps = models.FloatField(_("upload (Mbit/s)"), null=True, blank=True)
    latency_ms = models.FloatField(_("latency (ms)"), null=True, blank=True)
    jitter_ms = models.FloatField(_("jitter (ms)"), null=True, blank=True)
    operator = models.CharField(
        _("operator"), max_length=20, choices=OperatorChoices.choices, blank=True, default=""
    )
    technology = models.CharField(
        _("technology"),
        max_length=10,
        choices=TechnologyChoices.choices,
        default=TechnologyChoices.UNKNOWN,
    )
    extra = models.JSONField(_("tool-specific values"), default=dict, blank=True)

    class Meta:
        ordering = ["-measured_at", "key"]
        verbose_name = _("speed test")
        verbose_name_plural = _("speed tests")
        indexes = [
            models.Index(fields=["village", "measured_at"], name="speedtest_village_time_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="speedtest_unique_key",
                violation_error_message=_("A speed test with this key exists."),
            ),
            models.CheckConstraint(
                name="speedtest_speeds_not_negative",
                condition=models.Q(download_mbps__gte=0)
                & (models.Q(upload_mbps__isnull=True) | models.Q(upload_mbps__gte=0)),
                violation_error_message=_("Speeds cannot be negative."),
            ),
            models.CheckConstraint(
                name="speedtest_lonlat_in_range",
                condition=models.Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                violation_error_message=_("Coordinates must be WGS84 longitude/latitude."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.download_mbps} Mbit/s"
