"""Inventory objects built in code on the real Kutai Timur boundaries, for the tests."""

from __future__ import annotations

import csv
import datetime as dt
import json

from jangkau.inventory.models import AccessPoint, Facility, Link, Site
from jangkau.regions.models import Village

AS_OF = dt.date(2025, 6, 1)


def point_in(village_code: str) -> tuple[float, float]:
    """(lat, lon) of a point guaranteed to lie inside the village's boundary."""
    point = Village.objects.get(code=village_code).geometry.representative_point()
    return point.y, point.x


def provenance(**overrides) -> dict:
    values = {"source": "field survey Diskominfo Kutim", "as_of": AS_OF, "quality": "measured"}
    values.update(overrides)
    return values


def make_site(code: str, village_code: str, **overrides) -> Site:
    lat, lon = point_in(village_code)
    values = {
        "name": f"Site {code}",
        "operator": "telkomsel",
        "lat": lat,
        "lon": lon,
        "technologies": ["4G"],
        "status": "on_air",
        **provenance(),
    }
    values.update(overrides)
    site = Site(code=code, **values)
    site.full_clean()
    site.save()
    site.start_history(note="built for a test")
    return site


def make_access_point(code: str, village_code: str, **overrides) -> AccessPoint:
    lat, lon = point_in(village_code)
    values = {"kind": "bakti_ai", "provider": "BAKTI", "lat": lat, "lon": lon, "status": "active"}
    values.update(provenance())
    values.update(overrides)
    ap = AccessPoint(code=code, **values)
    ap.full_clean()
    ap.save()
    return ap


def make_facility(code: str, village_code: str, **overrides) -> Facility:
    lat, lon = point_in(village_code)
    values = {
        "kind": "sd",
        "name": f"SD {code}",
        "lat": lat,
        "lon": lon,
        "connected": "yes",
        "connection_kind": "cellular_4g",
    }
    values.update(provenance())
    values.update(overrides)
    facility = Facility(code=code, **values)
    facility.full_clean()
    facility.save()
    return facility


def line(*points: tuple[float, float]) -> dict:
    """A GeoJSON LineString from (lon, lat) points."""
    return {"type": "LineString", "coordinates": [list(p) for p in points]}


def make_link(code: str, geometry: dict, **overrides) -> Link:
    values = {"kind": "microwave_hop", "geometry": geometry, "status": "active"}
    values.update(provenance())
    values.update(overrides)
    link = Link(code=code, **values)
    link.full_clean()
    link.save()
    return link


def post(client, url: str, body: dict):
    return client.post(url, data=json.dumps(body, default=str), content_type="application/json")


def patch(client, url: str, body: dict):
    return client.patch(url, data=json.dumps(body, default=str), content_type="application/json")


def write_csv(path, rows: list[dict]):
    """Write ``rows`` as a CSV file (columns in the order they first appear); return the path."""
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path
