"""Read region features from GeoJSON, GeoPackage, zipped Shapefile or CSV, in any CRS.

Every geometry is returned in EPSG:4326 (x = longitude). Problems are collected as
:class:`~jangkau.regions.io.errors.RowError` with the row/feature number and field instead of
stopping at the first one.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pyogrio
import pyogrio.errors
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely import wkt as shapely_wkt
from shapely.errors import ShapelyError
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from jangkau.cores.geo import reproject
from jangkau.regions.io.errors import InputFileError, RowError

CODE_FIELDS = ("code", "kode", "kode_wilayah", "kdepum")
NAME_FIELDS = ("name", "nama", "nama_wilayah")
KIND_FIELDS = ("kind", "jenis")
WKT_FIELDS = ("wkt", "geometry", "geom")
LAT_FIELDS = ("lat", "latitude", "lintang")
LON_FIELDS = ("lon", "lng", "longitude", "bujur")

VECTOR_SUFFIXES = {".geojson", ".json", ".gpkg", ".zip", ".shp"}
CSV_SUFFIXES = {".csv"}

LEVEL_PATTERNS = {
    "kabupaten": re.compile(r"^\d{2}\.\d{2}$"),
    "kecamatan": re.compile(r"^\d{2}\.\d{2}\.\d{2}$"),
    "desa": re.compile(r"^\d{2}\.\d{2}\.\d{2}\.[12]\d{3}$"),
}


def level_of(code: str) -> str | None:
    """The administrative level implied by a Kemendagri code, or None if malformed."""
    for level, pattern in LEVEL_PATTERNS.items():
        if pattern.match(code):
            return level
    return None


def parent_code(code: str) -> str | None:
    """The code of the parent region (``64.08.01.2001`` → ``64.08.01``)."""
    parts = code.split(".")
    return ".".join(parts[:-1]) if len(parts) > 2 else None


@dataclass
class RegionRecord:
    """One feature/row of a region file."""

    row: int
    code: str
    name: str
    kind: str = ""
    geometry: BaseGeometry | None = None
    properties: dict = field(default_factory=dict)

    @property
    def level(self) -> str | None:
        return level_of(self.code)


def _first(props: dict, names: tuple[str, ...]) -> tuple[str | None, object]:
    lowered = {str(k).lower(): k for k in props}
    for name in names:
        if name in lowered:
            key = lowered[name]
            return key, props[key]
    return None, None


def _to_wgs84(crs_text: str | None, default: str | None) -> Transformer | None:
    """A transformer to EPSG:4326, or None when the data already are lon/lat WGS84."""
    crs_text = crs_text or default
    if not crs_text:
        return None
    crs = CRS.from_user_input(crs_text)
    if crs.equals(CRS.from_epsg(4326), ignore_axis_order=True) or crs.to_epsg() in {4326, 4269}:
        return None
    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


def _check_lonlat(geom: BaseGeometry, row: int, errors: list[RowError], field_name: str) -> bool:
    minx, miny, maxx, maxy = geom.bounds
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        errors.append(RowError(row, field_name, "coordinates are not finite numbers"))
        return False
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        errors.append(
            RowError(
                row,
                field_name,
                f"coordinates ({minx:.1f}, {miny:.1f}) are not longitude/latitude: the file's CRS "
                "is missing or wrong (give the right one with --crs)",
            )
        )
        return False
    return True


def read_regions(path: str | Path, crs: str | None = None, max_bytes: int | None = None):
    """Read a region file; return its records or raise :class:`InputFileError`.

    Parameters
    ----------
    path : the file (``.geojson``/``.json``, ``.gpkg``, ``.zip`` holding a Shapefile, ``.csv``).
    crs : the CRS of the coordinates when the file does not say (CSV), or to override it.
    max_bytes : refuse larger files up front.
    """
    path = Path(path)
    if not path.exists():
        raise InputFileError([RowError(0, "", f"file not found: {path}")])
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise InputFileError(
            [RowError(0, "", f"file is {size:,} bytes, above the limit of {max_bytes:,} bytes")]
        )
    if size == 0:
        raise InputFileError([RowError(0, "", "file is empty")])
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        records, errors = _read_csv(path, crs)
    elif suffix in VECTOR_SUFFIXES:
        records, errors = _read_vector(path, crs)
    else:
        raise InputFileError(
            [
                RowError(
                    0,
                    "",
                    f"unsupported format '{suffix or path.name}': use GeoJSON (.geojson), "
                    "GeoPackage (.gpkg), a zipped Shapefile (.zip) or CSV (.csv)",
                )
            ]
        )
    if not records and not errors:
        errors.append(RowError(0, "", "file has no features/rows"))
    if errors:
        raise InputFileError(errors)
    return records


def _read_vector(path: Path, crs: str | None):
    errors: list[RowError] = []
    source = str(path)
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                shps = [n for n in archive.namelist() if n.lower().endswith(".shp")]
        except zipfile.BadZipFile:
            return [], [RowError(0, "", "not a valid zip archive (truncated or corrupt)")]
        if not shps:
            return [], [RowError(0, "", "the zip archive holds no .shp file")]
        source = f"/vsizip/{path}/{shps[0]}"
    try:
        meta, _fids, geometries, field_data = pyogrio.raw.read(source)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        return [], [
            RowError(
                0,
                "",
                f"cannot read the file as {path.suffix} ({exc}); "
                "is it truncated or of another format?",
            )
        ]
    except Exception as exc:  # GDAL reports some corrupt files with generic errors
        return [], [RowError(0, "", f"cannot read the file: {exc}")]
    try:
        transformer = _to_wgs84(crs or meta.get("crs"), "EPSG:4326")
    except CRSError as exc:
        return [], [RowError(0, "crs", f"unknown CRS: {exc}")]
    if len(geometries) == 0:
        return [], [RowError(0, "", "file has no features")]
    fields = [str(f) for f in meta["fields"]]
    lowered = [f.lower() for f in fields]
    code_idx = next((lowered.index(n) for n in CODE_FIELDS if n in lowered), None)
    name_idx = next((lowered.index(n) for n in NAME_FIELDS if n in lowered), None)
    kind_idx = next((lowered.index(n) for n in KIND_FIELDS if n in lowered), None)
    if code_idx is None:
        return [], [
            RowError(0, "code", f"no code column (expected one of {', '.join(CODE_FIELDS)})")
        ]
    if name_idx is None:
        return [], [
            RowError(0, "name", f"no name column (expected one of {', '.join(NAME_FIELDS)})")
        ]
    records = []
    for i in range(len(geometries)):
        row = i + 1
        props = {fields[j]: _plain(field_data[j][i]) for j in range(len(fields))}
        code = str(props[fields[code_idx]] or "").strip()
        name = str(props[fields[name_idx]] or "").strip()
        kind = str(props[fields[kind_idx]] or "").strip() if kind_idx is not None else ""
        wkb = geometries[i]
        geom = None
        if wkb is None:
            errors.append(RowError(row, "geometry", "feature has no geometry"))
        else:
            try:
                geom = shapely.from_wkb(wkb)
                if transformer is not None:
                    geom = reproject(geom, transformer)
            except (ShapelyError, ValueError) as exc:
                errors.append(RowError(row, "geometry", f"unreadable geometry: {exc}"))
                geom = None
            if geom is not None and not _check_lonlat(geom, row, errors, "geometry"):
                geom = None
        records.append(RegionRecord(row, code, name, kind, geom, props))
    return records, errors


def _plain(value):
    if hasattr(value, "item"):
        return value.item()
    return value


def _read_csv(path: Path, crs: str | None):
    errors: list[RowError] = []
    records: list[RegionRecord] = []
    try:
        transformer = _to_wgs84(crs, None)
    except CRSError as exc:
        return [], [RowError(0, "crs", f"unknown CRS: {exc}")]
    raw = path.open("rb")
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        reader = csv.DictReader(text)
        header = reader.fieldnames or []
        probe = {h: None for h in header}
        code_key, _ = _first(probe, CODE_FIELDS)
        name_key, _ = _first(probe, NAME_FIELDS)
        kind_key, _ = _first(probe, KIND_FIELDS)
        wkt_key, _ = _first(probe, WKT_FIELDS)
        lat_key, _ = _first(probe, LAT_FIELDS)
        lon_key, _ = _first(probe, LON_FIELDS)
        if code_key is None:
            return [], [
                RowError(0, "code", f"no code column (expected one of {', '.join(CODE_FIELDS)})")
            ]
        if name_key is None:
            return [], [
                RowError(0, "name", f"no name column (expected one of {', '.join(NAME_FIELDS)})")
            ]
        if wkt_key is None and (lat_key is None or lon_key is None):
            return [], [
                RowError(0, "wkt", "no geometry: give a 'wkt' column or 'lat' and 'lon' columns")
            ]
        for index, row in enumerate(reader, start=1):
            if None in row or any(v is None for v in row.values()):
                errors.append(
                    RowError(
                        index,
                        "",
                        f"has {len([v for v in row.values() if v is not None])} "
                        f"fields, the header has {len(header)} (truncated row?)",
                    )
                )
                continue
            code = row[code_key].strip()
            name = row[name_key].strip()
            kind = row[kind_key].strip() if kind_key else ""
            geom = None
            geom_field = wkt_key or "lat"
            try:
                if wkt_key and row[wkt_key].strip():
                    geom = shapely_wkt.loads(row[wkt_key])
                elif lat_key and lon_key:
                    geom = Point(float(row[lon_key]), float(row[lat_key]))
                    geom_field = "lat/lon"
            except (ShapelyError, ValueError) as exc:
                errors.append(RowError(index, geom_field, f"unreadable geometry: {exc}"))
                continue
            if geom is None:
                errors.append(RowError(index, geom_field, "empty geometry"))
                continue
            if transformer is not None:
                geom = reproject(geom, transformer)
            if not _check_lonlat(geom, index, errors, geom_field):
                continue
            records.append(RegionRecord(index, code, name, kind, geom, dict(row)))
    except UnicodeDecodeError as exc:
        return [], [
            RowError(
                0,
                "",
                f"file is not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8 CSV",
            )
        ]
    except csv.Error as exc:
        return [], [RowError(0, "", f"malformed CSV: {exc}")]
    finally:
        text.close()
    return records, errors
