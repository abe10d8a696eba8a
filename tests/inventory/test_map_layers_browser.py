"""The inventory layers on the home map, in a real browser (Debian's Chromium).

The browser is driven from a worker thread with its own Playwright instance, so this test runs
in the same session as ``tests/browser`` (whose session-wide Playwright loop occupies the main
thread).
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, CHROMIUM

from .builders import line, make_access_point, make_facility, make_link, make_site

pytestmark = pytest.mark.browser

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture
def live_kutim_inventory(live_server, transactional_db):
    """The live server with the real regions and a small inventory (committed for the server)."""
    from jangkau.regions.models import Village
    from tests.conftest import load_kutim_into_db

    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
    if not Village.objects.exists():
        load_kutim_into_db()
    a = make_site("T-ON", "64.08.04.2012")
    b = make_site("X-DOWN", "64.08.04.2001", operator="xl", status="down")
    make_site("I-PLAN", "64.08.11.2001", operator="indosat", status="planned")
    make_link("MW-1", line((a.lon, a.lat), (b.lon, b.lat)), endpoint_a=a, endpoint_b=b)
    make_access_point("AP-1", "64.08.11.2001")
    make_facility("F-1", "64.08.11.2001")
    return live_server


def _drive(base_url: str, screenshot: Path) -> dict:
    """Open the map, make sure the layers script runs, and read what it drew."""
    from playwright.sync_api import sync_playwright

    seen: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
        page.goto(base_url + "/")
        page.wait_for_selector("#map[data-loaded='141']", timeout=20_000)
        if not page.evaluate("!!window.jangkauInventoryLayers"):
            # Until web/home.html includes the layers, add the script the way the page will.
            page.add_script_tag(url=base_url + "/static/inventory/layers.js")
        for name, n in [("sites", 3), ("links", 1), ("accesspoints", 1)]:
            page.wait_for_selector(f"#map[data-inventory-{name}='{n}']", timeout=10_000)

        def attrs(kind: str, code: str) -> dict:
            node = page.locator(f"path[data-inventory='{kind}'][data-code='{code}']")
            names = ("fill", "fill-opacity", "stroke", "stroke-dasharray")
            return {name: node.get_attribute(name) for name in names}

        seen["on_air"] = attrs("site", "T-ON")
        seen["down"] = attrs("site", "X-DOWN")
        seen["planned"] = attrs("site", "I-PLAN")
        seen["links"] = page.locator("path[data-inventory='link'][data-code='MW-1']").count()
        seen["legend"] = page.locator("#inventory-legend").is_visible()
        page.screenshot(path=str(screenshot), full_page=False)
        seen["facilities_before"] = page.locator("path[data-inventory='facility']").count()
        # The inventory's control is the first of the map's layer controls.
        control = page.locator(".leaflet-control-layers").first
        control.hover()
        overlays = control.locator(".leaflet-control-layers-overlays input[type=checkbox]")
        overlays.nth(3).check()  # sites, links, access points, facilities
        page.wait_for_selector("path[data-inventory='facility'][data-code='F-1']", timeout=10_000)
        seen["facilities_after"] = page.locator("path[data-inventory='facility']").count()
        overlays.nth(0).uncheck()
        seen["sites_hidden"] = page.locator("path[data-inventory='site']").count()
        browser.close()
    return seen


def test_the_inventory_layers_draw_sites_by_operator_and_status_and_toggle(live_kutim_inventory):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(
            _drive, live_kutim_inventory.url, ARTIFACTS / "map-inventory.png"
        ).result(timeout=180)
    assert seen["on_air"]["fill"] == "#d32f2f"  # Telkomsel red, solid
    assert float(seen["on_air"]["fill-opacity"]) > 0.9
    assert seen["down"]["stroke"] == "#1565c0"  # XL blue ring, nearly empty
    assert float(seen["down"]["fill-opacity"]) < 0.2
    assert seen["planned"]["stroke-dasharray"]  # planned: dashed outline
    assert seen["links"] == 1 and seen["legend"]
    # Facilities are off at first; the layer control shows them (fetched on first display).
    assert (seen["facilities_before"], seen["facilities_after"]) == (0, 1)
    assert seen["sites_hidden"] == 0
