"""Tower/BTS sites, their sectors, and the dated history of their status."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.core.models import ProvenanceModel
from jangkau.evidence.choices import OperatorChoices
from jangkau.inventory.choices import (
    SITE_OPERATOR_CHOICES,
    SITE_TRANSITIONS,
    BackhaulChoices,
    PowerSourceChoices,
    ProgrammeChoices,
    SiteStatusChoices,
    TechnologyChoices,
)
from jangkau.inventory.models.base import LocatedModel, acting_user, code_validator

#: radio bands accepted, in MHz (450 MHz CDMA up to 26/28 GHz millimetre wave).
BAND_MIN_MHZ = 400
BAND_MAX_MHZ = 40_000


def validate_technologies(value) -> None:
    """A list of distinct technologies from :class:`TechnologyChoices`."""
    if not isinstance(value, list):
        raise ValidationError(_("Technologies must be a list of 2G, 3G, 4G or 5G."))
    unknown = [v for v in value if v not in TechnologyChoices.values]
    if unknown:
        raise ValidationError(
            _("Unknown technology %(values)s; use %(allowed)s.")
            % {"values": unknown, "allowed": ", ".join(TechnologyChoices.values)}
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("A technology is listed twice."))


def validate_bands(value) -> None:
    """A list of distinct whole-MHz bands within the radio range."""
    if not isinstance(value, list):
        raise ValidationError(_("Bands must be a list of MHz values such as [900, 1800]."))
    for band in value:
        if isinstance(band, bool) or not isinstance(band, int):
            raise ValidationError(_("Band %(band)r is not a whole number of MHz.") % {"band": band})
        if not BAND_MIN_MHZ <= band <= BAND_MAX_MHZ:
            raise ValidationError(
                _("Band %(band)s MHz is outside %(low)s–%(high)s MHz.")
                % {"band": band, "low": BAND_MIN_MHZ, "high": BAND_MAX_MHZ}
            )
    if len(set(value)) != len(value):
        raise ValidationError(_("A band is listed twice."))


class Site(LocatedModel, ProvenanceModel):
    """A tower/BTS site of one operator, where it stands and what it radiates.

    ``code`` is the natural key (the operator's or BAKTI's site id), so re-importing a list
    updates rather than duplicates. ``village`` is found from the coordinates. ``status`` is
    changed only through :meth:`set_status`, which writes a :class:`SiteStatusChange` row.
    """

    code = models.CharField(_("site code"), max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    operator = models.CharField(_("operator"), max_length=20, choices=SITE_OPERATOR_CHOICES)
    operator_name = models.CharField(
        _("operator name"),
        max_length=120,
        blank=True,
        default="",
        help_text=_("Required when the operator is 'other'."),
    )
    village = models.ForeignKey(
        "regions.Village",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sites",
        verbose_name=_("village"),
        help_text=_("Found from the coordinates."),
    )
    technologies = models.JSONField(
        _("technologies"), default=list, blank=True, validators=[validate_technologies]
    )
    bands_mhz = models.JSONField(
        _("bands (MHz)"), default=list, blank=True, validators=[validate_bands]
    )
    antenna_height_m = models.FloatField(_("antenna height (m)"), null=True, blank=True)
    omni = models.BooleanField(
        _("omnidirectional"), default=False, help_text=_("An omni site has no sectors.")
    )
    eirp_dbm = models.FloatField(_("EIRP (dBm)"), null=True, blank=True)
    power_source = models.CharField(
        _("power source"),
        max_length=16,
        choices=PowerSourceChoices.choices,
        default=PowerSourceChoices.UNKNOWN,
    )
    backhaul = models.CharField(
        _("backhaul"),
        max_length=16,
        choices=BackhaulChoices.choices,
        default=BackhaulChoices.UNKNOWN,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SiteStatusChoices.choices,
        default=SiteStatusChoices.PLANNED,
    )
    programme = models.CharField(
        _("programme"),
        max_length=16,
        choices=ProgrammeChoices.choices,
        default=ProgrammeChoices.OPERATOR,
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        indexes = [models.Index(fields=["operator", "status"], name="inventory_site_op_status_idx")]
        constraints = [
            models.CheckConstraint(
                name="inventory_site_operator_named",
                condition=~Q(operator="") & (~Q(operator="other") | ~Q(operator_name="")),
                violation_error_message=_("Name the operator when it is 'other'."),
            ),
            models.CheckConstraint(
                name="inventory_site_antenna_height_range",
                condition=Q(antenna_height_m__isnull=True)
                | Q(antenna_height_m__gte=0, antenna_height_m__lte=300),
                violation_error_message=_("The antenna height must be between 0 and 300 m."),
            ),
            models.CheckConstraint(
                name="inventory_site_eirp_range",
                condition=Q(eirp_dbm__isnull=True) | Q(eirp_dbm__gte=0, eirp_dbm__lte=100),
                violation_error_message=_("The EIRP must be between 0 and 100 dBm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def operator_display(self) -> str:
        """The operator's name ("other" is replaced by the name given)."""
        if self.operator == OperatorChoices.OTHER and self.operator_name:
            return self.operator_name
        return str(self.get_operator_display())

    def clean(self):
        super().clean()
        if isinstance(self.technologies, list) and all(
            t in TechnologyChoices.values for t in self.technologies
        ):
            # Stored in the canonical order so equal sets compare equal.
            order = TechnologyChoices.values
            self.technologies = sorted(set(self.technologies), key=order.index)
        if isinstance(self.bands_mhz, list) and all(
            isinstance(b, int) and not isinstance(b, bool) for b in self.bands_mhz
        ):
            self.bands_mhz = sorted(set(self.bands_mhz))
        if self.operator != OperatorChoices.OTHER and self.operator_name:
            self.operator_name = ""

    def start_history(self, on_date: dt.date | None = None, note: str = "", user=None):
        """Write the first history row (from nothing to the current status) of a new site."""
        return SiteStatusChange.objects.create(
            site=self,
            from_status="",
            to_status=self.status,
            changed_on=on_date or self.as_of or timezone.localdate(),
            note=note,
            changed_by=acting_user(user),
        )

    def check_status_change(self, new: str, on_date: dt.date) -> None:
        """Raise ``ValidationError`` unless the site may move to ``new`` on ``on_date``.

        The error's code says why: ``invalid``, ``unchanged``, ``transition``, ``future`` or
        ``before_last``.
        """

        def refuse(field: str, message: str, code: str):
            raise ValidationError({field: ValidationError(message, code=code)})

        if new not in SiteStatusChoices.values:
            refuse("status", _("Unknown status %(status)r.") % {"status": new}, "invalid")
        if new == self.status:
            refuse(
                "status",
                _("The site is already %(status)s.") % {"status": self.status},
                "unchanged",
            )
        if new not in SITE_TRANSITIONS[self.status]:
            allowed = ", ".join(sorted(SITE_TRANSITIONS[self.status])) or _("none")
            refuse(
                "status",
                _("A site cannot go from %(old)s to %(new)s; allowed next: %(allowed)s.")
                % {"old": self.status, "new": new, "allowed": allowed},
                "transition",
            )
        if on_date > timezone.localdate():
            refuse(
                "changed_on", _("The date %(date)s is in the future.") % {"date": on_date}, "future"
            )
        last = self.status_changes.order_by("-changed_on", "-pk").first()
        if last is not None and on_date < last.changed_on:
            refuse(
                "changed_on",
                _("The date %(date)s is before the last recorded change (%(last)s).")
                % {"date": on_date, "last": last.changed_on},
                "before_last",
            )

    def set_status(self, new: str, on_date: dt.date | None = None, note: str = "", user=None):
        """Change the status and record the change as a :class:`SiteStatusChange` row.

        Raises ``ValidationError`` for an unknown or unchanged status, a transition not in
        :data:`~jangkau.inventory.choices.SITE_TRANSITIONS`, a future date, or a date before
        the last recorded change. Returns the new row.
        """
        on_date = on_date or timezone.localdate()
        with transaction.atomic():
            locked = Site.objects.select_for_update().get(pk=self.pk)
            self.status = locked.status
            self.check_status_change(new, on_date)
            change = SiteStatusChange.objects.create(
                site=self,
                from_status=self.status,
                to_status=new,
                changed_on=on_date,
                note=note,
                changed_by=acting_user(user),
            )
            self.status = new
            Site.objects.filter(pk=self.pk).update(status=new, updated=timezone.now())
        return change


class Sector(models.Model):
    """One sector antenna of a site: where it points and how it is tilted."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="sectors", verbose_name=_("site")
    )
    azimuth_deg = models.PositiveSmallIntegerField(
        _("azimuth (°)"), help_text=_("Degrees clockwise from true north, 0–359.")
    )
    mechanical_tilt_deg = models.FloatField(
        _("mechanical tilt (°)"), default=0.0, help_text=_("Positive is down-tilt.")
    )
    electrical_tilt_deg = models.FloatField(
        _("electrical tilt (°)"), default=0.0, help_text=_("Positive is down-tilt.")
    )
    beamwidth_deg = models.FloatField(_("horizontal beamwidth (°)"), default=65.0)

    class Meta:
        ordering = ["site__code", "azimuth_deg"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [
            models.CheckConstraint(
                name="inventory_sector_azimuth_range",
                condition=Q(azimuth_deg__gte=0, azimuth_deg__lte=359),
                violation_error_message=_("The azimuth must be between 0 and 359 degrees."),
            ),
            models.CheckConstraint(
                name="inventory_sector_tilt_range",
                condition=Q(
                    mechanical_tilt_deg__gte=-90,
                    mechanical_tilt_deg__lte=90,
                    electrical_tilt_deg__gte=-90,
                    electrical_tilt_deg__lte=90,
                ),
                violation_error_message=_("Tilts must be between -90 and 90 degrees."),
            ),
            models.CheckConstraint(
                name="inventory_sector_beamwidth_range",
                condition=Q(beamwidth_deg__gt=0, beamwidth_deg__lte=360),
                violation_error_message=_(
                    "The horizontal beamwidth must be more than 0 and at most 360 degrees."
                ),
            ),
            models.UniqueConstraint(
                fields=["site", "azimuth_deg"],
                name="inventory_sector_unique_azimuth",
                violation_error_message=_("This site already has a sector at that azimuth."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.azimuth_deg}°"

    def clean(self):
        super().clean()
        if self.site_id and self.site.omni:
            raise ValidationError(
                _("An omnidirectional site has no sectors; clear 'omni' first."), code="omni"
            )


class SiteStatusChange(models.Model):
    """One status transition of a site, dated, with who recorded it and why.

    The first row of a site has an empty ``from_status``. Outage and availability figures are
    computed from these rows, never from the current status alone.
    """

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("site")
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=SiteStatusChoices.choices, blank=True, default=""
    )
    to_status = models.CharField(_("to"), max_length=16, choices=SiteStatusChoices.choices)
    changed_on = models.DateField(_("changed on"))
    note = models.TextField(_("note"), blank=True, default="")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="site_status_changes",
        verbose_name=_("changed by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["site__code", "-changed_on", "-pk"]
        verbose_name = _("site status change")
        verbose_name_plural = _("site status changes")
        constraints = [
            models.CheckConstraint(
                name="inventory_site_status_change_differs",
                condition=~Q(from_status=models.F("to_status")),
                violation_error_message=_("A status change must change the status."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.site_id} {self.from_status or '∅'} → {self.to_status} ({self.changed_on})"
