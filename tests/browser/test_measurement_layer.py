"""The speed-test layer of the home map, in a real browser."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.browser


def test_the_speed_test_layer_is_off_at_first_and_shows_the_tests_when_switched_on(
    live_kutim, page
):
    from jangkau.measurements.choices import ToolChoices
    from jangkau.measurements.models import SpeedTest
    from jangkau.regions.models import Village

    village = Village.objects.get(code="64.08.11.2001")
    for i, mbps in enumerate([1.5, 12.0]):
        SpeedTest.objects.create(
            key=f"browser-layer-{i}", village=village, tool=ToolChoices.values[0],
            measured_at=dt.datetime(2026, 10, 1, 8, i, tzinfo=dt.UTC),
            lat=village.centroid_lat, lon=village.centroid_lon + i * 0.001,
            download_mbps=mbps, source="browser test", quality="measured",
        )
    page.goto(live_kutim.url + "/")
    page.wait_for_selector("#map[data-loaded='141']", timeout=20_000)
    assert page.locator("#map").get_attribute("data-speedtests") is None
    control = page.locator(".leaflet-control-layers", has_text="Uji kecepatan")
    control.hover()
    control.locator("label", has_text="Uji kecepatan").locator("input").check()
    page.wait_for_selector("#map[data-speedtests='2']", timeout=10_000)
