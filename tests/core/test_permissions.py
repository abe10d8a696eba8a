"""Each role can and cannot do what it should; every write goes through one check."""

from __future__ import annotations

import json

import pytest

from jangkau.core.permissions import RULES, can

pytestmark = pytest.mark.django_db

EVIDENCE = {
    "key": "test-speedtest-1",
    "village": "64.08.11.2001",
    "kind": "speedtest",
    "status": "4g_good",
    "operator": "telkomsel",
    "as_of": "2026-10-01",
    "source": "field team speed test",
}
POPULATION = {
    "year": 2025,
    "value": 2100,
    "source": "Disdukcapil Kutim 2025",
    "quality": "official",
}


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("role", "villages", "evidence_code", "population_code"),
    [
        (None, (), 401, 401),  # anonymous
        ("viewer", (), 403, 403),
        ("village_operator", ("64.08.05.2001",), 403, 403),  # operator of another village
        ("village_operator", ("64.08.11.2001",), 201, 403),  # operator of this village
        ("network_operator", (), 201, 403),
        ("planner", (), 201, 201),
        ("admin", (), 201, 201),
    ],
)
def test_writes_are_allowed_exactly_for_the_right_roles(
    kutim, client, make_user, role, villages, evidence_code, population_code
):
    from jangkau.evidence.models import Evidence
    from jangkau.regions.models import PopulationFigure

    if role is not None:
        client.force_login(make_user(role, villages=villages))
    n_evidence = Evidence.objects.count()
    n_population = PopulationFigure.objects.count()
    r = post(client, "/api/evidence", EVIDENCE)
    assert r.status_code == evidence_code, r.content
    r = post(client, "/api/regions/villages/64.08.11.2001/population", POPULATION)
    assert r.status_code == population_code, r.content
    assert Evidence.objects.count() == n_evidence + (evidence_code == 201)
    assert PopulationFigure.objects.count() == n_population + (population_code == 201)
    if population_code >= 400 and population_code != 401:
        assert r.json()["error"]["code"] == "forbidden"


def test_new_evidence_recomputes_the_village_status_through_the_task(kutim, client, make_user):
    from jangkau.core.models import TaskProgress
    from jangkau.evidence.models import VillageStatus, VillageStatusChange

    client.force_login(make_user("network_operator"))
    r = post(client, "/api/evidence", EVIDENCE)
    assert r.status_code == 201
    progress = TaskProgress.objects.get(pk=r.json()["recompute_progress_id"])
    assert progress.state == "done"
    status = VillageStatus.objects.get(village__code="64.08.11.2001", operator="")
    assert status.status == "4g_good"
    assert "test-speedtest-1" in status.decided_by
    assert VillageStatusChange.objects.filter(
        village__code="64.08.11.2001", previous_status="no_signal", status="4g_good"
    ).exists()
    # Sending it again changes nothing.
    r = post(client, "/api/evidence", EVIDENCE)
    assert r.status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"village": "64.08.99.9999"}, "does not exist"),
        ({"as_of": "2999-01-01"}, "in the future"),
        ({"status": "5g_magic"}, ""),
        ({"kind": "citizen_report"}, "moderation"),
    ],
)
def test_bad_evidence_is_refused_with_a_specific_error(kutim, client, make_user, change, message):
    from jangkau.evidence.models import Evidence

    client.force_login(make_user("planner"))
    n = Evidence.objects.count()
    r = post(client, "/api/evidence", {**EVIDENCE, **change})
    assert r.status_code == 422
    body = r.json()["error"]
    assert message in body["message"] or any(message in d["message"] for d in body["details"])
    assert Evidence.objects.count() == n


def test_every_action_in_the_rules_is_known_and_unknown_actions_fail_loudly(make_user):
    admin = make_user("admin")
    assert all(can(admin, action) for action in RULES)
    with pytest.raises(KeyError):
        can(admin, "regions.destroy_everything")


def test_inactive_users_hold_no_role(make_user):
    user = make_user("planner")
    user.is_active = False
    user.save()
    assert not can(user, "regions.import")
