"""Turn the app's rows into the coverage core's inputs: sites, villages, facility points.

The inventory app is optional for this one: it is looked up through the app registry at call
time, never imported when this module is imported, so the coverage app works (with no sites)
while the inventory is not installed.

A *site spec* is the plain dict stored in :attr:`CoverageRun.sites` and turned into a core
:class:`~jangkau.cores.propagation.raster.Site` by :func:`core_site`::

    {"site_id": 0, "kind": "inventory" | "proposed", "code": "TSEL-01" | "P-12", "name": "...",
     "operator": "telkomsel", "lon": 117.1, "lat": 0.9, "antenna_height_m": 30.0,
     "eirp_dbm": 58.0, "freq_mhz": 900.0,
     "sectors": [{"azimuth": 0, "beamwidth": 65, "downtilt": 2}],  # [] = omnidirectional
     "assumed": ["eirp_dbm"]}  # values the inventory did not give (defaults used)
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from shapely.geometry import shape

from jangkau.cores.propagation.antenna import Sector as CoreSector
from jangkau.cores.propagation.metrics import Village as CoreVillage
from jangkau.cores.propagation.raster import Site as CoreSite

#: defaults for radio figures an inventory row leaves empty (flagged as assumed in the run).
DEFAULT_ANTENNA_HEIGHT_M = 30.0
#: total carrier EIRP: 20 W (43 dBm) into an 18 dBi panel with 3 dB feeder loss.
DEFAULT_EIRP_DBM = 58.0
#: 900 MHz, the coverage band of rural Indonesian networks (within Hata's 150–1500 MHz).
DEFAULT_FREQ_MHZ = 900.0
#: horizontal beamwidth of a sector whose beamwidth is not given (a typical macro panel).
DEFAULT_BEAMWIDTH_DEG = 65.0

#: technologies whose coverage the thresholds (LTE RSRP) describe.
BROADBAND_TECHNOLOGIES = frozenset({"4G", "5G"})


def inventory_site_model():
    """The inventory's ``Site`` model, or None while that app is not installed."""
    if not apps.is_installed("jangkau.inventory"):
        return None
    try:
        return apps.get_model("inventory", "Site")
    except LookupError:
        return None


def facility_model():
    """The inventory's ``Facility`` model, or None while it does not exist."""
    if not apps.is_installed("jangkau.inventory"):
        return None
    try:
        return apps.get_model("inventory", "Facility")
    except LookupError:
        return None


def _sector_dicts_from_inventory(site) -> list[dict]:
    if getattr(site, "omni", False):
        return []
    sectors = []
    for sector in site.sectors.all():
        sectors.append(
            {
                "azimuth": float(sector.azimuth_deg),
                "beamwidth": float(sector.beamwidth_deg or DEFAULT_BEAMWIDTH_DEG),
                "downtilt": float(
                    (sector.mechanical_tilt_deg or 0.0) + (sector.electrical_tilt_deg or 0.0)
                ),
            }
        )
    return sectors


def inventory_site_specs() -> tuple[list[dict], list[str], dt.date | None]:
    """Specs of the inventory sites that transmit 4G/5G now, with notes and the inventory date.

    Sites on air or degraded (:data:`jangkau.inventory.choices.SITE_ON_AIR`) whose technologies
    include 4G or 5G are used; the others are counted in the notes. The coverage band is the
    lowest band listed (the widest reach). The inventory date is the newest ``as_of`` (else the
    last update) of the sites used: a model prediction is dated by the inventory it used.
    """
    model = inventory_site_model()
    if model is None:
        return [], ["inventory app not installed: no sites"], None
    from jangkau.inventory.choices import SITE_ON_AIR

    rows = (
        model.objects.filter(status__in=list(SITE_ON_AIR))
        .prefetch_related("sectors")
        .order_by("operator", "code")
    )
    specs: list[dict] = []
    skipped = 0
    assumed_count: dict[str, int] = {}
    newest: dt.date | None = None
    for site in rows:
        technologies = set(site.technologies or [])
        if not technologies & BROADBAND_TECHNOLOGIES:
            skipped += 1
            continue
        assumed = []
        height = site.antenna_height_m
        if not height:
            height = DEFAULT_ANTENNA_HEIGHT_M
            assumed.append("antenna_height_m")
        eirp = site.eirp_dbm
        if eirp is None:
            eirp = DEFAULT_EIRP_DBM
            assumed.append("eirp_dbm")
        bands = [b for b in (site.bands_mhz or []) if isinstance(b, int | float)]
        if bands:
            freq = float(min(bands))
        else:
            freq = DEFAULT_FREQ_MHZ
            assumed.append("freq_mhz")
        for name in assumed:
            assumed_count[name] = assumed_count.get(name, 0) + 1
        specs.append(
            {
                "kind": "inventory",
                "code": site.code,
                "name": site.name,
                "operator": site.operator,
                "lon": float(site.lon),
                "lat": float(site.lat),
                "antenna_height_m": float(height),
                "eirp_dbm": float(eirp),
                "freq_mhz": freq,
                "sectors": _sector_dicts_from_inventory(site),
                "assumed": assumed,
            }
        )
        when = site.as_of or (site.updated.date() if getattr(site, "updated", None) else None)
        if when is not None and (newest is None or when > newest):
            newest = when
    notes = []
    if skipped:
        notes.append(f"{skipped} site(s) on air without 4G/5G recorded were left out")
    labels = {
        "antenna_height_m": f"antenna height {DEFAULT_ANTENNA_HEIGHT_M:g} m",
        "eirp_dbm": f"EIRP {DEFAULT_EIRP_DBM:g} dBm",
        "freq_mhz": f"frequency {DEFAULT_FREQ_MHZ:g} MHz",
    }
    for name, count in sorted(assumed_count.items()):
        notes.append(f"{count} site(s) without {name}: assumed {labels[name]}")
    return specs, notes, newest


def proposed_site_spec(site) -> dict:
    """The spec of a :class:`~jangkau.radio.models.ProposedSite`."""
    return {
        "kind": "proposed",
        "code": f"P-{site.pk}",
        "name": site.name,
        "operator": site.operator,
        "lon": float(site.lon),
        "lat": float(site.lat),
        "antenna_height_m": float(site.antenna_height_m),
        "eirp_dbm": float(site.eirp_dbm),
        "freq_mhz": float(site.freq_mhz),
        "sectors": [
            {
                "azimuth": float(s["azimuth"]),
                "beamwidth": float(s.get("beamwidth", DEFAULT_BEAMWIDTH_DEG)),
                "downtilt": float(s.get("downtilt", 0.0)),
            }
            for s in site.sectors or []
        ],
        "assumed": [],
    }


def core_site(spec: dict) -> CoreSite:
    """The core site of a spec (sectors use the 3GPP TR 36.814 pattern defaults otherwise)."""
    return CoreSite(
        site_id=int(spec["site_id"]),
        lon=float(spec["lon"]),
        lat=float(spec["lat"]),
        antenna_height_m=float(spec["antenna_height_m"]),
        eirp_dbm=float(spec["eirp_dbm"]),
        freq_mhz=float(spec["freq_mhz"]),
        sectors=tuple(
            CoreSector(
                azimuth_deg=float(s["azimuth"]),
                beamwidth_h_deg=float(s.get("beamwidth", DEFAULT_BEAMWIDTH_DEG)),
                downtilt_deg=float(s.get("downtilt", 0.0)),
            )
            for s in spec.get("sectors", [])
        ),
        operator=spec.get("operator", ""),
    )


def village_inputs(villages) -> list[tuple[object, CoreVillage, object]]:
    """(village row, core village, population figure or None) for villages with a boundary.

    The villages should come with ``population_figures`` prefetched.
    """
    out = []
    for village in villages:
        if not village.boundary:
            continue
        figure = village.best_population()
        population = float(figure.value) if figure is not None else 0.0
        out.append(
            (village, CoreVillage(village.code, shape(village.boundary), population), figure)
        )
    return out


def facility_points(west: float, south: float, east: float, north: float) -> list[dict] | None:
    """Facilities inside a lon/lat box as plain dicts, or None when there is no facility data."""
    model = facility_model()
    if model is None or not model.objects.exists():
        return None
    rows = model.objects.filter(
        lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north
    ).order_by("code")
    return [
        {
            "code": f.code,
            "name": f.name,
            "kind": f.kind,
            "kind_label": str(f.get_kind_display()),
            "connected": f.connected,
            "lat": float(f.lat),
            "lon": float(f.lon),
        }
        for f in rows
    ]
