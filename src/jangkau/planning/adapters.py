"""What planning reads from the inventory and coverage apps, as plain data.

Both apps are optional here: they are looked up through the app registry when called, never
imported when this module is imported. Every function returns ``None`` when its app (or the
model it needs) is absent, so the instance builder can say on the results page what it could
not use instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class Node:
    """A point of the existing network a new tower can connect to."""

    label: str
    lat: float
    lon: float
    kind: str  # "fiber_site", "fiber_route" or "microwave_site"


@dataclass(frozen=True)
class ExistingSite:
    """An on-air inventory site."""

    code: str
    name: str
    lat: float
    lon: float
    village_code: str | None
    technologies: tuple[str, ...]


@dataclass(frozen=True)
class ProposedCandidate:
    """A proposed site of the coverage app, with the villages a coverage run says it serves."""

    pk: int
    name: str
    lat: float
    lon: float
    village_code: str | None
    serves: tuple[str, ...]  # village codes from the coverage run (empty without one)
    run_id: int | None


def _model(app_label: str, module: str, name: str):
    if not apps.is_installed(module):
        return None
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def inventory_installed() -> bool:
    return _model("inventory", "jangkau.inventory", "Site") is not None


def radio_installed() -> bool:
    return _model("radio", "jangkau.radio", "ProposedSite") is not None


# ---- inventory -------------------------------------------------------------------------------


def on_air_sites() -> list[ExistingSite] | None:
    """Inventory sites on air (or degraded), or None without the inventory app."""
    site_model = _model("inventory", "jangkau.inventory", "Site")
    if site_model is None:
        return None
    from jangkau.inventory.choices import SITE_ON_AIR

    rows = (
        site_model.objects.filter(status__in=list(SITE_ON_AIR))
        .select_related("village")
        .order_by("code")
    )
    return [
        ExistingSite(
            code=s.code,
            name=s.name,
            lat=float(s.lat),
            lon=float(s.lon),
            village_code=s.village.code if s.village_id else None,
            technologies=tuple(s.technologies or ()),
        )
        for s in rows
    ]


def fiber_nodes() -> list[Node] | None:
    """Where fiber is: on-air sites with fiber backhaul and every vertex of active fiber routes.

    None without the inventory app; an empty list when it holds no fiber.
    """
    site_model = _model("inventory", "jangkau.inventory", "Site")
    link_model = _model("inventory", "jangkau.inventory", "Link")
    if site_model is None or link_model is None:
        return None
    from jangkau.inventory.choices import (
        SERVICE_ACTIVE,
        SITE_ON_AIR,
        BackhaulChoices,
        LinkKindChoices,
    )

    nodes = [
        Node(f"{s.code} {s.name}", float(s.lat), float(s.lon), "fiber_site")
        for s in site_model.objects.filter(
            status__in=list(SITE_ON_AIR), backhaul=BackhaulChoices.FIBER
        ).order_by("code")
    ]
    for link in link_model.objects.filter(
        kind=LinkKindChoices.FIBER_ROUTE, status__in=list(SERVICE_ACTIVE)
    ).order_by("code"):
        coordinates = (link.geometry or {}).get("coordinates") or []
        for k, position in enumerate(coordinates):
            nodes.append(
                Node(f"{link.code} #{k}", float(position[1]), float(position[0]), "fiber_route")
            )
    return nodes


def microwave_donors() -> list[Node] | None:
    """On-air sites whose own backhaul is microwave (they can relay a hop), or None."""
    site_model = _model("inventory", "jangkau.inventory", "Site")
    if site_model is None:
        return None
    from jangkau.inventory.choices import SITE_ON_AIR, BackhaulChoices

    return [
        Node(f"{s.code} {s.name}", float(s.lat), float(s.lon), "microwave_site")
        for s in site_model.objects.filter(
            status__in=list(SITE_ON_AIR), backhaul=BackhaulChoices.MICROWAVE
        ).order_by("code")
    ]


#: inventory facility kinds counted for each bonus kind of the planning core.
FACILITY_KIND_MAP = {
    "kantor_desa": "kantor_desa",
    "sd": "school",
    "smp": "school",
    "sma": "school",
    "smk": "school",
    "puskesmas": "puskesmas",
}


def unconnected_facility_counts() -> dict[str, dict[str, int]] | None:
    """Per village code, counts of facilities not known to be connected, by bonus kind.

    None when the inventory app is absent or holds no facility at all (then no bonus can be
    computed, which is not the same as "no facilities").
    """
    facility_model = _model("inventory", "jangkau.inventory", "Facility")
    if facility_model is None or not facility_model.objects.exists():
        return None
    from jangkau.inventory.choices import ConnectedChoices

    counts: dict[str, dict[str, int]] = {}
    rows = (
        facility_model.objects.exclude(connected=ConnectedChoices.YES)
        .filter(village__isnull=False, kind__in=list(FACILITY_KIND_MAP))
        .values_list("village__code", "kind")
    )
    for code, kind in rows:
        bonus_kind = FACILITY_KIND_MAP[kind]
        per_village = counts.setdefault(code, {})
        per_village[bonus_kind] = per_village.get(bonus_kind, 0) + 1
    return counts


# ---- coverage (radio) ------------------------------------------------------------------------


def proposed_candidates() -> tuple[list[ProposedCandidate] | None, dict]:
    """Proposed/accepted sites, each with the villages the newest coverage run says it serves.

    The run used is the latest finished one that included proposed sites; a village counts as
    served by a proposed site when that site is its best server and at least half of its area
    has good signal (the coverage app's own rule). A site moved since that run gets no villages
    from it. Returns ``(None, {})`` without the coverage app, else ``(candidates, info)`` with
    ``info`` = ``{"run_id": ..., "stale": [pk, ...]}``.
    """
    if not radio_installed():
        return None, {}
    from jangkau.radio.engine import latest_run
    from jangkau.radio.models import VillageCoverage
    from jangkau.radio.planning import proposed_sites_for_planning
    from jangkau.radio.predictions import SERVED_SHARE

    sites = proposed_sites_for_planning()
    run = latest_run(include_proposed=True)
    served: dict[str, list[str]] = {}
    positions: dict[str, tuple[float, float]] = {}
    if run is not None:
        for entry in run.sites or []:
            if entry.get("kind") == "proposed":
                positions[entry["code"]] = (float(entry["lat"]), float(entry["lon"]))
        rows = (
            VillageCoverage.objects.filter(
                run=run, operator="", share_good__gte=SERVED_SHARE, best_site_code__startswith="P-"
            )
            .select_related("village")
            .order_by("village__code")
        )
        for row in rows:
            served.setdefault(row.best_site_code, []).append(row.village.code)
    stale = []
    candidates = []
    for site in sites:
        code = f"P-{site['id']}"
        villages: tuple[str, ...] = ()
        if code in positions:
            lat, lon = positions[code]
            if abs(lat - site["lat"]) < 1e-6 and abs(lon - site["lon"]) < 1e-6:
                villages = tuple(served.get(code, ()))
            else:
                stale.append(site["id"])
        candidates.append(
            ProposedCandidate(
                pk=int(site["id"]),
                name=site["name"],
                lat=float(site["lat"]),
                lon=float(site["lon"]),
                village_code=site["village"],
                serves=villages,
                run_id=run.pk if run is not None and code in positions else None,
            )
        )
    return candidates, {"run_id": run.pk if run is not None else None, "stale": stale}


def fine_terrain(lonlat_bounds: tuple[float, float, float, float]):
    """The active DEM of the coverage app as a core terrain, when it is fine enough for LOS.

    Returns ``(terrain, label)``; ``terrain`` is None (and ``label`` says why) without the
    coverage app, without an active DEM, or when the active DEM is coarse (the shipped demo DEM
    has about 9 km cells and must not be used for line of sight).
    """
    terrain_model = _model("radio", "jangkau.radio", "Terrain")
    if terrain_model is None:
        return None, "no_radio"
    active = terrain_model.active_terrain()
    if active is None:
        return None, "no_terrain"
    if active.is_coarse:
        return None, f"coarse:{active.name}"
    from jangkau.radio.terrains import open_terrain

    return open_terrain(active, lonlat_bounds), active.name
