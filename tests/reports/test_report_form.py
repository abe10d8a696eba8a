"""The public report page: works without login or JavaScript, validates, protects itself."""

from __future__ import annotations

import logging

import pytest

from jangkau.reports.models import CitizenReport

from .conftest import BERAU_LAT, BERAU_LON, SANDARAN

pytestmark = pytest.mark.django_db


def test_the_page_is_public_and_works_without_javascript(kutim, client):
    r = client.get("/lapor/")
    assert r.status_code == 200
    html = r.content.decode()
    # The fallback: plain latitude/longitude fields and a submit button, no script needed.
    assert 'name="latitude"' in html and 'name="longitude"' in html
    assert 'name="answer" value="calls_only"' in html
    assert '<noscript><p><button type="submit" name="check"' in html
    # The honeypot is in the page, off screen, out of the tab order.
    assert 'class="trap" aria-hidden="true"' in html and 'name="website"' in html


def test_a_report_is_stored_pending_and_the_reporter_gets_a_reference(kutim, client, payload):
    r = client.post("/lapor/", payload)
    assert r.status_code == 302
    report = CitizenReport.objects.get()
    assert r["Location"] == f"/lapor/cek/{report.reference}/?baru=1"
    assert report.state == "pending"
    assert report.village.code == SANDARAN
    assert (report.operator, report.answer, report.location_method) == (
        "telkomsel",
        "good_internet",
        "map",
    )
    assert (report.download_mbps, report.upload_mbps, report.latency_ms) == (23.5, 8.0, 41.0)
    assert report.sender and "10." not in report.sender and "127.0.0.1" not in report.sender
    page = client.get(r["Location"]).content.decode()
    assert report.reference in page and 'data-state="pending"' in page
    assert "Thank you! Your report was received." in page


def test_a_decimal_comma_is_read_as_indonesians_type_it(kutim, client, payload):
    payload.update(latitude="0,944579", download_mbps="12,5")
    assert client.post("/lapor/", payload).status_code == 302
    assert CitizenReport.objects.get().download_mbps == 12.5


def test_a_place_outside_the_regency_is_refused_with_the_reason(kutim, client, payload):
    payload.update(latitude=str(BERAU_LAT), longitude=str(BERAU_LON))
    r = client.post("/lapor/", payload)
    assert r.status_code == 422
    assert "is outside Kabupaten Kutai Timur" in r.content.decode()
    assert not CitizenReport.objects.exists()


def test_check_location_shows_the_village_before_sending_and_stores_nothing(kutim, client, payload):
    r = client.post("/lapor/", {**payload, "check": "1", "answer": ""})
    assert r.status_code == 200
    html = r.content.decode()
    assert f'data-village-code="{SANDARAN}"' in html and "Desa Sandaran" in html
    assert "Good signal near the jetty.</textarea>" in html
    assert not CitizenReport.objects.exists()


def test_the_lookup_names_the_village_or_says_why_not(kutim, client):
    found = client.get("/lapor/desa/", {"latitude": "0.944579", "longitude": "118.782619"})
    assert f'data-village-code="{SANDARAN}"' in found.content.decode()
    outside = client.get("/lapor/desa/", {"latitude": BERAU_LAT, "longitude": BERAU_LON})
    assert "is outside Kabupaten Kutai Timur" in outside.content.decode()
    nonsense = client.get("/lapor/desa/", {"latitude": "abc", "longitude": "118.7"})
    assert "Latitude: Enter a number." in nonsense.content.decode()
    empty = client.get("/lapor/desa/")
    assert "data-location-empty" in empty.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("note", "x" * 501, "Ensure this value has at most 500 characters"),
        ("download_mbps", "3000.1", "less than or equal to 3000"),
        ("upload_mbps", "-1", "greater than or equal to 0"),
        ("latency_ms", "10001", "less than or equal to 10000"),
        ("download_mbps", "inf", "Enter a number."),
        ("latitude", "118.78", "less than or equal to 90"),  # latitude and longitude swapped
        ("answer", "great", "Select a valid choice."),
        ("operator", "bogus", "Select a valid choice."),
    ],
)
def test_values_out_of_range_are_refused(kutim, client, payload, field, value, message):
    payload[field] = value
    r = client.post("/lapor/", payload)
    assert r.status_code == 422
    assert message in r.content.decode()
    assert not CitizenReport.objects.exists()


def test_a_note_of_exactly_500_characters_is_accepted(kutim, client, payload):
    payload["note"] = "é" * 500
    assert client.post("/lapor/", payload).status_code == 302
    assert len(CitizenReport.objects.get().note) == 500


def test_an_oversized_body_is_refused_before_it_is_read(kutim, client, payload):
    payload["note"] = "x" * 20_000
    r = client.post("/lapor/", payload)
    assert r.status_code == 413
    assert "at most 16384 bytes" in r.content.decode()
    assert not CitizenReport.objects.exists()


def test_the_form_needs_its_csrf_token(kutim, payload):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    assert strict.post("/lapor/", payload).status_code == 403
    page = strict.get("/lapor/")
    token = page.cookies["csrftoken"].value
    r = strict.post("/lapor/", {**payload, "csrfmiddlewaretoken": token})
    assert r.status_code == 302
    assert CitizenReport.objects.count() == 1


def test_a_filled_honeypot_looks_accepted_but_is_not_stored_and_is_logged(
    kutim, client, payload, caplog
):
    payload["website"] = "http://spam.example"
    with caplog.at_level(logging.WARNING, logger="jangkau.reports"):
        r = client.post("/lapor/", payload)
    assert r.status_code == 302
    assert r["Location"].startswith("/lapor/cek/") and r["Location"].endswith("/?baru=1")
    assert not CitizenReport.objects.exists()
    assert any("honeypot" in rec.getMessage() for rec in caplog.records)


def test_reports_are_limited_per_client_per_hour(kutim, client, payload, settings):
    settings.JANGKAU_REPORTS_PER_CLIENT_PER_HOUR = 2
    settings.JANGKAU_RATELIMIT_WRITE_PER_HOUR = 1000  # the form's own limit, not the middleware's
    codes = [client.post("/lapor/", payload).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert CitizenReport.objects.count() == 2
    refused = client.post("/lapor/", payload)
    assert int(refused["Retry-After"]) > 0
    assert "You have sent many reports in the last hour" in refused.content.decode()
    # Another client is not affected; the API counts against the same limit.
    assert client.post("/lapor/", payload, REMOTE_ADDR="10.1.2.3").status_code == 302
    api = client.post(
        "/api/reports/",
        {"latitude": 0.944579, "longitude": 118.782619, "answer": "none"},
        content_type="application/json",
    )
    assert api.status_code == 429 and api.json()["error"]["code"] == "rate_limited"


def test_invalid_attempts_do_not_use_up_the_reporters_quota(kutim, client, payload, settings):
    settings.JANGKAU_REPORTS_PER_CLIENT_PER_HOUR = 1
    assert client.post("/lapor/", {**payload, "answer": ""}).status_code == 422
    assert client.post("/lapor/", payload).status_code == 302


def test_the_project_wide_limit_on_anonymous_writes_also_applies(kutim, client, payload, settings):
    settings.JANGKAU_RATELIMIT_WRITE_PER_HOUR = 1
    assert client.post("/lapor/", {**payload, "answer": ""}).status_code == 422
    assert client.post("/lapor/", payload).status_code == 429
    assert not CitizenReport.objects.exists()
