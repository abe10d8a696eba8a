"""Input of the multi-year roadmap planner: villages, options, budgets and policy.

Everything is a frozen dataclass of plain values (strings, numbers, mappings), so the app can
build an instance from its database and a test can write one by hand. :func:`validate_instance`
checks one and raises ``ValueError`` naming the offending field, e.g.
``access_options[3].serves: unknown village id 'V9'``.

Money is in one currency throughout (the cost table uses Indonesian rupiah, IDR).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "BACKHAUL_KINDS",
    "FACILITY_KINDS",
    "INTERVENTION_KINDS",
    "STATUS_CODES",
    "AccessOption",
    "BackhaulOption",
    "EquityFloor",
    "PriorityWeights",
    "RoadmapInstance",
    "Village",
    "validate_instance",
]

#: Access interventions; only ``new_4g_site`` needs a backhaul chosen with it.
INTERVENTION_KINDS = ("new_4g_site", "upgrade_site", "repeater", "satellite_terminal")
#: Backhaul technologies for a new site.
BACKHAUL_KINDS = ("fiber", "microwave", "satellite")
#: Connectivity status of an unserved village, worst first (status engine codes).
STATUS_CODES = ("no_signal", "2g_3g_only", "4g_weak")
#: Public facilities that earn a bonus when their village is served.
FACILITY_KINDS = ("kantor_desa", "school", "puskesmas")


@dataclass(frozen=True)
class Village:
    """A demand unit (desa/kelurahan) with people still to be served.

    Attributes
    ----------
    id : str
        Unique village id.
    kecamatan_id : str
        Id of its kecamatan (district), used by equity floors.
    people_unserved : int
        People without the service today.
    status : str
        Current connectivity status, one of :data:`STATUS_CODES`.
    remoteness_class : int
        Remoteness class (1 central ... 4 very remote, see ``docs/remoteness.md``); any key of
        :attr:`PriorityWeights.remoteness` is accepted.
    facilities : Mapping[str, int]
        Counts of public facilities by kind (:data:`FACILITY_KINDS`), e.g.
        ``{"kantor_desa": 1, "school": 2}``.
    """

    id: str
    kecamatan_id: str
    people_unserved: int
    status: str
    remoteness_class: int
    facilities: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class AccessOption:
    """One way to bring service to one or more villages.

    Attributes
    ----------
    id : str
        Unique item id (shared namespace with backhaul options: forced/forbidden use it).
    kind : str
        One of :data:`INTERVENTION_KINDS`.
    serves : Mapping[str, int]
        People newly served in each village if this option is built (at most the village's
        ``people_unserved``).
    capex : float
        One-off cost, paid in the year it is built.
    opex_per_year : float
        Yearly running cost, paid in the years after it is built (see
        :attr:`RoadmapInstance.opex_start_offset`).
    candidate_id : str, optional
        The site candidate (new site) or existing site (upgrade) behind the option, for
        display and explanations.
    """

    id: str
    kind: str
    serves: Mapping[str, int]
    capex: float
    opex_per_year: float = 0.0
    candidate_id: str | None = None


@dataclass(frozen=True)
class BackhaulOption:
    """One way to connect a new 4G site to the network.

    Attributes
    ----------
    id : str
        Unique item id.
    access_option_id : str
        The ``new_4g_site`` access option it connects.
    kind : str
        One of :data:`BACKHAUL_KINDS`.
    capex, opex_per_year : float
        Costs as for :class:`AccessOption`.
    length_km : float, optional
        Route length of a fiber extension (required for fiber) or the hop length of a microwave
        link; used in explanations ("nearest fiber 12 km").
    los_feasible : bool, default True
        For microwave: whether the line-of-sight check passed. An infeasible hop is never
        chosen.
    """

    id: str
    access_option_id: str
    kind: str
    capex: float
    opex_per_year: float = 0.0
    length_km: float | None = None
    los_feasible: bool = True


def _default_status_weights() -> dict[str, float]:
    return {"no_signal": 3.0, "2g_3g_only": 2.0, "4g_weak": 1.0}


def _default_remoteness_weights() -> dict[int, float]:
    return {1: 1.0, 2: 1.25, 3: 1.5, 4: 2.0}


def _default_facility_bonus() -> dict[str, float]:
    return {"kantor_desa": 50.0, "school": 100.0, "puskesmas": 200.0}


@dataclass(frozen=True)
class PriorityWeights:
    r"""Policy weights of the objective (policy choices, not facts; defaults are illustrative).

    A village :math:`v` served by option :math:`a` contributes

    .. math:: \mathrm{value}_{av} = r_v \, s_v \left(p_{av} + \sum_f \beta_f n_{vf}\right)

    with :math:`r_v` the remoteness weight of its class, :math:`s_v` the weight of its status,
    :math:`p_{av}` the people the option serves there and :math:`\beta_f` the bonus (in
    people-equivalents) per facility of kind :math:`f`, of which it has :math:`n_{vf}`.

    Attributes
    ----------
    status : Mapping[str, float]
        Weight per status; must be positive and strictly decreasing
        ``no_signal > 2g_3g_only > 4g_weak``.
    remoteness : Mapping[int, float]
        Positive weight per remoteness class.
    facility_bonus : Mapping[str, float]
        Non-negative people-equivalents per facility of each kind.
    """

    status: Mapping[str, float] = field(default_factory=_default_status_weights)
    remoteness: Mapping[int, float] = field(default_factory=_default_remoteness_weights)
    facility_bonus: Mapping[str, float] = field(default_factory=_default_facility_bonus)


@dataclass(frozen=True)
class EquityFloor:
    """Each kecamatan gets at least ``share`` of its unserved people served by ``by_year``.

    Attributes
    ----------
    share : float
        Fraction in (0, 1] of the kecamatan's ``people_unserved`` (summed over its villages).
    by_year : int
        Plan year by which (inclusive) the share must be reached.
    kecamatan_ids : tuple of str, optional
        Kecamatans the floor applies to; ``None`` means every kecamatan with unserved people.
    """

    share: float
    by_year: int
    kecamatan_ids: tuple[str, ...] | None = None


@dataclass(frozen=True)
class RoadmapInstance:
    """A whole roadmap problem.

    Attributes
    ----------
    villages : sequence of Village
    access_options : sequence of AccessOption
    backhaul_options : sequence of BackhaulOption
    budgets : Mapping[int, float]
        Budget per plan year; the years must be consecutive (e.g. 2026..2030).
    carry_forward : bool, default False
        Whether money left unspent in a year may be spent in later years.
    weights : PriorityWeights
    equity_floors : sequence of EquityFloor
    forced : Mapping[str, int or None]
        Items (access or backhaul ids) that must be built, in the given year or, with ``None``,
        in any plan year.
    forbidden : collection of str
        Items that must not be built.
    opex_start_offset : int, default 1
        Opex of an item built in year ``s`` is charged in the plan years from ``s + offset``
        on: 1 (default) counts the first year's running cost in the capex, 0 charges opex from
        the build year.
    """

    villages: Sequence[Village]
    access_options: Sequence[AccessOption]
    backhaul_options: Sequence[BackhaulOption]
    budgets: Mapping[int, float]
    carry_forward: bool = False
    weights: PriorityWeights = field(default_factory=PriorityWeights)
    equity_floors: Sequence[EquityFloor] = ()
    forced: Mapping[str, int | None] = field(default_factory=dict)
    forbidden: Collection[str] = ()
    opex_start_offset: int = 1

    @property
    def years(self) -> list[int]:
        """Plan years in order."""
        return sorted(self.budgets)


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _money(path: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{path}: expected a number, got {value!r}")
    if not math.isfinite(float(value)) or float(value) < 0:
        raise ValueError(f"{path}: must be a finite non-negative number, got {value!r}")


def _check_weights(weights: PriorityWeights) -> None:
    for code in STATUS_CODES:
        if code not in weights.status:
            raise ValueError(f"weights.status: missing weight for status {code!r}")
    for key, value in weights.status.items():
        _money(f"weights.status[{key!r}]", value)
        if float(value) <= 0:
            raise ValueError(f"weights.status[{key!r}]: must be positive, got {value!r}")
    ordered = [float(weights.status[code]) for code in STATUS_CODES]
    if not ordered[0] > ordered[1] > ordered[2]:
        raise ValueError(
            "weights.status: must rank no_signal > 2g_3g_only > 4g_weak, got "
            + ", ".join(f"{code}={weights.status[code]}" for code in STATUS_CODES)
        )
    if not weights.remoteness:
        raise ValueError("weights.remoteness: no remoteness class weights given")
    for key, value in weights.remoteness.items():
        _money(f"weights.remoteness[{key!r}]", value)
        if float(value) <= 0:
            raise ValueError(f"weights.remoteness[{key!r}]: must be positive, got {value!r}")
    for key, value in weights.facility_bonus.items():
        _money(f"weights.facility_bonus[{key!r}]", value)


def _check_villages(instance: RoadmapInstance) -> dict[str, Village]:
    if not instance.villages:
        raise ValueError("villages: the instance has no villages")
    by_id: dict[str, Village] = {}
    for k, village in enumerate(instance.villages):
        path = f"villages[{k}]"
        if not isinstance(village, Village):
            raise ValueError(f"{path}: expected a Village, got {type(village).__name__}")
        if not isinstance(village.id, str) or not village.id:
            raise ValueError(f"{path}.id: expected a non-empty string, got {village.id!r}")
        if village.id in by_id:
            raise ValueError(f"{path}.id: duplicate village id {village.id!r}")
        if not isinstance(village.kecamatan_id, str) or not village.kecamatan_id:
            raise ValueError(f"{path}.kecamatan_id: expected a non-empty string")
        if not _is_int(village.people_unserved) or village.people_unserved < 0:
            raise ValueError(
                f"{path}.people_unserved: expected a non-negative integer, "
                f"got {village.people_unserved!r}"
            )
        if village.status not in instance.weights.status:
            raise ValueError(
                f"{path}.status: unknown status {village.status!r} "
                f"(expected one of {', '.join(STATUS_CODES)})"
            )
        if village.remoteness_class not in instance.weights.remoteness:
            raise ValueError(
                f"{path}.remoteness_class: no weight for class {village.remoteness_class!r} "
                f"(weights.remoteness has {sorted(instance.weights.remoteness)})"
            )
        for kind, count in village.facilities.items():
            if kind not in instance.weights.facility_bonus:
                raise ValueError(
                    f"{path}.facilities: unknown facility kind {kind!r} "
                    f"(expected one of {', '.join(sorted(instance.weights.facility_bonus))})"
                )
            if not _is_int(count) or count < 0:
                raise ValueError(
                    f"{path}.facilities[{kind!r}]: expected a non-negative integer, got {count!r}"
                )
        by_id[village.id] = village
    return by_id


def _check_options(instance: RoadmapInstance, villages: Mapping[str, Village]) -> set[str]:
    item_ids: set[str] = set()
    access_kind: dict[str, str] = {}
    for k, option in enumerate(instance.access_options):
        path = f"access_options[{k}]"
        if not isinstance(option, AccessOption):
            raise ValueError(f"{path}: expected an AccessOption, got {type(option).__name__}")
        if not isinstance(option.id, str) or not option.id:
            raise ValueError(f"{path}.id: expected a non-empty string, got {option.id!r}")
        if option.id in item_ids:
            raise ValueError(f"{path}.id: duplicate item id {option.id!r}")
        item_ids.add(option.id)
        if option.kind not in INTERVENTION_KINDS:
            raise ValueError(
                f"{path}.kind: unknown intervention {option.kind!r} "
                f"(expected one of {', '.join(INTERVENTION_KINDS)})"
            )
        access_kind[option.id] = option.kind
        _money(f"{path}.capex", option.capex)
        _money(f"{path}.opex_per_year", option.opex_per_year)
        for village_id, people in option.serves.items():
            if village_id not in villages:
                raise ValueError(f"{path}.serves: unknown village id {village_id!r}")
            if not _is_int(people) or people < 0:
                raise ValueError(
                    f"{path}.serves[{village_id!r}]: expected a non-negative integer, "
                    f"got {people!r}"
                )
            if people > villages[village_id].people_unserved:
                raise ValueError(
                    f"{path}.serves[{village_id!r}]: {people} people is more than the "
                    f"village's {villages[village_id].people_unserved} unserved people"
                )
    for k, option in enumerate(instance.backhaul_options):
        path = f"backhaul_options[{k}]"
        if not isinstance(option, BackhaulOption):
            raise ValueError(f"{path}: expected a BackhaulOption, got {type(option).__name__}")
        if not isinstance(option.id, str) or not option.id:
            raise ValueError(f"{path}.id: expected a non-empty string, got {option.id!r}")
        if option.id in item_ids:
            raise ValueError(f"{path}.id: duplicate item id {option.id!r}")
        item_ids.add(option.id)
        if option.access_option_id not in access_kind:
            raise ValueError(
                f"{path}.access_option_id: unknown access option {option.access_option_id!r}"
            )
        if access_kind[option.access_option_id] != "new_4g_site":
            raise ValueError(
                f"{path}.access_option_id: {option.access_option_id!r} is a "
                f"{access_kind[option.access_option_id]}; only new_4g_site options take a "
                "backhaul"
            )
        if option.kind not in BACKHAUL_KINDS:
            raise ValueError(
                f"{path}.kind: unknown backhaul {option.kind!r} "
                f"(expected one of {', '.join(BACKHAUL_KINDS)})"
            )
        _money(f"{path}.capex", option.capex)
        _money(f"{path}.opex_per_year", option.opex_per_year)
        if option.length_km is not None:
            _money(f"{path}.length_km", option.length_km)
        elif option.kind == "fiber":
            raise ValueError(f"{path}.length_km: required for a fiber extension")
        if not isinstance(option.los_feasible, bool):
            raise ValueError(f"{path}.los_feasible: expected True or False")
    return item_ids


def _check_policy(instance: RoadmapInstance, item_ids: set[str]) -> None:
    years = instance.years
    kecamatans = {village.kecamatan_id for village in instance.villages}
    for k, floor in enumerate(instance.equity_floors):
        path = f"equity_floors[{k}]"
        if isinstance(floor.share, bool) or not isinstance(floor.share, numbers.Real):
            raise ValueError(f"{path}.share: expected a number, got {floor.share!r}")
        if not 0 < float(floor.share) <= 1:
            raise ValueError(f"{path}.share: must be in (0, 1], got {floor.share!r}")
        if floor.by_year not in instance.budgets:
            raise ValueError(
                f"{path}.by_year: {floor.by_year!r} is not a plan year ({years[0]}..{years[-1]})"
            )
        for kecamatan_id in floor.kecamatan_ids or ():
            if kecamatan_id not in kecamatans:
                raise ValueError(f"{path}.kecamatan_ids: unknown kecamatan {kecamatan_id!r}")
    for item_id, year in instance.forced.items():
        if item_id not in item_ids:
            raise ValueError(f"forced: unknown item id {item_id!r}")
        if year is not None and year not in instance.budgets:
            raise ValueError(
                f"forced[{item_id!r}]: year {year!r} is not a plan year ({years[0]}..{years[-1]})"
            )
    if isinstance(instance.forbidden, str):
        raise ValueError("forbidden: expected a collection of item ids, got a string")
    for item_id in instance.forbidden:
        if item_id not in item_ids:
            raise ValueError(f"forbidden: unknown item id {item_id!r}")
    if instance.opex_start_offset not in (0, 1) or isinstance(instance.opex_start_offset, bool):
        raise ValueError(f"opex_start_offset: must be 0 or 1, got {instance.opex_start_offset!r}")
    if not isinstance(instance.carry_forward, bool):
        raise ValueError(f"carry_forward: expected True or False, got {instance.carry_forward!r}")


def validate_instance(instance: RoadmapInstance) -> None:
    """Check a roadmap instance; raise ``ValueError`` naming the first bad field.

    Parameters
    ----------
    instance : RoadmapInstance

    Raises
    ------
    ValueError
        For an empty instance (no villages, no plan years) or any malformed field: unknown ids,
        duplicate ids, negative money or people, people served above a village's unserved
        people, a backhaul on something other than a new site, fiber without a length, years
        that are not consecutive, status weights out of order, floors or forced years outside
        the plan, and so on.
    """
    if not isinstance(instance, RoadmapInstance):
        raise ValueError(f"instance: expected a RoadmapInstance, got {type(instance).__name__}")
    if not instance.budgets:
        raise ValueError("budgets: no plan years given")
    years = sorted(instance.budgets)
    for year in years:
        if not _is_int(year):
            raise ValueError(f"budgets: year {year!r} is not an integer")
        _money(f"budgets[{year}]", instance.budgets[year])
    if years != list(range(years[0], years[0] + len(years))):
        raise ValueError(f"budgets: plan years must be consecutive, got {years}")
    _check_weights(instance.weights)
    villages = _check_villages(instance)
    item_ids = _check_options(instance, villages)
    _check_policy(instance, item_ids)
