"""Public facilities (village offices, schools, health centres) and their connection."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jangkau.core.models import ProvenanceModel
from jangkau.inventory.choices import (
    ConnectedChoices,
    ConnectionKindChoices,
    FacilityKindChoices,
)
from jangkau.inventory.models.base import LocatedModel, code_validator


class Facility(LocatedModel, ProvenanceModel):
    """A kantor desa, school, puskesmas, pustu or hospital, and whether it is online.

    ``code`` is the natural key: the NPSN of a school, the Kemenkes code of a health facility,
    or another stable id. ``connected`` and ``connection_kind`` must agree: a connected
    facility has a connection other than "none"; an unconnected one has "none" or "unknown".
    """

    code = models.CharField(
        _("facility code"),
        max_length=64,
        unique=True,
        validators=[code_validator],
        help_text=_("NPSN for schools, the Kemenkes code for health facilities, or another id."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=FacilityKindChoices.choices)
    name = models.CharField(_("name"), max_length=200)
    village = models.ForeignKey(
        "regions.Village",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilities",
        verbose_name=_("village"),
        help_text=_("Found from the coordinates."),
    )
    connected = models.CharField(
        _("connected"),
        max_length=8,
        choices=ConnectedChoices.choices,
        default=ConnectedChoices.UNKNOWN,
    )
    connection_kind = models.CharField(
        _("connection"),
        max_length=16,
        choices=ConnectionKindChoices.choices,
        default=ConnectionKindChoices.UNKNOWN,
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        indexes = [models.Index(fields=["kind", "connected"], name="inventory_facility_kind_idx")]
        constraints = [
            models.CheckConstraint(
                name="inventory_facility_connected_has_connection",
                condition=~Q(connected=ConnectedChoices.YES)
                | ~Q(connection_kind=ConnectionKindChoices.NONE),
                violation_error_message=_(
                    "A connected facility needs a connection other than 'none'."
                ),
            ),
            models.CheckConstraint(
                name="inventory_facility_unconnected_has_none",
                condition=~Q(connected=ConnectedChoices.NO)
                | Q(
                    connection_kind__in=[ConnectionKindChoices.NONE, ConnectionKindChoices.UNKNOWN]
                ),
                violation_error_message=_(
                    "A facility that is not connected has the connection 'none' (or 'unknown')."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
