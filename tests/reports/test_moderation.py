"""Moderation: who may decide, what a decision does to the evidence and the village status."""

from __future__ import annotations

import json

import pytest

from jangkau.evidence.models import Evidence, VillageStatus, VillageStatusChange
from jangkau.reports.models import CitizenReport, ModerationDecision

from .conftest import SANDARAN

pytestmark = pytest.mark.django_db

PERSONAS = [
    # role, villages, page status, API status
    (None, (), 302, 401),  # anonymous: to the login page / 401
    ("viewer", (), 403, 403),
    ("village_operator", ("64.08.05.2001",), 403, 403),  # operator of another village
    ("village_operator", (SANDARAN,), 302, 201),  # operator of this village
    ("planner", (), 302, 201),
    ("admin", (), 302, 201),
]


def overall_status(code: str = SANDARAN) -> str:
    return VillageStatus.objects.get(village__code=code, operator="").status


@pytest.mark.parametrize(("role", "villages", "page_code", "api_code"), PERSONAS)
def test_only_the_right_roles_can_approve_on_the_page(
    file_report, client, make_user, role, villages, page_code, api_code
):
    report = file_report()
    if role is not None:
        client.force_login(make_user(role, villages=villages))
    r = client.post(f"/lapor/moderasi/{report.reference}/", {"decision": "approve"})
    assert r.status_code == page_code
    if role is None:
        assert r["Location"].startswith("/accounts/login/")
    report.refresh_from_db()
    allowed = page_code == 302 and role is not None
    assert report.state == ("approved" if allowed else "pending")
    assert Evidence.objects.filter(key=report.evidence_key).exists() == allowed


@pytest.mark.parametrize(("role", "villages", "page_code", "api_code"), PERSONAS)
def test_only_the_right_roles_can_decide_through_the_api(
    file_report, client, make_user, role, villages, page_code, api_code
):
    report = file_report()
    if role is not None:
        client.force_login(make_user(role, villages=villages))
    r = client.post(
        f"/api/reports/{report.reference}/decisions",
        json.dumps({"decision": "reject", "reason": "duplicate"}),
        content_type="application/json",
    )
    assert r.status_code == api_code, r.content
    if api_code >= 400:
        assert set(r.json()["error"]) == {"code", "message", "details"}
    report.refresh_from_db()
    assert report.state == ("rejected" if api_code == 201 else "pending")


@pytest.mark.parametrize(
    ("role", "villages", "status", "sees_it"),
    [
        (None, (), 302, False),
        ("viewer", (), 403, False),
        ("network_operator", (), 403, False),
        ("village_operator", ("64.08.05.2001",), 200, False),
        ("village_operator", (SANDARAN,), 200, True),
        ("planner", (), 200, True),
    ],
)
def test_the_queue_lists_only_reports_the_user_may_moderate(
    file_report, client, make_user, role, villages, status, sees_it
):
    report = file_report()
    if role is not None:
        client.force_login(make_user(role, villages=villages))
    r = client.get("/lapor/moderasi/")
    assert r.status_code == status
    assert (report.reference in r.content.decode()) == sees_it
    api = client.get("/api/reports/")
    if status == 200:
        references = [item["reference"] for item in api.json()["results"]]
        assert (report.reference in references) == sees_it
    else:
        assert api.status_code in (401, 403)


def test_approving_makes_evidence_and_recomputes_the_village_status(file_report, client, make_user):
    assert overall_status() == "no_signal"  # the 2021-22 blank-spot list
    report = file_report()
    planner = make_user("planner")
    client.force_login(planner)
    r = client.post(
        f"/api/reports/{report.reference}/decisions",
        json.dumps({"decision": "approve"}),
        content_type="application/json",
    )
    assert r.status_code == 201
    body = r.json()
    assert body["state"] == "approved" and body["decision"]["moderator"] == planner.username
    evidence = Evidence.objects.get(key=f"citizen-report:{report.reference}")
    assert evidence.village.code == SANDARAN
    assert (evidence.kind, evidence.operator, evidence.status) == (
        "citizen_report",
        "telkomsel",
        "4g_good",
    )
    assert evidence.quality == "estimated"
    assert evidence.as_of == report.observed_on
    assert evidence.detail["download_mbps"] == 23.5 and "count" not in evidence.detail
    assert evidence.note == ""  # the reporter's note is not published with the evidence
    # The task ran (immediate backend in tests) and the status moved.
    assert overall_status() == "4g_good"
    telkomsel = VillageStatus.objects.get(village__code=SANDARAN, operator="telkomsel")
    assert telkomsel.status == "4g_good" and evidence.key in telkomsel.decided_by
    assert VillageStatusChange.objects.filter(
        village__code=SANDARAN, operator="", previous_status="no_signal", status="4g_good"
    ).exists()
    decision = ModerationDecision.objects.get(report=report)
    assert (decision.previous_state, decision.state, decision.moderator) == (
        "pending",
        "approved",
        planner,
    )


def test_rejecting_a_pending_report_makes_no_evidence(file_report, client, make_user):
    report = file_report()
    client.force_login(make_user("planner"))
    r = client.post(
        f"/lapor/moderasi/{report.reference}/", {"decision": "reject", "reason": "at sea"}
    )
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.state == "rejected"
    assert not Evidence.objects.filter(kind="citizen_report").exists()
    assert overall_status() == "no_signal"
    assert ModerationDecision.objects.get(report=report).reason == "at sea"


def test_a_rejection_needs_a_reason(file_report, client, make_user):
    report = file_report()
    client.force_login(make_user("planner"))
    r = client.post(f"/lapor/moderasi/{report.reference}/", {"decision": "reject"}, follow=True)
    assert "Say why the report is rejected." in r.content.decode()
    report.refresh_from_db()
    assert report.state == "pending" and not report.decisions.exists()


def test_rejecting_an_approved_report_removes_its_evidence_and_recomputes(
    file_report, client, make_user
):
    report = file_report()
    client.force_login(make_user("planner"))
    client.post(f"/lapor/moderasi/{report.reference}/", {"decision": "approve"})
    assert overall_status() == "4g_good"
    client.post(
        f"/lapor/moderasi/{report.reference}/", {"decision": "reject", "reason": "duplicate"}
    )
    report.refresh_from_db()
    assert report.state == "rejected"
    assert not Evidence.objects.filter(key=report.evidence_key).exists()
    assert overall_status() == "no_signal"
    history = list(report.decisions.order_by("decided_at", "pk").values_list("state", flat=True))
    assert history == ["approved", "rejected"]


def test_deciding_the_same_thing_twice_is_refused_and_recorded_once(file_report, client, make_user):
    report = file_report()
    client.force_login(make_user("planner"))
    url = f"/api/reports/{report.reference}/decisions"
    body = json.dumps({"decision": "approve"})
    assert client.post(url, body, content_type="application/json").status_code == 201
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert report.decisions.count() == 1


def test_a_stale_decision_loses_to_the_one_that_came_first(file_report, make_user):
    from jangkau.reports.services import DecisionRefused, decide

    report = file_report()
    stale = CitizenReport.objects.select_related("village").get(pk=report.pk)
    decide(report, make_user("planner", "first"), "approve")
    with pytest.raises(DecisionRefused):
        decide(stale, make_user("planner", "second"), "reject", "late")  # still thinks pending
    assert list(report.decisions.values_list("moderator__username", flat=True)) == ["first"]


def test_htmx_gets_the_decided_report_back_as_a_fragment(file_report, client, make_user):
    report = file_report()
    client.force_login(make_user("planner"))
    r = client.post(
        f"/lapor/moderasi/{report.reference}/", {"decision": "approve"}, HTTP_HX_REQUEST="true"
    )
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html
    assert f'id="report-{report.reference}"' in html and 'data-state="approved"' in html
    assert 'data-action="reject"' in html and 'data-action="approve"' not in html


def test_notes_are_escaped_wherever_they_are_shown(file_report, client, make_user):
    note = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    report = file_report(note=note)
    assert report.note == note  # stored as typed, escaped on output
    client.force_login(make_user("planner"))
    html = client.get("/lapor/moderasi/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x" in html
    assert "<script>alert(" not in html and "<img src=x" not in html
    # The reporter's page shows no note at all.
    assert "alert" not in client.get(f"/lapor/cek/{report.reference}/").content.decode()


def test_the_queue_flags_a_sender_with_several_reports(file_report, client, make_user):
    file_report(address="10.0.0.5")
    file_report(address="10.0.0.5")
    file_report(address="10.0.0.6")
    client.force_login(make_user("planner"))
    html = client.get("/lapor/moderasi/").content.decode()
    assert html.count("2 reports from this sender in the last 7 days") == 2
