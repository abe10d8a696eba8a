"""Where inventory objects may lie: inside the regency, in a village, and how long a line is.

A :class:`RegencyFrame` holds the regency boundary (grown by :data:`REGENCY_BUFFER_DEG`) and the
village boundaries in an STRtree. Building one takes about a tenth of a second for Kutai Timur,
so a bulk write (an import) opens :func:`frame_scope` once and every row validated inside it
reuses the same frame; a single write loads a fresh one.
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyproj import Geod
from shapely import STRtree
from shapely.geometry import LineString, Point, shape
from shapely.prepared import PreparedGeometry, prep

#: tolerance around the regency boundary, in degrees (about 2.2 km), for points on the coast,
#: offshore platforms and boundary data that is slightly off.
REGENCY_BUFFER_DEG = 0.02

_GEOD = Geod(ellps="WGS84")
_scoped: contextvars.ContextVar[RegencyFrame | None] = contextvars.ContextVar(
    "inventory_regency_frame", default=None
)


@dataclass
class RegencyFrame:
    """The regency's (buffered) area and its villages, ready for point and line tests."""

    regency_name: str
    area: PreparedGeometry | None
    village_ids: list[int]
    village_shapes: list
    tree: STRtree | None

    @classmethod
    def load(cls) -> RegencyFrame:
        """Build the frame of the configured regency from the database."""
        from jangkau.regions.models import Regency, Village

        regency = (
            Regency.objects.filter(code=settings.JANGKAU_REGENCY_CODE).first()
            or Regency.objects.order_by("code").first()
        )
        area = None
        name = ""
        if regency is not None and regency.boundary:
            area = prep(shape(regency.boundary).buffer(REGENCY_BUFFER_DEG))
            name = regency.name
        ids, shapes = [], []
        for pk, boundary in Village.objects.exclude(boundary=None).values_list("pk", "boundary"):
            ids.append(pk)
            shapes.append(shape(boundary))
        return cls(name, area, ids, shapes, STRtree(shapes) if shapes else None)

    def contains_point(self, lat: float, lon: float) -> bool:
        """Whether (lat, lon) lies in the buffered regency (False when none is loaded)."""
        return self.area is not None and self.area.covers(Point(lon, lat))

    def covers(self, geometry) -> bool:
        """Whether a shapely geometry lies wholly in the buffered regency."""
        return self.area is not None and self.area.covers(geometry)

    def village_at(self, lat: float, lon: float) -> int | None:
        """Primary key of the village a point belongs to, or None.

        The village whose boundary holds the point (on a shared edge: the lowest code); for a
        point in the regency's margin but in no village (the boundary layers are generalised
        separately, so coasts and edges do not meet exactly), the nearest village. The same
        rule as the importing framework's ``VillageLocator``.
        """
        if self.tree is None:
            return None
        point = Point(lon, lat)
        hits = self.tree.query(point, predicate="intersects")
        if len(hits):
            return self.village_ids[int(min(hits))]
        if self.contains_point(lat, lon):
            nearest = self.tree.query_nearest(point)
            if len(nearest):
                return self.village_ids[int(min(nearest))]
        return None

    def villages_crossed(self, geometry) -> list[int]:
        """Primary keys of the villages a geometry (e.g. a link) passes through."""
        if self.tree is None:
            return []
        hits = self.tree.query(geometry, predicate="intersects")
        return sorted(self.village_ids[int(i)] for i in hits)

    def point_error(self, lat: float, lon: float) -> str | None:
        """Why a point is refused, or None when it lies in the regency."""
        if self.contains_point(lat, lon):
            return None
        if self.area is None:
            return _("No regency boundary is loaded; run the regions setup first.")
        return _(
            "The point (%(lat).5f, %(lon).5f) lies outside %(regency)s (its boundary grown by "
            "%(buffer)s°). Check that latitude and longitude are not swapped and that the "
            "latitude has the right sign (north of the equator is positive)."
        ) % {"lat": lat, "lon": lon, "regency": self.regency_name, "buffer": REGENCY_BUFFER_DEG}


def current_frame() -> RegencyFrame:
    """The frame of the enclosing :func:`frame_scope`, else a freshly loaded one."""
    frame = _scoped.get()
    return frame if frame is not None else RegencyFrame.load()


@contextlib.contextmanager
def frame_scope(frame: RegencyFrame | None = None):
    """Validate many objects against one frame (loaded once); yields the frame."""
    frame = frame or RegencyFrame.load()
    token = _scoped.set(frame)
    try:
        yield frame
    finally:
        _scoped.reset(token)


def parse_line(value) -> LineString:
    """A GeoJSON LineString as shapely, or ``ValidationError`` saying what is wrong with it."""
    if not isinstance(value, dict) or value.get("type") != "LineString":
        raise ValidationError(_("The geometry must be a GeoJSON LineString."), code="not_a_line")
    coordinates = value.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        raise ValidationError(_("A line needs at least two points."), code="too_few_points")
    for position in coordinates:
        if (
            not isinstance(position, list | tuple)
            or len(position) not in (2, 3)
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in position)
        ):
            raise ValidationError(
                _("Each point of the line must be [longitude, latitude]."), code="bad_position"
            )
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError(
                _("The point [%(lon)s, %(lat)s] is not a longitude/latitude pair.")
                % {"lon": lon, "lat": lat},
                code="bad_position",
            )
    line = shape(value)
    if line.length == 0:
        raise ValidationError(_("A line needs at least two distinct points."), code="zero_length")
    return line


def line_length_km(line: LineString) -> float:
    """Geodesic length on the WGS84 ellipsoid, in kilometres."""
    return _GEOD.geometry_length(line) / 1000.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance between two points on the WGS84 ellipsoid, in kilometres."""
    _az, _back, metres = _GEOD.inv(lon1, lat1, lon2, lat2)
    return metres / 1000.0
