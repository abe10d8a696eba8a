"""The gate layer (gate-layer.js on window.jangkauMap) in a real Chromium, against live data.

Chromium is driven from a worker thread with its own Playwright instance, so nothing of it
stays in the main thread (the project's session-wide browser fixture lives in tests/browser,
and an event loop left running in the main thread would break later ``asyncio.run`` calls).
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.monitoring.conftest import result

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("JANGKAU_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("JANGKAU_TEST_ARTIFACTS", "test-artifacts"))
VILLAGE = "64.08.11.2007"


def observe_readiness_map(base_url: str) -> dict:
    """Open the readiness page and report what the gate layer drew (runs in a worker thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            external = []
            page.on(
                "request",
                lambda r: (
                    external.append(r.url)
                    if not r.url.startswith(base_url) and not r.url.startswith("data:")
                    else None
                ),
            )
            page.goto(base_url + "/pemantauan/kesiapan/")
            page.wait_for_selector("#map[data-gate-loaded='141']", timeout=20_000)
            page.wait_for_selector("#map[data-loaded='141']", timeout=20_000)
            shape = f"path.gate-shape[data-code='{VILLAGE}']"
            page.locator(shape).scroll_into_view_if_needed()
            # which element is on top at the village's centre (the status layer of map.js
            # is added after the gate layer and must not cover it)
            top = page.evaluate(
                """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                   const el = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                   return [el.getAttribute("class"), el.getAttribute("data-gate")]; }""",
                shape,
            )
            out = {
                "shapes": page.locator("path.gate-shape").count(),
                "ready": page.locator("path.gate-shape[data-gate='ready']").count(),
                "insufficient": page.locator(
                    "path.gate-shape[data-gate='insufficient_data']"
                ).count(),
                "village_gate": page.locator(shape).get_attribute("data-gate"),
                "village_fill": page.locator(shape).get_attribute("fill"),
                "control": page.locator(".leaflet-control-layers").is_visible(),
                "top": top,
            }
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "gate-layer.png"), full_page=False)
            page.locator(shape).hover(force=True)
            page.wait_for_selector(".leaflet-tooltip")
            out["tooltip"] = page.locator(".leaflet-tooltip").inner_text()
            out["external"] = external
            return out
        finally:
            browser.close()


@pytest.fixture
def chromium():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("JANGKAU_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
    pytest.importorskip("playwright")
    return CHROMIUM


def test_the_readiness_map_colours_every_village_by_its_gate(live_server, chromium, settings):
    from jangkau.monitoring.models import ProbeTarget
    from jangkau.monitoring.services.agents import issue_token
    from jangkau.monitoring.services.cycle import run_cycle
    from jangkau.monitoring.services.ingest import ingest_batch
    from jangkau.monitoring.services.rollup_store import day_window
    from jangkau.regions.models import Village
    from tests.conftest import load_kutim_into_db

    if not Village.objects.exists():  # transactional tests start from an empty database
        load_kutim_into_db()
    settings.JANGKAU_GATE_WINDOW_DAYS = 1
    village = Village.objects.get(code=VILLAGE)
    agent = issue_token("browser-box", village.code).agent
    target = ProbeTarget.objects.create(
        name="uplink", kind="icmp", address="10.0.0.1", village=village
    )
    target.agents.add(agent)
    now = timezone.now()
    start, _ = day_window(now.timestamp(), 1)
    minutes = int((now.timestamp() - start) // 60)
    results = [
        result(target, now - timedelta(minutes=minutes - i), latency=25.0) for i in range(minutes)
    ]
    for i in range(0, len(results), 2000):
        ingest_batch(agent, {"results": results[i : i + 2000]}, now=now)
    run_cycle(now=now)

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(observe_readiness_map, live_server.url).result(timeout=120)
    assert seen["shapes"] == 141
    assert (seen["ready"], seen["insufficient"]) == (1, 140)
    assert (seen["village_gate"], seen["village_fill"]) == ("ready", "#2e7d32")
    assert seen["control"]
    assert "gate-shape" in seen["top"][0] and seen["top"][1] == "ready", seen["top"]
    assert "Tanjung Mangkaliat" in seen["tooltip"]
    assert seen["external"] == [], f"the page loaded something from outside: {seen['external']}"
