"""Write region records to GeoJSON, GeoPackage or CSV (WKT)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pyogrio
import shapely

FORMATS = ("geojson", "gpkg", "csv")


def write_regions(rows: list[dict], path: str | Path, fmt: str) -> int:
    """Write ``rows`` (dicts with ``geometry`` as GeoJSON and plain properties) to ``path``.

    Returns the number of features written.
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "geojson":
        features = [
            {
                "type": "Feature",
                "properties": {k: v for k, v in row.items() if k != "geometry"},
                "geometry": row["geometry"],
            }
            for row in rows
        ]
        path.write_text(
            json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
            encoding="utf-8",
        )
        return len(features)
    if fmt == "csv":
        keys = [k for k in (rows[0] if rows else {}) if k != "geometry"]
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([*keys, "wkt"])
            for row in rows:
                geom = shapely.geometry.shape(row["geometry"]) if row["geometry"] else None
                writer.writerow([row[k] for k in keys] + [geom.wkt if geom is not None else ""])
        return len(rows)
    keys = [k for k in (rows[0] if rows else {}) if k != "geometry"]
    geoms = np.array(
        [shapely.to_wkb(shapely.geometry.shape(r["geometry"])) for r in rows], dtype=object
    )
    field_data = []
    for k in keys:
        values = [r[k] for r in rows]
        if all(
            isinstance(v, (int, float)) and not isinstance(v, bool) or v is None for v in values
        ):
            field_data.append(np.array([np.nan if v is None else v for v in values], dtype=float))
        else:
            field_data.append(np.array(["" if v is None else str(v) for v in values], dtype=object))
    if path.exists():
        path.unlink()
    pyogrio.raw.write(
        str(path),
        geoms,
        field_data,
        keys,
        driver="GPKG",
        geometry_type="MultiPolygon",
        crs="EPSG:4326",
        promote_to_multi=True,
    )
    return len(rows)
