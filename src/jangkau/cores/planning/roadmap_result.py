"""Output of the roadmap planner: the plan per item, per village and per year, and diagnoses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Diagnosis", "PlannedItem", "RoadmapResult", "VillagePlan"]


@dataclass(frozen=True)
class Diagnosis:
    """A machine-readable finding about the instance or the plan.

    Attributes
    ----------
    severity : str
        ``"error"`` (the instance is infeasible because of it) or ``"info"`` (worth showing,
        e.g. an option that can never be chosen).
    code : str
        Stable identifier, e.g. ``"forced_over_budget"``, ``"equity_floor_unreachable"``,
        ``"equity_floor_over_budget"``, ``"conflict"``, ``"no_usable_backhaul"``.
    constraint : str
        The constraint family concerned: ``"budget"``, ``"equity_floor"``, ``"forced"``,
        ``"forbidden"``, ``"backhaul"``, ``"one_access_per_village"``.
    message : str
        One English sentence naming the constraint and the village, kecamatan, item or year.
    kecamatan_id, village_id, item_id : str, optional
    year : int, optional
    details : Mapping
        Numbers behind the message (needed, available, cost, ...).
    """

    severity: str
    code: str
    constraint: str
    message: str
    kecamatan_id: str | None = None
    village_id: str | None = None
    item_id: str | None = None
    year: int | None = None
    details: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class PlannedItem:
    """An access or backhaul item the plan builds.

    Attributes
    ----------
    item_id : str
    item_type : str
        ``"access"`` or ``"backhaul"``.
    kind : str
        Intervention kind (access) or backhaul technology.
    year : int
        Year it is built (capex paid).
    capex, opex_per_year : float
    access_option_id : str, optional
        For a backhaul: the new site it connects.
    forced : bool
        Whether the instance forced it.
    """

    item_id: str
    item_type: str
    kind: str
    year: int
    capex: float
    opex_per_year: float
    access_option_id: str | None = None
    forced: bool = False


@dataclass(frozen=True)
class VillagePlan:
    """What the plan does for one village, with a machine-readable explanation.

    Attributes
    ----------
    village_id, kecamatan_id : str
    served_year : int, optional
        Year the village is counted as newly served; ``None`` when not served.
    option_id, option_kind : str, optional
        The access option it is counted under.
    backhaul_id, backhaul_kind : str, optional
        The backhaul chosen with that option (new sites only).
    people_served : int
    value : float
        Its contribution to the objective (weighted people).
    explanation : Mapping
        Record the app turns into text. Always has ``reason``: ``"served"``,
        ``"nothing_to_serve"``, ``"no_option"`` (no option reaches it), ``"no_usable_option"``
        (every option is forbidden, lacks a usable backhaul or costs more than the money one
        item can get: the largest yearly budget, or the plan total with carry-forward),
        ``"not_selected"`` (the budget went to villages with more weighted people per rupiah
        or to forced items and floors) or ``"no_plan"`` (the instance is infeasible).
        Served villages also carry ``option_id``, ``option_kind``, ``candidate_id``, ``year``,
        ``people_served``, ``people_unserved``, ``value``, ``weights`` (``status``,
        ``remoteness``, ``facility_bonus``), ``option_cost`` (capex and opex over the plan,
        backhaul included), ``option_people`` (people counted under the option in all
        villages), ``cost_per_person``, ``backhaul_kind``, ``backhaul_id``, ``fiber_km``
        (length of the chosen fiber, else of the site's shortest fiber option, else ``None``),
        ``shared_with`` (other villages counted under the option), ``alternatives`` (other
        usable options reaching the village) and ``forced``. Unserved villages carry
        ``people_unserved``, ``weights``, ``blocked_options`` (option id to ``"forbidden"``,
        ``"no_usable_backhaul"`` or ``"over_budget"``) and, where a usable option exists,
        ``best_option_id``, ``best_option_cost_per_person`` and ``value_if_served``.
    """

    village_id: str
    kecamatan_id: str
    served_year: int | None
    option_id: str | None
    option_kind: str | None
    backhaul_id: str | None
    backhaul_kind: str | None
    people_served: int
    value: float
    explanation: Mapping[str, object]


@dataclass(frozen=True)
class RoadmapResult:
    """A multi-year plan, or the reasons there is none.

    Attributes
    ----------
    status : str
        ``"optimal"``, ``"time_limit"`` (best plan found, see ``gap``), ``"infeasible"`` (see
        ``diagnostics``) or another HiGHS status name.
    gap : float or None
        Relative MIP gap of the main objective (0 when proven optimal).
    objective : float
        Weighted people newly served (the main objective).
    people_years : float
        Weighted people-years served within the horizon (the first tie-break).
    items : list of PlannedItem
        Items built, by year then id.
    villages : list of VillagePlan
        One entry per village, in instance order.
    people_served_per_year, capex_per_year, opex_per_year, spend_per_year : dict
        Per plan year: people newly served, money spent (``spend = capex + opex``).
    budget_available_per_year : dict
        The year's budget plus, with carry-forward, what earlier years left unspent.
    total_spend : float
    people_served : int
    cost_per_person : float or None
        ``total_spend / people_served`` (``None`` when nobody is served).
    diagnostics : list of Diagnosis
    stage_status : dict
        HiGHS status of each solve: ``"people"``, ``"people_years"``, ``"cost"``.
    seconds : float
        Wall-clock time of the whole call.
    """

    status: str
    gap: float | None
    objective: float
    people_years: float
    items: list[PlannedItem]
    villages: list[VillagePlan]
    people_served_per_year: dict[int, int]
    capex_per_year: dict[int, float]
    opex_per_year: dict[int, float]
    spend_per_year: dict[int, float]
    budget_available_per_year: dict[int, float]
    total_spend: float
    people_served: int
    cost_per_person: float | None
    diagnostics: list[Diagnosis]
    stage_status: dict[str, str]
    seconds: float

    @property
    def messages(self) -> list[str]:
        """The diagnostics' sentences, errors first."""
        ordered = sorted(self.diagnostics, key=lambda d: d.severity != "error")
        return [diagnosis.message for diagnosis in ordered]
