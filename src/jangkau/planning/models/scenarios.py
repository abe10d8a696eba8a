"""Planning scenarios: years, budgets, policy weights, floors and forced/forbidden items."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jangkau.cores.planning import EquityFloor, PriorityWeights
from jangkau.cores.planning.roadmap_instance import FACILITY_KINDS, STATUS_CODES
from jangkau.planning import assumptions as A
from jangkau.planning.choices import (
    ResultKindChoices,
    ScenarioStateChoices,
    WeighedStatusChoices,
)

#: the longest plan a scenario may have (years).
MAX_PLAN_YEARS = 15


def default_status_weights() -> dict[str, float]:
    """The core's default status weights (no signal 3 > 2G/3G only 2 > 4G weak 1)."""
    return {k: float(v) for k, v in PriorityWeights().status.items()}


def default_remoteness_weights() -> dict[str, float]:
    """The core's default remoteness weights, keyed by class as text (JSON keys)."""
    return {str(k): float(v) for k, v in PriorityWeights().remoteness.items()}


def default_facility_bonus() -> dict[str, float]:
    """The core's default bonus per facility, in people-equivalents."""
    return {k: float(v) for k, v in PriorityWeights().facility_bonus.items()}


def default_budgets() -> list[int]:
    n = A.DEFAULT_YEAR_TO - A.DEFAULT_YEAR_FROM + 1
    return [A.DEFAULT_BUDGET_PER_YEAR_IDR] * n


def default_curve_scales() -> list[float]:
    return list(A.DEFAULT_CURVE_SCALES)


class Scenario(models.Model):
    """A question for the planner: what to build in which year within these budgets.

    ``budgets`` holds one amount (IDR) per plan year from ``year_from`` to ``year_to``.
    Weights are policy choices (defaults from the planning core, shown with every result):
    ``status_weights`` must rank no signal > 2G/3G only > 4G weak, ``remoteness_weights`` are
    keyed by remoteness class ("1".."4"), ``facility_bonus`` gives people-equivalents per
    unconnected facility. Villages whose status is unknown are weighted as ``unknown_status_as``.
    ``forced`` maps item ids to a year (or null for any year); ``forbidden`` lists item ids.
    """

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, default="")
    year_from = models.PositiveSmallIntegerField(_("first year"), default=A.DEFAULT_YEAR_FROM)
    year_to = models.PositiveSmallIntegerField(_("last year"), default=A.DEFAULT_YEAR_TO)
    budgets = models.JSONField(_("budget per year (IDR)"), default=default_budgets)
    carry_forward = models.BooleanField(
        _("carry unspent money forward"),
        default=False,
        help_text=_("Off: money not spent by the end of a year is lost (annual APBD budgets)."),
    )
    status_weights = models.JSONField(_("status weights"), default=default_status_weights)
    remoteness_weights = models.JSONField(
        _("remoteness weights"), default=default_remoteness_weights
    )
    facility_bonus = models.JSONField(
        _("bonus per unconnected facility (people-equivalents)"), default=default_facility_bonus
    )
    unknown_status_as = models.CharField(
        _("weigh villages of unknown status as"),
        max_length=16,
        choices=WeighedStatusChoices.choices,
        default=WeighedStatusChoices.ONLY_2G_3G,
        help_text=_("No evidence either way: by default weighed between no signal and weak 4G."),
    )
    equity_floor_share = models.FloatField(
        _("equity floor (share of each kecamatan's unserved people)"), null=True, blank=True
    )
    equity_floor_year = models.PositiveSmallIntegerField(
        _("equity floor reached by"), null=True, blank=True
    )
    forced = models.JSONField(_("forced items"), default=dict, blank=True)
    forbidden = models.JSONField(_("forbidden items"), default=list, blank=True)
    cost_table = models.ForeignKey(
        "planning.CostTable",
        on_delete=models.PROTECT,
        related_name="scenarios",
        verbose_name=_("cost table"),
    )
    curve_scales = models.JSONField(
        _("cost curve budget multipliers"), default=default_curve_scales, blank=True
    )
    time_limit_seconds = models.PositiveIntegerField(
        _("time limit per solve (s)"), default=A.DEFAULT_TIME_LIMIT_S
    )
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ScenarioStateChoices.choices,
        default=ScenarioStateChoices.DRAFT,
    )
    progress = models.ForeignKey(
        "core.TaskProgress",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("progress"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [
            models.CheckConstraint(
                name="planning_scenario_years_ordered",
                condition=Q(year_to__gte=F("year_from")),
                violation_error_message=_("The last year cannot be before the first year."),
            ),
            models.CheckConstraint(
                name="planning_scenario_years_span",
                condition=Q(year_to__lt=F("year_from") + MAX_PLAN_YEARS),
                violation_error_message=_("A plan covers at most 15 years."),
            ),
            models.CheckConstraint(
                name="planning_scenario_floor_complete",
                condition=Q(equity_floor_share__isnull=True, equity_floor_year__isnull=True)
                | Q(equity_floor_share__isnull=False, equity_floor_year__isnull=False),
                violation_error_message=_("An equity floor needs both a share and a year."),
            ),
            models.CheckConstraint(
                name="planning_scenario_floor_share_range",
                condition=Q(equity_floor_share__isnull=True)
                | Q(equity_floor_share__gt=0, equity_floor_share__lte=1),
                violation_error_message=_("The equity floor is a share above 0 and at most 1."),
            ),
            models.CheckConstraint(
                name="planning_scenario_unknown_status_known",
                condition=Q(unknown_status_as__in=WeighedStatusChoices.values),
                violation_error_message=_("Unknown villages are weighed as one of the statuses."),
            ),
            models.CheckConstraint(
                name="planning_scenario_time_limit_positive",
                condition=Q(time_limit_seconds__gte=1),
                violation_error_message=_("The time limit must be at least 1 second."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # ---- derived values -------------------------------------------------------------------

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))

    @property
    def total_budget(self) -> float:
        """The budgets of all plan years added up (IDR)."""
        return float(sum(float(b) for b in self.budgets or []))

    def budgets_by_year(self) -> dict[int, float]:
        """Budget per plan year (IDR)."""
        return {year: float(b) for year, b in zip(self.years, self.budgets, strict=True)}

    def priority_weights(self) -> PriorityWeights:
        """The weights as the planning core takes them."""
        return PriorityWeights(
            status={k: float(v) for k, v in self.status_weights.items()},
            remoteness={int(k): float(v) for k, v in self.remoteness_weights.items()},
            facility_bonus={k: float(v) for k, v in self.facility_bonus.items()},
        )

    def equity_floors(self) -> list[EquityFloor]:
        if self.equity_floor_share is None or self.equity_floor_year is None:
            return []
        return [EquityFloor(share=float(self.equity_floor_share), by_year=self.equity_floor_year)]

    def latest_result(self):
        """The newest plan (not a cost-curve point) of this scenario, or None."""
        return self.results.filter(kind=ResultKindChoices.MAIN).order_by("-created", "-pk").first()

    def inputs_snapshot(self) -> dict:
        """Everything a run used, stored with the result so it stays explainable."""
        return {
            "years": self.years,
            "budgets": [float(b) for b in self.budgets],
            "carry_forward": self.carry_forward,
            "status_weights": dict(self.status_weights),
            "remoteness_weights": dict(self.remoteness_weights),
            "facility_bonus": dict(self.facility_bonus),
            "unknown_status_as": self.unknown_status_as,
            "equity_floor_share": self.equity_floor_share,
            "equity_floor_year": self.equity_floor_year,
            "forced": dict(self.forced),
            "forbidden": list(self.forbidden),
            "cost_table_version": self.cost_table.version,
            "curve_scales": list(self.curve_scales),
            "time_limit_seconds": self.time_limit_seconds,
        }

    # ---- validation -----------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors: dict[str, list[str]] = {}
        if self.year_from and self.year_to and self.year_to >= self.year_from:
            n_years = self.year_to - self.year_from + 1
            if not isinstance(self.budgets, list) or len(self.budgets) != n_years:
                errors.setdefault("budgets", []).append(
                    _("Give one budget per plan year (%(n)s years).") % {"n": n_years}
                )
            elif any(
                isinstance(b, bool) or not isinstance(b, int | float) or b < 0 for b in self.budgets
            ):
                errors.setdefault("budgets", []).append(
                    _("Budgets are amounts of rupiah, zero or more.")
                )
            if self.equity_floor_year is not None and not (
                self.year_from <= self.equity_floor_year <= self.year_to
            ):
                errors.setdefault("equity_floor_year", []).append(
                    _("The floor's year must be a plan year.")
                )
            for item_id, year in (self.forced or {}).items():
                if year is not None and not (self.year_from <= year <= self.year_to):
                    errors.setdefault("forced", []).append(
                        _("%(item)s: %(year)s is not a plan year.")
                        % {"item": item_id, "year": year}
                    )
        try:
            weights = self.priority_weights()
            order = [weights.status.get(code) for code in STATUS_CODES]
            if None in order or not order[0] > order[1] > order[2] > 0:
                errors.setdefault("status_weights", []).append(
                    _("Status weights must be positive and rank no signal > 2G/3G only > 4G weak.")
                )
            if any(v <= 0 for v in weights.remoteness.values()) or not weights.remoteness:
                errors.setdefault("remoteness_weights", []).append(
                    _("Remoteness weights must be positive.")
                )
            unknown = set(weights.facility_bonus) - set(FACILITY_KINDS)
            if unknown or any(v < 0 for v in weights.facility_bonus.values()):
                errors.setdefault("facility_bonus", []).append(
                    _("Facility bonuses are zero or more, for kantor_desa, school and puskesmas.")
                )
        except (TypeError, ValueError, AttributeError):
            errors.setdefault("status_weights", []).append(_("Weights must be numbers."))
        overlap = set(self.forced or {}) & set(self.forbidden or [])
        if overlap:
            errors.setdefault("forbidden", []).append(
                _("Forced and forbidden at once: %(items)s.")
                % {"items": ", ".join(sorted(overlap))}
            )
        if errors:
            raise ValidationError(errors)
