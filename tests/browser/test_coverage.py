"""The coverage page in a real browser: the overlay, and a proposed site dropped on the map."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        "jangkau.radio" not in settings.INSTALLED_APPS,
        reason="jangkau.radio is not wired into INSTALLED_APPS yet (use its settings_dev)",
    ),
]

MASALAP_RAYA = "64.08.14.2009"
PASSWORD = "pw-123456789"


@pytest.fixture
def coverage_data(live_kutim, settings, tmp_path):
    """Two sites on air, one coverage run, and a planner who can log in."""
    from django.contrib.auth.models import Group, User

    from jangkau.inventory.geo import frame_scope
    from jangkau.radio.engine import RunOptions
    from jangkau.radio.tasks import request_run
    from tests.inventory.builders import make_site

    settings.DATA_DIR = tmp_path / "var"
    settings.DATA_DIR.mkdir()
    with frame_scope():
        make_site("TSEL-MWH", "64.08.02.2003", antenna_height_m=40.0, bands_mhz=[900])
        make_site("XL-BJY", "64.08.10.2009", operator="xl", bands_mhz=[900])
    run, _ = request_run(RunOptions(model="hata", resolution_m=1000.0))
    user = User.objects.create_user("planner-cakupan", password=PASSWORD)
    user.groups.add(Group.objects.get(name="planner"))
    return live_kutim, run


def test_a_planner_sees_the_overlay_and_drops_a_site_that_serves_a_village(
    coverage_data, page, artifacts
):
    from jangkau.radio.models import ProposedSite
    from jangkau.regions.models import Village

    server, run = coverage_data
    external = []
    page.on(
        "request",
        lambda r: (
            external.append(r.url)
            if not r.url.startswith(server.url) and not r.url.startswith("data:")
            else None
        ),
    )
    page.goto(server.url + "/accounts/login/?next=/cakupan/")
    page.fill("#id_username", "planner-cakupan")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type='submit']").click()
    page.wait_for_url("**/cakupan/")
    page.wait_for_selector("#coverage-map[data-loaded='141']", timeout=20_000)
    page.wait_for_selector(f"#coverage-map[data-coverage-run='{run.pk}']", timeout=10_000)
    overlay = page.locator("img.coverage-overlay")
    assert overlay.count() == 1
    assert overlay.get_attribute("src").endswith(f"/cakupan/runs/{run.pk}/overlay.png")
    page.wait_for_function("document.querySelector('img.coverage-overlay').naturalWidth > 0")
    assert page.locator("#coverage-legend").is_visible()
    assert page.locator("#terrain-warning").is_visible()

    point = Village.objects.get(code=MASALAP_RAYA).geometry.representative_point()
    xy = page.evaluate(
        "([lat, lon]) => { const p = window.jangkauMap.latLngToContainerPoint([lat, lon]);"
        " return {x: p.x, y: p.y}; }",
        [point.y, point.x],
    )
    page.locator("#coverage-map").click(position=xy)
    lat = float(page.input_value("#id_lat"))
    lon = float(page.input_value("#id_lon"))
    assert abs(lat - point.y) < 0.01 and abs(lon - point.x) < 0.01
    page.fill("#id_name", "Menara Masalap Raya")
    page.locator("#proposed-site-form button[type='submit']").click()
    page.wait_for_selector(f"#newly-served tr[data-code='{MASALAP_RAYA}']", timeout=15_000)
    page.wait_for_selector("img.footprint-overlay", timeout=5_000)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "coverage-whatif.png"), full_page=False)
    site = ProposedSite.objects.get()
    assert site.name == "Menara Masalap Raya" and site.village.code == MASALAP_RAYA
    assert external == [], f"the page loaded something from outside: {external}"


def test_the_home_map_gets_the_latest_run_as_a_layer_that_is_off_at_first(coverage_data, page):
    server, run = coverage_data
    page.goto(server.url + "/")
    page.wait_for_selector("#map[data-loaded='141']", timeout=20_000)
    assert page.evaluate("!!document.querySelector('script[src$=\"radio/coverage-layer.js\"]')")
    page.wait_for_selector(f"#map[data-coverage-run='{run.pk}']", timeout=10_000)
    assert page.locator("img.coverage-overlay").count() == 0
    # The browser asks for Indonesian (the product's first language).
    toggle = page.locator(".leaflet-control-layers label", has_text="Prediksi jangkauan")
    toggle.locator("input").check()
    page.wait_for_selector(f"img.coverage-overlay[data-run='{run.pk}']", timeout=5_000)
    assert page.locator("#coverage-legend").is_visible()
    toggle.locator("input").uncheck()
    assert page.locator("img.coverage-overlay").count() == 0
