"""What-if sites: validation, the villages a site newly serves, facilities, planning hand-off."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jangkau.radio import whatif
from jangkau.radio.engine import RunOptions
from jangkau.radio.models import ProposedSite
from jangkau.radio.planning import proposed_sites_for_planning
from jangkau.radio.tasks import request_run

from .conftest import MASALAP_RAYA, MUARA_WAHAU, point_in

pytestmark = pytest.mark.django_db


def _proposed(village_code: str, user=None, **overrides) -> ProposedSite:
    lat, lon = point_in(village_code)
    site = ProposedSite(
        name=f"Tower {village_code}", lat=lat, lon=lon, created_by=user, **overrides
    )
    site.full_clean()
    site.save()
    return site


def test_a_proposed_site_is_located_in_its_village(kutim):
    site = _proposed(MASALAP_RAYA, sectors=[{"azimuth": 0}, {"azimuth": 120, "beamwidth": 65}])
    assert site.village.code == MASALAP_RAYA


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"lat": -7.25, "lon": 112.75}, "lat"),  # Surabaya
        ({"sectors": [{"azimuth": 400}]}, "sectors"),
        ({"sectors": [{"azimuth": 10}, {"azimuth": 10}]}, "sectors"),
        ({"sectors": [{"azimuth": 10, "gain": 18}]}, "sectors"),
        ({"freq_mhz": 100.0}, "__all__"),
        ({"antenna_height_m": 0.0}, "__all__"),
    ],
)
def test_an_invalid_proposed_site_is_refused(kutim, overrides, field):
    lat, lon = point_in(MASALAP_RAYA)
    values = {"name": "bad", "lat": lat, "lon": lon, **overrides}
    with pytest.raises(ValidationError) as caught:
        ProposedSite(**values).full_clean()
    assert field in caught.value.message_dict


def test_without_a_run_a_site_at_a_village_centre_newly_serves_it(kutim, data_dir):
    site = _proposed(MASALAP_RAYA)
    result = whatif.assess(site)
    assert result["baseline"] == "status" and result["baseline_run"] is None
    assert result["resolution_m"] == 200.0 and result["model"] == "hata"
    codes = [v["code"] for v in result["newly_served"]]
    assert MASALAP_RAYA in codes
    row = next(v for v in result["newly_served"] if v["code"] == MASALAP_RAYA)
    assert row["share_good_after"] >= 0.5 and row["share_good_before"] == 0.0
    assert row["people_served_estimate"] == round(row["population"] * row["share_good_after"])
    assert (data_dir / result["overlay_path"]).read_bytes()[:4] == b"\x89PNG"
    south_west, north_east = result["bounds"]
    assert south_west[0] < site.lat < north_east[0] and south_west[1] < site.lon < north_east[1]


def test_with_a_run_only_villages_crossing_half_good_are_newly_served(two_sites, data_dir):
    run, _ = request_run(RunOptions(model="hata", resolution_m=1000.0))
    near_existing = _proposed(MUARA_WAHAU)  # already served by TSEL-MWH
    result = whatif.assess(near_existing)
    assert result["baseline_run"] == run.pk and result["resolution_m"] == 1000.0
    assert MUARA_WAHAU not in [v["code"] for v in result["newly_served"]]
    new = whatif.assess(_proposed(MASALAP_RAYA))
    row = next(v for v in new["newly_served"] if v["code"] == MASALAP_RAYA)
    assert row["share_good_before"] < 0.5 <= row["share_good_after"]
    assert new["people_newly_served_estimate"] >= row["people_served_estimate"]


def test_facilities_in_the_footprint_are_counted(one_frame, data_dir):
    from tests.inventory.builders import make_facility

    site = _proposed(MASALAP_RAYA)
    assert whatif.assess(site)["facilities"] is None  # no facility data loaded
    make_facility("SD-MASALAP", MASALAP_RAYA, connected="no", connection_kind="none")
    make_facility("SD-FAR", "64.08.11.2001")  # Sandaran, far away
    facilities = whatif.assess(site)["facilities"]
    assert facilities["good"] == 1 and facilities["newly_good"] == 1
    assert facilities["not_connected_newly_good"] == 1
    assert facilities["items"][0]["code"] == "SD-MASALAP"


def test_planning_gets_proposed_and_accepted_sites_as_plain_dicts(kutim, make_user):
    user = make_user("planner")
    kept = _proposed(MASALAP_RAYA, user=user, sectors=[{"azimuth": 90.0}])
    accepted = _proposed(MUARA_WAHAU, user=user, status="accepted")
    _proposed("64.08.10.2009", user=user, status="rejected")
    rows = proposed_sites_for_planning()
    assert [r["id"] for r in rows] == [kept.pk, accepted.pk]
    assert rows[0]["village"] == MASALAP_RAYA and rows[0]["created_by"] == user.username
    assert rows[0]["sectors"] == [{"azimuth": 90.0}] and rows[0]["omni"] is False
    assert rows[1]["omni"] is True
