"""The line-of-sight check of microwave hops (first Fresnel zone, Earth bulge)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from jangkau.planning.los import EARTH_RADIUS_M, SPEED_OF_LIGHT, fresnel_clearance


def _profile(length_m: float, elevations) -> SimpleNamespace:
    elevations = np.asarray(elevations, dtype=float)
    return SimpleNamespace(
        distances_m=np.linspace(0.0, length_m, elevations.size), elevations_m=elevations
    )


def test_a_short_hop_over_flat_ground_is_clear():
    result = fresnel_clearance(_profile(5_000, np.zeros(51)), 30, 30, 7000)
    # mid-path: F1 = sqrt(λ·2500·2500/5000) = 7.31 m, bulge 0.37 m → (30 − 0.37) / 7.31
    assert result.clear and result.worst_clearance == pytest.approx(4.0499, abs=1e-3)


def test_a_hill_in_the_middle_blocks_the_hop():
    ground = np.zeros(101)
    ground[50] = 45.0  # above the 30 m masts
    result = fresnel_clearance(_profile(10_000, ground), 30, 30, 7000)
    assert not result.clear and result.worst_clearance < 0
    assert result.worst_at_m == pytest.approx(5_000)


def test_an_obstacle_inside_sixty_percent_of_the_fresnel_zone_blocks():
    d, f = 10_000.0, 7000.0
    wavelength = SPEED_OF_LIGHT / (f * 1e6)
    f1 = math.sqrt(wavelength * (d / 2) * (d / 2) / d)
    bulge = (d / 2) ** 2 / (2 * (4 / 3) * EARTH_RADIUS_M)
    ground = np.zeros(101)
    for ratio, clear in ((0.5, False), (0.7, True)):
        ground[50] = 30.0 - bulge - ratio * f1  # the free height is ratio × F1
        result = fresnel_clearance(_profile(d, ground), 30, 30, f)
        assert result.clear is clear
        assert result.worst_clearance == pytest.approx(ratio, abs=1e-6)


def test_the_earth_bulge_blocks_a_long_hop_with_short_masts():
    result = fresnel_clearance(_profile(60_000, np.zeros(601)), 20, 20, 7000)
    assert not result.clear  # bulge at mid-path: 30 km² / (2 k R) ≈ 53 m > 20 m masts


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="two samples"):
        fresnel_clearance(_profile(1_000, [0.0]), 10, 10, 7000)
    with pytest.raises(ValueError, match="positive"):
        fresnel_clearance(_profile(1_000, [0.0, 0.0]), 10, 10, 0)
