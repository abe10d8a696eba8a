"""Rows for exporting regions, with their derived figures and best population."""

from __future__ import annotations

from jangkau.regions.models import District, Regency, Village


def export_rows(level: str) -> list[dict]:
    """Plain dicts (``geometry`` = GeoJSON) for one level, ordered by code."""
    if level == "kabupaten":
        qs = Regency.objects.all()
    elif level == "kecamatan":
        qs = District.objects.select_related("regency")
    else:
        qs = Village.objects.select_related("district")
    rows = []
    for obj in qs.prefetch_related("population_figures").order_by("code"):
        pop = obj.best_population()
        row = {
            "code": obj.code,
            "name": obj.name,
            "area_km2": obj.area_km2,
            "population": pop.value if pop else None,
            "population_year": pop.year if pop else None,
            "population_quality": pop.quality if pop else "",
            "population_source": pop.source if pop else "",
        }
        if level == "desa":
            row.update(
                {
                    "kind": obj.kind,
                    "kecamatan_code": obj.district.code,
                    "distance_to_seat_km": obj.distance_to_seat_km,
                    "distance_to_kecamatan_km": obj.distance_to_kecamatan_km,
                    "is_coastal": int(obj.is_coastal),
                    "is_island": int(obj.is_island),
                    "remoteness_class": obj.remoteness_class,
                }
            )
        row["geometry"] = obj.boundary
        rows.append(row)
    return rows
