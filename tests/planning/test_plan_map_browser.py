"""The results page in a real Chromium: the plan layer on the project map, nothing external."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("JANGKAU_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "pw-123456789"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield b
        b.close()


@pytest.fixture
def solved_live(live_server, transactional_db):
    from django.contrib.auth.models import Group, User

    from jangkau.planning.costs import default_cost_table
    from jangkau.planning.models import Scenario
    from jangkau.planning.tasks import enqueue_run
    from jangkau.regions.models import Village
    from tests.conftest import load_kutim_into_db

    if not Village.objects.exists():
        load_kutim_into_db()
    scenario = Scenario.objects.create(
        name="Peta",
        year_from=2026,
        year_to=2027,
        budgets=[6_000_000_000, 6_000_000_000],
        carry_forward=True,
        cost_table=default_cost_table(),
        curve_scales=[1.0],
    )
    enqueue_run(scenario)
    user = User.objects.create_user("peta-viewer", password=PASSWORD)
    user.groups.add(Group.objects.get(name="viewer"))
    return live_server, scenario


def test_the_plan_is_drawn_on_the_project_map(browser, solved_live):
    server, scenario = solved_live
    result = scenario.latest_result()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    external = []
    page.on(
        "request",
        lambda r: external.append(r.url) if not r.url.startswith(server.url) else None,
    )
    page.goto(f"{server.url}/accounts/login/?next=/rencana/{scenario.pk}/")
    page.fill("input[name=username]", "peta-viewer")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_function("document.getElementById('map').dataset.planFeatures !== undefined")
    features = page.get_attribute("#map", "data-plan-features")
    served = result.items.filter(reason="served").count()
    sites = len([i for i in result.built_items if i["type"] == "access"])
    assert features == str(served + sites)
    assert page.locator(".plan-legend input[type=radio]").count() == 2
    page.locator(".plan-legend input[value=kind]").check()
    assert page.locator(".plan-legend .swatch").count() >= 1
    assert external == []
    context.close()
