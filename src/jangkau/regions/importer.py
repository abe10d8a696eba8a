"""Validate region records against the database and write them all-or-nothing.

:func:`import_regions` is used by ``jangkau regions import`` and by the Kutai Timur loader. It
checks every record (code format, the configured regency, parent, duplicates, geometry type and
validity, lying inside the regency), and only when there is no problem at all writes them in one
transaction. Writing the same file again changes nothing (codes are the natural key).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import shapely
from django.conf import settings
from django.db import transaction
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from jangkau.core.upsert import save_if_changed
from jangkau.regions.io.errors import InputFileError, RowError
from jangkau.regions.io.reader import RegionRecord, level_of, parent_code
from jangkau.regions.models import District, Regency, Village

#: default tolerance for "inside the regency", in degrees (~2.2 km at the equator): the
#: boundary layers are generalised separately, so edges do not coincide exactly.
DEFAULT_TOLERANCE_DEG = 0.02


@dataclass
class ImportReport:
    """What an import did, by level."""

    created: dict[str, int] = field(
        default_factory=lambda: {"kabupaten": 0, "kecamatan": 0, "desa": 0}
    )
    updated: dict[str, int] = field(
        default_factory=lambda: {"kabupaten": 0, "kecamatan": 0, "desa": 0}
    )
    unchanged: dict[str, int] = field(
        default_factory=lambda: {"kabupaten": 0, "kecamatan": 0, "desa": 0}
    )
    repaired: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def summary(self) -> str:
        parts = []
        for level in ("kabupaten", "kecamatan", "desa"):
            parts.append(
                f"{level}: {self.created[level]} created, {self.updated[level]} updated, "
                f"{self.unchanged[level]} unchanged"
            )
        if self.repaired:
            parts.append(f"repaired geometry: {', '.join(self.repaired)}")
        return "; ".join(parts)


def _polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    """Keep only the polygonal parts of a geometry (after make_valid)."""
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    if not parts:
        return None
    polys = []
    for p in parts:
        polys.extend(getattr(p, "geoms", [p]))
    return MultiPolygon(polys)


def validate(
    records: list[RegionRecord],
    *,
    regency_code: str | None = None,
    repair: bool = False,
    tolerance_deg: float = DEFAULT_TOLERANCE_DEG,
) -> tuple[list[RegionRecord], list[RowError], list[str]]:
    """Check records; return (records with repaired geometry, errors, repaired codes)."""
    regency_code = regency_code or settings.JANGKAU_REGENCY_CODE
    errors: list[RowError] = []
    repaired: list[str] = []
    seen: dict[str, int] = {}
    in_file = {r.code for r in records}
    existing = set(Regency.objects.values_list("code", flat=True))
    existing |= set(District.objects.values_list("code", flat=True))

    regency_geom = None
    for r in records:
        if r.code == regency_code and r.geometry is not None and r.geometry.geom_type != "Point":
            regency_geom = r.geometry
    if regency_geom is None:
        regency = Regency.objects.filter(code=regency_code).first()
        if regency is not None and regency.boundary:
            regency_geom = shape(regency.boundary)
    regency_zone = regency_geom.buffer(tolerance_deg) if regency_geom is not None else None

    for r in records:
        if not r.code:
            errors.append(RowError(r.row, "code", "code is empty"))
            continue
        level = level_of(r.code)
        if level is None:
            errors.append(
                RowError(
                    r.row,
                    "code",
                    f"'{r.code}' is not a Kemendagri code (expected NN.NN, "
                    "NN.NN.NN or NN.NN.NN.1NNN/2NNN)",
                )
            )
            continue
        if r.code != regency_code and not r.code.startswith(regency_code + "."):
            errors.append(
                RowError(
                    r.row,
                    "code",
                    f"'{r.code}' is not in regency {regency_code} (JANGKAU_REGENCY_CODE)",
                )
            )
            continue
        if r.code in seen:
            errors.append(
                RowError(r.row, "code", f"duplicate code '{r.code}' (first at row {seen[r.code]})")
            )
            continue
        seen[r.code] = r.row
        if not r.name:
            errors.append(RowError(r.row, "name", "name is empty"))
        parent = parent_code(r.code)
        if parent is not None and parent not in in_file and parent not in existing:
            errors.append(
                RowError(
                    r.row,
                    "code",
                    f"parent region '{parent}' of '{r.code}' does not exist "
                    "(neither in the database nor in this file)",
                )
            )
        if level == "desa" and r.kind:
            expected = "kelurahan" if r.code.split(".")[3].startswith("1") else "desa"
            if r.kind.lower() != expected:
                errors.append(
                    RowError(
                        r.row,
                        "kind",
                        f"'{r.kind}' contradicts the code: a 4th segment "
                        f"{r.code.split('.')[3]} means {expected}",
                    )
                )
        geom = r.geometry
        if geom is None:
            continue
        if geom.is_empty:
            errors.append(RowError(r.row, "geometry", "geometry is empty"))
            continue
        if geom.geom_type == "Point":
            if level == "kabupaten" and r.code == regency_code:
                errors.append(RowError(r.row, "geometry", "the regency needs a boundary polygon"))
                continue
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            errors.append(
                RowError(
                    r.row,
                    "geometry",
                    f"{geom.geom_type} is not a boundary: give a Polygon, "
                    "a MultiPolygon, or a Point for a centroid only",
                )
            )
            continue
        else:
            if not geom.is_valid:
                reason = shapely.is_valid_reason(geom)
                if repair:
                    fixed = _polygonal(shapely.make_valid(geom))
                    if fixed is None or fixed.is_empty:
                        errors.append(
                            RowError(
                                r.row, "geometry", f"invalid ({reason}) and cannot be repaired"
                            )
                        )
                        continue
                    r.geometry = geom = fixed
                    repaired.append(r.code)
                else:
                    errors.append(
                        RowError(
                            r.row,
                            "geometry",
                            f"invalid geometry: {reason} (use --repair to fix it with make_valid)",
                        )
                    )
                    continue
        if regency_zone is not None and r.code != regency_code and not regency_zone.contains(geom):
            outside = geom.difference(regency_zone)
            km = geom.distance(regency_geom) * 111.32 if outside.area == 0 else None
            detail = (
                f"{outside.area / max(geom.area, 1e-12):.0%} of it lies outside"
                if geom.area > 0
                else f"it lies {km:.1f} km outside"
                if km is not None
                else ""
            )
            errors.append(
                RowError(
                    r.row,
                    "geometry",
                    f"'{r.code}' is not inside regency {regency_code} "
                    f"(tolerance {tolerance_deg}°): {detail}",
                )
            )
    return records, errors, repaired


def import_regions(
    records: list[RegionRecord],
    *,
    regency_code: str | None = None,
    repair: bool = False,
    tolerance_deg: float = DEFAULT_TOLERANCE_DEG,
    boundary_source: str = "",
    derive: bool = True,
) -> ImportReport:
    """Validate then write ``records`` in one transaction; raise InputFileError on any problem."""
    from jangkau.regions.derive import recompute_derived

    regency_code = regency_code or settings.JANGKAU_REGENCY_CODE
    records, errors, repaired = validate(
        records, regency_code=regency_code, repair=repair, tolerance_deg=tolerance_deg
    )
    if errors:
        raise InputFileError(errors)
    report = ImportReport(repaired=repaired)
    order = {"kabupaten": 0, "kecamatan": 1, "desa": 2}
    with transaction.atomic():
        for r in sorted(records, key=lambda rec: (order[rec.level], rec.code)):
            level = r.level
            values: dict = {"name": r.name}
            if r.geometry is not None:
                if r.geometry.geom_type == "Point":
                    values["centroid_lon"] = round(r.geometry.x, 7)
                    values["centroid_lat"] = round(r.geometry.y, 7)
                else:
                    values["boundary"] = _normalise(r.geometry)
                    if boundary_source:
                        values["boundary_source"] = boundary_source
            if level == "kabupaten":
                model, lookup = Regency, {}
            elif level == "kecamatan":
                model = District
                lookup = {"regency": Regency.objects.get(code=parent_code(r.code))}
            else:
                model = Village
                lookup = {"district": District.objects.get(code=parent_code(r.code))}
                values["kind"] = "kelurahan" if r.code.split(".")[3].startswith("1") else "desa"
            obj = model.objects.filter(code=r.code).first()
            if obj is not None and values.get("boundary") == obj.boundary:
                values.pop("boundary_source", None)  # same boundary: keep where it came from
            if obj is None:
                model.objects.create(code=r.code, **lookup, **values)
                report.created[level] += 1
            elif save_if_changed(obj, {**lookup, **values}):
                report.updated[level] += 1
            else:
                report.unchanged[level] += 1
        if derive and report.changed:
            recompute_derived(regency_code)
    return report


def _normalise(geom: BaseGeometry) -> dict:
    """GeoJSON of a geometry with coordinates rounded to 7 decimals (~1 cm)."""
    from jangkau.cores.geo import round_coords

    if isinstance(geom, MultiPolygon) and len(geom.geoms) == 1:
        geom = geom.geoms[0]  # a one-part MultiPolygon is stored as the Polygon it is
    gj = mapping(geom)
    return {"type": gj["type"], "coordinates": round_coords(gj["coordinates"], 7)}


def point_of(geom: BaseGeometry) -> Point:
    return geom if isinstance(geom, Point) else geom.centroid
