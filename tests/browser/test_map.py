"""The map page in a real browser: 141 village shapes, click-through, language switch."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_map_shows_141_villages_and_a_click_opens_the_village_page(live_kutim, page, artifacts):
    external = []
    page.on(
        "request",
        lambda r: (
            external.append(r.url)
            if not r.url.startswith(live_kutim.url) and not r.url.startswith("data:")
            else None
        ),
    )
    page.goto(live_kutim.url + "/")
    page.wait_for_selector("#map[data-loaded='141']", timeout=20_000)
    shapes = page.locator("path.village-shape")
    assert shapes.count() == 141
    assert page.locator("#legend").is_visible()
    page.screenshot(path=str(artifacts / "map.png"), full_page=False)
    assert external == [], f"the page loaded something from outside: {external}"

    # Filtering by kecamatan dims the others; search narrows to one village.
    page.select_option("#filter-kecamatan", "64.08.11")
    page.wait_for_function("document.getElementById('map').dataset.visible === '9'")
    page.fill("#q", "Mangkal")
    page.wait_for_function("document.getElementById('map').dataset.visible === '1'")

    target = page.locator("path.village-shape[data-code='64.08.11.2007']")
    target.click(force=True)
    page.wait_for_url("**/desa/64.08.11.2007/")
    assert page.locator("#village-name").inner_text().endswith("Tanjung Mangkaliat")
    assert "estimasi" in page.content()


def test_the_language_switch_turns_the_page_english_and_back(live_kutim, page):
    page.goto(live_kutim.url + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("nav").inner_text().count("Tentang data") == 1
    page.click("button[data-lang='en']")
    page.wait_for_selector("html[lang='en']")
    assert "About the data" in page.locator("nav").inner_text()
    page.click("button[data-lang='id']")
    page.wait_for_selector("html[lang='id']")


def test_the_village_page_works_on_a_phone_screen(live_kutim, browser, artifacts):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(live_kutim.url + "/desa/64.08.11.2007/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide on a 375px screen"
    page.screenshot(path=str(artifacts / "village-phone.png"), full_page=True)
    page.goto(live_kutim.url + "/")
    page.wait_for_selector("#map[data-loaded='141']", timeout=20_000)
    context.close()


def test_every_overlay_of_the_home_map_is_in_one_layer_switcher(live_kutim, page):
    page.goto(live_kutim.url + "/")
    page.wait_for_selector("#map[data-loaded='141']", timeout=20_000)
    # The stability gate and the coverage module add their overlays after their own fetches.
    page.wait_for_selector("#map[data-gate-loaded]", timeout=10_000)
    page.wait_for_selector("#map[data-coverage-run]", timeout=10_000)
    switchers = page.locator(".leaflet-control-layers")
    assert switchers.count() == 1
    assert switchers.first.get_attribute("data-overlay-switcher") == ""
    names = [
        n.strip()
        for n in switchers.first.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    ]
    # Inventory (4), speed tests, stability gate; no coverage run exists in this database.
    assert len(names) == 6, names
    assert {"Uji kecepatan", "Gerbang stabilitas (siap / belum siap)"} <= set(names), names
    assert page.locator("#map").get_attribute("data-coverage-run") == "none"

    # On a phone the one switcher is folded into its button.
    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    page.wait_for_selector("#map[data-gate-loaded]", timeout=20_000)
    assert page.locator(".leaflet-control-layers").count() == 1
    assert not page.locator(".leaflet-control-layers-overlays").is_visible()
