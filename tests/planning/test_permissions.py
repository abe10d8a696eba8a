"""Who may see plans, create and run scenarios, and edit costs: per role, pages and API."""

from __future__ import annotations

import json

import pytest

from jangkau.planning.models import CostTable, Scenario

pytestmark = pytest.mark.django_db

#: role -> (may view, may run, may edit costs)
ROLES = {
    None: (False, False, False),
    "no_role": (False, False, False),
    "viewer": (True, False, False),
    "village_operator": (True, False, False),
    "opd_operator": (True, False, False),
    "network_operator": (True, False, False),
    "planner": (True, True, True),
    "admin": (True, True, True),
}


def _login(client, make_user, role):
    if role is None:
        return None
    user = make_user(None if role == "no_role" else role, username=f"u-{role}")
    client.force_login(user)
    return user


def _expect(response, role, allowed: bool, ok=200):
    if role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif not allowed:
        assert response.status_code == 403
    else:
        assert response.status_code == ok, response.content.decode()[:500]


@pytest.mark.parametrize("role", list(ROLES))
def test_pages_by_role(client, make_user, solved, role):
    _login(client, make_user, role)
    may_view, may_run, may_edit = ROLES[role]
    result = solved.latest_result()
    for url in (
        "/rencana/",
        f"/rencana/{solved.pk}/",
        f"/rencana/hasil/{result.pk}/rencana.csv",
        f"/rencana/hasil/{result.pk}/laporan/",
        "/rencana/biaya/",
    ):
        _expect(client.get(url), role, may_view)
    _expect(client.get("/rencana/baru/"), role, may_run)
    _expect(client.get(f"/rencana/{solved.pk}/ubah/"), role, may_run)
    _expect(client.get("/rencana/biaya/1/ubah/"), role, may_edit)
    before = solved.results.count()
    _expect(client.post(f"/rencana/{solved.pk}/jalankan/"), role, may_run, ok=302)
    assert solved.results.count() == before + (2 if may_run else 0)


@pytest.mark.parametrize("role", list(ROLES))
def test_api_by_role(client, make_user, solved, role):
    _login(client, make_user, role)
    may_view, may_run, _ = ROLES[role]
    response = client.get("/api/planning/scenarios")
    if role is None:
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"
    else:
        assert response.status_code == (200 if may_view else 403)
    response = client.post(
        "/api/planning/scenarios",
        data=json.dumps({"name": "lewat API", "budgets": 5_000_000_000}),
        content_type="application/json",
    )
    expected = 401 if role is None else (201 if may_run else 403)
    assert response.status_code == expected, response.content
    assert Scenario.objects.filter(name="lewat API").exists() == may_run
    response = client.post(f"/api/planning/scenarios/{solved.pk}/run")
    assert response.status_code == (401 if role is None else (202 if may_run else 403))


def test_a_viewer_sees_no_buttons_to_change_anything(client, make_user, solved):
    _login(client, make_user, "viewer")
    page = client.get(f"/rencana/{solved.pk}/").content.decode()
    assert 'id="run-scenario"' not in page and "/ubah/" not in page
    assert 'id="make-pdf"' not in page
    listing = client.get("/rencana/biaya/").content.decode()
    assert "/rencana/biaya/1/ubah/" not in listing
    assert CostTable.objects.count() == 1
