r"""Digital elevation models: reading, bilinear sampling and great-circle terrain profiles.

A :class:`Terrain` holds one elevation band in memory with its affine transform and CRS (any
CRS rasterio understands: geographic EPSG:4326, UTM EPSG:32650, ...). Points are given in
longitude/latitude (WGS 84) and transformed into the raster CRS with pyproj.

Bilinear sampling
-----------------
Cell values are taken to sit at cell centres. For a point with fractional centre-based pixel
coordinates :math:`(c, r) = (c_0 + u, r_0 + v)`, :math:`0 \le u, v < 1`,

.. math::

    z = (1-u)(1-v) z_{r_0,c_0} + u (1-v) z_{r_0,c_0+1}
        + (1-u) v z_{r_0+1,c_0} + u v z_{r_0+1,c_0+1}.

Within the outer half cell of the raster the nearest edge value is used (clamped indices);
outside the raster the ``outside_value`` is returned.

Nodata
------
Nodata cells are replaced by ``nodata_fill`` (default 0 m) when the raster is loaded. For the
demo DEM shipped with the app the nodata cells are the sea, so 0 m is mean sea level; for a
land DEM with voids, fill the voids before loading or choose another fill value.

Profiles
--------
:meth:`Terrain.profile` samples the geodesic (great circle on the WGS 84 ellipsoid,
:class:`pyproj.Geod`) between two points at a uniform step no larger than the requested one,
both end points included; :meth:`Terrain.profiles_radial` samples many geodesics from one point
at the given azimuths, vectorised. The first sample of every profile is the start point, the
convention of the ITM point-to-point core.

References
----------
.. [1] C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87, 43–55, 2013 (pyproj.Geod).
.. [2] ESRI ASCII raster format (AAIGrid), GDAL driver documentation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from pyproj import CRS, Geod, Transformer
from rasterio.warp import Resampling, reproject

WGS84_GEOD = Geod(ellps="WGS84")
"""The WGS 84 ellipsoid used for all geodesic distances and azimuths."""

DEMO_DEM_PATH = (
    Path(__file__).resolve().parents[2] / "data" / "terrain" / "altitude_5arcmin_kutim_bbox.asc"
)
"""The demo DEM shipped with the app: 1/12° cells, 28 m steps, first-order context only
(see ``data/terrain/SOURCES.md``)."""


@dataclass(frozen=True)
class Profile:
    """A terrain profile along a geodesic.

    Attributes
    ----------
    distances_m : numpy.ndarray
        (n,) distance of each sample from the start, uniform step, first 0, last the path length.
    elevations_m : numpy.ndarray
        (n,) terrain elevation above the DEM's vertical datum.
    lon, lat : numpy.ndarray
        (n,) sample positions in degrees.
    step_m : float
        Actual uniform step (path length / number of intervals).
    """

    distances_m: np.ndarray
    elevations_m: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    step_m: float


@dataclass(frozen=True)
class RadialProfiles:
    """Terrain profiles along geodesics from one point at several azimuths.

    Attributes
    ----------
    azimuths_deg : numpy.ndarray
        (n_az,) azimuths clockwise from true north.
    distances_m : numpy.ndarray
        (n_pts,) common sample distances ``k * step_m``.
    elevations_m : numpy.ndarray
        (n_az, n_pts) elevations; column 0 is the centre point.
    lon, lat : numpy.ndarray
        (n_az, n_pts) sample positions in degrees.
    step_m : float
        Sample step.
    """

    azimuths_deg: np.ndarray
    distances_m: np.ndarray
    elevations_m: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    step_m: float


@dataclass(frozen=True)
class EsriAsciiGrid:
    """Contents of an ESRI ASCII grid file.

    Attributes
    ----------
    data : numpy.ndarray
        (nrows, ncols) float64 values, first row = northernmost; nodata cells keep their value.
    transform : affine.Affine
        North-up transform of the cell corners.
    nodata : float or None
        The ``NODATA_value`` of the header, if any.
    """

    data: np.ndarray
    transform: Affine
    nodata: float | None


def read_esri_ascii(path: str | Path) -> EsriAsciiGrid:
    """Read an ESRI ASCII grid (``.asc``).

    The header keys ``ncols``, ``nrows``, ``xllcorner``/``xllcenter``,
    ``yllcorner``/``yllcenter``, ``cellsize`` (or ``dx``/``dy``) and optional
    ``NODATA_value`` are read case-insensitively; the values follow row by row from north to
    south. A ``*center`` origin is shifted by half a cell to the lower-left corner.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.asc`` file.

    Returns
    -------
    EsriAsciiGrid
    """
    header: dict[str, float] = {}
    values: list[str] = []
    with open(path, encoding="ascii") as handle:
        for line in handle:
            tokens = line.split()
            if not tokens:
                continue
            if not values and tokens[0][0].isalpha():
                header[tokens[0].lower()] = float(tokens[1])
            else:
                values.extend(tokens)
    ncols, nrows = int(header["ncols"]), int(header["nrows"])
    dx = header.get("cellsize", header.get("dx"))
    dy = header.get("cellsize", header.get("dy"))
    if dx is None or dy is None:
        raise ValueError(f"{path}: no cellsize in header")
    if "xllcorner" in header:
        x0 = header["xllcorner"]
    else:
        x0 = header["xllcenter"] - dx / 2.0
    if "yllcorner" in header:
        y0 = header["yllcorner"]
    else:
        y0 = header["yllcenter"] - dy / 2.0
    data = np.array(values, dtype=float)
    if data.size != ncols * nrows:
        raise ValueError(f"{path}: expected {ncols * nrows} values, found {data.size}")
    transform = Affine(dx, 0.0, x0, 0.0, -dy, y0 + nrows * dy)
    nodata = header.get("nodata_value")
    return EsriAsciiGrid(data=data.reshape(nrows, ncols), transform=transform, nodata=nodata)


def esri_ascii_to_geotiff(
    asc_path: str | Path, tif_path: str | Path, crs: str = "EPSG:4326"
) -> Path:
    """Convert an ESRI ASCII grid to a single-band float32 GeoTIFF.

    Parameters
    ----------
    asc_path : str or pathlib.Path
        Source ``.asc``.
    tif_path : str or pathlib.Path
        Destination GeoTIFF (overwritten).
    crs : str
        CRS of the grid (an ``.asc`` carries none; a ``.prj`` beside it, if present, wins).

    Returns
    -------
    pathlib.Path
        ``tif_path``.
    """
    grid = read_esri_ascii(asc_path)
    crs_obj = _asc_crs(Path(asc_path), crs)
    nodata = grid.nodata
    with rasterio.open(
        tif_path,
        "w",
        driver="GTiff",
        width=grid.data.shape[1],
        height=grid.data.shape[0],
        count=1,
        dtype="float32",
        crs=crs_obj.to_wkt(),
        transform=grid.transform,
        nodata=nodata,
    ) as dst:
        dst.write(grid.data.astype(np.float32), 1)
    return Path(tif_path)


def _asc_crs(path: Path, default: str) -> CRS:
    prj = path.with_suffix(".prj")
    if prj.exists():
        return CRS.from_wkt(prj.read_text())
    return CRS.from_user_input(default)


def _geodesic_points(lon0, lat0, azimuths, distances):
    az = np.asarray(azimuths, dtype=float)
    dist = np.asarray(distances, dtype=float)
    az_b, dist_b = np.broadcast_arrays(az[:, None], dist[None, :])
    lon0_b = np.full(az_b.shape, float(lon0))
    lat0_b = np.full(az_b.shape, float(lat0))
    lon, lat, _ = WGS84_GEOD.fwd(lon0_b.ravel(), lat0_b.ravel(), az_b.ravel(), dist_b.ravel())
    return np.asarray(lon).reshape(az_b.shape), np.asarray(lat).reshape(az_b.shape)


class _ProfileMixin:
    """Geodesic profile sampling shared by :class:`Terrain` and :class:`FlatTerrain`."""

    def elevation(self, lon, lat) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def profile(self, lon1: float, lat1: float, lon2: float, lat2: float, step_m: float) -> Profile:
        """Sample the terrain along the geodesic from point 1 to point 2.

        Parameters
        ----------
        lon1, lat1, lon2, lat2 : float
            End points in degrees (WGS 84).
        step_m : float
            Maximum sample step in metres; the actual step is ``L / ceil(L / step_m)``.

        Returns
        -------
        Profile
        """
        if step_m <= 0:
            raise ValueError("step_m must be positive")
        az12, _, length = WGS84_GEOD.inv(lon1, lat1, lon2, lat2)
        n_int = max(1, int(np.ceil(length / step_m)))
        distances = np.linspace(0.0, length, n_int + 1)
        lon, lat = _geodesic_points(lon1, lat1, [az12], distances)
        lon, lat = lon[0], lat[0]
        lon[-1], lat[-1] = lon2, lat2
        return Profile(
            distances_m=distances,
            elevations_m=self.elevation(lon, lat),
            lon=lon,
            lat=lat,
            step_m=float(length / n_int),
        )

    def profiles_radial(
        self, lon0: float, lat0: float, azimuths, max_dist_m: float, step_m: float
    ) -> RadialProfiles:
        """Sample the terrain along geodesics from one point at several azimuths.

        Parameters
        ----------
        lon0, lat0 : float
            Centre in degrees.
        azimuths : array_like
            Azimuths in degrees clockwise from true north.
        max_dist_m : float
            Radius; samples are at ``k * step_m`` for ``k = 0 .. floor(max_dist_m / step_m)``.
        step_m : float
            Sample step in metres.

        Returns
        -------
        RadialProfiles
        """
        if step_m <= 0 or max_dist_m <= 0:
            raise ValueError("step_m and max_dist_m must be positive")
        az = np.atleast_1d(np.asarray(azimuths, dtype=float))
        distances = np.arange(int(np.floor(max_dist_m / step_m + 1e-9)) + 1) * float(step_m)
        lon, lat = _geodesic_points(lon0, lat0, az, distances)
        return RadialProfiles(
            azimuths_deg=az,
            distances_m=distances,
            elevations_m=self.elevation(lon, lat),
            lon=lon,
            lat=lat,
            step_m=float(step_m),
        )


class Terrain(_ProfileMixin):
    """An elevation raster in memory with bilinear sampling.

    Parameters
    ----------
    elevation : numpy.ndarray
        (rows, cols) elevations in metres; converted to float32.
    transform : affine.Affine
        Cell-corner transform (rasterio convention); need not be north-up.
    crs : str or pyproj.CRS or rasterio.crs.CRS
        CRS of the raster.
    nodata : float, optional
        Value marking missing cells; replaced by ``nodata_fill``. NaNs are always nodata.
    nodata_fill : float
        Elevation used for nodata cells (default 0 m, sea level: see the module docstring).
    outside_value : float, optional
        Returned for points outside the raster; default ``nodata_fill``.
    name : str
        Label used in :attr:`identifier`.
    """

    def __init__(
        self,
        elevation: np.ndarray,
        transform: Affine,
        crs,
        *,
        nodata: float | None = None,
        nodata_fill: float = 0.0,
        outside_value: float | None = None,
        name: str = "",
    ) -> None:
        data = np.array(elevation, dtype=np.float32)
        if data.ndim != 2:
            raise ValueError("elevation must be a 2-D array")
        missing = ~np.isfinite(data)
        if nodata is not None and np.isfinite(nodata):
            missing |= data == np.float32(nodata)
        data[missing] = nodata_fill
        self.data = data
        self.transform = Affine(*tuple(transform)[:6])
        self.crs = CRS.from_user_input(crs if not hasattr(crs, "to_wkt") else crs.to_wkt())
        self.nodata_fill = float(nodata_fill)
        self.outside_value = float(nodata_fill if outside_value is None else outside_value)
        self.n_nodata = int(np.count_nonzero(missing))
        self.name = name
        self._inverse = ~self.transform
        self._to_raster = Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        self._identifier: str | None = None

    @classmethod
    def from_file(
        cls,
        path: str | Path,
        *,
        crs: str | None = None,
        band: int = 1,
        nodata_fill: float = 0.0,
        outside_value: float | None = None,
    ) -> Terrain:
        """Load a DEM from a GeoTIFF (or any GDAL raster) or an ESRI ASCII grid.

        Parameters
        ----------
        path : str or pathlib.Path
            Raster file; ``.asc`` files are read with :func:`read_esri_ascii`.
        crs : str, optional
            CRS override; required knowledge for ``.asc`` (default EPSG:4326 unless a ``.prj``
            sidecar exists) and for rasters without a CRS.
        band : int
            Band to read (1-based).
        nodata_fill, outside_value : float
            See :class:`Terrain`.
        """
        path = Path(path)
        if path.suffix.lower() == ".asc":
            grid = read_esri_ascii(path)
            crs_obj = _asc_crs(path, crs or "EPSG:4326")
            return cls(
                grid.data,
                grid.transform,
                crs_obj,
                nodata=grid.nodata,
                nodata_fill=nodata_fill,
                outside_value=outside_value,
                name=path.name,
            )
        with rasterio.open(path) as src:
            data = src.read(band)
            src_crs = crs or src.crs
            if src_crs is None:
                raise ValueError(f"{path} has no CRS; pass crs=")
            return cls(
                data,
                src.transform,
                src_crs,
                nodata=src.nodata,
                nodata_fill=nodata_fill,
                outside_value=outside_value,
                name=path.name,
            )

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols) of the raster."""
        return self.data.shape

    @property
    def identifier(self) -> str:
        """A stable content identifier: name plus SHA-256 of values, transform and CRS."""
        if self._identifier is None:
            digest = hashlib.sha256()
            digest.update(self.data.tobytes())
            digest.update(repr(tuple(self.transform)[:6]).encode())
            digest.update(self.crs.to_wkt().encode())
            digest.update(repr((self.nodata_fill, self.outside_value)).encode())
            self._identifier = f"{self.name or 'dem'}:{digest.hexdigest()[:16]}"
        return self._identifier

    def sample_xy(self, x, y) -> np.ndarray:
        """Bilinear elevation at points given in the raster's own CRS.

        Parameters
        ----------
        x, y : array_like
            Coordinates in the raster CRS (same shape, or broadcastable).

        Returns
        -------
        numpy.ndarray
            float64 elevations, ``outside_value`` outside the raster.
        """
        x_b, y_b = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        inv = self._inverse
        col = inv.a * x_b + inv.b * y_b + inv.c
        row = inv.d * x_b + inv.e * y_b + inv.f
        rows, cols = self.data.shape
        inside = (col >= 0) & (col <= cols) & (row >= 0) & (row <= rows)
        # centre-based coordinates, clamped so that the outer half cell uses the edge value
        cc = np.clip(col - 0.5, 0.0, cols - 1.0)
        rr = np.clip(row - 0.5, 0.0, rows - 1.0)
        c0 = np.minimum(np.floor(cc).astype(np.intp), max(cols - 2, 0))
        r0 = np.minimum(np.floor(rr).astype(np.intp), max(rows - 2, 0))
        u = cc - c0
        v = rr - r0
        c1 = np.minimum(c0 + 1, cols - 1)
        r1 = np.minimum(r0 + 1, rows - 1)
        z = self.data
        out = (
            (1.0 - u) * (1.0 - v) * z[r0, c0]
            + u * (1.0 - v) * z[r0, c1]
            + (1.0 - u) * v * z[r1, c0]
            + u * v * z[r1, c1]
        )
        return np.where(inside, out, self.outside_value)

    def to_raster_crs(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Transform lon/lat (WGS 84) to the raster CRS."""
        x, y = self._to_raster.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x), np.asarray(y)

    def elevation(self, lon, lat) -> np.ndarray:
        """Bilinear elevation (m) at lon/lat points (degrees, WGS 84)."""
        x, y = self.to_raster_crs(lon, lat)
        return self.sample_xy(x, y)

    def reprojected(self, crs, transform: Affine, shape: tuple[int, int]) -> Terrain:
        """Resample this DEM onto another grid with bilinear interpolation.

        Used by the coverage engine to put the DEM on the coverage grid once, so that radial
        profiles can be sampled in planar grid coordinates. Cells outside the source get
        ``outside_value``.

        Parameters
        ----------
        crs : str or CRS
            Destination CRS.
        transform : affine.Affine
            Destination cell-corner transform.
        shape : tuple of int
            Destination (rows, cols).

        Returns
        -------
        Terrain
        """
        dst_crs = CRS.from_user_input(crs if not hasattr(crs, "to_wkt") else crs.to_wkt())
        destination = np.full(shape, np.nan, dtype=np.float32)
        reproject(
            source=self.data,
            destination=destination,
            src_transform=self.transform,
            src_crs=self.crs.to_wkt(),
            dst_transform=transform,
            dst_crs=dst_crs.to_wkt(),
            resampling=Resampling.bilinear,
            src_nodata=None,
            dst_nodata=np.nan,
        )
        return Terrain(
            destination,
            transform,
            dst_crs,
            nodata_fill=self.outside_value,
            outside_value=self.outside_value,
            name=f"{self.identifier}@grid",
        )


class FlatTerrain(_ProfileMixin):
    """A flat earth surface at a constant elevation, with the :class:`Terrain` interface.

    Parameters
    ----------
    elevation : float
        Constant elevation in metres (default 0 m).
    """

    crs = None

    def __init__(self, elevation: float = 0.0) -> None:
        self.value = float(elevation)

    @property
    def identifier(self) -> str:
        """``flat:<elevation>``."""
        return f"flat:{self.value!r}"

    def sample_xy(self, x, y) -> np.ndarray:
        """Constant elevation at points in any CRS."""
        x_b, _ = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        return np.full(x_b.shape, self.value)

    def elevation(self, lon, lat) -> np.ndarray:
        """Constant elevation at lon/lat points."""
        return self.sample_xy(lon, lat)

    def reprojected(self, crs, transform: Affine, shape: tuple[int, int]) -> FlatTerrain:
        """A flat terrain is the same on every grid."""
        return self


def load_demo_terrain() -> Terrain:
    """Load the shipped 5 arc-minute demo DEM (EPSG:4326; sea = nodata filled with 0 m).

    Its cells are about 9 km and its elevations are quantised to 28 m: use it for first-order
    context and tests only, and load SRTM/Copernicus 30–90 m tiles for real planning.
    """
    return Terrain.from_file(DEMO_DEM_PATH, crs="EPSG:4326", nodata_fill=0.0)
