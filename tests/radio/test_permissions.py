"""Who may compute coverage and propose sites: per role, on the API and on the pages."""

from __future__ import annotations

import json

import pytest

from jangkau.radio.models import CoverageRun, ProposedSite

from .conftest import MASALAP_RAYA, point_in

pytestmark = pytest.mark.django_db

#: role -> (may run, may propose)
ROLES = {
    None: (False, False),
    "viewer": (False, False),
    "village_operator": (False, False),
    "network_operator": (False, True),
    "planner": (True, True),
    "admin": (True, True),
}


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _login(client, make_user, role):
    if role is not None:
        user = make_user(role, villages=(MASALAP_RAYA,) if role == "village_operator" else ())
        client.force_login(user)
        return user
    return None


@pytest.mark.parametrize("role", list(ROLES))
def test_starting_a_run_through_the_api(client, make_user, kutim, data_dir, role):
    _login(client, make_user, role)
    response = _post(client, "/api/coverage/runs", {"resolution_m": 2000})
    may_run, _ = ROLES[role]
    if role is None:
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"
    elif not may_run:
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
    else:
        assert response.status_code == 202, response.content
    assert CoverageRun.objects.exists() == may_run


@pytest.mark.parametrize("role", list(ROLES))
def test_starting_a_run_from_the_page(client, make_user, kutim, data_dir, role):
    _login(client, make_user, role)
    response = client.post("/cakupan/hitung/", {"resolution_m": "2000"})
    may_run, _ = ROLES[role]
    if role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif not may_run:
        assert response.status_code == 403
    else:
        assert response.status_code == 302 and response["Location"] == "/cakupan/"
    assert CoverageRun.objects.exists() == may_run


@pytest.mark.parametrize("role", list(ROLES))
def test_proposing_a_site_through_the_api(client, make_user, kutim, role):
    _login(client, make_user, role)
    lat, lon = point_in(MASALAP_RAYA)
    response = _post(
        client, "/api/coverage/proposed-sites", {"name": "Masalap", "lat": lat, "lon": lon}
    )
    _, may_propose = ROLES[role]
    expected = 401 if role is None else 201 if may_propose else 403
    assert response.status_code == expected, response.content
    assert ProposedSite.objects.exists() == may_propose


@pytest.mark.parametrize("role", list(ROLES))
def test_proposing_a_site_from_the_page(client, make_user, kutim, data_dir, role):
    _login(client, make_user, role)
    lat, lon = point_in(MASALAP_RAYA)
    response = client.post(
        "/cakupan/usulan/",
        {
            "name": "Masalap",
            "lat": lat,
            "lon": lon,
            "antenna_height_m": 30,
            "freq_mhz": 900,
            "eirp_dbm": 58,
            "operator": "",
            "beamwidth": 65,
            "downtilt": 2,
            "sector_azimuths": "",
        },
    )
    _, may_propose = ROLES[role]
    if role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif not may_propose:
        assert response.status_code == 403
    else:
        site = ProposedSite.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/cakupan/usulan/{site.pk}/"
    assert ProposedSite.objects.exists() == may_propose


def test_only_the_proposer_or_a_planner_edits_and_only_a_planner_decides(client, make_user, kutim):
    lat, lon = point_in(MASALAP_RAYA)
    proposer = make_user("network_operator", "proposer")
    other = make_user("network_operator", "other-operator")
    planner = make_user("planner")
    site = ProposedSite.objects.create(name="Masalap", lat=lat, lon=lon, created_by=proposer)
    url = f"/api/coverage/proposed-sites/{site.pk}"

    def patch(user, body):
        client.force_login(user)
        return client.patch(url, data=json.dumps(body), content_type="application/json")

    assert patch(proposer, {"antenna_height_m": 45}).status_code == 200
    assert patch(other, {"notes": "mine now"}).status_code == 403
    assert patch(proposer, {"status": "accepted"}).status_code == 403
    assert patch(planner, {"status": "accepted", "notes": "in the 2026 budget"}).status_code == 200
    site.refresh_from_db()
    assert (site.antenna_height_m, site.status, site.notes) == (
        45,
        "accepted",
        "in the 2026 budget",
    )
    client.force_login(proposer)
    assert (
        client.post(f"/cakupan/usulan/{site.pk}/keputusan/", {"status": "rejected"}).status_code
        == 403
    )
    client.force_login(planner)
    assert (
        client.post(f"/cakupan/usulan/{site.pk}/keputusan/", {"status": "rejected"}).status_code
        == 302
    )
    site.refresh_from_db()
    assert site.status == "rejected"


def test_proposed_sites_are_not_public(client, kutim):
    assert client.get("/api/coverage/proposed-sites").status_code == 401
    assert client.get("/cakupan/usulan/1/").status_code == 302
