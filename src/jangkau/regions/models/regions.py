"""The three administrative levels: regency (kabupaten), district (kecamatan), village."""

from __future__ import annotations

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from jangkau.core.choices import QUALITY_RANK
from jangkau.regions.choices import RemotenessClassChoices, VillageKindChoices


class AreaBase(models.Model):
    """Common fields: Kemendagri code, name, boundary and its derived figures.

    ``boundary`` is the full GeoJSON geometry in EPSG:4326 used for analysis; ``boundary_display``
    is a simplified copy for maps. ``area_km2`` is computed in an equal-area projection.
    """

    code = models.CharField(_("Kemendagri code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    boundary_display = models.JSONField(_("display boundary (simplified)"), null=True, blank=True)
    centroid_lat = models.FloatField(_("centroid latitude"), null=True, blank=True)
    centroid_lon = models.FloatField(_("centroid longitude"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km², computed)"), null=True, blank=True)
    boundary_source = models.CharField(_("boundary source"), max_length=300, blank=True, default="")

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @cached_property
    def geometry(self):
        """The boundary as a shapely geometry (None if absent)."""
        from shapely.geometry import shape

        return shape(self.boundary) if self.boundary else None

    #: figures older than the newest by more than this many years are not shown as current.
    POPULATION_MAX_AGE_YEARS = 6

    def best_population(self):
        """The population figure to show.

        Among the figures no more than :attr:`POPULATION_MAX_AGE_YEARS` older than the newest,
        the best quality wins (official > measured > estimated > illustrative), then the most
        recent year. So an official figure entered later replaces an estimate, while an
        official count from a decade ago does not hide a current estimate.
        """
        figures = list(self.population_figures.all())
        if not figures:
            return None
        newest = max(f.year for f in figures)
        recent = [f for f in figures if newest - f.year <= self.POPULATION_MAX_AGE_YEARS]
        return max(recent, key=lambda f: (QUALITY_RANK[f.quality], f.year, f.pk or 0))


class Regency(AreaBase):
    """A kabupaten/kota, e.g. 64.08 Kabupaten Kutai Timur, with its seat (ibu kota)."""

    seat_name = models.CharField(_("seat"), max_length=120, blank=True, default="")
    seat_lat = models.FloatField(_("seat latitude"), null=True, blank=True)
    seat_lon = models.FloatField(_("seat longitude"), null=True, blank=True)
    seat_source = models.CharField(
        _("seat location source"), max_length=300, blank=True, default=""
    )
    coastline = models.JSONField(
        _("coastline (GeoJSON lines)"),
        null=True,
        blank=True,
        help_text=_("The parts of the boundary that face the sea; used for the coastal flag."),
    )
    coastline_source = models.CharField(
        _("coastline source"), max_length=300, blank=True, default=""
    )

    class Meta(AreaBase.Meta):
        verbose_name = _("regency")
        verbose_name_plural = _("regencies")


class District(AreaBase):
    """A kecamatan. ``code`` has the form ``64.08.01``."""

    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="districts", verbose_name=_("regency")
    )

    class Meta(AreaBase.Meta):
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")


class Village(AreaBase):
    """A desa or kelurahan. ``code`` has the form ``64.08.01.2001``.

    Remoteness fields are derived by :mod:`jangkau.cores.remoteness` when the data are loaded.
    """

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="villages", verbose_name=_("kecamatan")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=VillageKindChoices.choices)
    distance_to_seat_km = models.FloatField(
        _("distance to regency seat (km)"), null=True, blank=True
    )
    distance_to_kecamatan_km = models.FloatField(
        _("distance to kecamatan centre (km)"), null=True, blank=True
    )
    is_coastal = models.BooleanField(_("coastal"), default=False)
    is_island = models.BooleanField(_("on an inhabited island"), default=False)
    remoteness_class = models.PositiveSmallIntegerField(
        _("remoteness class"), choices=RemotenessClassChoices.choices, null=True, blank=True
    )

    class Meta(AreaBase.Meta):
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        indexes = [models.Index(fields=["district", "code"], name="village_district_code_idx")]

    def neighbours(self):
        """Villages whose boundaries touch or overlap this one (within ~100 m)."""
        geom = self.geometry
        if geom is None:
            return []
        grown = geom.buffer(0.001)
        found = []
        for other in Village.objects.exclude(pk=self.pk).only("code", "name", "boundary"):
            if other.boundary and grown.intersects(other.geometry):
                found.append(other)
        return found
