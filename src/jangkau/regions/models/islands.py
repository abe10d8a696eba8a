"""Named islands (pulau) with their Kepmendagri status."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jangkau.core.models import ProvenanceModel
from jangkau.regions.choices import IslandStatusChoices


class Island(ProvenanceModel):
    """An island of the regency: point, status (inhabited or not), area, and its village."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    status = models.CharField(
        _("status"), max_length=3, choices=IslandStatusChoices.choices, blank=True, default=""
    )
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    village = models.ForeignKey(
        "regions.Village", null=True, blank=True, on_delete=models.SET_NULL, related_name="islands"
    )
    notes = models.TextField(_("notes"), blank=True, default="")

    class Meta:
        ordering = ["code"]
        verbose_name = _("island")
        verbose_name_plural = _("islands")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def inhabited(self) -> bool:
        return self.status == IslandStatusChoices.INHABITED
