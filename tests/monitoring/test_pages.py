"""Pages, the gate map layer, the village card and the read API, with real stored data."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from jangkau.monitoring.models import ProbeResult
from jangkau.monitoring.services.cycle import run_cycle
from tests.monitoring.conftest import series

pytestmark = pytest.mark.django_db


@pytest.fixture
def monitored(agent_token, make_target, ingest, village):
    """Two targets with three days of results up to now, an outage, and a cycle run."""
    agent, _ = agent_token
    uplink = make_target("uplink", agents=[agent])
    school = make_target(
        "sekolah",
        kind="http",
        address="https://sekolah.example/",
        agents=[agent],
        expect_status=200,
    )
    now = timezone.now().replace(second=0, microsecond=0)
    start = now - timedelta(days=3)
    minutes = 3 * 24 * 60
    ingest(agent, series(uplink, start, "." * minutes, latency=lambda i: 30 + i % 7), now)
    pattern = "." * (minutes - 100) + "x" * 40 + "." * 60
    ingest(agent, series(school, start, pattern, latency=90.0), now)
    run_cycle(now=now)
    return uplink, school, now


def test_the_status_page_shows_a_90_day_strip_per_target(client, monitored):
    uplink, school, _now = monitored
    html = client.get("/pemantauan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "uplink" in html and "sekolah" in html
    strips = re.findall(r'<svg class="strip".*?</svg>', html, flags=re.S)
    assert len(strips) == 2
    assert all(s.count("<rect") == 90 for s in strips)
    assert "#d0d4d8" in strips[0] and "#2e7d32" in strips[0]  # no data, then good days
    assert 'class="state-badge state-up"' in html
    assert "1 monitored target" not in html and "2 monitored targets" in html


def test_the_target_page_has_statistics_svg_charts_sla_and_outages(client, monitored):
    _uplink, school, now = monitored
    for chart in ("24h", "7d", "90d"):
        r = client.get(f"/pemantauan/target/{school.pk}/?chart={chart}", HTTP_ACCEPT_LANGUAGE="en")
        assert r.status_code == 200
        html = r.content.decode()
        assert html.count('<svg class="chart"') == 2 and "<polyline" in html
    assert "cdn" not in html.lower() and "chart.js" not in html.lower()
    assert 'data-days="1"' in html and 'data-days="90"' in html
    assert "https://sekolah.example/" not in html  # the address is for operators only
    assert re.search(r'data-month="\d{4}-\d{2}"', html)
    assert "40 min" in html  # the outage's duration


def test_operators_see_the_target_address(client, monitored, make_user):
    _uplink, school, _now = monitored
    client.force_login(make_user("network_operator"))
    html = client.get(f"/pemantauan/target/{school.pk}/").content.decode()
    assert "https://sekolah.example/" in html


def test_the_outage_list_filters_and_shows_durations(client, monitored, village, other_village):
    _uplink, school, _now = monitored
    html = client.get(
        "/pemantauan/gangguan/", {"kecamatan": village.district.code}
    ).content.decode()
    assert "sekolah" in html and 'data-seconds="2400"' in html
    html = client.get(
        "/pemantauan/gangguan/", {"kecamatan": other_village.district.code}
    ).content.decode()
    assert "sekolah" not in html
    html = client.get("/pemantauan/gangguan/", {"ongoing": "1"}).content.decode()
    assert "sekolah" not in html


def test_the_readiness_page_and_its_map_layer(client, monitored, village):
    html = client.get("/pemantauan/kesiapan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "monitoring/gate-layer.js" in html and 'id="map"' in html
    assert f'data-code="{village.code}"' in html
    geo = client.get("/api/monitoring/gate.geojson").json()
    assert geo["type"] == "FeatureCollection"
    feature = next(f for f in geo["features"] if f["id"] == village.code)
    props = feature["properties"]
    assert props["gate"] in {"ready", "not_ready", "insufficient_data"}
    assert props["targets"] == 2 and props["availability_pct"] is not None
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_the_gate_layer_script_is_served_and_uses_the_shared_map(client):
    from django.contrib.staticfiles import finders

    path = finders.find("monitoring/gate-layer.js")
    text = open(path, encoding="utf-8").read()
    assert "window.jangkauMap" in text and "L.geoJSON" in text and "textContent" in text


def test_the_village_card_shows_the_numbers_behind_the_decision(client, monitored, village):
    uplink, school, _now = monitored
    rendered = Template("{% load monitoring_tags %}{% village_stability village %}").render(
        Context({"village": village})
    )
    assert 'id="village-stability"' in rendered
    assert f'data-target="{uplink.pk}"' in rendered and f'data-target="{school.pk}"' in rendered
    assert "availability" in rendered.lower() or "ketersediaan" in rendered.lower()
    partial = client.get(f"/pemantauan/desa/{village.code}/").content.decode()
    assert 'id="village-stability"' in partial and "<html" not in partial
    assert client.get("/pemantauan/desa/00.00/").status_code == 404


def test_the_agent_page_needs_a_role(client, monitored, make_user, agent_token):
    assert client.get("/pemantauan/agen/").status_code == 302  # to the login page
    client.force_login(make_user("viewer"))
    assert client.get("/pemantauan/agen/").status_code == 403
    client.force_login(make_user("network_operator", username="noc"))
    html = client.get("/pemantauan/agen/").content.decode()
    assert 'data-agent="agent-desa-1"' in html and "0.1.0" in html


def test_the_read_api(client, monitored, village):
    uplink, school, _now = monitored
    targets = client.get("/api/monitoring/targets", {"village": village.code}).json()
    assert targets["count"] == 2
    assert "address" not in targets["results"][0]
    outages = client.get("/api/monitoring/outages", {"target": school.pk}).json()
    assert outages["count"] == 1 and outages["results"][0]["duration_s"] == 2400.0
    stats = client.get(f"/api/monitoring/targets/{uplink.pk}/stats").json()
    periods = {p["days"]: p for p in stats["periods"]}
    assert periods[1]["availability_pct"] == 100.0 and periods[1]["jitter_ms"] > 0
    assert periods[90]["source"] == "rollups" and periods[90]["n_results"] > 4000
    assert stats["sla"] and stats["sla"][0]["target_pct"] == 99.5
    gates = client.get(
        "/api/monitoring/gate-states", {"level": "village", "kecamatan": village.district.code}
    )
    assert gates.status_code == 200 and gates.json()["count"] == village.district.villages.count()
    assert client.get("/api/monitoring/gate-states", {"level": "x"}).status_code == 422
    changes = client.get("/api/monitoring/gate-changes", {"village": village.code}).json()
    assert changes["results"][0]["previous_status"] == ""
    assert client.get("/api/monitoring/targets/999999/stats").status_code == 404


def test_running_the_cycle_from_the_api_needs_a_role(client, make_user, db):
    assert client.post("/api/monitoring/rollup").status_code == 401
    client.force_login(make_user("viewer"))
    assert client.post("/api/monitoring/rollup").status_code == 403
    client.force_login(make_user("planner", username="planner"))
    r = client.post("/api/monitoring/rollup")
    assert r.status_code == 202
    from jangkau.core.models import TaskProgress

    assert TaskProgress.objects.get(pk=r.json()["progress_id"]).state == "done"


def test_pages_render_without_any_data(client, db):
    for url in ("/pemantauan/", "/pemantauan/gangguan/", "/pemantauan/kesiapan/"):
        assert client.get(url).status_code == 200
    assert ProbeResult.objects.count() == 0


def test_the_api_schema_lists_the_agent_protocol_and_reads(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/monitoring/agent/probes",
        "/api/monitoring/agent/results",
        "/api/monitoring/targets",
        "/api/monitoring/outages",
        "/api/monitoring/gate-states",
        "/api/monitoring/gate-changes",
        "/api/monitoring/rollup",
    ):
        assert path in paths, path
    body = paths["/api/monitoring/agent/results"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["required"] == ["results"]
    assert set(schema["properties"]["results"]["items"]["required"]) == {
        "uuid",
        "probe_id",
        "ts",
        "ok",
    }
