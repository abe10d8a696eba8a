"""The measurements API: lists with filters, details, creates per role, GeoJSON."""

from __future__ import annotations

import json

import pytest

from jangkau.core.importing import run_import
from tests.importing.files import (
    KERAYAAN,
    KERAYAAN_CODE,
    SAMARINDA,
    SANGATTA_SELATAN,
    SANGATTA_SELATAN_CODE,
    speedtest_row,
    write_dicts,
)

pytestmark = pytest.mark.django_db

BODY = {
    "measured_at": "2025-03-14T10:20:00+08:00",
    "lat": SANGATTA_SELATAN[0],
    "lon": SANGATTA_SELATAN[1],
    "download_mbps": 12.4,
    "operator": "telkomsel",
    "technology": "4g",
    "tool": "field_team",
    "test_id": "api-1",
}


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def imported(kutim, tmp_path):
    rows = [
        speedtest_row(test_id="a", operator="telkomsel", technology="4g"),
        speedtest_row(test_id="b", operator="xl", technology="3g", download_mbps="1.2"),
        speedtest_row(test_id="c", lat=KERAYAAN[0], lon=KERAYAAN[1], tool="nperf",
                      measured_at="2025-01-02T08:00:00+08:00"),
    ]  # fmt: skip
    run_import("speedtests", write_dicts(tmp_path / "t.csv", rows))


def keys(response):
    return [r["key"] for r in response.json()["results"]]


def test_the_list_filters_like_its_query_says(imported, client):
    assert client.get("/api/measurements/speedtests").json()["count"] == 3
    r = client.get("/api/measurements/speedtests", {"village": KERAYAAN_CODE})
    assert keys(r) == ["nperf:c"]
    r = client.get("/api/measurements/speedtests", {"kecamatan": "64.08.12", "operator": "xl"})
    assert keys(r) == ["ookla_app:b"]
    r = client.get("/api/measurements/speedtests", {"since": "2025-03-01", "tool": "ookla_app"})
    assert sorted(keys(r)) == ["ookla_app:a", "ookla_app:b"]
    r = client.get("/api/measurements/speedtests", {"until": "2025-02-01"})
    assert keys(r) == ["nperf:c"]
    for params, field in [({"operator": "tri"}, "operator"), ({"technology": "6g"}, "technology"),
                          ({"since": "2025-03-02", "until": "2025-03-01"}, "since")]:  # fmt: skip
        r = client.get("/api/measurements/speedtests", params)
        assert r.status_code == 422 and r.json()["error"]["message"].startswith(field)


def test_the_detail_carries_provenance_and_the_evidence_key(imported, client):
    first = client.get("/api/measurements/speedtests", {"village": KERAYAAN_CODE}).json()
    pk = first["results"][0]["id"]
    body = client.get(f"/api/measurements/speedtests/{pk}").json()
    assert body["evidence_key"] == "speedtests:nperf:c"
    assert (body["quality"], body["source"], body["village"]) == (
        "measured",
        "nPerf app",
        KERAYAAN_CODE,
    )
    assert client.get("/api/measurements/speedtests/999999").status_code == 404


def test_creating_needs_a_login_and_a_role(kutim, client, make_user):
    from jangkau.measurements.models import SpeedTest

    assert post(client, "/api/measurements/speedtests", BODY).status_code == 401
    client.force_login(make_user("viewer"))
    r = post(client, "/api/measurements/speedtests", BODY)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert SpeedTest.objects.count() == 0


def test_a_planner_creates_and_resending_is_idempotent(kutim, client, make_user):
    client.force_login(make_user("planner"))
    r = post(client, "/api/measurements/speedtests", BODY)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["key"], body["village"]) == ("field_team:api-1", SANGATTA_SELATAN_CODE)
    assert body["recompute_progress_id"] is not None
    again = post(client, "/api/measurements/speedtests", BODY)
    assert again.status_code == 200 and again.json()["recompute_progress_id"] is None


def test_a_village_operator_may_add_only_in_their_own_villages(kutim, client, make_user):
    client.force_login(make_user("village_operator", villages=(KERAYAAN_CODE,)))
    assert post(client, "/api/measurements/speedtests", BODY).status_code == 403
    own = {**BODY, "lat": KERAYAAN[0], "lon": KERAYAAN[1], "test_id": "api-2"}
    assert post(client, "/api/measurements/speedtests", own).status_code == 201


def test_an_invalid_measurement_gets_the_import_errors(kutim, client, make_user):
    from jangkau.measurements.models import SpeedTest

    client.force_login(make_user("network_operator"))
    bad = {**BODY, "lat": SAMARINDA[0], "lon": SAMARINDA[1], "download_mbps": -1, "tool": "x"}
    r = post(client, "/api/measurements/speedtests", bad)
    assert r.status_code == 422
    fields = [d["field"] for d in r.json()["error"]["details"]]
    assert fields == ["download_mbps", "lat/lon", "tool"]
    r = post(client, "/api/measurements/speedtests", {"lat": 0.5})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"
    assert SpeedTest.objects.count() == 0


def test_signals_and_surveys_are_created_through_their_importers(kutim, client, make_user):
    client.force_login(make_user("planner"))
    signal = {"measured_at": "2025-03-14T10:20:00+08:00", "lat": SANGATTA_SELATAN[0],
              "lon": SANGATTA_SELATAN[1], "technology": "4g", "rsrp_dbm": -112,
              "operator": "xl"}  # fmt: skip
    r = post(client, "/api/measurements/signals", signal)
    assert r.status_code == 201 and r.json()["rsrp_dbm"] == -112
    survey = {"village_code": KERAYAAN_CODE, "survey_kind": "field", "survey_date": "2025-02-10",
              "phone_signal": "Sinyal lemah", "internet_signal": "2"}  # fmt: skip
    r = post(client, "/api/measurements/surveys", survey)
    assert r.status_code == 201 and r.json()["internet_signal"] == "3g"
    assert client.get("/api/measurements/signals", {"operator": "xl"}).json()["count"] == 1
    r = client.get("/api/measurements/surveys", {"survey_kind": "field"})
    assert r.json()["results"][0]["village"] == KERAYAAN_CODE


def test_geojson_points_then_hexagons_where_dense(imported, client):
    r = client.get("/api/measurements/speedtests.geojson")
    assert r["Content-Type"] == "application/geo+json"
    body = r.json()
    assert (body["binning"], body["count"], len(body["features"])) == ("points", 3, 3)
    assert body["features"][0]["geometry"]["type"] == "Point"
    hexes = client.get("/api/measurements/speedtests.geojson", {"bin": "hex"}).json()
    counts = sorted(f["properties"]["count"] for f in hexes["features"])
    assert counts == [1, 2]  # two tests at Sangatta Selatan share a hexagon
    dense = next(f for f in hexes["features"] if f["properties"]["count"] == 2)
    assert dense["properties"]["median_download_mbps"] == pytest.approx((12.4 + 1.2) / 2)
    assert dense["geometry"]["type"] == "Polygon" and len(dense["geometry"]["coordinates"][0]) == 7
    assert client.get("/api/measurements/speedtests.geojson", {"hex_km": 0.01}).status_code == 422
    assert client.get("/api/measurements/speedtests.geojson", {"bin": "x"}).status_code == 422


def test_auto_binning_switches_to_hexagons_above_the_threshold(
    kutim, client, monkeypatch, tmp_path
):
    from jangkau.measurements import geojson

    rows = [speedtest_row(test_id=str(i)) for i in range(4)]
    run_import("speedtests", write_dicts(tmp_path / "four.csv", rows))
    monkeypatch.setattr(geojson, "AUTO_HEX_ABOVE", 3)
    body = client.get("/api/measurements/speedtests.geojson").json()
    assert body["binning"] == "hex" and body["features"][0]["properties"]["count"] == 4
    monkeypatch.setattr(geojson, "MAX_POINTS", 3)
    r = client.get("/api/measurements/speedtests.geojson", {"bin": "points"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "too_many"


def test_ookla_tiles_list_and_geojson_squares(kutim, client, tmp_path):
    from jangkau.measurements.quadkey import lonlat_to_tile, tile_to_quadkey

    qk = tile_to_quadkey(*lonlat_to_tile(SANGATTA_SELATAN[1], SANGATTA_SELATAN[0], 16), 16)
    row = {"quadkey": qk, "avg_d_kbps": 14250, "avg_u_kbps": 6120, "avg_lat_ms": 41,
           "tests": 12, "devices": 5}  # fmt: skip
    path = write_dicts(tmp_path / "tiles.csv", [row])
    run_import("ookla", path, options={"period": "2024-10-01", "network": "mobile"})
    listed = client.get("/api/measurements/ookla-tiles", {"network": "mobile"}).json()
    assert listed["count"] == 1 and listed["results"][0]["quadkey"] == qk
    body = client.get("/api/measurements/ookla-tiles.geojson", {"period": "2024-10-01"}).json()
    [feature] = body["features"]
    ring = feature["geometry"]["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert feature["properties"]["status"] == "4g_good"
    assert client.get("/api/measurements/ookla-tiles", {"network": "cable"}).status_code == 422
