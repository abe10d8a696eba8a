"""Plain-dict views of regions for the API, GeoJSON and templates (one place)."""

from __future__ import annotations

from jangkau.evidence.choices import ConnectivityStatusChoices
from jangkau.regions.choices import RemotenessClassChoices


def population_dict(figure) -> dict | None:
    if figure is None:
        return None
    return {
        "value": figure.value,
        "year": figure.year,
        "quality": figure.quality,
        "source": figure.source,
        "source_url": figure.source_url,
        "as_of": figure.as_of_display,
        "method": figure.method,
    }


def overall_status(village) -> dict:
    """The overall status row of a village, or ``unknown`` when none exists."""
    rows = [s for s in village.statuses.all() if s.operator == ""]
    if not rows:
        return {
            "status": ConnectivityStatusChoices.UNKNOWN.value,
            "as_of": None,
            "confidence": 0.0,
            "needs_review": False,
            "decided_by": [],
        }
    s = rows[0]
    return {
        "status": s.status,
        "as_of": s.as_of.isoformat() if s.as_of else None,
        "confidence": s.confidence,
        "needs_review": s.needs_review,
        "review_reason": s.review_reason,
        "decided_by": s.decided_by,
    }


def village_dict(v, full: bool = False) -> dict:
    data = {
        "code": v.code,
        "name": v.name,
        "kind": v.kind,
        "kecamatan": {"code": v.district.code, "name": v.district.name},
        "area_km2": v.area_km2,
        "centroid": {"lat": v.centroid_lat, "lon": v.centroid_lon},
        "population": population_dict(v.best_population()),
        "remoteness": {
            "class": v.remoteness_class,
            "label": str(RemotenessClassChoices(v.remoteness_class).label)
            if v.remoteness_class
            else None,
            "distance_to_seat_km": v.distance_to_seat_km,
            "distance_to_kecamatan_km": v.distance_to_kecamatan_km,
            "is_coastal": v.is_coastal,
            "is_island": v.is_island,
            "method": "great-circle distances; rule in docs/remoteness.md",
        },
        "status": overall_status(v),
    }
    if full:
        data["status_by_operator"] = [
            {
                "operator": s.operator,
                "status": s.status,
                "as_of": s.as_of.isoformat() if s.as_of else None,
                "confidence": s.confidence,
                "needs_review": s.needs_review,
            }
            for s in v.statuses.all()
            if s.operator
        ]
        data["boundary"] = v.boundary
    return data


def district_dict(d, status_counts: dict | None = None) -> dict:
    return {
        "code": d.code,
        "name": d.name,
        "area_km2": d.area_km2,
        "centroid": {"lat": d.centroid_lat, "lon": d.centroid_lon},
        "population": population_dict(d.best_population()),
        "villages": getattr(d, "n_villages", None),
        "status_counts": status_counts or {},
    }
