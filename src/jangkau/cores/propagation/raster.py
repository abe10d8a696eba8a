r"""Best-server coverage rasters: where each tower's signal reaches over the terrain.

For every cell of a north-up grid in a projected CRS (for Kutai Timur UTM zone 50N,
EPSG:32650) the engine predicts the received reference-signal level from every site within
reach and keeps the best one and the index of the site that gives it:

.. math::

    P(c) = \max_i \max_{s \in S_i} \left[EIRP_{RE,i,s} - A_s(\varphi_{ic}, \theta_{ic})
           - L_i(c)\right] + G_{rx} - L_{other}

(:mod:`.linkbudget`, :mod:`.antenna`). Cells below ``min_signal_dbm`` (default -125 dBm, the
weak threshold less 10 dB) are left empty (no data).

Geometry
--------
Distances and azimuths are planar in the grid CRS from the site position to each cell centre.
In UTM the scale error is below 0.04 % within a zone and the meridian convergence at Kutai
Timur's latitudes (0–2° N) is below 0.1°, so grid north is taken as true north. Elevations come
from the DEM resampled (bilinear) onto the grid once per run; the slant distance
:math:`d_3 = \sqrt{d^2 + \Delta h^2}` between the antenna and a receiver ``rx_height_m`` above
the ground gives the free-space term and the depression angle of the antenna pattern.

Propagation models (``model``)
------------------------------
``"free_space"``
    Friis on the slant distance (:func:`.empirical.free_space_loss_db`). Terrain is ignored.
``"hata"``, ``"cost231"``
    Okumura–Hata or COST-231 Hata with ``params.environment`` on the horizontal distance, with
    :math:`h_b` the antenna height above the ground at the site (Hata's "effective height"
    above the mean terrain 3–15 km away is not computed) and :math:`h_m` the receiver height.
    By default the loss is floored at free space (``floor_free_space``), which matters below
    1 km, where Hata is extrapolated and can fall under Friis. Terrain is ignored.
    Out-of-range inputs are reported in :attr:`CoverageResult.notes`.
``"itm"``
    Longley–Rice ITM 1.2.2 point-to-point on terrain profiles (:mod:`.itm`, imported lazily).
    Per site, ``n_azimuths`` radials are sampled at ``profile_step_m`` (default: the grid
    resolution) up to ``max_radius_m``. ITM is evaluated on the prefix profiles ending at every
    ``itm_distance_step_m`` (default 1 km) along each radial, all radials of one distance in one
    vectorised call. The *excess loss* over free space, :math:`E = L_{ITM} - L_{fs}(d)`, is
    interpolated linearly in distance between those evaluation points (and from
    :math:`E = 0` at the site to the first point) and taken from the nearest radial in azimuth;
    the cell loss is :math:`L_{fs}(d_3) + E`. Prefixes longer than ``itm_max_profile_points``
    are decimated by an integer stride so that each ITM call stays bounded.

Accuracy trade-offs of the ITM raster
-------------------------------------
* Azimuth: with 360 radials the radial spacing is :math:`2\pi r / 360`: 175 m at 10 km and
  700 m at 40 km, so narrow terrain shadows far from a site are widened or missed.
* Distance: a terrain obstacle between two evaluation distances is seen only from the next one
  on, so shadow edges are blurred over up to ``itm_distance_step_m``.
* Profile step: ITM sees the terrain only at ``profile_step_m`` (and the decimation stride on
  long profiles); with the 9 km demo DEM this is far finer than the data anyway.
The ITM call count per site is ``max_radius_m / itm_distance_step_m`` and its work grows
with the square of the radius; the cell stage grows with the radius squared too.

Performance
-----------
Each site touches only the cells of its bounding square of radius ``R``: ``R`` is
``max_radius_m`` for ITM, and for the empirical models the distance at which even the boresight
level drops below ``min_signal_dbm`` (capped at ``max_radius_m``), and of those only the cells
whose centre is inside the disk. Sites may be computed by ``n_workers`` processes (threads do
not help: the ITM core is many small numpy operations and contends for the GIL); results are
merged in site order, so the raster does not depend on the number of workers. Ties keep the
lower site index.

GeoTIFF layout
--------------
:func:`write_coverage_geotiff` writes band 1 = signal (dBm) and band 2 = serving ``site_id``.
A GeoTIFF has one sample type for all bands, so both are float32 (site ids are exact below
:math:`2^{24}`); :func:`read_coverage_geotiff` returns the ids as int32. No data is -9999 in
both bands. Site ids, operators, model and notes are stored as dataset tags.

References
----------
.. [1] G. A. Hufford, A. G. Longley, W. A. Kissick, "A guide to the use of the ITS Irregular
   Terrain Model in the area prediction mode", NTIA Report 82-100, 1982.
.. [2] M. Hata, IEEE Trans. Veh. Tech. VT-29(3), 317–325, 1980.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from pyproj import CRS, Transformer

from .antenna import Sector, sector_attenuation_db
from .empirical import cost231_loss_db, free_space_loss_db, hata_loss_db
from .linkbudget import LinkBudget
from .terrain import FlatTerrain, Terrain

ENGINE_VERSION = "coverage-1"
"""Bumped whenever the engine's results change for the same inputs (part of the cache key)."""

MODELS = ("free_space", "hata", "cost231", "itm")
"""Propagation models accepted by :func:`compute_best_server`."""

GEOTIFF_NODATA = -9999.0
"""No-data value of both bands of the coverage GeoTIFF."""

_MAX_SITE_ID = 2**24
_NO_COVERAGE_EXCESS_DB = 1000.0


@dataclass(frozen=True)
class Site:
    """A transmitter site.

    Attributes
    ----------
    site_id : int
        Non-negative identifier below :math:`2^{24}` (written to the GeoTIFF).
    lon, lat : float
        Position in degrees (WGS 84).
    antenna_height_m : float
        Antenna height above ground, m.
    eirp_dbm : float
        Boresight EIRP in the convention of :class:`.linkbudget.LinkBudget`.
    freq_mhz : float
        Carrier frequency, MHz.
    sectors : tuple of Sector
        Sector antennas; empty for an omnidirectional antenna.
    operator : str
        Operator name.
    """

    site_id: int
    lon: float
    lat: float
    antenna_height_m: float
    eirp_dbm: float
    freq_mhz: float
    sectors: tuple[Sector, ...] = ()
    operator: str = ""

    def __post_init__(self) -> None:
        if not 0 <= int(self.site_id) < _MAX_SITE_ID:
            raise ValueError(f"site_id must be in [0, 2**24), got {self.site_id}")
        if self.antenna_height_m <= 0 or self.freq_mhz <= 0:
            raise ValueError("antenna height and frequency must be positive")
        object.__setattr__(self, "sectors", tuple(self.sectors))


@dataclass(frozen=True)
class GridSpec:
    """A north-up grid in a projected CRS with square cells.

    The grid's origin is its upper-left corner ``(xmin, ymax)``; ``width`` and ``height`` are
    rounded up so that the cells cover the bounds.

    Attributes
    ----------
    xmin, ymin, xmax, ymax : float
        Bounds in the grid CRS (metres).
    resolution_m : float
        Cell size, m.
    crs : str
        A projected CRS with metre units (default EPSG:32650, UTM 50N).
    """

    xmin: float
    ymin: float
    xmax: float
    ymax: float
    resolution_m: float
    crs: str = "EPSG:32650"

    def __post_init__(self) -> None:
        if self.resolution_m <= 0 or self.xmax <= self.xmin or self.ymax <= self.ymin:
            raise ValueError("invalid grid bounds or resolution")
        crs = CRS.from_user_input(self.crs)
        if not crs.is_projected or crs.axis_info[0].unit_name not in ("metre", "meter"):
            raise ValueError(f"grid CRS must be projected in metres, got {self.crs}")

    @classmethod
    def from_lonlat_bounds(
        cls,
        lon_min: float,
        lat_min: float,
        lon_max: float,
        lat_max: float,
        resolution_m: float,
        crs: str = "EPSG:32650",
    ) -> GridSpec:
        """Grid covering a lon/lat box, bounds snapped outwards to multiples of the resolution."""
        to_grid = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        x0, y0, x1, y1 = to_grid.transform_bounds(
            lon_min, lat_min, lon_max, lat_max, densify_pts=51
        )
        r = float(resolution_m)
        return cls(
            math.floor(x0 / r) * r,
            math.floor(y0 / r) * r,
            math.ceil(x1 / r) * r,
            math.ceil(y1 / r) * r,
            r,
            crs,
        )

    @property
    def width(self) -> int:
        """Number of columns."""
        return int(math.ceil((self.xmax - self.xmin) / self.resolution_m - 1e-9))

    @property
    def height(self) -> int:
        """Number of rows."""
        return int(math.ceil((self.ymax - self.ymin) / self.resolution_m - 1e-9))

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols)."""
        return self.height, self.width

    @property
    def transform(self) -> Affine:
        """Cell-corner affine transform (rasterio convention), north-up."""
        r = self.resolution_m
        return Affine(r, 0.0, self.xmin, 0.0, -r, self.ymax)


@dataclass(frozen=True)
class ItmParams:
    """Keyword arguments passed to :func:`.itm.itm_p2p` (see that module)."""

    polarization: str = "vertical"
    climate: str = "equatorial"
    epsilon: float = 15.0
    sigma: float = 0.005
    ns: float = 360.0
    time_pct: float = 50.0
    location_pct: float = 50.0
    situation_pct: float = 50.0


@dataclass(frozen=True)
class CoverageParams:
    """Parameters of a coverage run (all are part of the cache key).

    Attributes
    ----------
    environment : str
        Hata / COST-231 environment (``urban``, ``urban_large``, ``suburban``, ``open``).
    rx_height_m : float
        Receiver height above ground, m.
    max_radius_m : float
        Largest distance computed from any site, m.
    min_signal_dbm : float
        Levels below this are no data (default -125 dBm = weak threshold - 10 dB).
    link : LinkBudget
        EIRP convention and receiver gains/losses.
    floor_free_space : bool
        Floor empirical losses at free space.
    n_azimuths : int
        ITM: number of radials per site.
    profile_step_m : float or None
        ITM: terrain sample step along radials; ``None`` = grid resolution.
    itm_distance_step_m : float
        ITM: spacing of the distances at which ITM is evaluated along each radial.
    itm_max_profile_points : int
        ITM: longer prefix profiles are decimated by an integer stride to at most this many.
    itm : ItmParams
        ITM keyword arguments.
    """

    environment: str = "urban"
    rx_height_m: float = 1.5
    max_radius_m: float = 40_000.0
    min_signal_dbm: float = -125.0
    link: LinkBudget = field(default_factory=LinkBudget)
    floor_free_space: bool = True
    n_azimuths: int = 360
    profile_step_m: float | None = None
    itm_distance_step_m: float = 1000.0
    itm_max_profile_points: int = 401
    itm: ItmParams = field(default_factory=ItmParams)

    def __post_init__(self) -> None:
        if self.rx_height_m <= 0 or self.max_radius_m <= 0:
            raise ValueError("rx_height_m and max_radius_m must be positive")
        if self.n_azimuths < 4 or self.itm_distance_step_m <= 0:
            raise ValueError("n_azimuths must be >= 4 and itm_distance_step_m positive")
        if self.itm_max_profile_points < 3:
            raise ValueError("itm_max_profile_points must be >= 3")


@dataclass
class CoverageResult:
    """Best-server coverage raster.

    Attributes
    ----------
    signal_dbm : numpy.ndarray
        (rows, cols) float32 best received level; NaN = no site above ``min_signal_dbm``.
    serving : numpy.ndarray
        (rows, cols) int32 index into ``site_ids`` of the best server; -1 = none.
    transform : affine.Affine
        North-up cell-corner transform.
    crs : str
        CRS of the grid (any pyproj user input; compare with :func:`pyproj.CRS.from_user_input`).
    site_ids : tuple of int
        ``site_id`` of each site, in input order.
    operators : tuple of str
        Operator of each site.
    model : str
        Propagation model used.
    min_signal_dbm : float
        Floor below which cells are empty.
    inputs_hash : str
        :func:`coverage_inputs_hash` of the inputs, if known.
    notes : tuple of str
        Model validity notes and warnings.
    """

    signal_dbm: np.ndarray
    serving: np.ndarray
    transform: Affine
    crs: str
    site_ids: tuple[int, ...]
    operators: tuple[str, ...]
    model: str = ""
    min_signal_dbm: float = float("nan")
    inputs_hash: str = ""
    notes: tuple[str, ...] = ()

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols)."""
        return self.signal_dbm.shape

    @property
    def resolution_m(self) -> float:
        """Cell size in CRS units."""
        return float(abs(self.transform.a))

    @property
    def cell_area_m2(self) -> float:
        """Area of one cell in CRS units squared."""
        return float(abs(self.transform.a * self.transform.e - self.transform.b * self.transform.d))

    def serving_site_id(self) -> np.ndarray:
        """(rows, cols) int32 ``site_id`` of the best server, -1 where none."""
        ids = np.asarray(self.site_ids, dtype=np.int32)
        out = np.full(self.serving.shape, -1, dtype=np.int32)
        has = self.serving >= 0
        out[has] = ids[self.serving[has]]
        return out

    def rowcol(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of the cells containing lon/lat points (may fall outside)."""
        to_grid = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        x, y = to_grid.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        inv = ~self.transform
        col = np.floor(inv.a * np.asarray(x) + inv.b * np.asarray(y) + inv.c).astype(int)
        row = np.floor(inv.d * np.asarray(x) + inv.e * np.asarray(y) + inv.f).astype(int)
        return row, col


ProgressCallback = Callable[[int, int], None]


def coverage_inputs_hash(
    sites: Sequence[Site], grid: GridSpec, terrain_id: str, model: str, params: CoverageParams
) -> str:
    """SHA-256 (hex) of the canonical JSON of everything that determines a coverage result.

    The JSON has sorted keys, no whitespace and includes :data:`ENGINE_VERSION`; floats are
    written with Python's shortest round-trip representation.

    Parameters
    ----------
    sites, grid, model, params
        As for :func:`compute_best_server`.
    terrain_id : str
        Identifier of the terrain (e.g. :attr:`.terrain.Terrain.identifier`).
    """
    payload = {
        "engine": ENGINE_VERSION,
        "sites": [asdict(site) for site in sites],
        "grid": asdict(grid),
        "terrain": terrain_id,
        "model": model,
        "params": asdict(params),
    }
    text = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), allow_nan=False, default=float
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _load_itm():
    """Import the ITM core lazily (it is an optional, heavier dependency of this module)."""
    from .itm import itm_p2p

    return itm_p2p


class _Context:
    """Per-run state shared by the site computations (read-only after construction).

    ``dem`` must already be on the grid (or flat); see :meth:`.terrain.Terrain.reprojected`.
    """

    def __init__(self, grid: GridSpec, dem, model: str, params: CoverageParams) -> None:
        self.grid = grid
        self.model = model
        self.params = params
        self.res = grid.resolution_m
        self.rows, self.cols = grid.shape
        self.dem = dem
        self.flat = isinstance(dem, FlatTerrain)
        self.itm = _load_itm() if model == "itm" else None
        self.step = float(params.profile_step_m or self.res)
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def _empirical_loss(ctx: _Context, d_m, d3_m, site: Site) -> np.ndarray:
    """Empirical path loss: horizontal distance ``d_m`` for Hata, slant ``d3_m`` for Friis."""
    p = ctx.params
    fs = free_space_loss_db(np.maximum(d3_m, 1.0) / 1000.0, site.freq_mhz)
    if ctx.model == "free_space":
        return fs
    d_km = np.maximum(d_m, 1.0) / 1000.0
    fn = hata_loss_db if ctx.model == "hata" else cost231_loss_db
    loss = fn(
        d_km, site.freq_mhz, site.antenna_height_m, p.rx_height_m, p.environment, warn=False
    ).loss_db
    return np.maximum(loss, fs) if p.floor_free_space else loss


def _site_validity_notes(ctx: _Context, site: Site) -> None:
    if ctx.model not in ("hata", "cost231"):
        return
    f_lo, f_hi = (150.0, 1500.0) if ctx.model == "hata" else (1500.0, 2000.0)
    if not f_lo <= site.freq_mhz <= f_hi:
        ctx.note(
            f"{ctx.model}: site {site.site_id} frequency {site.freq_mhz} MHz outside "
            f"{f_lo:g}-{f_hi:g} MHz (extrapolated)"
        )
    if not 30.0 <= site.antenna_height_m <= 200.0:
        ctx.note(
            f"{ctx.model}: site {site.site_id} antenna height {site.antenna_height_m} m "
            "outside 30-200 m (extrapolated)"
        )
    if not 1.0 <= ctx.params.rx_height_m <= 10.0:
        ctx.note(f"{ctx.model}: receiver height outside 1-10 m (extrapolated)")


def _empirical_radius(ctx: _Context, site: Site, max_loss_db: float) -> float:
    """Largest distance at which the boresight level can still reach ``min_signal_dbm``.

    Uses the loss on the horizontal distance, a lower bound of the cell loss (the slant
    distance is longer), so the radius is an upper bound of the reach.
    """
    p = ctx.params
    d = np.arange(1, int(p.max_radius_m // ctx.res) + 2) * ctx.res
    loss = _empirical_loss(ctx, d, d, site)
    reach = np.nonzero(loss <= max_loss_db)[0]
    if reach.size == 0:
        return 2.0 * ctx.res
    return float(min(p.max_radius_m, d[reach[-1]] + ctx.res))


def _itm_excess_table(ctx: _Context, site: Site, xs: float, ys: float, radius: float):
    """Excess loss over free space on radials: (knot distances (K+1,), table (n_az, K+1))."""
    p = ctx.params
    step = ctx.step
    n_az = p.n_azimuths
    az = np.deg2rad(np.arange(n_az) * (360.0 / n_az))
    n_pts = int(round(radius / step)) + 1
    dist = np.arange(n_pts) * step
    if ctx.flat:
        elev = np.full((n_az, n_pts), ctx.dem.value)
    else:
        elev = ctx.dem.sample_xy(
            xs + np.sin(az)[:, None] * dist[None, :], ys + np.cos(az)[:, None] * dist[None, :]
        )
    n_eval = int(round(radius / p.itm_distance_step_m))
    knots = [0.0]
    excess = [np.zeros(n_az)]
    max_int = p.itm_max_profile_points - 1
    kwargs = asdict(p.itm)
    seen: set[int] = set()
    n_bad = 0
    for k in range(1, n_eval + 1):
        n_j = min(int(round(k * p.itm_distance_step_m / step)), n_pts - 1)
        stride = max(1, math.ceil(n_j / max_int))
        n_j = (n_j // stride) * stride
        if n_j < 2 * stride or n_j in seen:
            continue
        seen.add(n_j)
        profiles = np.ascontiguousarray(elev[:, 0 : n_j + 1 : stride])
        result = ctx.itm(
            profiles, stride * step, site.freq_mhz, site.antenna_height_m, p.rx_height_m, **kwargs
        )
        loss = np.asarray(result.loss_db, dtype=float).reshape(n_az)
        d_j = n_j * step
        ex = loss - free_space_loss_db(d_j / 1000.0, site.freq_mhz)
        bad = ~np.isfinite(ex)
        n_bad += int(np.count_nonzero(bad))
        knots.append(d_j)
        excess.append(np.where(bad, _NO_COVERAGE_EXCESS_DB, ex))
    if n_bad:
        ctx.note(f"itm: {n_bad} non-finite ITM losses treated as no coverage")
    return np.asarray(knots), np.stack(excess, axis=1)


def _site_levels(ctx: _Context, site: Site, xs: float, ys: float):
    """Received level of one site: (flat grid indices int64, float32 levels) or None.

    Only cells whose centre lies within the site's radius and whose level is at least
    ``min_signal_dbm`` are returned.
    """
    p = ctx.params
    link = p.link
    grid = ctx.grid
    res = ctx.res
    eirps = [s.eirp_dbm if s.eirp_dbm is not None else site.eirp_dbm for s in site.sectors]
    eirps = eirps or [site.eirp_dbm]
    max_loss = float(link.max_path_loss_db(max(eirps), p.min_signal_dbm))
    _site_validity_notes(ctx, site)
    if ctx.model == "itm":
        radius = max(
            p.itm_distance_step_m,
            math.floor(p.max_radius_m / p.itm_distance_step_m) * p.itm_distance_step_m,
        )
    else:
        radius = _empirical_radius(ctx, site, max_loss)
    c0 = max(0, int(math.floor((xs - radius - grid.xmin) / res)))
    c1 = min(ctx.cols, int(math.ceil((xs + radius - grid.xmin) / res)))
    r0 = max(0, int(math.floor((grid.ymax - ys - radius) / res)))
    r1 = min(ctx.rows, int(math.ceil((grid.ymax - ys + radius) / res)))
    if c1 <= c0 or r1 <= r0:
        return None
    dx_cols = grid.xmin + (np.arange(c0, c1) + 0.5) * res - xs
    dy_rows = grid.ymax - (np.arange(r0, r1) + 0.5) * res - ys
    rr, cc = np.nonzero(dx_cols[None, :] ** 2 + dy_rows[:, None] ** 2 <= radius * radius)
    if rr.size == 0:
        return None
    dx = dx_cols[cc]
    dy = dy_rows[rr]
    rr += r0
    cc += c0
    d2 = dx * dx + dy * dy
    d = np.sqrt(d2)
    if ctx.flat:
        z_site = z_rx = ctx.dem.value
    else:
        z_site = float(ctx.dem.sample_xy(xs, ys))
        z_rx = ctx.dem.data[rr, cc].astype(float)
    dz = (z_site + site.antenna_height_m) - (z_rx + p.rx_height_m)
    d3 = np.sqrt(d2 + dz * dz)
    need_az = ctx.model == "itm" or bool(site.sectors)
    az = np.degrees(np.arctan2(dx, dy)) if need_az else None  # (-180, 180]
    keep = None
    if ctx.model == "itm":
        knots, table = _itm_excess_table(ctx, site, xs, ys, radius)
        n_az = table.shape[0]
        ia = np.rint(az * (n_az / 360.0)).astype(np.intp) % n_az
        j = np.clip(np.searchsorted(knots, d, side="right") - 1, 0, knots.size - 2)
        w = np.clip((d - knots[j]) / (knots[j + 1] - knots[j]), 0.0, 1.0)
        excess = table[ia, j] * (1.0 - w) + table[ia, j + 1] * w
        loss = free_space_loss_db(np.maximum(d3, 1.0) / 1000.0, site.freq_mhz) + excess
        keep = d <= knots[-1]
    else:
        loss = _empirical_loss(ctx, d, d3, site)
    if site.sectors:
        depression = np.degrees(np.arctan2(dz, d))
        level = None
        for sector, eirp in zip(site.sectors, eirps, strict=True):
            lvl = link.reference_eirp_dbm(eirp) - sector_attenuation_db(az, depression, sector)
            level = lvl if level is None else np.maximum(level, lvl)
    else:
        level = link.reference_eirp_dbm(eirps[0])
    rx = level - loss + (link.rx_gain_dbi - link.other_losses_db)
    ok = rx >= p.min_signal_dbm
    if keep is not None:
        ok &= keep
    flat_index = rr[ok].astype(np.int64) * ctx.cols + cc[ok]
    return flat_index, rx[ok].astype(np.float32)


_WORKER: _Context | None = None


def _worker_init(grid: GridSpec, dem_state, model: str, params: CoverageParams) -> None:
    """Build the per-process context from plain data (picklable under ``spawn``)."""
    global _WORKER
    if dem_state[0] == "flat":
        dem = FlatTerrain(dem_state[1])
    else:
        _, data, transform, crs_wkt, fill = dem_state
        dem = Terrain(data, transform, crs_wkt, nodata_fill=fill, outside_value=fill)
    _WORKER = _Context(grid, dem, model, params)


def _worker_job(site: Site, xs: float, ys: float):
    assert _WORKER is not None
    _WORKER.notes.clear()
    return _site_levels(_WORKER, site, xs, ys), list(_WORKER.notes)


def compute_best_server(
    sites: Sequence[Site],
    grid: GridSpec,
    terrain=None,
    model: str = "hata",
    params: CoverageParams | None = None,
    progress: ProgressCallback | None = None,
    *,
    n_workers: int = 1,
    mp_start: str = "spawn",
) -> CoverageResult:
    """Best-server coverage of ``sites`` on ``grid``.

    Parameters
    ----------
    sites : sequence of Site
        Transmitters; the serving index refers to this order.
    grid : GridSpec
        Output grid (north-up, projected CRS).
    terrain : Terrain or FlatTerrain, optional
        Elevation model; ``None`` = flat at 0 m. Used for heights (all models) and profiles
        (``itm``).
    model : {"free_space", "hata", "cost231", "itm"}
        Propagation model (see the module docstring).
    params : CoverageParams, optional
        Defaults if omitted.
    progress : callable, optional
        ``progress(done, total)`` called after each site is merged.
    n_workers : int
        Worker processes computing sites concurrently (1 = in this process). The result does
        not depend on it: sites are merged in input order.
    mp_start : str
        :mod:`multiprocessing` start method of the workers (``"spawn"`` is safe in threaded
        hosts such as a task worker; ``"fork"`` starts faster on Linux).

    Returns
    -------
    CoverageResult
    """
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}; use one of {MODELS}")
    params = params or CoverageParams()
    terrain = terrain if terrain is not None else FlatTerrain(0.0)
    sites = list(sites)
    ids = [int(s.site_id) for s in sites]
    if len(set(ids)) != len(ids):
        raise ValueError("site ids must be unique")
    dem = terrain.reprojected(grid.crs, grid.transform, grid.shape)
    ctx = _Context(grid, dem, model, params)
    to_grid = Transformer.from_crs("EPSG:4326", grid.crs, always_xy=True)
    xs, ys = to_grid.transform(
        np.array([s.lon for s in sites], dtype=float), np.array([s.lat for s in sites], dtype=float)
    )
    xs, ys = np.atleast_1d(xs), np.atleast_1d(ys)
    best = np.full(grid.shape, -np.inf, dtype=np.float32)
    serving = np.full(grid.shape, -1, dtype=np.int32)
    best_flat = best.reshape(-1)
    serving_flat = serving.reshape(-1)
    total = len(sites)

    def merge(i: int, out) -> None:
        if out is not None:
            index, rx = out
            better = rx > best_flat[index]
            index = index[better]
            best_flat[index] = rx[better]
            serving_flat[index] = i
        if progress is not None:
            progress(i + 1, total)

    if n_workers <= 1 or total <= 1:
        for i in range(total):
            merge(i, _site_levels(ctx, sites[i], float(xs[i]), float(ys[i])))
    else:
        if ctx.flat:
            dem_state = ("flat", dem.value)
        else:
            dem_state = ("grid", dem.data, dem.transform, dem.crs.to_wkt(), dem.outside_value)
        with ProcessPoolExecutor(
            max_workers=n_workers,
            mp_context=get_context(mp_start),
            initializer=_worker_init,
            initargs=(grid, dem_state, model, params),
        ) as pool:
            pending: deque = deque()
            next_i = 0
            for i in range(total):
                while next_i < total and len(pending) < 2 * n_workers:
                    pending.append(
                        pool.submit(
                            _worker_job, sites[next_i], float(xs[next_i]), float(ys[next_i])
                        )
                    )
                    next_i += 1
                out, notes = pending.popleft().result()
                for text in notes:
                    ctx.note(text)
                merge(i, out)
    signal = np.where(np.isfinite(best), best, np.float32(np.nan)).astype(np.float32)
    if model == "hata" or model == "cost231":
        ctx.note(f"{model}: distances below 1 km and above 20 km are extrapolated")
    return CoverageResult(
        signal_dbm=signal,
        serving=serving,
        transform=grid.transform,
        crs=grid.crs,
        site_ids=tuple(ids),
        operators=tuple(s.operator for s in sites),
        model=model,
        min_signal_dbm=float(params.min_signal_dbm),
        inputs_hash=coverage_inputs_hash(sites, grid, terrain.identifier, model, params),
        notes=tuple(ctx.notes),
    )


def write_coverage_geotiff(result: CoverageResult, path: str | Path) -> Path:
    """Write a coverage result as a two-band float32 GeoTIFF (see the module docstring).

    Parameters
    ----------
    result : CoverageResult
    path : str or pathlib.Path
        Destination (overwritten).

    Returns
    -------
    pathlib.Path
    """
    rows, cols = result.shape
    signal = np.where(np.isfinite(result.signal_dbm), result.signal_dbm, GEOTIFF_NODATA)
    ids = result.serving_site_id().astype(np.float32)
    ids[result.serving < 0] = GEOTIFF_NODATA
    profile = {
        "driver": "GTiff",
        "width": cols,
        "height": rows,
        "count": 2,
        "dtype": "float32",
        "crs": CRS.from_user_input(result.crs).to_wkt(),
        "transform": result.transform,
        "nodata": GEOTIFF_NODATA,
        "compress": "deflate",
    }
    if rows >= 256 and cols >= 256:
        profile.update(tiled=True, blockxsize=256, blockysize=256)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(signal.astype(np.float32), 1)
        dst.write(ids, 2)
        dst.set_band_description(1, "signal_dbm")
        dst.set_band_description(2, "serving_site_id")
        dst.update_tags(
            jangkau_model=result.model,
            jangkau_min_signal_dbm=repr(result.min_signal_dbm),
            jangkau_inputs_hash=result.inputs_hash,
            jangkau_site_ids=json.dumps(list(result.site_ids)),
            jangkau_operators=json.dumps(list(result.operators)),
            jangkau_notes=json.dumps(list(result.notes)),
            jangkau_crs=str(result.crs),
        )
    return Path(path)


def read_coverage_geotiff(path: str | Path) -> CoverageResult:
    """Read a GeoTIFF written by :func:`write_coverage_geotiff` back into a result."""
    with rasterio.open(path) as src:
        signal = src.read(1)
        ids = src.read(2)
        tags = src.tags()
        transform = src.transform
        crs = tags.get("jangkau_crs") or src.crs.to_string()
        nodata = src.nodata
    signal = np.where(signal == nodata, np.float32(np.nan), signal).astype(np.float32)
    site_ids = tuple(int(v) for v in json.loads(tags.get("jangkau_site_ids", "[]")))
    operators = tuple(json.loads(tags.get("jangkau_operators", "[]")))
    serving = np.full(ids.shape, -1, dtype=np.int32)
    has = ids != nodata
    if site_ids:
        order = np.argsort(site_ids)
        sorted_ids = np.asarray(site_ids)[order]
        pos = np.searchsorted(sorted_ids, ids[has].astype(np.int64))
        serving[has] = order[np.clip(pos, 0, len(site_ids) - 1)]
    return CoverageResult(
        signal_dbm=signal,
        serving=serving,
        transform=transform,
        crs=crs,
        site_ids=site_ids,
        operators=operators,
        model=tags.get("jangkau_model", ""),
        min_signal_dbm=float(tags.get("jangkau_min_signal_dbm", "nan")),
        inputs_hash=tags.get("jangkau_inputs_hash", ""),
        notes=tuple(json.loads(tags.get("jangkau_notes", "[]"))),
    )


__all__ = [
    "ENGINE_VERSION",
    "MODELS",
    "CoverageParams",
    "CoverageResult",
    "GridSpec",
    "ItmParams",
    "Sector",
    "Site",
    "Terrain",
    "FlatTerrain",
    "compute_best_server",
    "coverage_inputs_hash",
    "read_coverage_geotiff",
    "write_coverage_geotiff",
]
