"""The planning API: scenarios, runs, per-village results, exports, cost tables."""

from __future__ import annotations

import json

import pytest

from jangkau.planning.choices import ScenarioStateChoices
from jangkau.planning.models import Scenario

from .conftest import SANDARAN

pytestmark = pytest.mark.django_db


def _post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def planner(client, make_user):
    user = make_user("planner")
    client.force_login(user)
    return user


def test_create_and_run_a_scenario(client, planner, cost_table):
    body = {
        "name": "API dua tahun",
        "year_from": 2026,
        "year_to": 2027,
        "budgets": [4_000_000_000, 8_000_000_000],
        "carry_forward": True,
        "remoteness_weights": {"1": 1, "2": 1.25, "3": 1.5, "4": 3},
        "forced": {f"site:{SANDARAN}": 2026},
        "curve_scales": [1.0],
    }
    response = _post(client, "/api/planning/scenarios", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["budgets"] == [4e9, 8e9] and created["cost_table_version"] == 1
    assert created["remoteness_weights"]["4"] == 3 and created["latest_result"] is None
    response = _post(client, f"/api/planning/scenarios/{created['id']}/run")
    assert response.status_code == 202
    assert response.json()["state"] == "done"  # the immediate backend ran it already
    detail = client.get(f"/api/planning/scenarios/{created['id']}").json()
    latest = detail["latest_result"]
    assert latest["status"] == "optimal" and latest["people_quality"] == "estimated"
    assert set(latest["per_year"]) == {"2026", "2027"}
    assert any(n["code"] == "no_fiber_data" for n in latest["notes"])
    villages = client.get(
        f"/api/planning/scenarios/{created['id']}/villages?outcome=served&limit=500"
    ).json()
    assert villages["count"] == len(villages["results"]) > 0
    sandaran = next(v for v in villages["results"] if v["village"] == SANDARAN)
    assert sandaran["year"] == 2026 and sandaran["intervention"] == "new_4g_site"
    assert sandaran["explanation"]["forced"] is True
    assert "forced by the scenario" in sandaran["explanation_text"]


def test_invalid_scenarios_are_refused_with_details(client, planner, cost_table):
    response = _post(
        client,
        "/api/planning/scenarios",
        {
            "name": "x",
            "budgets": [1, 2, 3],
            "status_weights": {"no_signal": 1, "2g_3g_only": 2, "4g_weak": 3},
        },
    )
    assert response.status_code == 422
    error = response.json()["error"]
    fields = {d["field"] for d in error["details"]}
    assert {"budgets", "status_weights"} <= fields
    response = _post(client, "/api/planning/scenarios", {"name": "x", "cost_table_version": 9})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "cost_table_version"
    assert not Scenario.objects.exists()


def test_a_busy_scenario_is_not_run_twice(client, planner, make_scenario):
    scenario = make_scenario()
    Scenario.objects.filter(pk=scenario.pk).update(state=ScenarioStateChoices.RUNNING)
    response = _post(client, f"/api/planning/scenarios/{scenario.pk}/run")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_village_results_filter_and_paginate(client, make_user, solved):
    client.force_login(make_user("viewer"))
    result = solved.latest_result()
    base = f"/api/planning/results/{result.pk}/villages"
    page = client.get(f"{base}?limit=10").json()
    assert page["count"] == 141 and len(page["results"]) == 10 and page["next"]
    by_kecamatan = client.get(f"{base}?kecamatan=64.08.11&limit=500").json()
    assert by_kecamatan["count"] == 9 == len(by_kecamatan["results"])
    assert {v["kecamatan"] for v in by_kecamatan["results"]} == {"64.08.11"}
    year = client.get(f"{base}?year=2026&limit=500").json()
    assert year["count"] > 0 and {v["year"] for v in year["results"]} == {2026}
    assert client.get("/api/planning/results/999999/villages").status_code == 404
    summary = client.get(f"/api/planning/results/{result.pk}").json()
    assert summary["curve"] == [
        {"scale": 0.5, "people_served": summary["curve"][0]["people_served"], "status": "optimal"}
    ]


def test_export_links_and_cost_tables(client, make_user, solved):
    client.force_login(make_user("viewer"))
    links = client.get(f"/api/planning/scenarios/{solved.pk}/exports").json()
    result = solved.latest_result()
    assert links["csv"].endswith(f"/rencana/hasil/{result.pk}/rencana.csv")
    assert links["report_pdf"] is None  # not printed yet
    for key in ("csv", "geojson", "xlsx", "report_html"):
        assert client.get(links[key]).status_code == 200
    tables = client.get("/api/planning/cost-tables").json()
    assert tables["count"] == 1 and tables["results"][0]["is_default"] is True
    table = client.get("/api/planning/cost-tables/1").json()
    tower = next(i for i in table["items"] if i["item"] == "new_4g_site")
    assert tower["capex_idr"] == 2.6e9 and tower["is_assumption"] is True
    assert client.get("/api/planning/cost-tables/7").status_code == 404
