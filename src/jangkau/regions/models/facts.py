"""Figures about regions, each with its provenance."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jangkau.core.models import ProvenanceModel


class PopulationFigure(ProvenanceModel):
    """A population count of one region in one year, with source and quality.

    Exactly one of ``regency``, ``district`` or ``village`` is set. Several figures may exist
    for a region; the one shown is chosen by
    :meth:`jangkau.regions.models.regions.AreaBase.best_population` (official beats estimated).
    """

    regency = models.ForeignKey(
        "regions.Regency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="population_figures",
    )
    district = models.ForeignKey(
        "regions.District",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="population_figures",
    )
    village = models.ForeignKey(
        "regions.Village",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="population_figures",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.PositiveIntegerField(_("population"))
    male = models.PositiveIntegerField(_("male"), null=True, blank=True)
    female = models.PositiveIntegerField(_("female"), null=True, blank=True)
    method = models.TextField(_("method"), blank=True, default="")

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        constraints = [
            models.CheckConstraint(
                name="population_exactly_one_region",
                condition=(
                    Q(regency__isnull=False, district__isnull=True, village__isnull=True)
                    | Q(regency__isnull=True, district__isnull=False, village__isnull=True)
                    | Q(regency__isnull=True, district__isnull=True, village__isnull=False)
                ),
                violation_error_message=_("A population figure belongs to exactly one region."),
            ),
            models.UniqueConstraint(
                fields=["village", "year", "source"],
                condition=Q(village__isnull=False),
                name="population_unique_village_year_source",
                violation_error_message=_("This source already gives a figure for that year."),
            ),
            models.UniqueConstraint(
                fields=["district", "year", "source"],
                condition=Q(district__isnull=False),
                name="population_unique_district_year_source",
            ),
            models.UniqueConstraint(
                fields=["regency", "year", "source"],
                condition=Q(regency__isnull=False),
                name="population_unique_regency_year_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}: {self.value} ({self.quality})"

    @property
    def region(self):
        return self.village or self.district or self.regency

    def clean(self):
        if (
            self.male is not None
            and self.female is not None
            and self.male + self.female != self.value
        ):
            raise ValidationError({"value": _("Male plus female must equal the total.")})


class RegionFact(ProvenanceModel):
    """Any other sourced figure about a region (area, density, counts, SPBE index…).

    ``region_code`` is a Kemendagri code of any level, so facts about the regency, a kecamatan
    or a village live in one table. ``key`` is the natural key that makes re-imports idempotent.
    """

    key = models.CharField(_("key"), max_length=120, unique=True)
    region_code = models.CharField(_("region code"), max_length=16, db_index=True)
    metric = models.CharField(_("metric"), max_length=120)
    value = models.FloatField(_("value"), null=True, blank=True)
    value_text = models.CharField(_("value (text)"), max_length=200, blank=True, default="")
    unit = models.CharField(_("unit"), max_length=40, blank=True, default="")
    notes = models.TextField(_("notes"), blank=True, default="")

    class Meta:
        ordering = ["region_code", "metric", "-as_of"]
        verbose_name = _("region fact")
        verbose_name_plural = _("region facts")

    def __str__(self) -> str:
        value = self.value if self.value is not None else self.value_text
        return f"{self.region_code} {self.metric}={value}"
