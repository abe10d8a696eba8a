r"""Bing Maps tile math: quadkeys, tile numbers and tile bounds (no Django).

Ookla's open-data tiles are Web Mercator tiles at zoom 16 named by their quadkey. A quadkey
has one digit per zoom level; digit :math:`i` (from the left, :math:`i = 1..z`) carries bit
:math:`z - i` of the tile column :math:`x` (value 1) and of the tile row :math:`y` (value 2),
rows counted from the north. The bounds of tile :math:`(x, y)` at zoom :math:`z` are

.. math::

    \lambda = \frac{x}{2^z}\,360^\circ - 180^\circ, \qquad
    \varphi = \arctan\Bigl(\sinh\bigl(\pi\,(1 - 2y/2^z)\bigr)\Bigr)

for its west/north corner, and the same at :math:`x + 1`, :math:`y + 1` for east/south. The
centre is taken at :math:`(x + \tfrac12, y + \tfrac12)`, the middle of the tile in Web Mercator.

References
----------
Schwartz, J. "Bing Maps Tile System." Microsoft Learn (MSDN), 2018.
"""

from __future__ import annotations

import math

#: the zoom level of Ookla's performance tiles.
OOKLA_ZOOM = 16


def quadkey_to_tile(quadkey: str) -> tuple[int, int, int]:
    """Return ``(x, y, zoom)`` of a quadkey; ValueError if it is not digits 0-3."""
    if not isinstance(quadkey, str) or not quadkey or any(c not in "0123" for c in quadkey):
        raise ValueError(f"{quadkey!r} is not a quadkey (digits 0-3)")
    x = y = 0
    zoom = len(quadkey)
    for i, digit in enumerate(quadkey):
        mask = 1 << (zoom - i - 1)
        value = ord(digit) - 48
        if value & 1:
            x |= mask
        if value & 2:
            y |= mask
    return x, y, zoom


def tile_to_quadkey(x: int, y: int, zoom: int) -> str:
    """The quadkey of tile ``(x, y)`` at ``zoom``."""
    if not (0 <= x < 2**zoom and 0 <= y < 2**zoom):
        raise ValueError(f"tile ({x}, {y}) does not exist at zoom {zoom}")
    digits = []
    for i in range(zoom, 0, -1):
        mask = 1 << (i - 1)
        digits.append(str((1 if x & mask else 0) + (2 if y & mask else 0)))
    return "".join(digits)


def _lon(x: float, zoom: int) -> float:
    return x / 2**zoom * 360.0 - 180.0


def _lat(y: float, zoom: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * y / 2**zoom))))


def tile_bounds(x: int, y: int, zoom: int) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` of a tile in degrees."""
    return _lon(x, zoom), _lat(y + 1, zoom), _lon(x + 1, zoom), _lat(y, zoom)


def tile_centre(x: int, y: int, zoom: int) -> tuple[float, float]:
    """``(lon, lat)`` of the tile's centre in Web Mercator."""
    return _lon(x + 0.5, zoom), _lat(y + 0.5, zoom)


def lonlat_to_tile(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    """The tile ``(x, y)`` holding a point (latitude within ±85.05°)."""
    n = 2**zoom
    x = int((lon + 180.0) / 360.0 * n)
    rad = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def quadkey_centre(quadkey: str) -> tuple[float, float]:
    """``(lon, lat)`` of a quadkey's tile centre."""
    return tile_centre(*quadkey_to_tile(quadkey))


def quadkey_bounds(quadkey: str) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` of a quadkey's tile."""
    return tile_bounds(*quadkey_to_tile(quadkey))
