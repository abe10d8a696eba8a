"""Hexagon binning: the right hexagon, counts and medians, a gap-free flat-top tiling."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Transformer
from shapely.geometry import Point, Polygon

from jangkau.measurements.hexbin import GRID_CRS, hex_bins, hex_centre, hex_corners, hex_of

TO_LONLAT = Transformer.from_crs(GRID_CRS, "EPSG:4326", always_xy=True)
TO_GRID = Transformer.from_crs("EPSG:4326", GRID_CRS, always_xy=True)
R = 1000.0  # 2 km wide across corners


def test_points_fall_in_the_hexagon_whose_centre_is_nearest():
    rng = np.random.default_rng(11)
    x = rng.uniform(400_000, 460_000, 5000)
    y = rng.uniform(40_000, 100_000, 5000)
    q, r = hex_of(x, y, R)
    for dq, dr in [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1)]:
        cx, cy = hex_centre(q + dq, r + dr, R)
        own_x, own_y = hex_centre(q, r, R)
        own = np.hypot(x - own_x, y - own_y)
        assert np.all(own <= np.hypot(x - cx, y - cy) + 1e-6)
    own_x, own_y = hex_centre(q, r, R)
    assert np.all(np.hypot(x - own_x, y - own_y) <= R + 1e-6)


def test_a_hexagon_is_flat_topped_with_the_right_area():
    corners = hex_corners(3, -2, R)
    hexagon = Polygon(corners)
    assert hexagon.area == pytest.approx(3 * math.sqrt(3) / 2 * R**2)
    ys = sorted(round(c[1], 6) for c in corners)
    assert ys[-1] == ys[-2]  # two corners share the top edge: flat top
    assert hexagon.contains(Point(*hex_centre(3, -2, R)))


def test_counts_and_medians_per_hexagon():
    # 5 points near the centre of hexagon (200, 30), 3 near (201, 30); values known.
    groups = {(200, 30): [10.0, 20.0, 30.0, 40.0, math.nan], (201, 30): [1.0, 2.0, 9.0]}
    lons, lats, values = [], [], []
    rng = np.random.default_rng(3)
    for (q, r), vals in groups.items():
        cx, cy = hex_centre(q, r, R)
        for v in vals:
            angle, dist = rng.uniform(0, 2 * math.pi), rng.uniform(0, 0.8 * R * math.sqrt(3) / 2)
            lon, lat = TO_LONLAT.transform(cx + dist * math.cos(angle), cy + dist * math.sin(angle))
            lons.append(lon)
            lats.append(lat)
            values.append(v)
    bins = hex_bins(lons, lats, {"download_mbps": values}, width_km=2.0)
    got = {(b.q, b.r): (b.count, b.medians["download_mbps"]) for b in bins}
    assert got == {(200, 30): (5, 25.0), (201, 30): (3, 2.0)}
    ring = bins[0].corners
    x, y = TO_GRID.transform([c[0] for c in ring], [c[1] for c in ring])
    assert Polygon(zip(x, y, strict=True)).area == pytest.approx(
        3 * math.sqrt(3) / 2 * R**2, rel=1e-4
    )


def test_no_points_no_bins_and_bad_width_refused():
    assert hex_bins([], []) == []
    with pytest.raises(ValueError):
        hex_bins([117.5], [0.5], width_km=0)
