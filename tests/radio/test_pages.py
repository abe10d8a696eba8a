"""The coverage pages: the warning banner, the map data, the run form, the what-if result."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from jangkau.radio.engine import RunOptions
from jangkau.radio.models import ProposedSite
from jangkau.radio.tasks import request_run
from jangkau.radio.terrains import import_terrain, load_demo

from .conftest import MASALAP_RAYA, MUARA_WAHAU, point_in, write_dem

pytestmark = pytest.mark.django_db


def test_the_page_warns_loudly_about_the_coarse_demo_terrain(client, kutim, data_dir):
    load_demo()
    page = client.get("/cakupan/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="terrain-warning"' in html and "The terrain is coarse" in html
    assert "about 9 km" in html and "SRTM or Copernicus" in html
    assert 'id="no-run"' in html  # nothing computed yet


def test_without_terrain_the_page_says_the_earth_is_taken_as_flat(client, kutim, data_dir):
    html = client.get("/cakupan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="terrain-warning"' in html
    assert "No terrain is loaded: predictions assume a flat earth." in html


def test_with_a_fine_terrain_there_is_no_warning(client, kutim, data_dir, tmp_path):
    import_terrain(write_dem(tmp_path / "fine.tif", cell_deg=0.0003, shape=(50, 50)))
    html = client.get("/cakupan/").content.decode()
    assert 'id="terrain-warning"' not in html


def test_after_a_run_the_page_shows_the_overlay_legend_and_village_table(
    client, two_sites, data_dir
):
    load_demo()
    run, _ = request_run(RunOptions(model="hata", resolution_m=1000.0))
    html = client.get("/cakupan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'data-overlay-url="/cakupan/runs/{run.pk}/overlay.png"' in html
    assert 'data-bounds="[[' in html and "radio/coverage-layer.js" in html
    assert "good: at least -105 dBm" in html and "weak: at least -115 dBm" in html
    assert f'<tr data-code="{MUARA_WAHAU}">' in html
    assert "estimated" in html
    assert 'id="terrain-warning"' in html  # the run used no terrain (flat earth)
    assert 'id="compute-coverage"' not in html  # anonymous: no run button
    assert 'id="proposed-site-form"' not in html


def test_a_planner_sees_the_run_button_and_the_what_if_form(client, make_user, kutim, data_dir):
    client.force_login(make_user("planner"))
    html = client.get("/cakupan/").content.decode()
    assert 'id="compute-coverage"' in html and 'id="proposed-site-form"' in html
    assert 'name="resolution_m"' in html and 'value="250.0"' in html


def test_a_network_operator_may_propose_but_not_run(client, make_user, kutim, data_dir):
    client.force_login(make_user("network_operator"))
    html = client.get("/cakupan/").content.decode()
    assert 'id="compute-coverage"' not in html and 'id="proposed-site-form"' in html


def test_the_htmx_run_button_answers_with_the_progress_partial(
    client, make_user, two_sites, data_dir
):
    client.force_login(make_user("planner"))
    response = client.post("/cakupan/hitung/", {"resolution_m": "2000"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'class="run-status"' in response.content.decode()
    assert response["HX-Refresh"] == "true"  # finished at once with the immediate backend


def test_an_invalid_htmx_run_request_answers_with_the_errors(client, make_user, kutim, data_dir):
    client.force_login(make_user("planner"))
    response = client.post(
        "/cakupan/hitung/",
        {"good_dbm": "-120", "weak_dbm": "-110"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "The good threshold must be above the weak one." in response.content.decode()


def test_the_htmx_what_if_answers_with_the_newly_served_villages(
    client, make_user, kutim, data_dir
):
    client.force_login(make_user("planner"))
    lat, lon = point_in(MASALAP_RAYA)
    response = client.post(
        "/cakupan/usulan/",
        {
            "name": "Masalap",
            "lat": f"{lat:.6f}",
            "lon": f"{lon:.6f}",
            "antenna_height_m": "30",
            "freq_mhz": "900",
            "eirp_dbm": "58",
            "operator": "",
            "beamwidth": "65",
            "downtilt": "2",
            "sector_azimuths": "",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="whatif-result"' in html
    assert f'<tr data-code="{MASALAP_RAYA}">' in html
    assert 'data-overlay-url="/cakupan/jejak/' in html
    assert ProposedSite.objects.get().created_by.username == "user-planner"


def test_an_invalid_what_if_shows_the_form_again_with_the_error(client, make_user, kutim, data_dir):
    client.force_login(make_user("planner"))
    response = client.post(
        "/cakupan/usulan/",
        {
            "name": "Java",
            "lat": "-7.25",
            "lon": "112.75",
            "antenna_height_m": "30",
            "freq_mhz": "900",
            "eirp_dbm": "58",
            "beamwidth": "65",
            "downtilt": "2",
            "sector_azimuths": "0, 0",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "outside" in html and "Two sectors point the same way" in html
    assert not ProposedSite.objects.exists()


def test_the_proposed_site_page_shows_its_footprint_and_decision_buttons(
    client, make_user, kutim, data_dir
):
    planner = make_user("planner")
    lat, lon = point_in(MASALAP_RAYA)
    site = ProposedSite.objects.create(name="Masalap", lat=lat, lon=lon, created_by=planner)
    client.force_login(planner)
    html = client.get(f"/cakupan/usulan/{site.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="whatif-result"' in html and "Facility data not loaded" in html
    assert 'value="accepted"' in html and 'value="rejected"' in html


def test_the_run_detail_page_lists_parameters_and_sites(client, two_sites, data_dir):
    run, _ = request_run(RunOptions(model="hata", resolution_m=1000.0))
    html = client.get(f"/cakupan/runs/{run.pk}/").content.decode()
    assert "TSEL-MWH" in html and "XL-BJY" in html and run.inputs_hash in html
    assert client.get("/cakupan/runs/999/").status_code == 404


def test_the_home_page_include_points_the_layer_at_the_latest_run_api(kutim):
    request = RequestFactory().get("/")
    html = render_to_string("radio/_coverage_layer.html", {}, request=request)
    assert 'data-latest-url="/api/coverage/runs/latest"' in html
    assert "data-show" not in html  # off until the user turns it on
