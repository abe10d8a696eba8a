"""Versioned cost tables: one row per cost item, each with its source and quality.

A version is never changed once saved: planners edit a table by saving a new version
(:func:`jangkau.planning.costs.save_new_version`), and every plan records the version it used,
so an old plan can always be explained with the figures it was computed with.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.core.choices import QualityChoices
from jangkau.core.models import ProvenanceModel

#: qualities an assumption may have (the cost-table loader enforces the same rule).
ASSUMPTION_QUALITIES = (QualityChoices.ESTIMATED, QualityChoices.ILLUSTRATIVE)


class CostTable(models.Model):
    """One version of the cost table (money in Indonesian rupiah, IDR).

    ``version`` counts up from 1 (the table shipped with Jangkau). ``based_on`` is the version
    it was edited from. Exactly one table may be the default for new scenarios.
    """

    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    source_notes = models.TextField(
        _("source notes"),
        blank=True,
        default="",
        help_text=_("Where the figures come from, and what changed from the previous version."),
    )
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived",
        verbose_name=_("based on"),
    )
    is_default = models.BooleanField(_("default for new scenarios"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("cost table")
        verbose_name_plural = _("cost tables")
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                name="planning_cost_table_unique_version",
                violation_error_message=_("A cost table with this version exists."),
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="planning_cost_table_one_default",
                violation_error_message=_("Only one cost table can be the default."),
            ),
            models.CheckConstraint(
                name="planning_cost_table_version_positive",
                condition=Q(version__gte=1),
                violation_error_message=_("Versions start at 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.name}"

    @property
    def is_used(self) -> bool:
        """Whether a stored plan was computed with this version."""
        return self.results.exists()


class CostItem(ProvenanceModel):
    """One cost item of a table: capex and yearly opex per unit, with provenance.

    ``source`` and ``source_url`` say where the figure comes from, ``quality`` how it is known
    and ``is_assumption`` whether we chose it or applied it outside its context (an assumption
    is never *official* or *measured*).
    """

    table = models.ForeignKey(
        CostTable, on_delete=models.CASCADE, related_name="items", verbose_name=_("cost table")
    )
    item = models.SlugField(_("item"), max_length=60, allow_unicode=False)
    unit = models.CharField(_("unit"), max_length=40)
    capex_idr = models.DecimalField(_("capex (IDR per unit)"), max_digits=18, decimal_places=0)
    opex_idr_per_year = models.DecimalField(
        _("opex (IDR per unit and year)"), max_digits=18, decimal_places=0
    )
    lifetime_years = models.FloatField(_("lifetime (years)"), null=True, blank=True)
    capacity = models.CharField(_("capacity"), max_length=200, blank=True, default="")
    is_assumption = models.BooleanField(_("assumption"), default=True)
    notes = models.TextField(_("notes"), blank=True, default="")

    class Meta:
        ordering = ["table", "pk"]
        verbose_name = _("cost item")
        verbose_name_plural = _("cost items")
        constraints = [
            models.UniqueConstraint(
                fields=["table", "item"],
                name="planning_cost_item_unique_per_table",
                violation_error_message=_("This item is already in the table."),
            ),
            models.CheckConstraint(
                name="planning_cost_item_money_not_negative",
                condition=Q(capex_idr__gte=0, opex_idr_per_year__gte=0),
                violation_error_message=_("Costs cannot be negative."),
            ),
            models.CheckConstraint(
                name="planning_cost_item_assumption_quality",
                condition=Q(is_assumption=False) | Q(quality__in=list(ASSUMPTION_QUALITIES)),
                violation_error_message=_(
                    "An assumption is estimated or illustrative, never official or measured."
                ),
            ),
            models.CheckConstraint(
                name="planning_cost_item_lifetime_positive",
                condition=Q(lifetime_years__isnull=True) | Q(lifetime_years__gt=0),
                violation_error_message=_("The lifetime must be more than 0 years."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} (v{self.table.version})"
