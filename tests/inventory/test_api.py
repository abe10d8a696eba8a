"""The inventory API: filters, details, validation errors, the site status endpoint, GeoJSON."""

from __future__ import annotations

import pytest
from shapely.geometry import shape

from jangkau.inventory.models import Site

from .builders import (
    line,
    make_access_point,
    make_facility,
    make_link,
    make_site,
    patch,
    point_in,
    post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventory(one_frame):
    """Sites of three operators in two kecamatan, a link, access points and facilities."""
    sites = {
        "TSEL-1": make_site("TSEL-1", "64.08.11.2001", technologies=["2G", "4G"]),
        "TSEL-2": make_site("TSEL-2", "64.08.04.2012", status="down"),
        "ISAT-1": make_site(
            "ISAT-1",
            "64.08.11.2002",
            operator="indosat",
            technologies=["4G", "5G"],
            programme="bakti",
        ),
        "XL-1": make_site("XL-1", "64.08.04.2012", operator="xl", technologies=["3G"]),
    }
    a, b = sites["TSEL-1"], sites["ISAT-1"]
    make_link("MW-1", line((a.lon, a.lat), (b.lon, b.lat)), endpoint_a=a, endpoint_b=b)
    make_link("FO-1", line((117.5, 0.5), (117.5, 0.6)), kind="fiber_route", status="planned")
    make_access_point("AP-1", "64.08.11.2001")
    make_access_point("AP-2", "64.08.04.2012", kind="public_wifi", status="down")
    make_facility("F-1", "64.08.11.2001")
    make_facility("F-2", "64.08.11.2002", connected="no", connection_kind="none")
    return sites


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["ISAT-1", "TSEL-1", "TSEL-2", "XL-1"]),
        ({"operator": "telkomsel"}, ["TSEL-1", "TSEL-2"]),
        ({"status": "down"}, ["TSEL-2"]),
        ({"kecamatan": "64.08.11"}, ["ISAT-1", "TSEL-1"]),
        ({"village": "64.08.04.2012"}, ["TSEL-2", "XL-1"]),
        ({"technology": "4G"}, ["ISAT-1", "TSEL-1", "TSEL-2"]),
        ({"technology": "5G"}, ["ISAT-1"]),
        ({"programme": "bakti"}, ["ISAT-1"]),
        ({"operator": "telkomsel", "kecamatan": "64.08.04"}, ["TSEL-2"]),
        ({"q": "xl-"}, ["XL-1"]),
    ],
)
def test_site_list_filters(inventory, client, params, expected):
    assert codes(client.get("/api/inventory/sites", params)) == expected


def test_other_lists_filter_by_kind_status_and_place(inventory, client):
    assert codes(client.get("/api/inventory/links", {"kind": "fiber_route"})) == ["FO-1"]
    assert codes(client.get("/api/inventory/links", {"site": "ISAT-1"})) == ["MW-1"]
    assert codes(client.get("/api/inventory/links", {"kecamatan": "64.08.11"})) == ["MW-1"]
    assert codes(client.get("/api/inventory/links", {"village": "64.08.04.2012"})) == ["FO-1"]
    assert codes(client.get("/api/inventory/access-points", {"status": "down"})) == ["AP-2"]
    assert codes(client.get("/api/inventory/access-points", {"kecamatan": "64.08.11"})) == ["AP-1"]
    assert codes(client.get("/api/inventory/access-points", {"kind": "public_wifi"})) == ["AP-2"]
    assert codes(client.get("/api/inventory/facilities", {"connected": "no"})) == ["F-2"]
    assert codes(client.get("/api/inventory/facilities", {"village": "64.08.11.2001"})) == ["F-1"]
    assert codes(client.get("/api/inventory/facilities", {"kind": "puskesmas"})) == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/inventory/sites?operator=vodafone",
        "/api/inventory/sites?technology=6G",
        "/api/inventory/links?kind=carrier_pigeon",
        "/api/inventory/access-points?status=sleeping",
        "/api/inventory/facilities?connected=maybe",
        "/api/inventory/sites.geojson?status=sleeping",
    ],
)
def test_an_unknown_filter_value_is_a_422_in_the_shared_error_format(inventory, client, url):
    r = client.get(url)
    assert r.status_code == 422
    assert set(r.json()["error"]) == {"code", "message", "details"}


def test_lists_are_paginated_with_the_project_scheme(inventory, client):
    body = client.get("/api/inventory/sites", {"limit": 2}).json()
    assert body["count"] == 4 and len(body["results"]) == 2 and body["next"]
    assert body["previous"] is None


def test_site_detail_has_sectors_history_and_provenance(inventory, client, make_user):
    client.force_login(make_user("planner"))
    body = {"sectors": [{"azimuth_deg": 240}, {"azimuth_deg": 0, "electrical_tilt_deg": 4}]}
    assert patch(client, "/api/inventory/sites/TSEL-1", body).status_code == 200
    detail = client.get("/api/inventory/sites/TSEL-1").json()
    assert [s["azimuth_deg"] for s in detail["sectors"]] == [0, 240]
    assert detail["status_history"][0]["to_status"] == "on_air"
    assert detail["provenance"]["quality"] == "measured"
    assert detail["village"]["kecamatan"]["code"] == "64.08.11"
    assert client.get("/api/inventory/sites/NOPE").status_code == 404


def test_creating_a_site_outside_the_regency_says_why(kutim, client, make_user):
    client.force_login(make_user("network_operator"))
    body = {
        "code": "XL-SEA",
        "name": "At sea",
        "operator": "xl",
        "lat": -0.5854,
        "lon": 117.4807,
        "source": "operator list",
    }
    r = post(client, "/api/inventory/sites", body)
    assert r.status_code == 422
    (detail,) = r.json()["error"]["details"]
    assert detail["field"] == "lat" and "outside Kabupaten Kutai Timur" in detail["message"]
    assert not Site.objects.filter(code="XL-SEA").exists()


def test_creating_a_site_records_its_first_status_and_refuses_a_duplicate_code(
    kutim, client, make_user
):
    user = make_user("planner")
    client.force_login(user)
    lat, lon = point_in("64.08.11.2007")
    body = {
        "code": "BAKTI-TM-01",
        "name": "Tanjung Mangkaliat",
        "operator": "telkomsel",
        "programme": "bakti",
        "lat": lat,
        "lon": lon,
        "technologies": ["4G"],
        "bands_mhz": [900],
        "sectors": [{"azimuth_deg": 0}, {"azimuth_deg": 120}, {"azimuth_deg": 240}],
        "status": "building",
        "source": "BAKTI 4G list",
        "as_of": "2025-03-01",
    }
    r = post(client, "/api/inventory/sites", body)
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["village"]["code"] == "64.08.11.2007"
    assert len(created["sectors"]) == 3
    (first,) = created["status_history"]
    assert (first["from_status"], first["to_status"], first["changed_on"]) == (
        "",
        "building",
        "2025-03-01",
    )
    assert first["changed_by"] == user.username
    r = post(client, "/api/inventory/sites", body)
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"


def test_an_omni_site_with_sectors_is_refused(kutim, client, make_user):
    client.force_login(make_user("planner"))
    lat, lon = point_in("64.08.11.2001")
    body = {
        "code": "O-1",
        "name": "Omni",
        "operator": "xl",
        "lat": lat,
        "lon": lon,
        "omni": True,
        "sectors": [{"azimuth_deg": 10}],
        "source": "operator list",
    }
    r = post(client, "/api/inventory/sites", body)
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["field"] == "sectors"


def test_a_site_status_changes_only_through_its_endpoint(inventory, client, make_user):
    user = make_user("network_operator")
    client.force_login(user)
    r = patch(client, "/api/inventory/sites/TSEL-1", {"status": "down"})
    assert r.status_code == 422  # unknown field for a PATCH: refused, not ignored
    assert Site.objects.get(code="TSEL-1").status == "on_air"
    r = post(
        client,
        "/api/inventory/sites/TSEL-1/status",
        {"status": "degraded", "changed_on": "2025-08-01", "note": "one sector down"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["change"] == {
        **r.json()["change"],
        "from_status": "on_air",
        "to_status": "degraded",
        "changed_on": "2025-08-01",
        "note": "one sector down",
        "changed_by": user.username,
    }
    assert Site.objects.get(code="TSEL-1").status == "degraded"
    r = post(client, "/api/inventory/sites/TSEL-1/status", {"status": "degraded"})
    assert r.status_code == 409
    r = post(client, "/api/inventory/sites/TSEL-1/status", {"status": "planned"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "status"
    r = post(
        client, "/api/inventory/sites/TSEL-1/status", {"status": "down", "changed_on": "2025-07-01"}
    )
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "changed_on"
    history = client.get("/api/inventory/sites/TSEL-1").json()["status_history"]
    assert [h["to_status"] for h in history] == ["on_air", "degraded"]


def test_a_link_is_created_between_sites_with_a_computed_length(inventory, client, make_user):
    client.force_login(make_user("admin"))
    a, b = inventory["TSEL-2"], inventory["XL-1"]
    body = {
        "code": "MW-2",
        "kind": "microwave_hop",
        "geometry": line((a.lon, a.lat), (b.lon + 0.01, b.lat + 0.01)),
        "endpoint_a": "TSEL-2",
        "endpoint_b": "XL-1",
        "capacity_mbps": 400,
        "source": "operator",
    }
    r = post(client, "/api/inventory/links", body)
    assert r.status_code == 201, r.content
    assert r.json()["length_km"] == pytest.approx(1.57, abs=0.01)
    r = post(client, "/api/inventory/links", {**body, "code": "MW-3", "endpoint_b": "NOPE"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "endpoint_b"
    r = patch(client, "/api/inventory/links/MW-2", {"geometry": line((117.5, 0.5), (117.5, 0.6))})
    assert r.status_code == 422  # the end sites no longer stand at the ends of the line
    r = patch(
        client,
        "/api/inventory/links/MW-2",
        {"geometry": line((117.5, 0.5), (117.5, 0.6)), "endpoint_a": None, "endpoint_b": None},
    )
    assert r.status_code == 200 and r.json()["length_km"] == pytest.approx(11.057, abs=0.002)


def test_moving_an_access_point_by_patch_moves_its_village(inventory, client, make_user):
    client.force_login(make_user("network_operator"))
    lat, lon = point_in("64.08.12.2003")
    r = patch(client, "/api/inventory/access-points/AP-1", {"lat": lat, "lon": lon})
    assert r.status_code == 200 and r.json()["village"]["code"] == "64.08.12.2003"
    r = patch(client, "/api/inventory/facilities/F-2", {"connected": "yes"})
    assert r.status_code == 422  # still "none": a connected facility needs a connection
    r = patch(
        client, "/api/inventory/facilities/F-2", {"connected": "yes", "connection_kind": "vsat"}
    )
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("layer", "geometry_type", "n"),
    [
        ("sites", "Point", 4),
        ("links", "LineString", 2),
        ("access-points", "Point", 2),
        ("facilities", "Point", 2),
    ],
)
def test_geojson_layers_are_valid_feature_collections(inventory, client, layer, geometry_type, n):
    r = client.get(f"/api/inventory/{layer}.geojson")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/geo+json")
    body = r.json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == n
    for feature in body["features"]:
        assert feature["type"] == "Feature" and feature["id"] == feature["properties"]["code"]
        geom = shape(feature["geometry"])
        assert geom.geom_type == geometry_type and geom.is_valid
        lon, lat = geom.coords[0][:2]
        assert 115.9 < lon < 119.1 and 0 < lat < 1.9  # [lon, lat] order, inside Kutai Timur


def test_geojson_sites_carry_the_operator_colour_and_filter_like_the_list(inventory, client):
    body = client.get("/api/inventory/sites.geojson", {"operator": "telkomsel"}).json()
    assert {f["properties"]["code"] for f in body["features"]} == {"TSEL-1", "TSEL-2"}
    assert {f["properties"]["colour"] for f in body["features"]} == {"#d32f2f"}
    statuses = {f["properties"]["code"]: f["properties"]["status"] for f in body["features"]}
    assert statuses == {"TSEL-1": "on_air", "TSEL-2": "down"}


def test_the_openapi_schema_documents_the_inventory_routes(kutim, client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in [
        "/api/inventory/sites",
        "/api/inventory/sites/{code}",
        "/api/inventory/sites/{code}/status",
        "/api/inventory/links/{code}",
        "/api/inventory/access-points/{code}",
        "/api/inventory/facilities/{code}",
    ]:
        assert path in paths, path
    assert "patch" in paths["/api/inventory/sites/{code}"]
