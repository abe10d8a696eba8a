"""Remoteness classes and great-circle distances."""

from __future__ import annotations

import pytest

from jangkau.cores.geo import area_km2, haversine_km
from jangkau.cores.remoteness import RemotenessThresholds, classify, remoteness


def test_one_degree_of_longitude_on_the_equator_is_111_km():
    assert haversine_km(117.0, 0.0, 118.0, 0.0) == pytest.approx(111.195, abs=0.01)


def test_a_square_tenth_of_a_degree_at_the_equator_has_the_expected_area():
    from shapely.geometry import box

    # 0.1° x 0.1° at the equator on WGS84: 11.13 km x 11.06 km ≈ 123.1 km²
    assert area_km2(box(117.0, 0.0, 117.1, 0.1)) == pytest.approx(123.1, rel=0.003)


@pytest.mark.parametrize(
    ("d_seat", "d_kec", "island", "expected"),
    [
        (10, 5, False, 1),
        (25.0, 5, False, 1),  # the boundary belongs to the inner class
        (25.1, 5, False, 2),
        (60, 26, False, 3),  # far from its kecamatan centre
        (80, 5, False, 3),
        (151, 5, False, 4),
        (5, 1, True, 4),  # an island is very remote wherever it is
    ],
)
def test_classes_follow_the_documented_rule(d_seat, d_kec, island, expected):
    assert classify(d_seat, d_kec, island) == expected


def test_thresholds_are_parameters():
    assert classify(30, 5, False, RemotenessThresholds(central_seat_km=40)) == 1


def test_remoteness_computes_both_distances():
    r = remoteness(118.0, 0.0, (117.0, 0.0), (118.0, 0.1), False, True)
    assert r.distance_to_seat_km == pytest.approx(111.2, abs=0.1)
    assert r.distance_to_kecamatan_km == pytest.approx(11.1, abs=0.1)
    assert r.remoteness_class == 3 and r.label == "terpencil" and r.is_coastal
