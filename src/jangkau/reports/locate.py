"""Which village of the regency a point lies in: point in polygon on the stored boundaries.

Boundaries are GeoJSON in the database (no GeoDjango, see docs/architecture.md). Parsing the
141 Kutai Timur boundaries takes about 0.3 s, far too slow for every tap on the map, so each
process keeps them in an STRtree and rebuilds it when the villages change. A change is noticed
through a fingerprint of the derived figures (count, highest id, summed areas and centroids),
which every boundary import recomputes; reading the fingerprint is one aggregate query.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import shapely
from django.conf import settings
from django.db.models import Count, Max, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from jangkau.cores.geo import haversine_km
from jangkau.regions.models import Regency, Village
from jangkau.reports.limits import EDGE_TOLERANCE_M

#: metres per degree of latitude (and of longitude at the equator; Kutai Timur lies between
#: 0° and 2° N, where a degree of longitude is within 0.1 % of this).
METRES_PER_DEGREE = 111_320.0


class OutsideRegency(ValueError):
    """The point does not fall in any village of the regency."""


@dataclass(frozen=True)
class _Index:
    fingerprint: tuple
    codes: list[str]
    geoms: list
    tree: shapely.STRtree
    regency_name: str
    regency: object  # shapely geometry of the regency boundary, or None


_lock = threading.Lock()
_cached: _Index | None = None


def _fingerprint() -> tuple:
    regency_code = settings.JANGKAU_REGENCY_CODE
    figures = Village.objects.filter(district__regency__code=regency_code).aggregate(
        n=Count("id"),
        last=Max("id"),
        area=Sum("area_km2"),
        lat=Sum("centroid_lat"),
        lon=Sum("centroid_lon"),
    )
    regency = Regency.objects.filter(code=regency_code).values_list("id", "area_km2").first()
    # Rounded: a database may add the floats in another order from one query to the next.
    sums = tuple(round(v, 6) if isinstance(v, float) else v for v in figures.values())
    return (regency_code, regency, *sums)


def _build(fingerprint: tuple) -> _Index:
    regency_code = settings.JANGKAU_REGENCY_CODE
    villages = (
        Village.objects.filter(district__regency__code=regency_code)
        .exclude(boundary=None)
        .order_by("code")
        .values_list("code", "boundary")
    )
    codes, geoms = [], []
    for code, boundary in villages:
        codes.append(code)
        geoms.append(shape(boundary))
    regency = Regency.objects.filter(code=regency_code).first()
    return _Index(
        fingerprint=fingerprint,
        codes=codes,
        geoms=geoms,
        tree=shapely.STRtree(geoms),
        regency_name=regency.name if regency else regency_code,
        regency=regency.geometry if regency is not None else None,
    )


def _index() -> _Index:
    global _cached
    fingerprint = _fingerprint()
    current = _cached
    if current is not None and current.fingerprint == fingerprint:
        return current
    with _lock:
        if _cached is None or _cached.fingerprint != fingerprint:
            _cached = _build(fingerprint)
        return _cached


def regency_name() -> str:
    """The name of the regency this installation serves, as stored."""
    return _index().regency_name


def village_code_at(latitude: float, longitude: float) -> str:
    """Code of the village of the regency that contains the point.

    A point on a shared boundary goes to the village with the lower code. A point in none of
    the villages (the boundaries leave slivers between them and along the coast) goes to the
    nearest village if it lies inside the regency's boundary or within
    :data:`~jangkau.reports.limits.EDGE_TOLERANCE_M` of a village.

    Raises
    ------
    OutsideRegency
        With a message for the reporter, if the point is elsewhere.
    """
    index = _index()
    point = Point(longitude, latitude)
    hits = index.tree.query(point, predicate="intersects")
    if len(hits):
        return index.codes[int(min(hits))]
    inside_regency = index.regency is not None and index.regency.covers(point)
    nearest = index.tree.query_nearest(
        point,
        max_distance=None if inside_regency else EDGE_TOLERANCE_M / METRES_PER_DEGREE,
        all_matches=False,
    )
    if len(nearest):
        return index.codes[int(nearest[0])]
    message = _(
        "This place (%(lat)s, %(lon)s) is outside %(regency)s. Reports can only be made "
        "for villages in %(regency)s."
    ) % {"lat": _degrees(latitude), "lon": _degrees(longitude), "regency": index.regency_name}
    if latitude < 0 and _covered(index, -latitude, longitude):
        message += " " + _(
            "Did you mean latitude %(lat)s? %(regency)s lies north of the equator."
        ) % {
            "lat": _degrees(-latitude),
            "regency": index.regency_name,
        }
    raise OutsideRegency(message)


def _degrees(value: float) -> str:
    """A coordinate with 5 decimals (about 1 m), with the active language's decimal mark."""
    return number_format(round(value, 5), 5)  # number_format cuts off; round first


def _covered(index: _Index, latitude: float, longitude: float) -> bool:
    return bool(len(index.tree.query(Point(longitude, latitude), predicate="intersects")))


def village_at(latitude: float, longitude: float) -> Village:
    """The :class:`Village` containing the point (see :func:`village_code_at`)."""
    return Village.objects.select_related("district").get(code=village_code_at(latitude, longitude))


def distance_to_village_m(latitude: float, longitude: float, code: str) -> float | None:
    """How far the point lies from the boundary of village ``code``, in metres (0 inside).

    The nearest point of the boundary is found in degrees (at Kutai Timur's latitudes a degree
    of longitude is within 0.1 % of one of latitude, so it is the nearest in metres as well)
    and the distance to it is a great-circle distance. None if the village has no boundary.
    """
    index = _index()
    try:
        geom = index.geoms[index.codes.index(code)]
    except ValueError:
        return None
    point = Point(longitude, latitude)
    if geom.covers(point):
        return 0.0
    nearest = nearest_points(geom, point)[0]
    return float(haversine_km(longitude, latitude, nearest.x, nearest.y)) * 1000.0
