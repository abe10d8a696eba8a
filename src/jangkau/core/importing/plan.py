"""Match a file's header to an importer's columns, and clean one record into a row."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from pyproj import Transformer
from pyproj.exceptions import CRSError
from shapely import wkt as shapely_wkt
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from jangkau.core.importing.context import ImportContext
from jangkau.core.importing.locate import TOLERANCE_DEG
from jangkau.core.importing.sources import Record, Source, transformer_to_wgs84
from jangkau.core.importing.spec import Column, ImportSpec
from jangkau.core.importing.values import ValueProblem, clean_value, is_blank, parse_float
from jangkau.regions.io.errors import InputFileError, RowError

#: the coordinate columns of a point importer that does not declare its own.
LAT = Column("lat", "float", aliases=("latitude", "lintang"), help="latitude, WGS84 degrees")
LON = Column(
    "lon", "float", aliases=("lng", "long", "longitude", "bujur"), help="longitude, WGS84 degrees"
)
#: a column holding the geometry as WKT or GeoJSON text.
WKT = Column("wkt", "str", required=False, aliases=("geometry", "geom", "geojson"))

LINE_TYPES = frozenset({"LineString", "MultiLineString"})
POLYGON_TYPES = frozenset({"Polygon", "MultiPolygon"})


def _norm(header: str) -> str:
    return str(header).strip().lstrip("\ufeff").lower()


def point_columns(spec: ImportSpec) -> tuple[Column, Column]:
    """The latitude and longitude columns of a point importer (declared or the defaults)."""
    return spec.column("lat") or LAT, spec.column("lon") or LON


@dataclass
class ColumnPlan:
    """How the columns of one file feed the importer's columns."""

    spec: ImportSpec
    mapping: dict[str, str] = field(default_factory=dict)  # canonical name -> file header
    constants: dict[str, Any] = field(default_factory=dict)  # canonical name -> clean value
    value_columns: list[Column] = field(default_factory=list)
    use_feature_geometry: bool = False
    transformer: Transformer | None = None
    ignored: list[str] = field(default_factory=list)
    village_column: Column | None = None
    lat_column: Column = LAT
    lon_column: Column = LON

    @classmethod
    def build(
        cls, spec: ImportSpec, source: Source, ctx: ImportContext, raw_options: dict, crs
    ) -> ColumnPlan:
        """Resolve the header; raise InputFileError listing every header/option problem."""
        plan = cls(spec)
        errors: list[RowError] = []
        geometry_columns: list[Column] = []
        if spec.geometry == "point":
            geometry_columns = list(point_columns(spec))
        if spec.geometry != "none":
            geometry_columns.append(spec.column("wkt") or WKT)
        names = {c.name for c in geometry_columns}
        plan.value_columns = [c for c in spec.columns if c.name not in names]
        plan.village_column = spec.village_column()
        plan.lat_column, plan.lon_column = point_columns(spec)
        all_columns = plan.value_columns + geometry_columns
        lookup = {_norm(h): c.name for c in all_columns for h in c.headers}

        for header in source.columns:
            name = lookup.get(_norm(header))
            if name is None:
                if _norm(header):
                    plan.ignored.append(header)
                continue
            if name in plan.mapping:
                errors.append(
                    RowError(
                        0,
                        name,
                        _("columns '%(a)s' and '%(b)s' both give '%(name)s'; keep one")
                        % {"a": plan.mapping[name], "b": header, "name": name},
                    )
                )
                continue
            plan.mapping[name] = header

        by_header = {_norm(h): c for c in all_columns for h in c.headers}
        for key, raw in (raw_options or {}).items():
            column = by_header.get(_norm(key))
            if column is None:
                errors.append(
                    RowError(
                        0, str(key), _("'%(name)s' is not a column of this kind") % {"name": key}
                    )
                )
                continue
            if column.name in plan.mapping:
                errors.append(
                    RowError(
                        0,
                        column.name,
                        _("'%(name)s' is both a column of the file and a given value; keep one")
                        % {"name": column.name},
                    )
                )
                continue
            try:
                plan.constants[column.name] = clean_value(column, raw, ctx=ctx)
            except ValueProblem as exc:
                errors.append(
                    RowError(0, column.name, _("given value: %(problem)s") % {"problem": exc})
                )

        for column in plan.value_columns:
            if column.required and column.name not in plan.mapping:
                if column.name not in plan.constants:
                    errors.append(RowError(0, column.name, _missing(column)))

        if spec.geometry != "none":
            plan.use_feature_geometry = source.has_geometry
            if not source.has_geometry:
                has_wkt = "wkt" in plan.mapping
                if spec.geometry == "point":
                    lat, lon = point_columns(spec)
                    has_latlon = all(
                        c.name in plan.mapping or c.name in plan.constants for c in (lat, lon)
                    )
                    if not has_latlon and not has_wkt:
                        errors.append(
                            RowError(
                                0,
                                "lat/lon",
                                _(
                                    "no coordinates: give columns '%(lat)s' and '%(lon)s', or "
                                    "a 'wkt' column"
                                )
                                % {"lat": lat.name, "lon": lon.name},
                            )
                        )
                elif not has_wkt:
                    errors.append(
                        RowError(0, "wkt", _("no geometry: give a 'wkt' column (WKT or GeoJSON)"))
                    )
                try:
                    plan.transformer = transformer_to_wgs84(crs)
                except CRSError as exc:
                    message = _("unknown CRS: %(reason)s") % {"reason": exc}
                    errors.append(RowError(0, "crs", message))
        if errors:
            raise InputFileError(errors)
        return plan

    @property
    def wanted(self) -> set[str]:
        """The file columns the importer reads."""
        return set(self.mapping.values())

    def raw_values(self, record: Record) -> dict[str, Any]:
        """The record's raw values by canonical column name."""
        return {name: record.values.get(header) for name, header in self.mapping.items()}

    def clean(
        self, record: Record, raw: dict[str, Any], ctx: ImportContext
    ) -> tuple[dict | None, list[RowError]]:
        """The clean row of ``record``, or None and its problems."""
        if record.problem is not None and record.problem.field == "":
            return None, [record.problem]
        errors: list[RowError] = []
        if record.problem is not None:
            errors.append(record.problem)
        row: dict[str, Any] = {"_row": record.row}
        for column in self.value_columns:
            if column.name in self.mapping:
                try:
                    row[column.name] = clean_value(column, raw.get(column.name), ctx=ctx)
                except ValueProblem as exc:
                    errors.append(RowError(record.row, column.name, str(exc)))
            elif column.name in self.constants:
                row[column.name] = self.constants[column.name]
            else:
                row[column.name] = None
        village_column = self.village_column
        if village_column is not None and row.get(village_column.name):
            row["village"] = ctx.village(row[village_column.name])
        elif self.spec.geometry == "point" or village_column is not None:
            row["village"] = None
        if self.spec.geometry == "point":
            self._point(record, raw, row, errors, ctx)
        elif self.spec.geometry in ("line", "polygon"):
            self._shape(record, raw, row, errors, ctx)
        if errors:
            return None, errors
        if self.spec.check_row is not None:
            errors = list(self.spec.check_row(row, ctx))
            if errors:
                return None, errors
        return row, []

    # -- geometry ---------------------------------------------------------------------------

    def _geometry_text(self, record, raw, errors, field_name) -> BaseGeometry | None:
        text = raw.get("wkt") if "wkt" in self.mapping else self.constants.get("wkt")
        if is_blank(text):
            errors.append(RowError(record.row, field_name, _("a value is required")))
            return None
        text = str(text).strip()
        try:
            if text.startswith("{"):
                geom = shape(json.loads(text))
            else:
                geom = shapely_wkt.loads(text)
        except (ShapelyError, ValueError, TypeError, KeyError, AttributeError) as exc:
            errors.append(
                RowError(
                    record.row, field_name, _("unreadable geometry: %(reason)s") % {"reason": exc}
                )
            )
            return None
        return self._to_wgs84(geom)

    def _to_wgs84(self, geom: BaseGeometry) -> BaseGeometry:
        if self.transformer is None:
            return geom
        import shapely

        t = self.transformer
        return shapely.transform(geom, lambda x, y: t.transform(x, y), interleaved=False)

    def _point(self, record, raw, row, errors, ctx) -> None:
        row.update({"lon": None, "lat": None})
        if self.use_feature_geometry:
            field_name = "geometry"
            geom = record.geometry
            if geom is None or geom.is_empty:
                if record.problem is None:
                    message = _("the feature has no geometry")
                    errors.append(RowError(record.row, field_name, message))
                return
            if not self._is_point(geom, record, errors, field_name):
                return
            lon, lat = _single(geom).x, _single(geom).y
        elif "lat" in self.mapping or "lat" in self.constants:
            field_name = "lat/lon"
            lat_col, lon_col = self.lat_column, self.lon_column
            values = {}
            for column in (lat_col, lon_col):
                value = raw.get(column.name) if column.name in self.mapping else None
                if column.name in self.constants:
                    value = self.constants[column.name]
                if is_blank(value):
                    errors.append(RowError(record.row, column.name, _("a value is required")))
                    continue
                try:
                    values[column.name] = parse_float(value)
                except ValueProblem as exc:
                    errors.append(RowError(record.row, column.name, str(exc)))
            if len(values) < 2:
                return
            lon, lat = values[lon_col.name], values[lat_col.name]
            if self.transformer is not None:
                lon, lat = self.transformer.transform(lon, lat)
        else:
            field_name = "wkt"
            geom = self._geometry_text(record, raw, errors, field_name)
            if geom is None or not self._is_point(geom, record, errors, field_name):
                return
            lon, lat = _single(geom).x, _single(geom).y
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            errors.append(
                RowError(
                    record.row,
                    field_name,
                    _(
                        "coordinates (%(x)s, %(y)s) are not longitude/latitude: the CRS is "
                        "missing or wrong (give it with --crs)"
                    )
                    % {"x": f"{lon:.1f}", "y": f"{lat:.1f}"},
                )
            )
            return
        locator = ctx.locator
        given = row.get("village")
        if given is None or not locator.in_zone(lon, lat):
            village = locator.locate(lon, lat)
            if village is None:
                errors.append(RowError(record.row, field_name, outside_message(lat, lon, ctx)))
                return
            if given is None:
                given = village
        elif not locator.near_village(given, lon, lat, TOLERANCE_DEG):
            found = locator.locate(lon, lat)
            column = self.village_column
            errors.append(
                RowError(
                    record.row,
                    column.name,
                    _(
                        "the coordinates (%(lat)s, %(lon)s) lie in %(found)s, not in "
                        "%(given)s %(name)s"
                    )
                    % {
                        "lat": f"{lat:.5f}",
                        "lon": f"{lon:.5f}",
                        "found": f"{found.code} {found.name}" if found else "?",
                        "given": given.code,
                        "name": given.name,
                    },
                )
            )
            return
        row["lon"], row["lat"] = round(lon, 7), round(lat, 7)
        row["village"] = given

    @staticmethod
    def _is_point(geom, record, errors, field_name) -> bool:
        if geom.geom_type == "Point" or (geom.geom_type == "MultiPoint" and len(geom.geoms) == 1):
            return True
        errors.append(
            RowError(
                record.row,
                field_name,
                _("a point is needed, not a %(type)s") % {"type": geom.geom_type},
            )
        )
        return False

    def _shape(self, record, raw, row, errors, ctx) -> None:
        row["geometry"] = None
        if self.use_feature_geometry:
            field_name = "geometry"
            geom = record.geometry
            if geom is None or geom.is_empty:
                if record.problem is None:
                    message = _("the feature has no geometry")
                    errors.append(RowError(record.row, field_name, message))
                return
        else:
            field_name = "wkt"
            geom = self._geometry_text(record, raw, errors, field_name)
            if geom is None:
                return
        allowed = LINE_TYPES if self.spec.geometry == "line" else POLYGON_TYPES
        if geom.geom_type not in allowed:
            errors.append(
                RowError(
                    record.row,
                    field_name,
                    _("a %(wanted)s is needed, not a %(type)s")
                    % {"wanted": " or ".join(sorted(allowed)), "type": geom.geom_type},
                )
            )
            return
        if not geom.is_valid:
            import shapely

            errors.append(
                RowError(
                    record.row,
                    field_name,
                    _("invalid geometry: %(reason)s") % {"reason": shapely.is_valid_reason(geom)},
                )
            )
            return
        minx, miny, maxx, maxy = geom.bounds
        if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
            errors.append(
                RowError(
                    record.row,
                    field_name,
                    _(
                        "coordinates are not longitude/latitude: the CRS is missing or wrong "
                        "(give it with --crs)"
                    ),
                )
            )
            return
        if not ctx.locator.zone.intersects(geom):
            errors.append(
                RowError(
                    record.row,
                    field_name,
                    _("the %(type)s lies outside the regency") % {"type": geom.geom_type},
                )
            )
            return
        row["geometry"] = geom


def _single(geom):
    """A point, or the one point of a one-point MultiPoint."""
    return geom.geoms[0] if geom.geom_type == "MultiPoint" else geom


def _missing(column: Column) -> str:
    if column.aliases:
        return _("missing column '%(name)s' (also accepted: %(aliases)s)") % {
            "name": column.name,
            "aliases": ", ".join(column.aliases),
        }
    return _("missing column '%(name)s'") % {"name": column.name}


def outside_message(lat: float, lon: float, ctx: ImportContext) -> str:
    """The error for a point outside the regency, with a hint when lat/lon look swapped."""
    message = _("coordinates (%(lat)s, %(lon)s) are outside the regency") % {
        "lat": f"{lat:.5f}",
        "lon": f"{lon:.5f}",
    }
    if -90 <= lon <= 90 and ctx.locator.in_zone(lat, lon):
        message += " " + _("(are latitude and longitude swapped?)")
    return message
