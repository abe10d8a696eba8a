"""Point in polygon: the pin finds its village on the stored boundaries, or is refused."""

from __future__ import annotations

import pytest
from django.utils import translation
from shapely.geometry import Point
from shapely.ops import unary_union

from jangkau.reports.locate import OutsideRegency, village_code_at

from .conftest import BERAU_LAT, BERAU_LON, SANDARAN, SANDARAN_LAT, SANDARAN_LON

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are read in English (the source language) with English numbers."""
    with translation.override("en"):
        yield


def test_the_centroid_of_sandaran_is_found_in_sandaran(kutim):
    from jangkau.regions.models import Village

    village = Village.objects.get(code=SANDARAN)
    assert (village.centroid_lat, village.centroid_lon) == (SANDARAN_LAT, SANDARAN_LON)
    assert village_code_at(village.centroid_lat, village.centroid_lon) == SANDARAN


def test_a_point_inside_each_of_the_141_villages_finds_that_village(kutim):
    from jangkau.regions.models import Village

    villages = list(Village.objects.all())
    assert len(villages) == 141
    for village in villages:
        inside = village.geometry.representative_point()
        assert village_code_at(inside.y, inside.x) == village.code


def test_a_point_outside_the_regency_is_refused_with_a_clear_message(kutim):
    with pytest.raises(OutsideRegency) as refused:
        village_code_at(BERAU_LAT, BERAU_LON)
    assert "is outside Kabupaten Kutai Timur" in str(refused.value)
    assert "Did you mean" not in str(refused.value)


def test_a_latitude_with_the_wrong_sign_is_refused_with_a_hint(kutim):
    with pytest.raises(OutsideRegency) as refused:
        village_code_at(-SANDARAN_LAT, SANDARAN_LON)
    assert "Did you mean latitude 0.94458?" in str(refused.value)


def test_a_sliver_between_the_village_boundaries_goes_to_the_nearest_village(kutim):
    from jangkau.regions.models import Regency, Village

    villages = list(Village.objects.all())
    covered = unary_union([v.geometry for v in villages])
    gaps = Regency.objects.get(code="64.08").geometry.difference(covered)
    sliver = max(gaps.geoms, key=lambda g: g.area)
    point = sliver.representative_point()
    assert not any(v.geometry.intersects(point) for v in villages)
    nearest = min(villages, key=lambda v: v.geometry.distance(point))
    assert village_code_at(point.y, point.x) == nearest.code


def test_just_off_the_coast_is_tolerated_but_a_kilometre_out_is_not(kutim):
    from jangkau.regions.models import Regency, Village

    regency = Regency.objects.get(code="64.08").geometry
    villages = list(Village.objects.all())
    # Walk east from Sandaran's centroid to the sea (past every village and the regency line).
    lon = SANDARAN_LON
    while regency.covers(Point(lon, SANDARAN_LAT)) or any(
        v.geometry.covers(Point(lon, SANDARAN_LAT)) for v in villages
    ):
        lon += 0.0002
    offshore = Point(lon + 100 / 111_320, SANDARAN_LAT)  # about 100 m out
    coastal = min(villages, key=lambda v: v.geometry.distance(offshore))
    assert village_code_at(offshore.y, offshore.x) == coastal.code
    with pytest.raises(OutsideRegency):
        village_code_at(SANDARAN_LAT, lon + 1000 / 111_320)  # about 1 km out


def test_a_changed_boundary_is_seen_without_a_restart(kutim):
    from jangkau.regions.models import Village

    assert village_code_at(SANDARAN_LAT, SANDARAN_LON) == SANDARAN
    other = Village.objects.get(code="64.08.05.2001")
    # A boundary import stores the new polygon and recomputes the derived figures.
    other.boundary = {
        "type": "Polygon",
        "coordinates": [[[119.4, 0.9], [119.6, 0.9], [119.6, 1.1], [119.4, 1.1], [119.4, 0.9]]],
    }
    other.area_km2 = 493.0
    other.save()
    assert village_code_at(1.0, 119.5) == "64.08.05.2001"
