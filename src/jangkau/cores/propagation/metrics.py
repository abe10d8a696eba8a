r"""Per-village coverage metrics from a best-server raster.

For a village polygon *V* (lon/lat, transformed into the raster CRS) the cells whose centres
fall inside *V* (:func:`rasterio.features.geometry_mask`, ``all_touched=False``) form the set
:math:`C_V`, :math:`n = |C_V|`. With :math:`s(c)` the best signal and :math:`T_g`, :math:`T_w`
the good and weak thresholds:

* area share covered at level *T*: :math:`a_T = |\{c \in C_V : s(c) \ge T\}| / n`
  (the grid is equal-area to within the UTM scale error, so a cell count is an area share);
* people covered: :math:`P_T = P_V \cdot a_T`. This assumes the village population is spread
  uniformly over its area, which it is not (people live along rivers and roads), so it is an
  **estimate**; a population grid would replace the uniform assumption;
* best site and operator: the site serving the most cells covered at the weak level or better
  (ties: lowest site index); none if no cell is covered;
* median signal :math:`\tilde{s}` over :math:`C_V`, with empty cells counted at the raster's
  ``min_signal_dbm`` (so a median at the floor means "at most the floor");
* margins :math:`\tilde{s} - T_g` and :math:`\tilde{s} - T_w` (dB; negative = below).

A village smaller than one cell has no cell centre inside it; it is then represented by the
cell containing its representative point (``sampled_at_point=True``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from affine import Affine
from pyproj import Transformer
from rasterio.features import geometry_mask

from .linkbudget import DEFAULT_THRESHOLDS, ServiceThresholds
from .raster import CoverageResult


@dataclass(frozen=True)
class Village:
    """A village polygon with its population.

    Attributes
    ----------
    village_id : str
        Identifier (e.g. the Kemendagri code).
    geometry : shapely geometry
        Polygon or MultiPolygon in lon/lat (WGS 84).
    population : float
        Population of the village (0 if unknown).
    """

    village_id: str
    geometry: shapely.Geometry
    population: float = 0.0


@dataclass(frozen=True)
class VillageMetrics:
    """Coverage metrics of one village (see the module docstring for the definitions).

    Attributes
    ----------
    village_id : str
    n_cells : int
        Raster cells representing the village.
    area_km2 : float
        Polygon area in the raster CRS, km².
    share_good, share_weak : float
        Area shares with signal >= good / >= weak threshold (weak includes good); NaN when the
        village lies outside the raster.
    people_good, people_weak : float
        ``population * share``: estimates assuming uniform density.
    best_site_id : int or None
        ``site_id`` serving the most covered (>= weak) cells.
    best_operator : str or None
        Operator of that site.
    median_signal_dbm : float
        Median best signal over the village's cells (empty cells at the floor).
    margin_good_db, margin_weak_db : float
        Median signal minus the good / weak threshold.
    sampled_at_point : bool
        True if the village was smaller than a cell and sampled at its representative point.
    """

    village_id: str
    n_cells: int
    area_km2: float
    share_good: float
    share_weak: float
    people_good: float
    people_weak: float
    best_site_id: int | None
    best_operator: str | None
    median_signal_dbm: float
    margin_good_db: float
    margin_weak_db: float
    sampled_at_point: bool = False


def _to_raster_crs(geometry: shapely.Geometry, transformer: Transformer) -> shapely.Geometry:
    def project(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geometry, project)


def _cells(result: CoverageResult, geom: shapely.Geometry, all_touched: bool):
    """Flat indices of the raster cells representing ``geom`` and the point-sample flag."""
    rows, cols = result.shape
    inv = ~result.transform
    x0, y0, x1, y1 = geom.bounds
    corners_c, corners_r = [], []
    for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1)):
        corners_c.append(inv.a * x + inv.b * y + inv.c)
        corners_r.append(inv.d * x + inv.e * y + inv.f)
    c0 = max(0, int(np.floor(min(corners_c))))
    c1 = min(cols, int(np.ceil(max(corners_c))))
    r0 = max(0, int(np.floor(min(corners_r))))
    r1 = min(rows, int(np.ceil(max(corners_r))))
    if c1 > c0 and r1 > r0:
        t = result.transform
        window_transform = Affine(
            t.a, t.b, t.c + c0 * t.a + r0 * t.b, t.d, t.e, t.f + c0 * t.d + r0 * t.e
        )
        inside = geometry_mask(
            [geom],
            out_shape=(r1 - r0, c1 - c0),
            transform=window_transform,
            invert=True,
            all_touched=all_touched,
        )
        rr, cc = np.nonzero(inside)
        if rr.size:
            return (rr + r0) * cols + (cc + c0), False
    point = geom.representative_point()
    c = int(np.floor(inv.a * point.x + inv.b * point.y + inv.c))
    r = int(np.floor(inv.d * point.x + inv.e * point.y + inv.f))
    if 0 <= r < rows and 0 <= c < cols:
        return np.array([r * cols + c]), True
    return np.array([], dtype=np.intp), False


def village_metrics(
    result: CoverageResult,
    villages: Iterable[Village],
    thresholds: ServiceThresholds = DEFAULT_THRESHOLDS,
    *,
    all_touched: bool = False,
) -> list[VillageMetrics]:
    """Coverage metrics per village.

    Parameters
    ----------
    result : CoverageResult
        Best-server raster.
    villages : iterable of Village
        Polygons in lon/lat with populations.
    thresholds : ServiceThresholds
        Good and weak levels.
    all_touched : bool
        Count every cell the polygon touches instead of cells whose centre is inside.

    Returns
    -------
    list of VillageMetrics
        In the order of ``villages``.
    """
    transformer = Transformer.from_crs("EPSG:4326", result.crs, always_xy=True)
    signal = result.signal_dbm.ravel()
    serving = result.serving.ravel()
    floor = result.min_signal_dbm if np.isfinite(result.min_signal_dbm) else -np.inf
    out: list[VillageMetrics] = []
    for village in villages:
        geom = _to_raster_crs(village.geometry, transformer)
        area_km2 = float(geom.area) / 1e6
        idx, at_point = _cells(result, geom, all_touched)
        if idx.size == 0:
            nan = float("nan")
            out.append(
                VillageMetrics(
                    village.village_id,
                    0,
                    area_km2,
                    nan,
                    nan,
                    nan,
                    nan,
                    None,
                    None,
                    nan,
                    nan,
                    nan,
                    False,
                )
            )
            continue
        sig = signal[idx].astype(float)
        with np.errstate(invalid="ignore"):
            good = sig >= thresholds.good_dbm
            weak = sig >= thresholds.weak_dbm
        share_good = float(np.count_nonzero(good)) / idx.size
        share_weak = float(np.count_nonzero(weak)) / idx.size
        best_site_id = best_operator = None
        covered_servers = serving[idx][weak & (serving[idx] >= 0)]
        if covered_servers.size:
            best = int(np.argmax(np.bincount(covered_servers)))
            best_site_id = int(result.site_ids[best])
            best_operator = result.operators[best] if result.operators else None
        median = float(np.median(np.where(np.isnan(sig), floor, sig)))
        out.append(
            VillageMetrics(
                village_id=village.village_id,
                n_cells=int(idx.size),
                area_km2=area_km2,
                share_good=share_good,
                share_weak=share_weak,
                people_good=village.population * share_good,
                people_weak=village.population * share_weak,
                best_site_id=best_site_id,
                best_operator=best_operator,
                median_signal_dbm=median,
                margin_good_db=median - thresholds.good_dbm,
                margin_weak_db=median - thresholds.weak_dbm,
                sampled_at_point=at_point,
            )
        )
    return out
