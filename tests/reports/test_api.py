"""The reports API: public filing with the form's rules, public state by reference."""

from __future__ import annotations

import json
import logging

import pytest

from jangkau.reports.models import CitizenReport

from .conftest import BERAU_LAT, BERAU_LON, SANDARAN, SANDARAN_LAT, SANDARAN_LON

pytestmark = pytest.mark.django_db

REPORT = {
    "latitude": SANDARAN_LAT,
    "longitude": SANDARAN_LON,
    "location_method": "gps",
    "operator": "indosat",
    "answer": "calls_only",
    "latency_ms": 850,
    "note": "only SMS in the evening",
}


def post(client, body, **extra):
    return client.post("/api/reports/", json.dumps(body), content_type="application/json", **extra)


def test_anyone_can_file_a_report_and_gets_its_reference(kutim, client):
    r = post(client, REPORT)
    assert r.status_code == 201
    body = r.json()
    report = CitizenReport.objects.get()
    assert body == {
        "reference": report.reference,
        "state": "pending",
        "village": {"code": SANDARAN, "name": "Sandaran", "kecamatan": "Sandaran"},
        "check_url": f"/lapor/cek/{report.reference}/",
    }
    assert (report.channel, report.location_method, report.answer) == ("api", "gps", "calls_only")


def test_the_state_by_reference_shows_no_personal_data(kutim, client):
    reference = post(client, REPORT).json()["reference"]
    body = client.get(f"/api/reports/{reference}").json()
    assert set(body) == {"reference", "state", "village", "observed_on", "decided_at"}
    assert body["state"] == "pending" and body["decided_at"] is None
    assert client.get(f"/api/reports/{reference.lower()}").json()["reference"] == reference
    missing = client.get("/api/reports/ZZZZZZZZ")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"latitude": BERAU_LAT, "longitude": BERAU_LON}, "payload"),
        ({"note": "x" * 501}, "note"),
        ({"download_mbps": 3001}, "download_mbps"),
        ({"latency_ms": -5}, "latency_ms"),
        ({"answer": "maybe"}, "answer"),
        ({"latitude": 95}, "latitude"),
    ],
)
def test_invalid_reports_are_refused_in_the_api_error_format(kutim, client, change, field):
    r = post(client, {**REPORT, **change})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid"
    assert [d["field"] for d in error["details"]] == [
        field if field == "payload" else f"payload.{field}"
    ]
    if change.get("latitude") == BERAU_LAT:
        assert "is outside Kabupaten Kutai Timur" in error["details"][0]["message"]
    assert not CitizenReport.objects.exists()


def test_an_oversized_body_is_refused_with_413(kutim, client):
    r = post(client, {**REPORT, "note": "x" * 20_000})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_the_honeypot_works_in_the_api_too(kutim, client, caplog):
    with caplog.at_level(logging.WARNING, logger="jangkau.reports"):
        r = post(client, {**REPORT, "website": "buy now"})
    assert r.status_code == 201 and len(r.json()["reference"]) == 8
    assert not CitizenReport.objects.exists()
    assert any("honeypot" in rec.getMessage() for rec in caplog.records)


def test_the_locate_endpoint_names_the_village(kutim, client):
    r = client.get("/api/reports/locate", {"latitude": SANDARAN_LAT, "longitude": SANDARAN_LON})
    assert r.json() == {"code": SANDARAN, "name": "Sandaran", "kecamatan": "Sandaran"}
    r = client.get("/api/reports/locate", {"latitude": BERAU_LAT, "longitude": BERAU_LON})
    assert r.status_code == 422


def test_moderators_list_pending_reports_with_their_details(kutim, client, make_user):
    reference = post(client, REPORT).json()["reference"]
    client.force_login(make_user("village_operator", villages=(SANDARAN,)))
    body = client.get("/api/reports/", {"state": "pending"}).json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["reference"] == reference and item["note"] == "only SMS in the evening"
    assert item["status_if_approved"] == "2g_3g_only"
    assert client.get("/api/reports/", {"state": "approved"}).json()["count"] == 0
