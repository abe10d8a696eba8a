"""Digital elevation models registered for coverage runs."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.core.models import ProvenanceModel

#: a DEM with cells larger than this (metres) is coarse: it shows where the hills roughly are
#: but cannot show the shadow of a ridge. SRTM/Copernicus tiles are 30–90 m.
COARSE_CELL_M = 100.0


def terrain_dir() -> Path:
    """Where terrain files are kept: ``DATA_DIR/terrain``."""
    return Path(settings.DATA_DIR) / "terrain"


class Terrain(ProvenanceModel):
    """A DEM file copied into ``DATA_DIR/terrain``, with what was checked when it was imported.

    At most one terrain is ``active``: coverage runs use it unless told otherwise; with none,
    the engine assumes a flat earth at 0 m. ``is_coarse`` marks DEMs whose cells exceed
    :data:`COARSE_CELL_M` (the shipped demo DEM has about 9 km cells); pages warn while a coarse
    terrain (or none) is in use. Bounds are in longitude/latitude (WGS 84).
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    file_name = models.CharField(
        _("file"), max_length=255, help_text=_("File name inside DATA_DIR/terrain.")
    )
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    band = models.PositiveSmallIntegerField(_("band"), default=1)
    crs = models.TextField(_("CRS"), help_text=_("As stated by the file (WKT or EPSG code)."))
    crs_label = models.CharField(_("CRS (short)"), max_length=100, blank=True, default="")
    width = models.PositiveIntegerField(_("columns"))
    height = models.PositiveIntegerField(_("rows"))
    resolution_m = models.FloatField(
        _("cell size (m, approximate)"),
        help_text=_("The larger cell side, in metres (degrees converted at the equator)."),
    )
    west = models.FloatField(_("west (longitude)"))
    south = models.FloatField(_("south (latitude)"))
    east = models.FloatField(_("east (longitude)"))
    north = models.FloatField(_("north (latitude)"))
    is_coarse = models.BooleanField(_("coarse"), default=False)
    active = models.BooleanField(_("active"), default=False)
    notes = models.TextField(_("notes"), blank=True, default="")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-active", "name"]
        verbose_name = _("terrain (DEM)")
        verbose_name_plural = _("terrains (DEM)")
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=Q(active=True),
                name="radio_terrain_one_active",
                violation_error_message=_("Only one terrain can be active."),
            ),
            models.CheckConstraint(
                name="radio_terrain_resolution_positive",
                condition=Q(resolution_m__gt=0),
                violation_error_message=_("The cell size must be more than 0 m."),
            ),
            models.CheckConstraint(
                name="radio_terrain_bounds_ordered",
                condition=Q(west__lt=models.F("east"), south__lt=models.F("north")),
                violation_error_message=_("West must be less than east and south less than north."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.resolution_m:.0f} m)"

    @property
    def path(self) -> Path:
        """The file on disk."""
        return terrain_dir() / self.file_name

    @classmethod
    def active_terrain(cls) -> Terrain | None:
        """The terrain runs use by default (None: flat earth)."""
        return cls.objects.filter(active=True).first()
