"""Choice classes of the planning app, and the map colours that go with them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScenarioStateChoices(models.TextChoices):
    """Where a scenario stands: edited, waiting for the worker, solving, solved or failed."""

    DRAFT = "draft", _("draft")
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


#: states in which a scenario's run is under way (a second run is refused).
SCENARIO_BUSY = frozenset({ScenarioStateChoices.QUEUED, ScenarioStateChoices.RUNNING})


class WeighedStatusChoices(models.TextChoices):
    """The statuses the planning core weighs (``STATUS_CODES``); unknown villages take one."""

    NO_SIGNAL = "no_signal", _("no signal")
    ONLY_2G_3G = "2g_3g_only", _("2G/3G only")
    WEAK_4G = "4g_weak", _("4G weak")


class InterventionKindChoices(models.TextChoices):
    """Access interventions (the core's ``INTERVENTION_KINDS``)."""

    NEW_4G_SITE = "new_4g_site", _("new 4G tower")
    UPGRADE_SITE = "upgrade_site", _("upgrade of an existing tower to 4G")
    REPEATER = "repeater", _("4G repeater")
    SATELLITE_TERMINAL = "satellite_terminal", _("satellite terminal")


class BackhaulKindChoices(models.TextChoices):
    """Backhaul technologies of a new tower (the core's ``BACKHAUL_KINDS``)."""

    FIBER = "fiber", _("fiber extension")
    MICROWAVE = "microwave", _("microwave hop")
    SATELLITE = "satellite", _("satellite backhaul")


class LosCheckChoices(models.TextChoices):
    """Outcome of the line-of-sight check of a microwave hop."""

    PASSED = "passed", _("line of sight clear")
    FAILED = "failed", _("line of sight blocked")
    NOT_CHECKED = "not_checked", _("line of sight not checked")


class PlanOutcomeChoices(models.TextChoices):
    """Why a village got what it got (the ``reason`` of the core's explanation record)."""

    SERVED = "served", _("in the plan")
    NOT_SELECTED = "not_selected", _("not selected within the budget")
    NO_USABLE_OPTION = "no_usable_option", _("no usable option")
    NO_OPTION = "no_option", _("no option reaches it")
    NOTHING_TO_SERVE = "nothing_to_serve", _("nothing to do")
    NO_PLAN = "no_plan", _("no plan (infeasible scenario)")


class PlanStatusChoices(models.TextChoices):
    """Outcome of one solve."""

    OPTIMAL = "optimal", _("proven optimal")
    TIME_LIMIT = "time_limit", _("time limit reached (gap reported)")
    INFEASIBLE = "infeasible", _("infeasible")
    INVALID = "invalid", _("invalid scenario")
    ERROR = "error", _("solver error")


class ResultKindChoices(models.TextChoices):
    """A result is the scenario's plan, or one point of its cost curve."""

    MAIN = "main", _("plan")
    CURVE = "curve", _("cost curve point")


#: colours of plan years on maps and charts (colour-blind-safe sequence, first year darkest).
YEAR_COLOURS = ["#08306b", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef"]

#: colours of intervention kinds.
KIND_COLOURS = {
    InterventionKindChoices.NEW_4G_SITE: "#d95f02",
    InterventionKindChoices.UPGRADE_SITE: "#7570b3",
    InterventionKindChoices.REPEATER: "#1b9e77",
    InterventionKindChoices.SATELLITE_TERMINAL: "#e7298a",
}


def year_colour(year: int | None, first_year: int) -> str:
    """The colour of a plan year (later years beyond the palette share its last colour)."""
    if year is None:
        return "#bdbdbd"
    index = max(0, year - first_year)
    return YEAR_COLOURS[min(index, len(YEAR_COLOURS) - 1)]
