"""Where the regency is: its boundary for point checks, its grid CRS and its villages.

Loaded from the database on each call (141 villages take a few milliseconds); nothing is cached
across requests, so a re-imported boundary is seen at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.prepared import prep

#: tolerance around the regency boundary, in degrees (about 2.2 km): sites on the coast or on
#: a hill just across the line still serve the regency.
REGENCY_BUFFER_DEG = 0.02


@dataclass
class RegencyArea:
    """The regency's buffered boundary, its lon/lat bounds and its villages."""

    name: str
    geometry: object
    prepared: object
    village_ids: list[int]
    village_codes: list[str]
    village_shapes: list
    tree: STRtree | None

    @classmethod
    def load(cls) -> RegencyArea | None:
        from jangkau.regions.models import Regency, Village

        regency = (
            Regency.objects.filter(code=settings.JANGKAU_REGENCY_CODE).first()
            or Regency.objects.order_by("code").first()
        )
        if regency is None or not regency.boundary:
            return None
        geometry = shape(regency.boundary)
        ids, codes, shapes = [], [], []
        rows = Village.objects.exclude(boundary=None).order_by("code")
        for pk, code, boundary in rows.values_list("pk", "code", "boundary"):
            ids.append(pk)
            codes.append(code)
            shapes.append(shape(boundary))
        return cls(
            name=regency.name,
            geometry=geometry,
            prepared=prep(geometry.buffer(REGENCY_BUFFER_DEG)),
            village_ids=ids,
            village_codes=codes,
            village_shapes=shapes,
            tree=STRtree(shapes) if shapes else None,
        )

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the regency in degrees."""
        return tuple(float(v) for v in self.geometry.bounds)

    def contains(self, lat: float, lon: float) -> bool:
        return bool(self.prepared.covers(Point(lon, lat)))

    def village_at(self, lat: float, lon: float) -> int | None:
        """Primary key of the village holding the point (the nearest one in the margin)."""
        if self.tree is None:
            return None
        point = Point(lon, lat)
        hits = self.tree.query(point, predicate="intersects")
        if len(hits):
            return self.village_ids[int(min(hits))]
        nearest = self.tree.query_nearest(point)
        return self.village_ids[int(min(nearest))] if len(nearest) else None

    def villages_in(self, west: float, south: float, east: float, north: float) -> list[int]:
        """Positions (into the village lists) of the villages meeting a lon/lat box."""
        if self.tree is None:
            return []
        from shapely.geometry import box

        return sorted(int(i) for i in self.tree.query(box(west, south, east, north)))


def point_problem(area: RegencyArea | None, lat: float, lon: float) -> str | None:
    """Why a point cannot hold a proposed site, or None when it lies in the regency."""
    if area is None:
        return _("No regency boundary is loaded; run the regions setup first.")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return _("Latitude must be within ±90° and longitude within ±180°.")
    if area.contains(lat, lon):
        return None
    return _(
        "The point (%(lat).5f, %(lon).5f) lies outside %(regency)s. Check that latitude and "
        "longitude are not swapped and that the latitude has the right sign (north of the "
        "equator is positive)."
    ) % {"lat": lat, "lon": lon, "regency": area.name}


def utm_crs_for(lon: float, lat: float) -> str:
    """The WGS 84 UTM zone CRS holding a point (EPSG:32650 for Kutai Timur)."""
    zone = min(60, max(1, int((lon + 180.0) // 6.0) + 1))
    return f"EPSG:{32600 + zone if lat >= 0 else 32700 + zone}"
