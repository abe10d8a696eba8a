"""Figures derived from the boundaries: area, centroid, display geometry, remoteness.

Recomputed after every import that changed something; deterministic, so re-running it on
unchanged data changes nothing.
"""

from __future__ import annotations

from shapely.geometry import Point, mapping, shape

from jangkau.core.upsert import save_if_changed
from jangkau.cores.geo import area_km2, equal_area_crs, round_coords, simplify_for_display
from jangkau.cores.remoteness import remoteness
from jangkau.regions.choices import IslandStatusChoices
from jangkau.regions.models import District, Island, Regency, Village

#: display simplification tolerance in degrees (~170 m) and coordinate precision (~11 m).
DISPLAY_TOLERANCE_DEG = 0.0015
DISPLAY_PRECISION = 4
#: a village is coastal when at least this much of its boundary (km) runs along the coastline.
COASTAL_MIN_KM = 1.0
COAST_BUFFER_DEG = 0.01


def _display(geom) -> dict:
    gj = mapping(geom)
    return {"type": gj["type"], "coordinates": round_coords(gj["coordinates"], DISPLAY_PRECISION)}


def recompute_derived(regency_code: str) -> int:
    """Recompute derived fields of a regency and everything in it; return rows changed."""
    regency = Regency.objects.get(code=regency_code)
    changed = 0
    if not regency.boundary:
        return 0
    rgeom = shape(regency.boundary)
    crs = equal_area_crs(rgeom.centroid.x, rgeom.centroid.y)

    def base_values(geom):
        c = geom.centroid
        return {
            "area_km2": round(area_km2(geom, crs), 3),
            "centroid_lat": round(c.y, 6),
            "centroid_lon": round(c.x, 6),
        }

    changed += save_if_changed(
        regency,
        {**base_values(rgeom), "boundary_display": _display(rgeom.simplify(DISPLAY_TOLERANCE_DEG))},
    )
    districts = [d for d in District.objects.filter(regency=regency) if d.boundary]
    dgeoms = [shape(d.boundary) for d in districts]
    for d, g, disp in zip(
        districts,
        dgeoms,
        simplify_for_display(dgeoms, DISPLAY_TOLERANCE_DEG, DISPLAY_PRECISION),
        strict=True,
    ):
        changed += save_if_changed(d, {**base_values(g), "boundary_display": _display(disp)})

    villages = list(Village.objects.filter(district__regency=regency).select_related("district"))
    with_boundary = [v for v in villages if v.boundary]
    vgeoms = [shape(v.boundary) for v in with_boundary]
    displays = dict(
        zip(
            [v.pk for v in with_boundary],
            simplify_for_display(vgeoms, DISPLAY_TOLERANCE_DEG, DISPLAY_PRECISION)
            if vgeoms
            else [],
            strict=True,
        )
    )
    coast = shape(regency.coastline).buffer(COAST_BUFFER_DEG) if regency.coastline else None
    islands = list(Island.objects.filter(status=IslandStatusChoices.INHABITED))
    seat = (regency.seat_lon, regency.seat_lat) if regency.seat_lat is not None else None
    for v in villages:
        values: dict = {}
        geom = shape(v.boundary) if v.boundary else None
        if geom is not None:
            values.update(base_values(geom))
            values["boundary_display"] = _display(displays[v.pk])
        lon = values.get("centroid_lon", v.centroid_lon)
        lat = values.get("centroid_lat", v.centroid_lat)
        is_island = False
        is_coastal = False
        if geom is not None:
            parts = list(getattr(geom, "geoms", [geom]))
            main = max(parts, key=lambda p: p.area)

            is_island = any(main.contains(Point(i.lon, i.lat)) for i in islands)
            if coast is not None:
                along = geom.boundary.intersection(coast).length * 111.32
                is_coastal = along >= COASTAL_MIN_KM or is_island
        values["is_island"] = is_island
        values["is_coastal"] = is_coastal
        district = v.district
        if seat is not None and lat is not None and district.centroid_lat is not None:
            r = remoteness(
                lon,
                lat,
                seat,
                (district.centroid_lon, district.centroid_lat),
                is_island,
                is_coastal,
            )
            values["distance_to_seat_km"] = r.distance_to_seat_km
            values["distance_to_kecamatan_km"] = r.distance_to_kecamatan_km
            values["remoteness_class"] = r.remoteness_class
        changed += save_if_changed(v, values)
    # Islands: link each to the village that contains it.
    for island in Island.objects.all():
        p = Point(island.lon, island.lat)
        owner = next((v for v, g in zip(with_boundary, vgeoms, strict=True) if g.contains(p)), None)
        if island.village_id != (owner.pk if owner else None):
            island.village = owner
            island.save(update_fields=["village"])
            changed += 1
    return changed
