"""Building the roadmap instance from the real Kutai Timur data (and inventory rows)."""

from __future__ import annotations

import numpy as np
import pytest
from affine import Affine
from django.apps import apps

from jangkau.cores.geo import haversine_km
from jangkau.cores.planning import plan_roadmap
from jangkau.cores.propagation.terrain import Terrain
from jangkau.evidence.models import VillageStatus
from jangkau.planning import assumptions as A
from jangkau.planning.builders import PlanInputError, build_instance
from jangkau.regions.models import Village

from .conftest import SANDARAN, SANGATTA_UTARA, make_site

pytestmark = pytest.mark.django_db


def _population(code: str) -> int:
    village = Village.objects.prefetch_related("population_figures").get(code=code)
    return village.best_population().value


def test_every_village_is_in_the_instance_with_its_people(make_scenario):
    built = build_instance(make_scenario(), terrain=None)
    villages = {v.id: v for v in built.instance.villages}
    assert len(villages) == 141 == Village.objects.count()
    # No village of the shipped data has good 4G: everybody is unserved (the 2024 estimate).
    assert sum(v.people_unserved for v in villages.values()) == 448_850
    assert villages[SANDARAN].people_unserved == _population(SANDARAN)
    assert villages[SANDARAN].remoteness_class == 4
    assert villages[SANDARAN].status == "no_signal"
    assert villages[SANDARAN].kecamatan_id == "64.08.11"


def test_people_unserved_excludes_villages_with_good_4g(make_scenario):
    VillageStatus.objects.filter(village__code=SANGATTA_UTARA, operator="").update(status="4g_good")
    built = build_instance(make_scenario(), terrain=None)
    villages = {v.id: v for v in built.instance.villages}
    assert villages[SANGATTA_UTARA].people_unserved == 0
    assert sum(v.people_unserved for v in villages.values()) == 448_850 - _population(
        SANGATTA_UTARA
    )
    assert not [o for o in built.instance.access_options if SANGATTA_UTARA in o.serves]
    assert {"code": "good_4g", "params": {"count": 1}} in built.notes


def test_unknown_status_is_weighed_as_the_scenario_says(make_scenario):
    built = build_instance(make_scenario(unknown_status_as="no_signal"), terrain=None)
    statuses = {v.id: v.status for v in built.instance.villages}
    assert set(statuses.values()) == {"no_signal"}
    info = built.villages["64.08.02.2006"]  # Benhes: no evidence
    assert info.status == "unknown" and info.status_weighted_as == "no_signal"
    note = next(n for n in built.notes if n["code"] == "unknown_status")
    assert note["params"] == {"count": 104, "weighted_as": "no_signal"}


def test_remoteness_weights_reach_the_objective(make_scenario):
    """With a heavy weight on very remote villages, the one tower goes to one of them."""
    common = {"year_from": 2026, "year_to": 2026, "budgets": [2_650_000_000]}
    plain = build_instance(make_scenario(**common), terrain=None)
    terminals = [o.id for o in plain.instance.access_options if o.kind == "satellite_terminal"]

    def tower_village(**weights):
        scenario = make_scenario(**common, forbidden=terminals, **weights)
        built = build_instance(scenario, terrain=None)
        assert built.instance.weights.remoteness == {
            int(k): float(v) for k, v in scenario.remoteness_weights.items()
        }
        result = plan_roadmap(built.instance)
        towers = [i for i in result.items if i.kind == "new_4g_site"]
        assert len(towers) == 1
        served = next(v for v in result.villages if v.option_id == towers[0].item_id)
        return built.villages[served.village_id], served.explanation["weights"]["remoteness"]

    village, weight = tower_village()
    assert village.remoteness_class == 1 and weight == 1.0  # the seat area: most people
    village, weight = tower_village(remoteness_weights={"1": 1, "2": 1.25, "3": 1.5, "4": 40})
    assert village.remoteness_class == 4 and weight == 40.0


def test_without_network_data_new_towers_get_satellite_backhaul_and_notes_say_why(
    make_scenario,
):
    built = build_instance(make_scenario(), terrain=None)
    codes = {n["code"] for n in built.notes}
    assert {"no_fiber_data", "no_microwave_donor", "no_facility_data", "no_repeater_donor"} <= codes
    if apps.is_installed("jangkau.radio"):
        assert "no_coverage_run" in codes  # no run with proposed sites in the test data
    else:
        assert "no_radio" in codes
    kinds = {b.kind for b in built.instance.backhaul_options}
    assert kinds == {"satellite"}
    towers = [o for o in built.instance.access_options if o.kind == "new_4g_site"]
    assert len(towers) == 141
    assert all(len(o.serves) == 1 for o in towers)  # centroid towers serve their own village
    terminals = [o for o in built.instance.access_options if o.kind == "satellite_terminal"]
    assert all(
        list(o.serves.values())[0] == min(A.SATELLITE_TERMINAL_PEOPLE, _population(code))
        for o in terminals[:3]
        for code in o.serves
    )


def test_fiber_and_microwave_are_priced_from_the_nearest_node(make_scenario, cost_table):
    node = make_site("FIB-1", SANGATTA_UTARA, backhaul="fiber")
    built = build_instance(make_scenario(), terrain=None)
    costs = {i.item: i for i in cost_table.items.all()}
    target = built.villages[SANDARAN]
    straight = haversine_km(node.lon, node.lat, target.lon, target.lat)
    fiber = next(b for b in built.instance.backhaul_options if b.id == f"site:{SANDARAN}/fiber")
    assert fiber.length_km == pytest.approx(straight * A.FIBER_DETOUR_FACTOR, abs=1e-3)
    per_km, site = costs["backhaul_fiber_km"], costs["backhaul_fiber_site_equipment"]
    expected = fiber.length_km * float(per_km.capex_idr) + float(site.capex_idr)
    assert fiber.capex == pytest.approx(expected, rel=1e-6)
    info = built.backhauls[fiber.id]
    assert info.node_label.startswith("FIB-1") and info.cost_quality == "estimated"
    # Sandaran is far from Sangatta: beyond the longest hop, no microwave there ...
    assert straight > A.MICROWAVE_MAX_HOP_KM
    assert f"site:{SANDARAN}/microwave" not in built.backhauls
    # ... but the node's own village gets a short hop, unchecked without terrain.
    hop = built.backhauls[f"site:{SANGATTA_UTARA}/microwave"]
    assert hop.los == "not_checked" and hop.length_km < A.MICROWAVE_SMALL_MAX_KM
    assert "no_fiber_data" not in {n["code"] for n in built.notes}


def test_an_upgrade_serves_the_villages_within_the_radius(make_scenario):
    site = make_site("OLD-3G", SANGATTA_UTARA, technologies=["2G", "3G"])
    built = build_instance(make_scenario(), terrain=None)
    upgrade = next(o for o in built.instance.access_options if o.id == "upgrade:OLD-3G")
    expected = {
        v.code
        for v in built.villages.values()
        if haversine_km(site.lon, site.lat, v.lon, v.lat) <= A.UPGRADE_RADIUS_KM
    } | {SANGATTA_UTARA}
    assert set(upgrade.serves) == expected
    assert len(expected) >= 2


def test_repeaters_only_where_a_donor_signal_exists(make_scenario):
    make_site("TSEL-4G", SANGATTA_UTARA, technologies=["4G"])
    built = build_instance(make_scenario(), terrain=None)
    repeaters = {
        o.id.split(":", 1)[1]: o for o in built.instance.access_options if o.kind == "repeater"
    }
    assert SANGATTA_UTARA in repeaters
    assert SANDARAN not in repeaters
    assert repeaters[SANGATTA_UTARA].serves[SANGATTA_UTARA] == A.REPEATER_PEOPLE


def test_facility_bonus_counts_unconnected_facilities(make_scenario):
    from jangkau.inventory.models import Facility

    from .conftest import point_in

    lat, lon = point_in(SANDARAN)
    common = {"lat": lat, "lon": lon, "source": "test", "quality": "measured"}
    Facility.objects.create(code="KD-1", kind="kantor_desa", name="Kantor Desa", **common)
    Facility.objects.create(
        code="SD-1", kind="sd", name="SD 1", connected="yes", connection_kind="vsat", **common
    )
    Facility.objects.create(
        code="PKM-1",
        kind="puskesmas",
        name="Puskesmas",
        connected="no",
        connection_kind="none",
        **common,
    )
    built = build_instance(make_scenario(), terrain=None)
    villages = {v.id: v for v in built.instance.villages}
    assert villages[SANDARAN].facilities == {"kantor_desa": 1, "puskesmas": 1}
    assert "no_facility_data" not in {n["code"] for n in built.notes}


def _ridge_terrain(lat: float, lon0: float, lon1: float, height: float) -> Terrain:
    """A DEM at 10 m with a north-south ridge half way between two longitudes."""
    cell = 0.002
    west, north = min(lon0, lon1) - 0.1, lat + 0.1
    cols = int((abs(lon1 - lon0) + 0.2) / cell)
    rows = int(0.2 / cell)
    data = np.full((rows, cols), 10.0)
    ridge = int(((lon0 + lon1) / 2 - west) / cell)
    data[:, ridge - 2 : ridge + 3] = height
    return Terrain(data, Affine(cell, 0, west, 0, -cell, north), "EPSG:4326", name="ridge")


@pytest.mark.parametrize(("ridge_m", "expected"), [(10.0, "passed"), (400.0, "failed")])
def test_microwave_line_of_sight_is_checked_on_the_terrain(make_scenario, ridge_m, expected):
    node = make_site("FIB-LOS", SANGATTA_UTARA, backhaul="fiber")
    target = "64.08.04.2011"  # Singa Gembara, next to Sangatta Utara
    village = Village.objects.get(code=target)
    terrain = _ridge_terrain(node.lat, node.lon, village.centroid_lon, ridge_m)
    built = build_instance(make_scenario(), terrain=terrain)
    hop = built.backhauls[f"site:{target}/microwave"]
    assert hop.los == expected
    option = next(b for b in built.instance.backhaul_options if b.id == hop.id)
    assert option.los_feasible is (expected == "passed")


def test_forcing_an_unknown_item_is_refused(make_scenario):
    with pytest.raises(PlanInputError, match="site:99.99"):
        build_instance(make_scenario(forced={"site:99.99.99.9999": None}), terrain=None)


def test_a_proposed_site_serves_the_villages_its_coverage_run_gives_it(make_scenario):
    if not apps.is_installed("jangkau.radio"):
        pytest.skip("the coverage app is not installed in these settings")
    from jangkau.radio.models import CoverageRun, ProposedSite, VillageCoverage

    from .conftest import point_in

    lat, lon = point_in(SANGATTA_UTARA)
    site = ProposedSite.objects.create(
        name="Menara usulan", lat=lat, lon=lon, village=Village.objects.get(code=SANGATTA_UTARA)
    )
    moved = ProposedSite.objects.create(
        name="Dipindah", lat=lat, lon=lon, village=Village.objects.get(code=SANDARAN)
    )
    run = CoverageRun.objects.create(
        inputs_hash="0" * 64,
        model="hata",
        resolution_m=500,
        include_proposed=True,
        state="done",
        sites=[
            {"site_id": 0, "kind": "proposed", "code": f"P-{site.pk}", "lat": lat, "lon": lon},
            {"site_id": 1, "kind": "proposed", "code": f"P-{moved.pk}", "lat": 0.0, "lon": 117},
        ],
        source="test run",
        quality="estimated",
    )
    neighbours = ["64.08.04.2011", "64.08.04.2012", "64.08.04.1010"]
    for code, share in zip(neighbours, (0.9, 0.6, 0.3), strict=True):
        VillageCoverage.objects.create(
            run=run,
            village=Village.objects.get(code=code),
            share_good=share,
            best_site_code=f"P-{site.pk}",
        )
    built = build_instance(make_scenario(), terrain=None)
    option = next(o for o in built.instance.access_options if o.id == f"proposed:{site.pk}")
    # Its own village plus the two with good signal on at least half their area.
    assert set(option.serves) == {SANGATTA_UTARA, *neighbours[:2]}
    assert built.options[option.id].basis == "coverage_run"
    assert built.options[option.id].run_id == run.pk
    assert f"proposed:{site.pk}/satellite" in built.backhauls
    stale = next(o for o in built.instance.access_options if o.id == f"proposed:{moved.pk}")
    assert set(stale.serves) == {SANDARAN}  # moved since the run: its own village only
    assert {"code": "proposed_stale", "params": {"sites": [moved.pk]}} in built.notes
