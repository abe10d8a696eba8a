"""Backhaul links: fiber routes, microwave hops and VSAT paths, drawn as lines."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jangkau.core.models import ProvenanceModel
from jangkau.inventory.choices import LinkKindChoices, ServiceStatusChoices
from jangkau.inventory.geo import current_frame, distance_km, line_length_km, parse_line
from jangkau.inventory.models.base import code_validator
from jangkau.inventory.models.service_status import StatusHistoryModel

#: how far (km) an endpoint site may stand from the end of the line drawn for it.
ENDPOINT_TOLERANCE_KM = 2.0


class Link(StatusHistoryModel, ProvenanceModel):
    """A backhaul link drawn as a GeoJSON LineString (EPSG:4326), with optional end sites.

    The line must have at least two distinct points and lie in the regency (its boundary grown
    by 0.02°). ``length_km`` is computed geodesically from the line on every save. When an end
    site is given it must stand within :data:`ENDPOINT_TOLERANCE_KM` of an end of the line.
    """

    history_field = "link"

    code = models.CharField(_("link code"), max_length=64, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=16, choices=LinkKindChoices.choices)
    provider = models.CharField(_("provider"), max_length=120, blank=True, default="")
    geometry = models.JSONField(_("route (GeoJSON LineString)"))
    endpoint_a = models.ForeignKey(
        "inventory.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="links_from",
        verbose_name=_("end A (site)"),
    )
    endpoint_b = models.ForeignKey(
        "inventory.Site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="links_to",
        verbose_name=_("end B (site)"),
    )
    capacity_mbps = models.FloatField(_("capacity (Mbps)"), null=True, blank=True)
    length_km = models.FloatField(_("length (km, computed)"), editable=False, default=0.0)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ServiceStatusChoices.choices,
        default=ServiceStatusChoices.PLANNED,
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.CheckConstraint(
                name="inventory_link_distinct_ends",
                condition=Q(endpoint_a__isnull=True)
                | Q(endpoint_b__isnull=True)
                | ~Q(endpoint_a=models.F("endpoint_b")),
                violation_error_message=_("A link cannot start and end at the same site."),
            ),
            models.CheckConstraint(
                name="inventory_link_capacity_positive",
                condition=Q(capacity_mbps__isnull=True) | Q(capacity_mbps__gt=0),
                violation_error_message=_("The capacity must be more than 0 Mbps."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.get_kind_display()} ({self.length_km:.1f} km)"

    @property
    def line(self):
        """The route as a shapely LineString."""
        return parse_line(self.geometry)

    def clean(self):
        super().clean()
        try:
            line = parse_line(self.geometry)
        except ValidationError as exc:
            raise ValidationError({"geometry": exc.messages}) from exc
        frame = current_frame()
        if not frame.covers(line):
            raise ValidationError(
                {
                    "geometry": _(
                        "The line leaves %(regency)s (its boundary grown by 0.02°). Check that "
                        "each point is [longitude, latitude], in that order."
                    )
                    % {"regency": frame.regency_name or _("the regency")}
                },
                code="outside_regency",
            )
        ends = [line.coords[0], line.coords[-1]]
        errors = {}
        for field in ("endpoint_a", "endpoint_b"):
            site = getattr(self, field)
            if site is None:
                continue
            nearest = min(distance_km(site.lat, site.lon, lat, lon) for lon, lat, *_z in ends)
            if nearest > ENDPOINT_TOLERANCE_KM:
                errors[field] = _(
                    "Site %(code)s stands %(km).1f km from the nearest end of the line "
                    "(at most %(max)s km)."
                ) % {"code": site.code, "km": nearest, "max": ENDPOINT_TOLERANCE_KM}
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.length_km = round(line_length_km(parse_line(self.geometry)), 3)
        super().save(*args, **kwargs)
