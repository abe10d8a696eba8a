"""Build the planning core's roadmap instance from the database.

:func:`build_instance` turns a :class:`~jangkau.planning.models.Scenario` and what the database
knows (villages, their status and population; towers, fiber and facilities of the inventory;
proposed sites and coverage runs of the coverage app) into a
:class:`~jangkau.cores.planning.RoadmapInstance`, plus the descriptions the result pages need
(positions, labels, distances, line-of-sight outcomes, cost qualities) and notes on whatever
data was missing. The rules and their numbers are in :mod:`jangkau.planning.assumptions` and
``docs/planning-app.md``.

Villages
    Every village is in the instance. People unserved = its best population figure, unless its
    overall status is ``4g_good`` (then 0). Villages of unknown status are weighed as the
    scenario's ``unknown_status_as``; a ``4g_good`` village (nothing to serve) is passed with the
    lowest status code, which then weighs nothing.
Access options
    * ``site:<code>``: a new 4G tower at the village centroid, serving that village only (the
      coverage app predicts only sites saved as proposed sites);
    * ``proposed:<pk>``: a proposed site of the coverage app, serving its own village and the
      villages the newest coverage run with proposed sites says it serves (best server, good
      signal on at least half the area), else its own village only;
    * ``upgrade:<site>``: an on-air 2G/3G inventory tower upgraded to 4G, serving its village and
      the villages whose centre is within ``UPGRADE_RADIUS_KM``;
    * ``repeater:<code>``: a 4G repeater where a donor signal exists (weak 4G in the village, or
      an on-air 4G tower within ``REPEATER_DONOR_KM``), serving one hamlet;
    * ``sat-leo:<code>`` / ``sat-geo:<code>``: a satellite terminal with public Wi-Fi, serving
      ``SATELLITE_TERMINAL_PEOPLE``; GEO only when the cost table prices it.
Backhaul of a new tower (``<site id>/fiber|microwave|satellite``)
    fiber from the nearest fiber node (great-circle × ``FIBER_DETOUR_FACTOR``); a microwave hop
    to the nearest fiber node or microwave site (up to ``MICROWAVE_MAX_HOP_KM``, line of sight
    checked with the first Fresnel zone on a fine DEM, else marked not checked); satellite.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np

from jangkau.cores.geo import haversine_km
from jangkau.cores.planning import AccessOption, BackhaulOption, RoadmapInstance
from jangkau.cores.planning import Village as CoreVillage
from jangkau.cores.planning.roadmap_instance import STATUS_CODES
from jangkau.evidence.choices import ConnectivityStatusChoices
from jangkau.planning import adapters
from jangkau.planning import assumptions as A
from jangkau.planning.costs import Cost, cost_lookup, worst_quality
from jangkau.planning.los import fresnel_clearance

AUTO = "auto"


class PlanInputError(ValueError):
    """The scenario cannot be turned into an instance (e.g. it forces an unknown item)."""


@dataclass(frozen=True)
class VillageInfo:
    """A village as planned: who lives there unserved, and how it is weighed."""

    code: str
    name: str
    kecamatan_code: str
    kecamatan_name: str
    lat: float | None
    lon: float | None
    population: int | None
    population_quality: str
    status: str
    status_weighted_as: str
    remoteness_class: int
    people_unserved: int
    facilities: dict[str, int]


@dataclass(frozen=True)
class OptionInfo:
    """Description of an access option (for labels, maps and explanations)."""

    id: str
    kind: str
    label: str
    lat: float | None
    lon: float | None
    village_code: str | None
    basis: str  # self, coverage_run, radius, hamlet, terminal
    run_id: int | None = None
    orbit: str = ""
    cost_items: tuple[str, ...] = ()
    cost_quality: str = ""
    cost_is_assumption: bool = False


@dataclass(frozen=True)
class BackhaulInfo:
    """Description of a backhaul option of a new tower."""

    id: str
    access_id: str
    kind: str
    length_km: float | None
    straight_km: float | None
    node_label: str = ""
    node_lat: float | None = None
    node_lon: float | None = None
    los: str = ""
    los_worst_clearance: float | None = None
    cost_items: tuple[str, ...] = ()
    cost_quality: str = ""
    cost_is_assumption: bool = False


@dataclass
class BuiltInstance:
    """The instance with everything the app needs to show and explain its result."""

    instance: RoadmapInstance
    villages: dict[str, VillageInfo]
    options: dict[str, OptionInfo]
    backhauls: dict[str, BackhaulInfo]
    costs: dict[str, Cost]
    notes: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    def scaled(self, scale: float) -> RoadmapInstance:
        """The same instance with every yearly budget multiplied by ``scale``."""
        budgets = {year: float(b) * scale for year, b in self.instance.budgets.items()}
        return replace(self.instance, budgets=budgets)

    def summary(self) -> dict:
        """Sizes of the instance, for the result page and the benchmark."""
        kinds: dict[str, int] = {}
        for option in self.instance.access_options:
            kinds[option.kind] = kinds.get(option.kind, 0) + 1
        backhaul: dict[str, int] = {}
        for option in self.instance.backhaul_options:
            backhaul[option.kind] = backhaul.get(option.kind, 0) + 1
        return {
            "villages": len(self.instance.villages),
            "villages_with_unserved": sum(
                1 for v in self.instance.villages if v.people_unserved > 0
            ),
            "people_unserved": sum(v.people_unserved for v in self.instance.villages),
            "access_options": kinds,
            "backhaul_options": backhaul,
            "pairs": sum(
                sum(1 for p in o.serves.values() if p > 0) for o in self.instance.access_options
            ),
            "years": len(self.instance.budgets),
        }


def _note(notes: list[dict], code: str, **params) -> None:
    notes.append({"code": code, "params": params})


def _roles(costs: dict[str, Cost]) -> dict[str, Cost | None]:
    """The cost item used for each role (first name of ``COST_ITEMS`` present)."""
    found = {}
    for role, names in A.COST_ITEMS.items():
        found[role] = next((costs[n] for n in names if n in costs), None)
    return found


def _quality(*costs: Cost) -> tuple[tuple[str, ...], str, bool]:
    return (
        tuple(c.item for c in costs),
        worst_quality(c.quality for c in costs),
        any(c.is_assumption for c in costs),
    )


def _nearest(nodes, lat: float, lon: float):
    """(node, distance km) of the nearest node, or (None, None)."""
    if not nodes:
        return None, None
    lats = np.array([n.lat for n in nodes])
    lons = np.array([n.lon for n in nodes])
    d = np.atleast_1d(haversine_km(lon, lat, lons, lats))
    k = int(np.argmin(d))
    return nodes[k], float(d[k])


def _village_infos(scenario, facilities: dict | None, notes: list[dict]) -> dict[str, VillageInfo]:
    from jangkau.regions.models import Village

    rows = (
        Village.objects.select_related("district")
        .defer("boundary", "boundary_display", "district__boundary", "district__boundary_display")
        .prefetch_related("population_figures", "statuses")
        .order_by("code")
    )
    infos: dict[str, VillageInfo] = {}
    no_population, unknown, good, no_class = [], [], [], []
    for v in rows:
        status = next(
            (s.status for s in v.statuses.all() if s.operator == ""),
            ConnectivityStatusChoices.UNKNOWN,
        )
        figure = v.best_population()
        population = figure.value if figure is not None else None
        if figure is None:
            no_population.append(v.code)
        if status == ConnectivityStatusChoices.GOOD_4G:
            weighted_as = STATUS_CODES[-1]
            unserved = 0
            good.append(v.code)
        else:
            if status == ConnectivityStatusChoices.UNKNOWN:
                weighted_as = scenario.unknown_status_as
                unknown.append(v.code)
            else:
                weighted_as = status
            unserved = population or 0
        remoteness = v.remoteness_class
        if remoteness is None:
            remoteness = 1
            no_class.append(v.code)
        infos[v.code] = VillageInfo(
            code=v.code,
            name=v.name,
            kecamatan_code=v.district.code,
            kecamatan_name=v.district.name,
            lat=v.centroid_lat,
            lon=v.centroid_lon,
            population=population,
            population_quality=figure.quality if figure is not None else "",
            status=status,
            status_weighted_as=weighted_as,
            remoteness_class=int(remoteness),
            people_unserved=int(unserved),
            facilities=dict((facilities or {}).get(v.code, {})),
        )
    if unknown:
        _note(notes, "unknown_status", count=len(unknown), weighted_as=scenario.unknown_status_as)
    if good:
        _note(notes, "good_4g", count=len(good))
    if no_population:
        _note(notes, "no_population", count=len(no_population), villages=no_population[:20])
    if no_class:
        _note(notes, "no_remoteness_class", count=len(no_class), villages=no_class[:20])
    return infos


def _terrain_for(terrain, infos: dict[str, VillageInfo]):
    if terrain != AUTO:
        return terrain, getattr(terrain, "name", "") or "given"
    lats = [v.lat for v in infos.values() if v.lat is not None]
    lons = [v.lon for v in infos.values() if v.lon is not None]
    if not lats:
        return None, "no_terrain"
    bounds = (min(lons) - 0.5, min(lats) - 0.5, max(lons) + 0.5, max(lats) + 0.5)
    return adapters.fine_terrain(bounds)


class _Builder:
    """Collects options and notes; one instance per build."""

    def __init__(self, scenario, terrain) -> None:
        self.scenario = scenario
        self.terrain_arg = terrain
        self.notes: list[dict] = []
        self.costs = cost_lookup(scenario.cost_table)
        self.role = _roles(self.costs)
        self.access: list[AccessOption] = []
        self.backhaul: list[BackhaulOption] = []
        self.options: dict[str, OptionInfo] = {}
        self.backhauls: dict[str, BackhaulInfo] = {}
        self.counters = {"los_blocked": 0, "los_passed": 0, "too_long": 0}
        self.terrain = None
        self.terrain_label = ""

    # -- helpers ---------------------------------------------------------------------------

    def missing(self, role: str) -> bool:
        if self.role[role] is None:
            _note(self.notes, "missing_cost_item", role=role, items=list(A.COST_ITEMS[role]))
            return True
        return False

    def add_access(self, info: OptionInfo, serves: dict[str, int], *costs: Cost) -> None:
        items, quality, assumption = _quality(*costs)
        info = replace(info, cost_items=items, cost_quality=quality, cost_is_assumption=assumption)
        self.access.append(
            AccessOption(
                id=info.id,
                kind=info.kind,
                serves=serves,
                capex=sum(c.capex for c in costs),
                opex_per_year=sum(c.opex for c in costs),
                candidate_id=info.id,
            )
        )
        self.options[info.id] = info

    def add_backhaul(self, info: BackhaulInfo, capex: float, opex: float, *costs: Cost) -> None:
        items, quality, assumption = _quality(*costs)
        info = replace(info, cost_items=items, cost_quality=quality, cost_is_assumption=assumption)
        self.backhaul.append(
            BackhaulOption(
                id=info.id,
                access_option_id=info.access_id,
                kind=info.kind,
                capex=capex,
                opex_per_year=opex,
                length_km=info.length_km,
                los_feasible=info.los != "failed",
            )
        )
        self.backhauls[info.id] = info

    # -- the build ---------------------------------------------------------------------------

    def build(self) -> BuiltInstance:
        started = time.perf_counter()
        facilities = adapters.unconnected_facility_counts()
        inventory = adapters.inventory_installed()
        if not inventory:
            _note(self.notes, "no_inventory")
        elif facilities is None:
            _note(self.notes, "no_facility_data")
        infos = _village_infos(self.scenario, facilities, self.notes)
        unserved = {code: v.people_unserved for code, v in infos.items()}
        sites = adapters.on_air_sites() or []
        fiber = adapters.fiber_nodes()
        donors = (fiber or []) + (adapters.microwave_donors() or [])
        if inventory and not fiber:
            _note(self.notes, "no_fiber_data")
        if inventory and not donors:
            _note(self.notes, "no_microwave_donor")
        if fiber:
            for role in ("fiber_km", "fiber_site"):
                self.missing(role)
        if donors:
            self.missing("microwave_small")
        self.missing("satellite_backhaul")
        if donors and self.role["microwave_small"] is not None:
            self.terrain, self.terrain_label = _terrain_for(self.terrain_arg, infos)
            if self.terrain is None:
                _note(self.notes, "los_not_checked", reason=self.terrain_label)

        self._new_sites(infos, fiber or [], donors)
        self._proposed_sites(infos, unserved, fiber or [], donors)
        self._upgrades(infos, unserved, sites, inventory)
        self._repeaters(infos, sites)
        self._terminals(infos)
        if self.counters["too_long"]:
            _note(
                self.notes,
                "microwave_too_long",
                count=self.counters["too_long"],
                max_km=A.MICROWAVE_MAX_HOP_KM,
            )
        if self.counters["los_blocked"]:
            _note(self.notes, "los_blocked", count=self.counters["los_blocked"])
        self._check_items()
        instance = RoadmapInstance(
            villages=[
                CoreVillage(
                    id=v.code,
                    kecamatan_id=v.kecamatan_code,
                    people_unserved=v.people_unserved,
                    status=v.status_weighted_as,
                    remoteness_class=v.remoteness_class,
                    facilities=v.facilities,
                )
                for v in infos.values()
            ],
            access_options=self.access,
            backhaul_options=self.backhaul,
            budgets=self.scenario.budgets_by_year(),
            carry_forward=self.scenario.carry_forward,
            weights=self.scenario.priority_weights(),
            equity_floors=self.scenario.equity_floors(),
            forced=dict(self.scenario.forced or {}),
            forbidden=tuple(self.scenario.forbidden or ()),
        )
        return BuiltInstance(
            instance=instance,
            villages=infos,
            options=self.options,
            backhauls=self.backhauls,
            costs=self.costs,
            notes=self.notes,
            seconds=time.perf_counter() - started,
        )

    def _check_items(self) -> None:
        known = set(self.options) | set(self.backhauls)
        named = set(self.scenario.forced or {}) | set(self.scenario.forbidden or ())
        unknown = sorted(named - known)
        if unknown:
            raise PlanInputError(
                "the scenario forces or forbids items that do not exist in this instance: "
                + ", ".join(unknown)
            )

    def _backhauls_for(self, access_id: str, lat: float, lon: float, fiber, donors) -> None:
        role = self.role
        if fiber and role["fiber_km"] and role["fiber_site"]:
            node, km = _nearest(fiber, lat, lon)
            route = round(km * A.FIBER_DETOUR_FACTOR, 3)
            per_km, site = role["fiber_km"], role["fiber_site"]
            self.add_backhaul(
                BackhaulInfo(
                    id=f"{access_id}/fiber",
                    access_id=access_id,
                    kind="fiber",
                    length_km=route,
                    straight_km=round(km, 3),
                    node_label=node.label,
                    node_lat=node.lat,
                    node_lon=node.lon,
                ),
                route * per_km.capex + site.capex,
                route * per_km.opex + site.opex,
                per_km,
                site,
            )
        if donors:
            node, km = _nearest(donors, lat, lon)
            if km > A.MICROWAVE_MAX_HOP_KM:
                self.counters["too_long"] += 1
            else:
                if km <= A.MICROWAVE_SMALL_MAX_KM:
                    cost = role["microwave_small"]
                elif km <= A.MICROWAVE_MEDIUM_MAX_KM:
                    cost = role["microwave_medium"]
                else:
                    cost = role["microwave_large"]
                if cost is not None:
                    los, worst = self._los(lat, lon, node.lat, node.lon)
                    self.add_backhaul(
                        BackhaulInfo(
                            id=f"{access_id}/microwave",
                            access_id=access_id,
                            kind="microwave",
                            length_km=round(km, 3),
                            straight_km=round(km, 3),
                            node_label=node.label,
                            node_lat=node.lat,
                            node_lon=node.lon,
                            los=los,
                            los_worst_clearance=worst,
                        ),
                        cost.capex,
                        cost.opex,
                        cost,
                    )
        sat = role["satellite_backhaul"]
        if sat is not None:
            self.add_backhaul(
                BackhaulInfo(
                    id=f"{access_id}/satellite",
                    access_id=access_id,
                    kind="satellite",
                    length_km=None,
                    straight_km=None,
                ),
                sat.capex,
                sat.opex,
                sat,
            )

    def _los(self, lat1, lon1, lat2, lon2) -> tuple[str, float | None]:
        if self.terrain is None:
            return "not_checked", None
        profile = self.terrain.profile(lon1, lat1, lon2, lat2, A.MICROWAVE_PROFILE_STEP_M)
        result = fresnel_clearance(
            profile,
            A.MICROWAVE_ANTENNA_HEIGHT_M,
            A.MICROWAVE_ANTENNA_HEIGHT_M,
            A.MICROWAVE_FREQ_MHZ,
            k_factor=A.MICROWAVE_K_FACTOR,
            clearance=A.MICROWAVE_FRESNEL_CLEARANCE,
        )
        self.counters["los_passed" if result.clear else "los_blocked"] += 1
        return ("passed" if result.clear else "failed"), round(result.worst_clearance, 3)

    def _new_sites(self, infos, fiber, donors) -> None:
        if self.missing("new_4g_site"):
            return
        for v in infos.values():
            if v.people_unserved <= 0 or v.lat is None:
                continue
            option_id = f"site:{v.code}"
            self.add_access(
                OptionInfo(
                    id=option_id,
                    kind="new_4g_site",
                    label=v.name,
                    lat=v.lat,
                    lon=v.lon,
                    village_code=v.code,
                    basis="self",
                ),
                {v.code: v.people_unserved},
                self.role["new_4g_site"],
            )
            self._backhauls_for(option_id, v.lat, v.lon, fiber, donors)

    def _proposed_sites(self, infos, unserved, fiber, donors) -> None:
        candidates, info = adapters.proposed_candidates()
        if candidates is None:
            _note(self.notes, "no_radio")
            return
        if info.get("run_id") is None:
            _note(self.notes, "no_coverage_run")
        if info.get("stale"):
            _note(self.notes, "proposed_stale", sites=info["stale"])
        if not candidates or self.role["new_4g_site"] is None:
            return
        for site in candidates:
            codes = [c for c in (site.village_code, *site.serves) if c in infos]
            serves = {c: unserved[c] for c in dict.fromkeys(codes) if unserved[c] > 0}
            if not serves:
                continue
            option_id = f"proposed:{site.pk}"
            self.add_access(
                OptionInfo(
                    id=option_id,
                    kind="new_4g_site",
                    label=site.name,
                    lat=site.lat,
                    lon=site.lon,
                    village_code=site.village_code,
                    basis="coverage_run" if site.run_id else "self",
                    run_id=site.run_id,
                ),
                serves,
                self.role["new_4g_site"],
            )
            self._backhauls_for(option_id, site.lat, site.lon, fiber, donors)

    def _upgrades(self, infos, unserved, sites, inventory) -> None:
        upgradable = [
            s
            for s in sites
            if not {"4G", "5G"} & set(s.technologies) and {"2G", "3G"} & set(s.technologies)
        ]
        if not inventory:
            return
        if not upgradable:
            _note(self.notes, "no_upgradable_sites")
            return
        if self.missing("upgrade_site"):
            return
        located = [v for v in infos.values() if v.lat is not None]
        lats = np.array([v.lat for v in located])
        lons = np.array([v.lon for v in located])
        for s in upgradable:
            distances = np.atleast_1d(haversine_km(s.lon, s.lat, lons, lats))
            codes = [located[k].code for k in np.flatnonzero(distances <= A.UPGRADE_RADIUS_KM)]
            if s.village_code in infos:
                codes.insert(0, s.village_code)
            serves = {c: unserved[c] for c in dict.fromkeys(codes) if unserved[c] > 0}
            if not serves:
                continue
            self.add_access(
                OptionInfo(
                    id=f"upgrade:{s.code}",
                    kind="upgrade_site",
                    label=f"{s.code} {s.name}",
                    lat=s.lat,
                    lon=s.lon,
                    village_code=s.village_code,
                    basis="radius",
                ),
                serves,
                self.role["upgrade_site"],
            )

    def _repeaters(self, infos, sites) -> None:
        donors = [s for s in sites if {"4G", "5G"} & set(s.technologies)]
        candidates = []
        for v in infos.values():
            if v.people_unserved <= 0 or v.lat is None:
                continue
            donor = v.status == ConnectivityStatusChoices.WEAK_4G
            if not donor and donors:
                _, km = _nearest(donors, v.lat, v.lon)
                donor = km <= A.REPEATER_DONOR_KM
            if donor:
                candidates.append(v)
        if not candidates:
            _note(self.notes, "no_repeater_donor", km=A.REPEATER_DONOR_KM)
            return
        if self.missing("repeater"):
            return
        for v in candidates:
            self.add_access(
                OptionInfo(
                    id=f"repeater:{v.code}",
                    kind="repeater",
                    label=v.name,
                    lat=v.lat,
                    lon=v.lon,
                    village_code=v.code,
                    basis="hamlet",
                ),
                {v.code: min(v.people_unserved, A.REPEATER_PEOPLE)},
                self.role["repeater"],
            )

    def _terminals(self, infos) -> None:
        orbits = [("leo", "satellite_terminal_leo"), ("geo", "satellite_terminal_geo")]
        for orbit, role in orbits:
            cost = self.role[role]
            if cost is None:
                if orbit == "geo":
                    _note(self.notes, "geo_not_priced", item=A.COST_ITEMS[role][0])
                else:
                    self.missing(role)
                continue
            for v in infos.values():
                if v.people_unserved <= 0:
                    continue
                self.add_access(
                    OptionInfo(
                        id=f"sat-{orbit}:{v.code}",
                        kind="satellite_terminal",
                        label=v.name,
                        lat=v.lat,
                        lon=v.lon,
                        village_code=v.code,
                        basis="terminal",
                        orbit=orbit,
                    ),
                    {v.code: min(v.people_unserved, A.SATELLITE_TERMINAL_PEOPLE)},
                    cost,
                )


def build_instance(scenario, *, terrain=AUTO) -> BuiltInstance:
    """Build the roadmap instance of ``scenario`` from the database.

    Parameters
    ----------
    scenario : jangkau.planning.models.Scenario
    terrain : core terrain, None or "auto"
        DEM for the microwave line-of-sight check: ``"auto"`` uses the coverage app's active
        DEM when it is fine (not coarse); ``None`` skips the check (hops marked not checked);
        a :class:`jangkau.cores.propagation.terrain.Terrain` is used as given.

    Raises
    ------
    PlanInputError
        When the scenario forces or forbids an item id that the instance does not contain.
    """
    return _Builder(scenario, terrain).build()
