"""Bing tile math against hand-checked tiles and an independent Web Mercator projection."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Transformer

from jangkau.measurements.quadkey import (
    lonlat_to_tile,
    quadkey_bounds,
    quadkey_centre,
    quadkey_to_tile,
    tile_bounds,
    tile_to_quadkey,
)

#: half the Web Mercator world width, metres (EPSG:3857).
HALF_WORLD = 20037508.342789244


def test_the_bing_documentation_example_decodes():
    # "Bing Maps Tile System": tile (3, 5) at level 3 has the quadkey 213.
    assert quadkey_to_tile("213") == (3, 5, 3)
    assert tile_to_quadkey(3, 5, 3) == "213"


def test_bounds_of_tile_213_by_hand():
    # x: 3/8 and 4/8 of 360° - 180° = -45° and 0°. y: atan(sinh(pi (1 - 2*5/8))) = -40.979898°,
    # atan(sinh(pi (1 - 2*6/8))) = -66.513260°.
    west, south, east, north = quadkey_bounds("213")
    assert (west, east) == (-45.0, 0.0)
    assert north == pytest.approx(-40.979898, abs=1e-6)
    assert south == pytest.approx(-66.513260, abs=1e-6)


def test_a_zoom_16_tile_at_sangatta():
    # lon 117.5: (117.5 + 180) / 360 * 2^16 = 54158.2 -> column 54158; lat 0.5: row 32676.
    assert lonlat_to_tile(117.5, 0.5, 16) == (54158, 32676)
    assert tile_to_quadkey(54158, 32676, 16) == "1323223330201310"
    west, south, east, north = quadkey_bounds("1323223330201310")
    assert west == pytest.approx(54158 / 65536 * 360 - 180, abs=1e-12)
    assert west <= 117.5 <= east and south <= 0.5 <= north
    lon, lat = quadkey_centre("1323223330201310")
    assert lon == pytest.approx((west + east) / 2, abs=1e-12)
    assert lat == pytest.approx((south + north) / 2, abs=1e-6)  # ~Mercator-linear at 0.5°


def test_bounds_agree_with_pyproj_web_mercator():
    to_lonlat = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)
    rng = np.random.default_rng(7)
    for _ in range(50):
        z = int(rng.integers(1, 20))
        x, y = (int(v) for v in rng.integers(0, 2**z, size=2))
        size = 2 * HALF_WORLD / 2**z
        west, north = to_lonlat.transform(-HALF_WORLD + x * size, HALF_WORLD - y * size)
        east, south = to_lonlat.transform(-HALF_WORLD + (x + 1) * size, HALF_WORLD - (y + 1) * size)
        got = tile_bounds(x, y, z)
        assert got == pytest.approx((west, south, east, north), abs=1e-7)
        assert quadkey_to_tile(tile_to_quadkey(x, y, z)) == (x, y, z)


@pytest.mark.parametrize("bad", ["", "1234", "12a", None, 213])
def test_a_malformed_quadkey_is_refused(bad):
    with pytest.raises(ValueError, match="not a quadkey"):
        quadkey_to_tile(bad)


def test_a_tile_outside_the_zoom_level_is_refused():
    with pytest.raises(ValueError):
        tile_to_quadkey(8, 0, 3)
    assert math.isfinite(quadkey_centre("0")[1])
