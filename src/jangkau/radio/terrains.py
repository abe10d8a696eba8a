"""Register DEM files as :class:`~jangkau.radio.models.Terrain` and open them for the engine.

An import is checked completely before anything is written: the file must open with rasterio,
the band must exist (a multi-band file needs ``band``), it must state a CRS, hold numbers that
look like elevations and overlap the regency. Only then is it copied into ``DATA_DIR/terrain``
(GeoTIFFs unchanged, other formats converted to GeoTIFF) and registered in one transaction; if
the database write fails the copy is removed again.
"""

from __future__ import annotations

import hashlib
import math
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import rasterio
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from rasterio.errors import RasterioError
from rasterio.warp import transform_bounds
from rasterio.windows import Window, from_bounds
from shapely.geometry import box

from jangkau.core.choices import QualityChoices
from jangkau.cores.propagation.terrain import (
    DEMO_DEM_PATH,
    FlatTerrain,
    esri_ascii_to_geotiff,
)
from jangkau.cores.propagation.terrain import Terrain as CoreTerrain
from jangkau.radio.geo import RegencyArea
from jangkau.radio.models import Terrain
from jangkau.radio.models.terrain import COARSE_CELL_M, terrain_dir

#: metres per degree of latitude (WGS 84 mean) used to express degree cells in metres.
M_PER_DEG = 111_320.0
#: elevations outside this range (m) mean the band is probably not a DEM in metres.
PLAUSIBLE_ELEVATION_M = (-500.0, 9000.0)

DEMO_NAME = "demo-5arcmin"
DEMO_SOURCE = (
    "pvlib-python altitude map (Mapzen/Tilezen terrain tiles from SRTM, GMTED2010 and ETOPO1), "
    "cut to Kutai Timur; see data/terrain/SOURCES.md"
)
DEMO_SOURCE_URL = "https://github.com/pvlib/pvlib-python"


class TerrainImportError(Exception):
    """A DEM file was refused; ``problems`` says why (nothing was changed)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class RasterInfo:
    """What the checks found out about a DEM file."""

    band: int
    crs_wkt: str
    crs_label: str
    width: int
    height: int
    resolution_m: float
    bounds_lonlat: tuple[float, float, float, float]
    regency_share: float
    driver: str
    warnings: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _resolution_m(src, bounds_lonlat) -> float:
    res_x, res_y = (abs(v) for v in src.res)
    if src.crs.is_geographic:
        mid_lat = math.radians((bounds_lonlat[1] + bounds_lonlat[3]) / 2.0)
        return max(res_x * M_PER_DEG * math.cos(mid_lat), res_y * M_PER_DEG)
    factor = src.crs.linear_units_factor[1] if src.crs.linear_units_factor else 1.0
    return max(res_x, res_y) * factor


def inspect_raster(path: Path, band: int | None = None, area: RegencyArea | None = None):
    """Check a DEM file; return :class:`RasterInfo` or raise :class:`TerrainImportError`."""
    path = Path(path)
    if not path.is_file():
        raise TerrainImportError([_("%(file)s: no such file.") % {"file": path}])
    try:
        src = rasterio.open(path)
    except RasterioError as exc:
        raise TerrainImportError(
            [
                _("%(file)s: not a raster that can be read (%(error)s).")
                % {"file": path.name, "error": exc}
            ]
        ) from exc
    with src:
        problems = []
        if band is None:
            if src.count != 1:
                raise TerrainImportError(
                    [
                        _("%(file)s has %(n)s bands; choose the elevation band with --band.")
                        % {"file": path.name, "n": src.count}
                    ]
                )
            band = 1
        if not 1 <= band <= src.count:
            raise TerrainImportError(
                [
                    _("%(file)s has no band %(band)s (it has %(n)s).")
                    % {"file": path.name, "band": band, "n": src.count}
                ]
            )
        if src.crs is None:
            raise TerrainImportError(
                [
                    _(
                        "%(file)s states no coordinate reference system (CRS). Add one (e.g. "
                        "gdal_edit.py -a_srs EPSG:4326) and import it again."
                    )
                    % {"file": path.name}
                ]
            )
        if not np.issubdtype(np.dtype(src.dtypes[band - 1]), np.number):
            raise TerrainImportError(
                [_("%(file)s: band values are not numbers.") % {"file": path.name}]
            )
        try:
            sample = src.read(
                band,
                out_shape=(min(src.height, 512), min(src.width, 512)),
                masked=True,
            )
        except RasterioError as exc:
            raise TerrainImportError(
                [
                    _("%(file)s: the values cannot be read (%(error)s).")
                    % {"file": path.name, "error": exc}
                ]
            ) from exc
        bounds = transform_bounds(src.crs, "EPSG:4326", *src.bounds, densify_pts=21)
        info = RasterInfo(
            band=band,
            crs_wkt=src.crs.to_wkt(),
            crs_label=src.crs.to_string()[:100],
            width=src.width,
            height=src.height,
            resolution_m=_resolution_m(src, bounds),
            bounds_lonlat=tuple(float(v) for v in bounds),
            regency_share=0.0,
            driver=src.driver,
        )
    values = sample.compressed() if np.ma.isMaskedArray(sample) else np.ravel(sample)
    values = values[np.isfinite(values)]
    if values.size == 0:
        problems.append(_("%(file)s: every sampled cell is nodata.") % {"file": path.name})
    else:
        low, high = float(values.min()), float(values.max())
        if low < PLAUSIBLE_ELEVATION_M[0] or high > PLAUSIBLE_ELEVATION_M[1]:
            problems.append(
                _(
                    "%(file)s: values from %(low).0f to %(high).0f do not look like elevations "
                    "in metres."
                )
                % {"file": path.name, "low": low, "high": high}
            )
    area = area if area is not None else RegencyArea.load()
    if area is None:
        problems.append(_("No regency boundary is loaded; run the regions setup first."))
    else:
        overlap = area.geometry.intersection(box(*info.bounds_lonlat)).area
        info.regency_share = overlap / area.geometry.area if area.geometry.area else 0.0
        if overlap <= 0:
            west, south, east, north = info.bounds_lonlat
            problems.append(
                _(
                    "%(file)s does not overlap %(regency)s: it covers lon %(w).3f–%(e).3f, "
                    "lat %(s).3f–%(n).3f. Is the CRS right?"
                )
                % {
                    "file": path.name,
                    "regency": area.name,
                    "w": west,
                    "e": east,
                    "s": south,
                    "n": north,
                }
            )
        elif info.regency_share < 0.99:
            info.warnings.append(
                _(
                    "%(file)s covers only %(pct).0f%% of %(regency)s; outside it the terrain "
                    "is taken as 0 m."
                )
                % {"file": path.name, "pct": 100 * info.regency_share, "regency": area.name}
            )
    if info.resolution_m > COARSE_CELL_M:
        info.warnings.append(
            _(
                "Cells of about %(m).0f m: this DEM is coarse. Load SRTM or Copernicus 30–90 m "
                "tiles for real planning."
            )
            % {"m": info.resolution_m}
        )
    if problems:
        raise TerrainImportError(problems)
    return info


def _store_copy(source: Path, info: RasterInfo, stem: str, digest: str) -> Path:
    """Copy (GeoTIFF) or convert (other formats, the chosen band) into DATA_DIR/terrain."""
    directory = terrain_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{stem}-{digest[:12]}.tif"
    if info.driver == "GTiff":
        shutil.copyfile(source, target)
        return target
    with rasterio.open(source) as src:
        data = src.read(info.band)
        profile = {
            "driver": "GTiff",
            "width": src.width,
            "height": src.height,
            "count": 1,
            "dtype": data.dtype,
            "crs": src.crs,
            "transform": src.transform,
            "nodata": src.nodatavals[info.band - 1],
            "compress": "deflate",
        }
        with rasterio.open(target, "w", **profile) as dst:
            dst.write(data, 1)
    info.band = 1
    return target


def import_terrain(
    path: Path,
    *,
    name: str | None = None,
    source: str = "",
    source_url: str = "",
    as_of=None,
    band: int | None = None,
    activate: bool = True,
    quality: str = QualityChoices.MEASURED,
    user=None,
    coarse: bool | None = None,
) -> tuple[Terrain, list[str]]:
    """Check, copy and register a DEM; return the terrain and the warnings.

    Raises :class:`TerrainImportError` (and changes nothing) when the file is refused or the
    name is taken.
    """
    path = Path(path)
    name = (name or path.stem).strip()
    if not name:
        raise TerrainImportError([_("The terrain needs a name.")])
    if Terrain.objects.filter(name=name).exists():
        raise TerrainImportError(
            [_("A terrain named %(name)s exists already; choose another --name.") % {"name": name}]
        )
    info = inspect_raster(path, band)
    digest = sha256_of(path)
    stored = _store_copy(path, info, slugify(name) or "terrain", digest)
    try:
        with transaction.atomic():
            if activate:
                Terrain.objects.filter(active=True).update(active=False)
            terrain = Terrain.objects.create(
                name=name,
                file_name=stored.name,
                sha256=sha256_of(stored),
                band=info.band,
                crs=info.crs_wkt,
                crs_label=info.crs_label,
                width=info.width,
                height=info.height,
                resolution_m=round(info.resolution_m, 2),
                west=info.bounds_lonlat[0],
                south=info.bounds_lonlat[1],
                east=info.bounds_lonlat[2],
                north=info.bounds_lonlat[3],
                is_coarse=info.resolution_m > COARSE_CELL_M if coarse is None else coarse,
                active=activate,
                notes="\n".join(info.warnings),
                source=source or f"imported from {path.name}",
                source_url=source_url,
                as_of=as_of,
                quality=quality,
                imported_by=user if user is not None and user.is_authenticated else None,
            )
    except Exception:
        stored.unlink(missing_ok=True)
        raise
    return terrain, info.warnings


def load_demo(activate: bool | None = None) -> tuple[Terrain, bool]:
    """Convert the shipped coarse DEM to a GeoTIFF and register it; return (terrain, created).

    Idempotent: a second call returns the registered terrain. It becomes active when
    ``activate`` is true, or (``None``) when no terrain is active yet.
    """
    existing = Terrain.objects.filter(name=DEMO_NAME).first()
    if activate is None:
        activate = not Terrain.objects.filter(active=True).exists()
    if existing is not None and existing.path.exists():
        if activate and not existing.active:
            with transaction.atomic():
                Terrain.objects.filter(active=True).update(active=False)
                existing.active = True
                existing.save(update_fields=["active"])
        return existing, False
    staging = terrain_dir() / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    tif = staging / f"{DEMO_NAME}.tif"
    esri_ascii_to_geotiff(DEMO_DEM_PATH, tif, crs="EPSG:4326")
    try:
        if existing is not None:  # registered, but its file is gone: register again
            existing.delete()
        terrain, _warnings = import_terrain(
            tif,
            name=DEMO_NAME,
            source=DEMO_SOURCE,
            source_url=DEMO_SOURCE_URL,
            activate=activate,
            quality=QualityChoices.ILLUSTRATIVE,
            coarse=True,
        )
    finally:
        tif.unlink(missing_ok=True)
    terrain.as_of_label = "pvlib 0.16.1 altitude map (Mapzen/Tilezen terrain tiles)"
    terrain.notes = (
        "About 9 km cells, elevations in 28 m steps with errors of 100 m and more: first-order "
        "context only. Load SRTM/Copernicus 30–90 m tiles for real planning."
    )
    terrain.save(update_fields=["as_of_label", "notes"])
    return terrain, True


def open_terrain(terrain: Terrain | None, lonlat_bounds=None, margin_deg: float = 0.05):
    """The core terrain for a run: a window of the DEM around ``lonlat_bounds``, or flat.

    Only the window (grown by ``margin_deg``) is read, so a regency-wide 30 m DEM is not loaded
    whole for a single what-if site. Nodata cells (the sea in the demo DEM) are 0 m. Returns
    ``FlatTerrain(0)`` when ``terrain`` is None or the window misses the DEM.
    """
    if terrain is None:
        return FlatTerrain(0.0)
    path = terrain.path
    if not path.exists():
        raise FileNotFoundError(
            f"terrain {terrain.name}: file {path} is missing; import it again "
            "(jangkau terrain import) or deactivate it"
        )
    with rasterio.open(path) as src:
        if lonlat_bounds is None:
            data = src.read(terrain.band)
            transform = src.transform
        else:
            west, south, east, north = lonlat_bounds
            box_src = transform_bounds(
                "EPSG:4326",
                src.crs,
                west - margin_deg,
                south - margin_deg,
                east + margin_deg,
                north + margin_deg,
                densify_pts=21,
            )
            raw = from_bounds(*box_src, transform=src.transform)
            col0 = max(0, math.floor(raw.col_off) - 1)
            row0 = max(0, math.floor(raw.row_off) - 1)
            col1 = min(src.width, math.ceil(raw.col_off + raw.width) + 1)
            row1 = min(src.height, math.ceil(raw.row_off + raw.height) + 1)
            if col1 <= col0 or row1 <= row0:
                return FlatTerrain(0.0)
            window = Window(col0, row0, col1 - col0, row1 - row0)
            data = src.read(terrain.band, window=window)
            transform = src.window_transform(window)
        return CoreTerrain(
            data,
            transform,
            src.crs.to_wkt(),
            nodata=src.nodatavals[terrain.band - 1],
            nodata_fill=0.0,
            name=terrain.name,
        )
