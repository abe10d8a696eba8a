"""The scenario form, the results page and the progress partial."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from jangkau.planning import exports
from jangkau.planning.choices import ScenarioStateChoices
from jangkau.planning.models import Scenario

pytestmark = pytest.mark.django_db


def _form_body(cost_table, **overrides) -> dict:
    body = {
        "name": "Prioritas desa terpencil",
        "description": "",
        "year_from": "2026",
        "year_to": "2028",
        "budgets_text": "Rp 10.000.000.000",
        "carry_forward": "on",
        "cost_table": str(cost_table.pk),
        "unknown_status_as": "2g_3g_only",
        "weight_no_signal": "3",
        "weight_2g_3g_only": "2",
        "weight_4g_weak": "1",
        "remoteness_1": "1",
        "remoteness_2": "1.25",
        "remoteness_3": "1.5",
        "remoteness_4": "2",
        "bonus_kantor_desa": "50",
        "bonus_school": "100",
        "bonus_puskesmas": "200",
        "floor_percent": "",
        "equity_floor_year": "",
        "forced_text": "site:64.08.11.2001 2027",
        "forbidden_text": "sat-leo:64.08.11.2001",
        "curve_text": "50, 100, 150",
        "time_limit_seconds": "30",
    }
    body.update(overrides)
    return body


def test_the_form_saves_a_scenario(client, make_user, cost_table):
    planner = make_user("planner")
    client.force_login(planner)
    page = client.get("/rencana/baru/")
    assert page.status_code == 200 and 'id="scenario-form"' in page.content.decode()
    response = client.post("/rencana/baru/", _form_body(cost_table))
    assert response.status_code == 302, response.content.decode()[:3000]
    scenario = Scenario.objects.get(name="Prioritas desa terpencil")
    assert response["Location"] == f"/rencana/{scenario.pk}/"
    assert scenario.budgets == [10_000_000_000] * 3
    assert scenario.forced == {"site:64.08.11.2001": 2027}
    assert scenario.forbidden == ["sat-leo:64.08.11.2001"]
    assert scenario.curve_scales == [0.5, 1.0, 1.5]
    assert scenario.remoteness_weights == {"1": 1.0, "2": 1.25, "3": 1.5, "4": 2.0}
    assert scenario.created_by == planner and scenario.cost_table == cost_table


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("budgets_text", "1\n2", "one per plan year (3 years)"),
        ("weight_2g_3g_only", "5", "rank no signal &gt; 2G/3G only &gt; 4G weak"),
        ("forced_text", "site:64.08.11.2001 2031", "is not a plan year"),
        ("floor_percent", "20", "needs both a share and a year"),
        ("forbidden_text", "site:64.08.11.2001", "Forced and forbidden at once"),
    ],
)
def test_the_form_explains_what_is_wrong(client, make_user, cost_table, field, value, message):
    client.force_login(make_user("planner"))
    response = client.post("/rencana/baru/", _form_body(cost_table, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Scenario.objects.exists()


def test_the_results_page_shows_plan_map_tables_curve_and_reasons(client, make_user, solved):
    client.force_login(make_user("viewer"))
    html = client.get(f"/rencana/{solved.pk}/").content.decode()
    result = solved.latest_result()
    assert f'data-result="{result.pk}"' in html
    assert f'data-plan-url="/rencana/hasil/{result.pk}/peta.geojson"' in html
    assert "planning/plan-map.js" in html and "jangkau/map.js" in html
    assert html.count('<tr data-year="') == 2
    assert 'id="kecamatan-table"' in html and html.count("<tr data-kecamatan=") == 18
    assert html.count('<tr data-code="') == 141
    assert 'class="chart cost-curve"' in html and 'class="chart plan-map"' in html
    assert "serves" in html and "per person over the plan" in html
    assert "quality-estimated" in html  # people are labelled as estimates
    assert 'data-item="new_4g_site"' in html  # costs with their source
    assert "no fiber data" in html or "No fiber is recorded" in html


def test_the_progress_partial_reloads_the_page_when_done(client, make_user, solved):
    client.force_login(make_user("viewer"))
    response = client.get(f"/rencana/{solved.pk}/progres/", HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    Scenario.objects.filter(pk=solved.pk).update(state=ScenarioStateChoices.RUNNING)
    response = client.get(f"/rencana/{solved.pk}/progres/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in response
    assert 'hx-trigger="every 1s"' in response.content.decode()


def test_without_chromium_the_pdf_button_explains_how_to_print(
    client, make_user, solved, monkeypatch
):
    monkeypatch.setattr(exports, "chromium_path", lambda: None)
    client.force_login(make_user("planner"))
    html = client.get(f"/rencana/{solved.pk}/").content.decode()
    assert 'id="pdf-unavailable"' in html and 'id="make-pdf"' not in html
    result = solved.latest_result()
    response = client.post(f"/rencana/hasil/{result.pk}/laporan.pdf", follow=True)
    assert "print it to PDF from your browser" in response.content.decode()
    assert client.get(f"/rencana/hasil/{result.pk}/laporan.pdf").status_code == 404


def test_an_infeasible_plan_shows_the_core_message(client, make_user, make_scenario):
    from jangkau.planning.tasks import enqueue_run

    forced = {f"site:{c}": 2026 for c in ("64.08.11.2001", "64.08.11.2007", "64.08.02.2006")}
    scenario = make_scenario(forced=forced, carry_forward=False)
    enqueue_run(scenario)
    client.force_login(make_user("viewer"))
    html = client.get(f"/rencana/{scenario.pk}/").content.decode()
    assert 'data-status="infeasible"' in html
    assert 'data-code="forced_over_budget"' in html
    assert "The forced items cost more than the budget." in html
    message = next(
        d["message"]
        for d in scenario.latest_result().diagnostics
        if d["code"] == "forced_over_budget"
    )
    assert escape(message.split(":")[0]) in html
