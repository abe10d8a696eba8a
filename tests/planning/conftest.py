"""Fixtures of the planning tests: scenarios that solve in well under a second, inventory rows."""

from __future__ import annotations

import pytest

#: villages used by name in the tests (codes of the real Kutai Timur data).
SANGATTA_UTARA = "64.08.04.2001"  # regency seat area: class 1, about 31,800 people
SANDARAN = "64.08.11.2001"  # very remote (class 4), no signal, about 2,500 people


@pytest.fixture
def data_dir(settings, tmp_path):
    """Every file the app writes (PDF reports) goes under this test's own directory."""
    settings.DATA_DIR = tmp_path / "var"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


@pytest.fixture
def cost_table(kutim):
    from jangkau.planning.costs import default_cost_table

    return default_cost_table()


@pytest.fixture
def make_scenario(cost_table):
    """A scenario that solves fast: two years, carry-forward, Rp 6 billion a year."""
    from jangkau.planning.models import Scenario

    def make(**overrides):
        values = {
            "name": "Dua tahun",
            "year_from": 2026,
            "year_to": 2027,
            "budgets": [6_000_000_000, 6_000_000_000],
            "carry_forward": True,
            "cost_table": cost_table,
            "curve_scales": [0.5, 1.0],
            "time_limit_seconds": 60,
        }
        values.update(overrides)
        scenario = Scenario(**values)
        scenario.full_clean()
        scenario.save()
        return scenario

    return make


@pytest.fixture
def solved(make_scenario):
    """A scenario solved through the background task (immediate backend in tests)."""
    from jangkau.planning.tasks import enqueue_run

    scenario = make_scenario()
    enqueue_run(scenario)
    scenario.refresh_from_db()
    return scenario


def point_in(village_code: str) -> tuple[float, float]:
    """(lat, lon) of a point inside a village's boundary."""
    from jangkau.regions.models import Village

    point = Village.objects.get(code=village_code).geometry.representative_point()
    return point.y, point.x


def make_site(code: str, village_code: str, **overrides):
    """An on-air inventory site inside a village (4G, unknown backhaul unless overridden)."""
    from jangkau.inventory.models import Site

    lat, lon = point_in(village_code)
    values = {
        "name": f"Site {code}",
        "operator": "telkomsel",
        "lat": lat,
        "lon": lon,
        "technologies": ["4G"],
        "status": "on_air",
        "source": "test inventory",
        "quality": "measured",
    }
    values.update(overrides)
    site = Site(code=code, **values)
    site.full_clean()
    site.save()
    return site
