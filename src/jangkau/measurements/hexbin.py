r"""Aggregate points into flat-top hexagons in a projected CRS (no Django).

Points (longitude/latitude) are projected to UTM zone 50N (EPSG:32650, metres; Kutai Timur lies
in it) and assigned to a hexagon of a flat-top grid with circumradius :math:`R` (the width
across corners is :math:`2R`). With axial coordinates :math:`(q, r)` the centre of a hexagon is

.. math::

    x = \tfrac32 R\,q, \qquad y = \sqrt3\,R\,\bigl(r + \tfrac{q}{2}\bigr)

and a point :math:`(x, y)` falls in the hexagon obtained by rounding the fractional cube
coordinates :math:`q' = \tfrac23 x / R`, :math:`r' = (-\tfrac13 x + \tfrac{\sqrt3}{3} y) / R`,
:math:`s' = -q' - r'` to integers and resetting the component with the largest rounding error
to minus the sum of the other two. Each hexagon reports its count and the median of every value
array (NaN ignored).

References
----------
Patel, A. "Hexagonal Grids." Red Blob Games, 2013 (updated 2021).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from pyproj import Transformer

#: the projected CRS of the grid (UTM zone 50N, metres).
GRID_CRS = "EPSG:32650"
SQRT3 = math.sqrt(3.0)


@dataclass(frozen=True)
class HexBin:
    """One occupied hexagon: axial coordinates, its corners (lon, lat), count and medians."""

    q: int
    r: int
    count: int
    corners: tuple[tuple[float, float], ...]
    medians: dict[str, float | None] = field(default_factory=dict)


def axial_round(qf: np.ndarray, rf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Round fractional axial coordinates to the hexagon that holds them."""
    sf = -qf - rf
    q, r, s = np.rint(qf), np.rint(rf), np.rint(sf)
    dq, dr, ds = np.abs(q - qf), np.abs(r - rf), np.abs(s - sf)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    q = np.where(fix_q, -r - s, q)
    r = np.where(fix_r, -q - s, r)
    return q.astype(np.int64), r.astype(np.int64)


def hex_of(x: np.ndarray, y: np.ndarray, radius_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Axial coordinates of the hexagons holding projected points ``(x, y)``."""
    qf = (2.0 / 3.0) * np.asarray(x, dtype=float) / radius_m
    rf = (-x / 3.0 + SQRT3 / 3.0 * np.asarray(y, dtype=float)) / radius_m
    return axial_round(qf, rf)


def hex_centre(q: int, r: int, radius_m: float) -> tuple[float, float]:
    """Projected centre of hexagon ``(q, r)``."""
    return 1.5 * radius_m * q, SQRT3 * radius_m * (r + q / 2.0)


def hex_corners(q: int, r: int, radius_m: float) -> list[tuple[float, float]]:
    """The six projected corners of hexagon ``(q, r)``, counter-clockwise from the east."""
    cx, cy = hex_centre(q, r, radius_m)
    return [
        (
            cx + radius_m * math.cos(math.radians(60 * i)),
            cy + radius_m * math.sin(math.radians(60 * i)),
        )
        for i in range(6)
    ]


def hex_bins(
    lons, lats, values: dict[str, np.ndarray] | None = None, width_km: float = 2.0
) -> list[HexBin]:
    """Bin points into hexagons ``width_km`` wide (across corners).

    Parameters
    ----------
    lons, lats : array-like of float, degrees (WGS84).
    values : name -> array of the same length; each hexagon gets the median of each (NaN
        ignored; None when a hexagon has no value).
    width_km : width of a hexagon across its corners, km (:math:`2R`).

    Returns
    -------
    list of HexBin, ordered by (q, r).
    """
    lons = np.asarray(lons, dtype=float)
    lats = np.asarray(lats, dtype=float)
    if lons.shape != lats.shape:
        raise ValueError("lons and lats differ in length")
    if not width_km > 0:
        raise ValueError("width_km must be > 0")
    if lons.size == 0:
        return []
    radius = width_km * 1000.0 / 2.0
    to_grid = Transformer.from_crs("EPSG:4326", GRID_CRS, always_xy=True)
    to_lonlat = Transformer.from_crs(GRID_CRS, "EPSG:4326", always_xy=True)
    x, y = to_grid.transform(lons, lats)
    q, r = hex_of(np.asarray(x), np.asarray(y), radius)
    order = np.lexsort((r, q))
    q, r = q[order], r[order]
    arrays = {name: np.asarray(v, dtype=float)[order] for name, v in (values or {}).items()}
    change = np.nonzero((np.diff(q) != 0) | (np.diff(r) != 0))[0] + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [q.size]))
    bins = []
    for start, end in zip(starts, ends, strict=True):
        hq, hr = int(q[start]), int(r[start])
        corners = hex_corners(hq, hr, radius)
        cx, cy = to_lonlat.transform([c[0] for c in corners], [c[1] for c in corners])
        ring = tuple((round(a, 6), round(b, 6)) for a, b in zip(cx, cy, strict=True))
        medians = {}
        for name, arr in arrays.items():
            chunk = arr[start:end]
            chunk = chunk[~np.isnan(chunk)]
            medians[name] = float(np.median(chunk)) if chunk.size else None
        bins.append(HexBin(hq, hr, int(end - start), ring, medians))
    return bins
