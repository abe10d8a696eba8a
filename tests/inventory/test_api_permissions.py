"""Who may write the inventory: admin, planner and network operator; nobody else."""

from __future__ import annotations

import pytest

from jangkau.inventory.models import AccessPoint, Facility, Link, Site, SiteStatusChange

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

ROLES = [
    (None, (), 401),  # anonymous
    ("viewer", (), 403),
    ("opd_operator", (), 403),
    ("village_operator", ("64.08.11.2001",), 403),  # even for their own village
    ("network_operator", (), None),
    ("planner", (), None),
    ("admin", (), None),
]


def _login(client, make_user, role, villages):
    if role is not None:
        client.force_login(make_user(role, villages=villages))


def _bodies():
    lat, lon = point_in("64.08.11.2001")
    lat2, lon2 = point_in("64.08.11.2002")
    provenance = {"source": "Diskominfo Kutim field survey", "as_of": "2025-06-01"}
    return {
        "/api/inventory/sites": (
            Site,
            {
                "code": "TSEL-SDR-01",
                "name": "Sandaran",
                "operator": "telkomsel",
                "lat": lat,
                "lon": lon,
                "technologies": ["4G"],
                "status": "on_air",
                **provenance,
            },
        ),
        "/api/inventory/links": (
            Link,
            {
                "code": "MW-SDR-01",
                "kind": "microwave_hop",
                "geometry": {"type": "LineString", "coordinates": [[lon, lat], [lon2, lat2]]},
                **provenance,
            },
        ),
        "/api/inventory/access-points": (
            AccessPoint,
            {
                "code": "AI-SDR-01",
                "kind": "bakti_ai",
                "provider": "BAKTI",
                "lat": lat,
                "lon": lon,
                **provenance,
            },
        ),
        "/api/inventory/facilities": (
            Facility,
            {
                "code": "30400001",
                "kind": "sd",
                "name": "SDN 001 Sandaran",
                "lat": lat,
                "lon": lon,
                "connected": "no",
                "connection_kind": "none",
                **provenance,
            },
        ),
    }


@pytest.mark.parametrize(("role", "villages", "refused"), ROLES)
def test_creating_inventory_is_allowed_exactly_for_the_right_roles(
    kutim, client, make_user, role, villages, refused
):
    _login(client, make_user, role, villages)
    for url, (model, body) in _bodies().items():
        before = model.objects.count()
        r = post(client, url, body)
        assert r.status_code == (refused or 201), (url, r.content)
        assert model.objects.count() == before + (refused is None)
        if refused:
            assert set(r.json()["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize(("role", "villages", "refused"), ROLES)
def test_updating_inventory_is_allowed_exactly_for_the_right_roles(
    one_frame, client, make_user, role, villages, refused
):
    site = make_site("S-UPD", "64.08.11.2001")
    make_access_point("AP-UPD", "64.08.11.2001")
    make_facility("F-UPD", "64.08.11.2001")
    make_link("L-UPD", line((117.5, 0.5), (117.5, 0.6)))
    _login(client, make_user, role, villages)
    changes = [
        ("/api/inventory/sites/S-UPD", {"name": "Renamed"}, Site, "S-UPD"),
        ("/api/inventory/access-points/AP-UPD", {"name": "Renamed"}, AccessPoint, "AP-UPD"),
        ("/api/inventory/facilities/F-UPD", {"name": "Renamed"}, Facility, "F-UPD"),
        ("/api/inventory/links/L-UPD", {"name": "Renamed"}, Link, "L-UPD"),
    ]
    for url, body, model, code in changes:
        r = patch(client, url, body)
        assert r.status_code == (refused or 200), (url, r.content)
        assert (model.objects.get(code=code).name == "Renamed") is (refused is None)
    r = post(client, "/api/inventory/sites/S-UPD/status", {"status": "down", "note": "no power"})
    assert r.status_code == (refused or 201), r.content
    assert SiteStatusChange.objects.filter(site=site).count() == 1 + (refused is None)
