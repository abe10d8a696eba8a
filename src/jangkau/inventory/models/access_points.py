"""Public internet access points: VSAT and BAKTI terminals, public Wi-Fi, village offices."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jangkau.core.models import ProvenanceModel
from jangkau.inventory.choices import AccessPointKindChoices, ServiceStatusChoices
from jangkau.inventory.models.base import LocatedModel, code_validator
from jangkau.inventory.models.service_status import StatusHistoryModel


class AccessPoint(StatusHistoryModel, LocatedModel, ProvenanceModel):
    """A place where the public gets online without a mobile signal of their own.

    ``code`` is the natural key (e.g. the BAKTI Akses Internet terminal id); ``village`` is
    found from the coordinates. Every change of ``status`` is a :class:`.ServiceStatusChange`
    row.
    """

    history_field = "access_point"

    code = models.CharField(
        _("access point code"), max_length=64, unique=True, validators=[code_validator]
    )
    name = models.CharField(_("name"), max_length=200, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=16, choices=AccessPointKindChoices.choices)
    provider = models.CharField(_("provider"), max_length=120, blank=True, default="")
    village = models.ForeignKey(
        "regions.Village",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_points",
        verbose_name=_("village"),
        help_text=_("Found from the coordinates."),
    )
    capacity_mbps = models.FloatField(_("capacity (Mbps)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ServiceStatusChoices.choices,
        default=ServiceStatusChoices.ACTIVE,
    )
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, default="")
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("access point")
        verbose_name_plural = _("access points")
        constraints = [
            models.CheckConstraint(
                name="inventory_access_point_capacity_positive",
                condition=Q(capacity_mbps__isnull=True) | Q(capacity_mbps__gt=0),
                violation_error_message=_("The capacity must be more than 0 Mbps."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.get_kind_display()}"
