"""Proposed (what-if) sites: towers a planner is considering, saved to feed planning."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.evidence.choices import OperatorChoices
from jangkau.radio.choices import ProposedSiteStatusChoices

#: radio limits of a proposed site.
FREQ_MIN_MHZ = 400.0
FREQ_MAX_MHZ = 6000.0
HEIGHT_MAX_M = 300.0


def validate_sectors(value) -> None:
    """A list of ``{"azimuth", "beamwidth", "downtilt"}`` (degrees); empty = omnidirectional."""
    if not isinstance(value, list):
        raise ValidationError(
            _('Sectors must be a list such as [{"azimuth": 0, "beamwidth": 65, "downtilt": 2}].')
        )
    azimuths = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, dict) or "azimuth" not in item:
            raise ValidationError(
                _("Sector %(n)s needs at least an azimuth.") % {"n": index}, code="sector"
            )
        unknown = set(item) - {"azimuth", "beamwidth", "downtilt"}
        if unknown:
            raise ValidationError(
                _("Sector %(n)s has unknown keys: %(keys)s.")
                % {"n": index, "keys": ", ".join(sorted(unknown))},
                code="sector",
            )
        for key in item:
            number = item[key]
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise ValidationError(
                    _("Sector %(n)s: %(key)s must be a number.") % {"n": index, "key": key},
                    code="sector",
                )
        if not 0 <= item["azimuth"] < 360:
            raise ValidationError(
                _("Sector %(n)s: the azimuth must be from 0 to less than 360°.") % {"n": index},
                code="sector",
            )
        if not 0 < item.get("beamwidth", 65) <= 360:
            raise ValidationError(
                _("Sector %(n)s: the beamwidth must be more than 0 and at most 360°.")
                % {"n": index},
                code="sector",
            )
        if not -20 <= item.get("downtilt", 0) <= 30:
            raise ValidationError(
                _("Sector %(n)s: the downtilt must be between -20° and 30°.") % {"n": index},
                code="sector",
            )
        azimuths.append(float(item["azimuth"]))
    if len(set(azimuths)) != len(azimuths):
        raise ValidationError(_("Two sectors point the same way."), code="sector")


class ProposedSite(models.Model):
    """A tower a planner is considering, with the radio figures needed to predict its reach.

    Saved (never computed only in passing), so planning can weigh it:
    :func:`jangkau.radio.planning.proposed_sites_for_planning` hands proposed and accepted
    sites to the planning code as plain dicts. The point must lie in the regency;
    ``village`` is found from it. ``sectors`` is a list of ``{"azimuth", "beamwidth",
    "downtilt"}`` (empty = omnidirectional). ``eirp_dbm`` follows the same convention as the
    inventory (the total carrier EIRP by default, see docs/coverage-app.md).
    """

    name = models.CharField(_("name"), max_length=200)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    village = models.ForeignKey(
        "regions.Village",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_sites",
        verbose_name=_("village"),
        help_text=_("Found from the coordinates."),
    )
    antenna_height_m = models.FloatField(_("antenna height (m)"), default=30.0)
    freq_mhz = models.FloatField(_("frequency (MHz)"), default=900.0)
    eirp_dbm = models.FloatField(_("EIRP (dBm)"), default=58.0)
    sectors = models.JSONField(
        _("sectors"),
        default=list,
        blank=True,
        validators=[validate_sectors],
        help_text=_("Empty: omnidirectional."),
    )
    operator = models.CharField(
        _("operator"),
        max_length=20,
        choices=OperatorChoices.choices,
        blank=True,
        default="",
        help_text=_("Empty while no operator is chosen (e.g. a BAKTI tower)."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProposedSiteStatusChoices.choices,
        default=ProposedSiteStatusChoices.PROPOSED,
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_sites",
        verbose_name=_("proposed by"),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("proposed site")
        verbose_name_plural = _("proposed sites")
        constraints = [
            models.CheckConstraint(
                name="radio_proposed_height_range",
                condition=Q(antenna_height_m__gt=0, antenna_height_m__lte=HEIGHT_MAX_M),
                violation_error_message=_(
                    "The antenna height must be more than 0 and at most 300 m."
                ),
            ),
            models.CheckConstraint(
                name="radio_proposed_freq_range",
                condition=Q(freq_mhz__gte=FREQ_MIN_MHZ, freq_mhz__lte=FREQ_MAX_MHZ),
                violation_error_message=_("The frequency must be between 400 and 6000 MHz."),
            ),
            models.CheckConstraint(
                name="radio_proposed_eirp_range",
                condition=Q(eirp_dbm__gte=0, eirp_dbm__lte=100),
                violation_error_message=_("The EIRP must be between 0 and 100 dBm."),
            ),
            models.CheckConstraint(
                name="radio_proposed_status_valid",
                condition=Q(status__in=ProposedSiteStatusChoices.values),
                violation_error_message=_("Unknown status."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.lat:.4f}, {self.lon:.4f})"

    @property
    def is_omni(self) -> bool:
        return not self.sectors

    def locate(self, area=None) -> None:
        """Check the point lies in the regency and set ``village``; ``ValidationError`` if not."""
        from jangkau.radio.geo import RegencyArea, point_problem

        area = area if area is not None else RegencyArea.load()
        problem = point_problem(area, self.lat, self.lon)
        if problem:
            raise ValidationError({"lat": problem}, code="outside_regency")
        self.village_id = area.village_at(self.lat, self.lon)

    def clean(self):
        super().clean()
        if self.lat is not None and self.lon is not None:
            self.locate()
