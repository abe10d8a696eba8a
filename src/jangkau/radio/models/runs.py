"""Coverage runs (one best-server raster of the whole regency) and their per-village figures."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.core.choices import QualityChoices
from jangkau.core.models import ProvenanceModel
from jangkau.evidence.choices import OperatorChoices
from jangkau.radio.choices import PropagationModelChoices, RunStateChoices

#: cells more than this far below the weak threshold are left empty (the raster floor, dB).
FLOOR_BELOW_WEAK_DB = 10.0

#: the terrain label of a run computed without a DEM.
FLAT_EARTH_LABEL = "flat earth (0 m)"


class CoverageRun(ProvenanceModel):
    """One computation of predicted coverage over the regency, cached by its inputs.

    ``inputs_hash`` is the SHA-256 of everything that determines the stored result (the sites
    with their radio parameters, the grid, the terrain file, the model and its parameters, the
    thresholds and the villages' population), so a second request with the same inputs reuses
    this run instead of computing again. ``sites`` keeps the exact site list computed (also the
    key to the serving ``site_id`` of the GeoTIFF). Paths are relative to ``DATA_DIR``.

    Provenance: ``source`` names the engine and model, ``as_of`` is the date of the tower
    inventory used (not the run date), ``quality`` is always *estimated*.
    """

    inputs_hash = models.CharField(_("inputs hash"), max_length=64)
    model = models.CharField(
        _("propagation model"), max_length=16, choices=PropagationModelChoices.choices
    )
    params = models.JSONField(_("parameters"), default=dict)
    threshold_good_dbm = models.FloatField(_("good service from (dBm)"), default=-105.0)
    threshold_weak_dbm = models.FloatField(_("weak service from (dBm)"), default=-115.0)
    resolution_m = models.FloatField(_("resolution (m)"))
    terrain = models.ForeignKey(
        "radio.Terrain",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
        verbose_name=_("terrain"),
        help_text=_("Empty: flat earth at 0 m."),
    )
    terrain_label = models.CharField(_("terrain used"), max_length=200, blank=True, default="")
    terrain_is_coarse = models.BooleanField(_("coarse or no terrain"), default=True)
    include_proposed = models.BooleanField(_("includes proposed sites"), default=False)
    sites = models.JSONField(_("sites computed"), default=list, blank=True)
    grid = models.JSONField(_("grid"), default=dict, blank=True)
    n_sites = models.PositiveIntegerField(_("sites"), default=0)
    state = models.CharField(
        _("state"), max_length=16, choices=RunStateChoices.choices, default=RunStateChoices.QUEUED
    )
    progress = models.ForeignKey(
        "core.TaskProgress",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("progress"),
    )
    geotiff_path = models.CharField(_("GeoTIFF"), max_length=255, blank=True, default="")
    png_path = models.CharField(_("overlay image"), max_length=255, blank=True, default="")
    overlay_west = models.FloatField(_("overlay west"), null=True, blank=True)
    overlay_south = models.FloatField(_("overlay south"), null=True, blank=True)
    overlay_east = models.FloatField(_("overlay east"), null=True, blank=True)
    overlay_north = models.FloatField(_("overlay north"), null=True, blank=True)
    seconds = models.FloatField(_("computing time (s)"), null=True, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True, default="")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    requested_at = models.DateTimeField(
        _("last requested"), default=timezone.now, help_text=_("Also set when the cache is hit.")
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    published_at = models.DateTimeField(
        _("predictions published"),
        null=True,
        blank=True,
        help_text=_("When its predictions became the model-prediction evidence of the villages."),
    )

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("coverage run")
        verbose_name_plural = _("coverage runs")
        constraints = [
            models.UniqueConstraint(
                fields=["inputs_hash"],
                name="radio_run_unique_inputs",
                violation_error_message=_("A run with the same inputs exists: it is reused."),
            ),
            models.CheckConstraint(
                name="radio_run_thresholds_ordered",
                condition=Q(threshold_good_dbm__gt=models.F("threshold_weak_dbm")),
                violation_error_message=_("The good threshold must be above the weak one."),
            ),
            models.CheckConstraint(
                name="radio_run_resolution_positive",
                condition=Q(resolution_m__gt=0),
                violation_error_message=_("The resolution must be more than 0 m."),
            ),
            models.CheckConstraint(
                name="radio_run_estimated",
                condition=Q(quality=QualityChoices.ESTIMATED),
                violation_error_message=_("A coverage prediction is always an estimate."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.model} {self.resolution_m:g} m ({self.state})"

    @property
    def is_done(self) -> bool:
        return self.state == RunStateChoices.DONE

    @property
    def uses_flat_earth(self) -> bool:
        return self.terrain_id is None and self.terrain_label == FLAT_EARTH_LABEL

    @property
    def overlay_bounds(self) -> list[list[float]] | None:
        """Leaflet bounds of the overlay image: ``[[south, west], [north, east]]``."""
        if self.overlay_west is None:
            return None
        return [[self.overlay_south, self.overlay_west], [self.overlay_north, self.overlay_east]]

    def file(self, relative: str) -> Path | None:
        """Absolute path of a stored file (None when not written)."""
        return Path(settings.DATA_DIR) / relative if relative else None

    def site_entry(self, site_id: int | None) -> dict | None:
        """The stored description of a computed site by its ``site_id``."""
        if site_id is None:
            return None
        return next((s for s in self.sites if s.get("site_id") == site_id), None)


class VillageCoverage(models.Model):
    """Predicted coverage of one village in one run, for one operator ('' = all operators).

    Shares are area shares of the village's raster cells at the good / weak level (weak
    includes good). People are **estimated** as population × share, assuming people are spread
    uniformly over the village, which they are not (they live along rivers and roads). The
    provenance is the run's (estimated, as of the inventory date).
    """

    run = models.ForeignKey(
        CoverageRun, on_delete=models.CASCADE, related_name="villages", verbose_name=_("run")
    )
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.CASCADE,
        related_name="coverage_predictions",
        verbose_name=_("village"),
    )
    operator = models.CharField(
        _("operator"), max_length=20, choices=OperatorChoices.choices, blank=True, default=""
    )
    share_good = models.FloatField(_("area share with good signal"), null=True, blank=True)
    share_weak = models.FloatField(_("area share with at least weak signal"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population used"), null=True, blank=True)
    population_quality = models.CharField(
        _("population quality"),
        max_length=16,
        choices=QualityChoices.choices,
        blank=True,
        default="",
    )
    people_covered_estimate = models.FloatField(
        _("people with good signal (estimated)"),
        null=True,
        blank=True,
        help_text=_("Population × good share: assumes uniform density within the village."),
    )
    people_weak_estimate = models.FloatField(
        _("people with at least weak signal (estimated)"), null=True, blank=True
    )
    best_site_id = models.IntegerField(_("best site (run id)"), null=True, blank=True)
    best_site_code = models.CharField(_("best site"), max_length=100, blank=True, default="")
    best_operator = models.CharField(_("best operator"), max_length=20, blank=True, default="")
    median_signal_dbm = models.FloatField(_("median signal (dBm)"), null=True, blank=True)
    margin_db = models.FloatField(
        _("margin to the good threshold (dB)"),
        null=True,
        blank=True,
        help_text=_("Median signal minus the good threshold; negative = short."),
    )
    n_cells = models.PositiveIntegerField(_("cells"), default=0)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    sampled_at_point = models.BooleanField(_("smaller than a cell"), default=False)

    class Meta:
        ordering = ["run", "village__code", "operator"]
        verbose_name = _("village coverage (predicted)")
        verbose_name_plural = _("village coverage (predicted)")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "village", "operator"],
                name="radio_village_coverage_unique",
                violation_error_message=_("One row per run, village and operator."),
            ),
            models.CheckConstraint(
                name="radio_village_coverage_shares",
                condition=(Q(share_good__isnull=True) | Q(share_good__gte=0, share_good__lte=1))
                & (Q(share_weak__isnull=True) | Q(share_weak__gte=0, share_weak__lte=1)),
                violation_error_message=_("Shares lie between 0 and 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.village_id} {self.operator or 'all'}: {self.share_good}"

    @property
    def margin_at_floor(self) -> bool:
        """True when the median is the raster floor: the margin is then an upper bound."""
        floor = self.run.threshold_weak_dbm - FLOOR_BELOW_WEAK_DB
        return self.median_signal_dbm is not None and self.median_signal_dbm <= floor + 1e-6
