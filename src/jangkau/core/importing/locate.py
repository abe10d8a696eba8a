"""Which village a point lies in: an STRtree over the village boundaries of the regency.

A point inside a village boundary belongs to that village (on a shared edge: the lowest code). A
point outside every village but inside the regency boundary buffered by
:data:`TOLERANCE_DEG` (the boundary layers are generalised separately, so coastlines and
edges do not coincide exactly) belongs to the nearest village. Anything else is outside.
"""

from __future__ import annotations

import numpy as np
import shapely
from django.conf import settings
from shapely.geometry import Point, shape
from shapely.strtree import STRtree

#: how far outside the regency boundary a point may lie, degrees (~2.2 km at the equator); the
#: same tolerance as the regions importer.
TOLERANCE_DEG = 0.02


class VillageLocator:
    """Point-in-village lookups for one import (built once, from the database)."""

    def __init__(self, villages, regency_boundary, tolerance_deg: float = TOLERANCE_DEG):
        """``villages``: pairs of (village, its boundary as a shapely geometry)."""
        rows = [(v, geom) for v, geom in villages if geom is not None and not geom.is_empty]
        rows.sort(key=lambda item: item[0].code)
        self.villages = [v for v, _ in rows]
        self.geometries = [g for _, g in rows]
        for geom in self.geometries:
            shapely.prepare(geom)
        self.tree = STRtree(self.geometries) if self.geometries else None
        # Bounding boxes (n x 4): a point is tested only against the villages whose box holds
        # it, with the prepared geometry (no Point object is built).
        self._boxes = np.array([g.bounds for g in self.geometries]).reshape(-1, 4)
        self.regency = regency_boundary
        self.zone = regency_boundary.buffer(tolerance_deg) if regency_boundary is not None else None
        if self.regency is not None:
            shapely.prepare(self.regency)
            shapely.prepare(self.zone)
        self.bounds = self.zone.bounds if self.zone is not None else None
        self._index = {v.code: i for i, v in enumerate(self.villages)}

    @classmethod
    def from_db(cls, regency_code: str | None = None) -> VillageLocator:
        from jangkau.regions.models import Regency, Village

        regency_code = regency_code or settings.JANGKAU_REGENCY_CODE
        boundary = None
        rows = Regency.objects.filter(code=regency_code).values_list("boundary", flat=True)
        for geojson in rows.iterator(chunk_size=1):
            boundary = shape(geojson) if geojson else None
        # Only the shapely geometries are kept: the GeoJSON is parsed one village at a time.
        villages = {
            v.pk: v
            for v in Village.objects.filter(code__startswith=regency_code + ".").only(
                "id", "code", "name", "district_id"
            )
        }
        boundaries = Village.objects.filter(pk__in=list(villages)).values_list("pk", "boundary")
        pairs = [
            (villages[pk], shape(geojson) if geojson else None)
            for pk, geojson in boundaries.iterator(chunk_size=8)
        ]
        return cls(pairs, boundary)

    @property
    def ready(self) -> bool:
        """Whether a regency boundary and village boundaries are loaded."""
        return self.zone is not None and self.tree is not None

    def in_zone(self, lon: float, lat: float) -> bool:
        """Inside the regency boundary buffered by the tolerance."""
        if self.zone is None:
            return False
        minx, miny, maxx, maxy = self.bounds
        if not (minx <= lon <= maxx and miny <= lat <= maxy):
            return False
        return bool(shapely.intersects_xy(self.zone, lon, lat))

    def in_regency(self, lon: float, lat: float) -> bool:
        """Inside the regency boundary itself (no tolerance)."""
        if self.regency is None:
            return False
        minx, miny, maxx, maxy = self.bounds
        if not (minx <= lon <= maxx and miny <= lat <= maxy):
            return False
        return bool(shapely.intersects_xy(self.regency, lon, lat))

    def village_at(self, lon: float, lat: float):
        """The village whose boundary holds the point (the lowest code on a shared edge)."""
        boxes = self._boxes
        candidates = np.flatnonzero(
            (boxes[:, 0] <= lon)
            & (lon <= boxes[:, 2])
            & (boxes[:, 1] <= lat)
            & (lat <= boxes[:, 3])
        )
        for index in candidates:  # in code order
            if shapely.intersects_xy(self.geometries[index], lon, lat):
                return self.villages[index]
        return None

    def nearest(self, lon: float, lat: float):
        """The village nearest to the point (lowest code among equally near ones)."""
        if self.tree is None:
            return None
        hits = self.tree.query_nearest(Point(lon, lat))
        return self.villages[int(min(hits))] if len(hits) else None

    def locate(self, lon: float, lat: float):
        """The village a point belongs to, or None when it lies outside the regency (zone)."""
        village = self.village_at(lon, lat)
        if village is not None:
            return village
        if self.in_zone(lon, lat):
            return self.nearest(lon, lat)
        return None

    def near_village(self, village, lon: float, lat: float, tolerance_deg: float) -> bool:
        """Whether the point lies within ``tolerance_deg`` of ``village``'s boundary."""
        index = self._index.get(village.code)
        if index is None:
            return False
        geom = self.geometries[index]
        return bool(shapely.dwithin(geom, Point(lon, lat), tolerance_deg))
