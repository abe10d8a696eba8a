"""The coverage API: runs, village figures, the latest overlay, terrains, footprints."""

from __future__ import annotations

import json

import pytest

from jangkau.radio.engine import RunOptions
from jangkau.radio.models import ProposedSite
from jangkau.radio.tasks import request_run
from jangkau.radio.terrains import load_demo

from .conftest import MASALAP_RAYA, MUARA_WAHAU, point_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(two_sites, data_dir):
    run, _ = request_run(RunOptions(model="hata", resolution_m=1000.0))
    run.refresh_from_db()
    return run


def test_runs_list_detail_and_latest(client, run):
    body = client.get("/api/coverage/runs").json()
    assert body["count"] == 1 and body["results"][0]["id"] == run.pk
    assert body["results"][0]["thresholds_dbm"] == {"good": -105.0, "weak": -115.0}
    detail = client.get(f"/api/coverage/runs/{run.pk}").json()
    assert detail["params"]["environment"] == "suburban" and len(detail["sites"]) == 2
    assert detail["overlay_url"] == f"/cakupan/runs/{run.pk}/overlay.png"
    latest = client.get("/api/coverage/runs/latest").json()
    assert latest["id"] == run.pk and latest["bounds"][0][0] < latest["bounds"][1][0]
    image = client.get(latest["overlay_url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    tif = client.get(latest["geotiff_url"])
    assert tif.status_code == 200 and b"".join(tif.streaming_content)[:2] in (b"II", b"MM")


def test_no_latest_run_is_a_404_in_the_error_format(client, kutim):
    response = client.get("/api/coverage/runs/latest")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get("/api/coverage/runs/999").json()["error"]["code"] == "not_found"


def test_village_figures_per_run_filter_and_paginate(client, run):
    body = client.get(f"/api/coverage/runs/{run.pk}/villages?limit=10").json()
    assert body["count"] == 141 and len(body["results"]) == 10 and body["next"]
    one = client.get(f"/api/coverage/runs/{run.pk}/villages?village={MUARA_WAHAU}").json()
    row = one["results"][0]
    assert row["share_good"] == 1.0 and row["people_quality"] == "estimated"
    xl = client.get(f"/api/coverage/runs/{run.pk}/villages?operator=xl&village={MUARA_WAHAU}")
    assert xl.json()["results"][0]["share_weak"] == 0.0
    bad = client.get(f"/api/coverage/runs/{run.pk}/villages?limit=0")
    assert bad.status_code == 422 and bad.json()["error"]["code"]


def test_posting_the_same_run_twice_reuses_it(client, make_user, run):
    client.force_login(make_user("planner"))
    body = {"model": "hata", "resolution_m": 1000}
    response = client.post(
        "/api/coverage/runs", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["cached"] is True
    assert response.json()["id"] == run.pk
    bad = client.post(
        "/api/coverage/runs",
        data=json.dumps({"good_dbm": -120, "weak_dbm": -110}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "good_dbm"
    tiny = client.post(
        "/api/coverage/runs", data=json.dumps({"resolution_m": 10}), content_type="application/json"
    )
    assert tiny.status_code == 422


def test_terrains_are_listed_with_the_coarse_flag(client, kutim, data_dir):
    load_demo()
    body = client.get("/api/coverage/terrains").json()
    assert body["results"][0]["is_coarse"] is True and body["results"][0]["active"] is True


def test_a_proposed_site_and_its_footprint(client, make_user, run):
    client.force_login(make_user("network_operator"))
    lat, lon = point_in(MASALAP_RAYA)
    created = client.post(
        "/api/coverage/proposed-sites",
        data=json.dumps(
            {
                "name": "Masalap",
                "lat": lat,
                "lon": lon,
                "operator": "telkomsel",
                "sectors": [{"azimuth": 0}, {"azimuth": 120}, {"azimuth": 240}],
            }
        ),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    site = created.json()
    assert site["village"] == MASALAP_RAYA and len(site["sectors"]) == 3
    # Three 65° sectors lose about 10 dB between their beams; make it omnidirectional.
    patched = client.patch(
        f"/api/coverage/proposed-sites/{site['id']}",
        data=json.dumps({"sectors": []}),
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["omni"] is True
    footprint = client.get(f"/api/coverage/proposed-sites/{site['id']}/footprint").json()
    assert footprint["baseline_run"] == run.pk
    assert MASALAP_RAYA in [v["code"] for v in footprint["newly_served"]]
    assert footprint["people_quality"] == "estimated"
    image = client.get(footprint["overlay_url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    listed = client.get("/api/coverage/proposed-sites").json()
    assert listed["count"] == 1


def test_a_proposed_site_outside_the_regency_is_refused(client, make_user, kutim):
    client.force_login(make_user("planner"))
    response = client.post(
        "/api/coverage/proposed-sites",
        data=json.dumps({"name": "Surabaya", "lat": -7.25, "lon": 112.75}),
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["details"][0]["field"] == "lat"
    assert "outside" in error["message"]
    assert not ProposedSite.objects.exists()


def test_a_footprint_key_must_be_a_hash(client, kutim):
    assert client.get("/cakupan/jejak/..%2F..%2Fsecret.png").status_code == 404
    assert client.get("/cakupan/jejak/" + "a" * 64 + ".png").status_code == 404
