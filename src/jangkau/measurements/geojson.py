"""GeoJSON of measurements: single points where sparse, hexagons with counts and medians where
dense, Ookla tiles as their squares."""

from __future__ import annotations

import math

import numpy as np

from jangkau.measurements.hexbin import hex_bins
from jangkau.measurements.quadkey import quadkey_bounds

#: ``bin=auto`` draws points up to this many, hexagons above.
AUTO_HEX_ABOVE = 1000
#: ``bin=points`` refuses more points than this (ask for hexagons or narrow the filters).
MAX_POINTS = 5000
#: the most tiles one response holds.
MAX_TILES = 20000
#: hexagon width across corners, km: default and accepted range.
DEFAULT_HEX_KM = 2.0
HEX_KM_RANGE = (0.2, 50.0)


class TooMany(ValueError):
    """The response would hold too many features."""


def _feature(geometry: dict, properties: dict) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def collection(features: list[dict], **meta) -> dict:
    return {"type": "FeatureCollection", "features": features, **meta}


def point_features(qs, properties) -> list[dict]:
    """One Point feature per record; ``properties(obj)`` gives its properties."""
    return [
        _feature({"type": "Point", "coordinates": [obj.lon, obj.lat]}, properties(obj))
        for obj in qs
    ]


def hex_features(qs, value_fields: tuple[str, ...], width_km: float) -> list[dict]:
    """Hexagons ``width_km`` wide holding the records, with count and median of each field."""
    columns = 2 + len(value_fields)
    rows = qs.values_list("lon", "lat", *value_fields).iterator(chunk_size=10000)
    flat = np.fromiter(
        (math.nan if v is None else float(v) for row in rows for v in row), dtype=float
    )
    data = flat.reshape(-1, columns)
    values = {name: data[:, 2 + i] for i, name in enumerate(value_fields)}
    features = []
    for b in hex_bins(data[:, 0], data[:, 1], values, width_km=width_km):
        ring = [list(c) for c in b.corners] + [list(b.corners[0])]
        props = {"count": b.count, "hex": f"{b.q},{b.r}"}
        props.update({f"median_{name}": _round(v) for name, v in b.medians.items()})
        features.append(_feature({"type": "Polygon", "coordinates": [ring]}, props))
    return features


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def measurement_collection(
    qs, *, mode: str, width_km: float, value_fields: tuple[str, ...], properties
) -> dict:
    """Points or hexagons for a queryset of point measurements (``mode`` auto/points/hex)."""
    count = qs.count()
    if mode == "auto":
        mode = "hex" if count > AUTO_HEX_ABOVE else "points"
    if mode == "points":
        if count > MAX_POINTS:
            raise TooMany(
                f"{count} points are more than {MAX_POINTS}; use bin=hex or narrow the filters"
            )
        return collection(point_features(qs, properties), binning="points", count=count)
    return collection(
        hex_features(qs, value_fields, width_km), binning="hex", hex_km=width_km, count=count
    )


def tile_collection(qs, properties) -> dict:
    count = qs.count()
    if count > MAX_TILES:
        raise TooMany(f"{count} tiles are more than {MAX_TILES}; narrow the filters")
    features = []
    for tile in qs:
        west, south, east, north = quadkey_bounds(tile.quadkey)
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        features.append(_feature({"type": "Polygon", "coordinates": [ring]}, properties(tile)))
    return collection(features, count=count)
