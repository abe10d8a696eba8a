"""Stored plans: one result per solve, one row per village with the reason it got what it got."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.core.choices import QualityChoices
from jangkau.core.models import ProvenanceModel
from jangkau.evidence.choices import ConnectivityStatusChoices
from jangkau.planning.choices import (
    BackhaulKindChoices,
    InterventionKindChoices,
    LosCheckChoices,
    PlanOutcomeChoices,
    PlanStatusChoices,
    ResultKindChoices,
    WeighedStatusChoices,
)
from jangkau.regions.choices import RemotenessClassChoices


class PlanResult(ProvenanceModel):
    """The outcome of one solve of a scenario: a plan, or one point of its cost curve.

    ``inputs`` is a snapshot of the scenario as it was run and ``cost_table`` the version used,
    so the plan stays explainable after the scenario or the costs change. ``per_year`` holds,
    per plan year (as text), ``people`` newly served, ``capex``, ``opex``, ``spend`` and
    ``budget`` / ``available`` (with carry-forward). ``built_items`` lists what the plan builds
    (sites, backhaul, terminals) with their positions. ``diagnostics`` are the core's findings,
    ``notes`` what the instance builder could not do (missing data: codes with parameters).

    Provenance: a plan is always an *estimate* (people from population estimates, costs from a
    cost table of mixed quality).
    """

    scenario = models.ForeignKey(
        "planning.Scenario",
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("scenario"),
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=ResultKindChoices.choices, default=ResultKindChoices.MAIN
    )
    main = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="curve_points",
        verbose_name=_("plan of this curve point"),
    )
    budget_scale = models.FloatField(_("budget multiplier"), default=1.0)
    cost_table = models.ForeignKey(
        "planning.CostTable",
        on_delete=models.PROTECT,
        related_name="results",
        verbose_name=_("cost table used"),
    )
    inputs = models.JSONField(_("scenario as run"), default=dict)
    status = models.CharField(_("status"), max_length=16, choices=PlanStatusChoices.choices)
    gap = models.FloatField(_("relative MIP gap"), null=True, blank=True)
    objective = models.FloatField(_("weighted people newly served"), default=0.0)
    people_years = models.FloatField(_("weighted people-years"), default=0.0)
    people_served = models.PositiveIntegerField(_("people newly served (estimated)"), default=0)
    total_spend = models.FloatField(_("total spend (IDR)"), default=0.0)
    total_budget = models.FloatField(_("total budget (IDR)"), default=0.0)
    cost_per_person = models.FloatField(_("cost per person (IDR)"), null=True, blank=True)
    per_year = models.JSONField(_("per year"), default=dict)
    built_items = models.JSONField(_("items built"), default=list)
    diagnostics = models.JSONField(_("diagnostics"), default=list)
    notes = models.JSONField(_("notes on the data"), default=list)
    stage_status = models.JSONField(_("solver stages"), default=dict)
    summary = models.JSONField(_("instance size"), default=dict)
    build_seconds = models.FloatField(_("instance building (s)"), default=0.0)
    solve_seconds = models.FloatField(_("solving (s)"), default=0.0)
    pdf_path = models.CharField(_("PDF report"), max_length=255, blank=True, default="")
    pdf_progress = models.ForeignKey(
        "core.TaskProgress",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("PDF progress"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("run by"),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("plan result")
        verbose_name_plural = _("plan results")
        constraints = [
            models.CheckConstraint(
                name="planning_result_estimated",
                condition=Q(quality=QualityChoices.ESTIMATED),
                violation_error_message=_("A plan is always an estimate."),
            ),
            models.CheckConstraint(
                name="planning_result_curve_has_main",
                condition=Q(kind=ResultKindChoices.MAIN, main__isnull=True)
                | Q(kind=ResultKindChoices.CURVE, main__isnull=False),
                violation_error_message=_("A cost-curve point belongs to a plan; a plan does not."),
            ),
            models.CheckConstraint(
                name="planning_result_scale_positive",
                condition=Q(budget_scale__gt=0),
                violation_error_message=_("The budget multiplier must be more than 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.scenario} ×{self.budget_scale:g} ({self.status})"

    @property
    def has_plan(self) -> bool:
        return self.status in (PlanStatusChoices.OPTIMAL, PlanStatusChoices.TIME_LIMIT)

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.inputs.get("years", [])]

    def pdf_file(self) -> Path | None:
        """Absolute path of the PDF report, when one was made and is still there."""
        if not self.pdf_path:
            return None
        path = Path(settings.DATA_DIR) / self.pdf_path
        return path if path.exists() else None


class PlanItem(models.Model):
    """What a plan does for one village, and why (the core's explanation record).

    ``capex`` and ``opex_per_year`` are the village's share of the option (and its backhaul)
    it is counted under, split by people served, so that the rows add up to the plan's items.
    ``option_cost`` is the whole option over the plan (capex plus opex to the horizon) and
    ``cost_per_person`` the option's cost per person it serves. People are estimates when the
    population figure is (``population_quality``); costs carry the worst quality of the cost
    items used (``cost_quality``) and whether any is an assumption.
    """

    result = models.ForeignKey(
        PlanResult, on_delete=models.CASCADE, related_name="items", verbose_name=_("result")
    )
    village = models.ForeignKey(
        "regions.Village",
        on_delete=models.CASCADE,
        related_name="plan_items",
        verbose_name=_("village"),
    )
    reason = models.CharField(_("outcome"), max_length=20, choices=PlanOutcomeChoices.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    kind = models.CharField(
        _("intervention"),
        max_length=20,
        choices=InterventionKindChoices.choices,
        blank=True,
        default="",
    )
    option_id = models.CharField(_("option"), max_length=120, blank=True, default="")
    option_label = models.CharField(_("option (described)"), max_length=200, blank=True, default="")
    backhaul_kind = models.CharField(
        _("backhaul"), max_length=12, choices=BackhaulKindChoices.choices, blank=True, default=""
    )
    backhaul_id = models.CharField(_("backhaul option"), max_length=140, blank=True, default="")
    fiber_km = models.FloatField(_("fiber route (km)"), null=True, blank=True)
    los_check = models.CharField(
        _("line of sight"), max_length=12, choices=LosCheckChoices.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status when planned"), max_length=16, choices=ConnectivityStatusChoices.choices
    )
    status_weighted_as = models.CharField(
        _("status weighed as"), max_length=16, choices=WeighedStatusChoices.choices
    )
    remoteness_class = models.PositiveSmallIntegerField(
        _("remoteness class"), choices=RemotenessClassChoices.choices, null=True
    )
    people_unserved = models.PositiveIntegerField(_("people unserved (estimated)"), default=0)
    people_served = models.PositiveIntegerField(_("people served (estimated)"), default=0)
    population_quality = models.CharField(
        _("population quality"),
        max_length=16,
        choices=QualityChoices.choices,
        blank=True,
        default="",
    )
    capex = models.FloatField(_("capex share (IDR)"), default=0.0)
    opex_per_year = models.FloatField(_("opex share (IDR per year)"), default=0.0)
    option_cost = models.FloatField(_("option cost over the plan (IDR)"), null=True, blank=True)
    option_people = models.PositiveIntegerField(_("people under the option"), default=0)
    cost_per_person = models.FloatField(_("cost per person (IDR)"), null=True, blank=True)
    value = models.FloatField(_("weighted people"), default=0.0)
    shared_with = models.JSONField(_("shared with"), default=list, blank=True)
    cost_quality = models.CharField(
        _("cost quality"), max_length=16, choices=QualityChoices.choices, blank=True, default=""
    )
    cost_is_assumption = models.BooleanField(_("cost includes assumptions"), default=False)
    cost_items = models.JSONField(_("cost items used"), default=list, blank=True)
    explanation = models.JSONField(_("explanation record"), default=dict)

    class Meta:
        ordering = ["result", "village__code"]
        verbose_name = _("plan item (village)")
        verbose_name_plural = _("plan items (villages)")
        constraints = [
            models.UniqueConstraint(
                fields=["result", "village"],
                name="planning_item_one_per_village",
                violation_error_message=_("A plan has one row per village."),
            ),
            models.CheckConstraint(
                name="planning_item_served_has_year",
                condition=~Q(reason=PlanOutcomeChoices.SERVED)
                | Q(year__isnull=False, people_served__gt=0),
                violation_error_message=_("A served village has a year and people served."),
            ),
            models.CheckConstraint(
                name="planning_item_served_within_unserved",
                condition=Q(people_served__lte=models.F("people_unserved")),
                violation_error_message=_("People served cannot exceed the people unserved."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.reason} {self.year or ''}"

    @property
    def plan_cost_share(self) -> float:
        """This village's share (by people) of its option's cost over the plan (IDR)."""
        if not self.option_cost or not self.option_people:
            return 0.0
        return float(self.option_cost) * self.people_served / self.option_people
