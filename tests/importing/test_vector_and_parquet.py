"""GeoJSON and GeoPackage (any CRS, read in batches) and Parquet go through the same checks."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pyogrio.raw
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point

from jangkau.core.importing import InputFileError, run_import, sources
from tests.importing.files import KERAYAAN, KERAYAAN_CODE, SAMARINDA, SANGATTA_SELATAN

pytestmark = pytest.mark.django_db

TO_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32650", always_xy=True)


def geojson_file(path, features, crs=None):
    body = {"type": "FeatureCollection", "features": features}
    if crs:
        body["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def feature(geometry, **properties):
    props = {
        "measured_at": "2025-03-14T10:20:00+08:00",
        "download_mbps": 12.4,
        "operator": "telkomsel",
        "technology": "4g",
        "tool": "field_team",
    }
    props.update(properties)
    return {"type": "Feature", "properties": props, "geometry": geometry}


def point(lat, lon, project=False):
    if project:
        lon, lat = TO_UTM.transform(lon, lat)
    return {"type": "Point", "coordinates": [lon, lat]}


def test_a_geojson_in_utm_is_reprojected_and_read_in_batches(kutim, tmp_path, monkeypatch):
    from jangkau.measurements.models import SpeedTest

    monkeypatch.setattr(sources, "VECTOR_BATCH", 2)  # five features: three batches
    features = [
        feature(point(*SANGATTA_SELATAN, project=True), test_id=f"s{i}") for i in range(4)
    ] + [feature(point(*KERAYAAN, project=True), test_id="k")]
    path = geojson_file(tmp_path / "utm.geojson", features, crs="urn:ogc:def:crs:EPSG::32650")
    result = run_import("speedtests", path)
    assert (result.rows, result.created) == (5, 5)
    kerayaan = SpeedTest.objects.get(test_id="k")
    assert kerayaan.village.code == KERAYAAN_CODE
    assert kerayaan.lat == pytest.approx(KERAYAAN[0], abs=1e-6)


def test_vector_features_are_numbered_and_checked(kutim, tmp_path):
    line = LineString([(117.5, 0.5), (117.6, 0.6)]).__geo_interface__
    features = [
        feature(point(*SANGATTA_SELATAN), test_id="ok"),
        feature(point(*SAMARINDA), test_id="far"),
        feature(line, test_id="line"),
        feature(None, test_id="none"),
        feature(point(*SANGATTA_SELATAN), test_id="neg", download_mbps=-1),
    ]
    with pytest.raises(InputFileError) as info:
        run_import("speedtests", geojson_file(tmp_path / "bad.geojson", features))
    got = [(e.row, e.field, e.message) for e in info.value.errors]
    assert [(r, f) for r, f, _m in got] == [
        (2, "geometry"),
        (3, "geometry"),
        (4, "geometry"),
        (5, "download_mbps"),
    ]
    assert "outside the regency" in got[0][2]
    assert "a point is needed, not a LineString" in got[1][2]
    assert "has no geometry" in got[2][2]


def test_a_geopackage_is_imported(kutim, tmp_path):
    from jangkau.measurements.models import SpeedTest

    path = tmp_path / "tests.gpkg"
    points = [Point(SANGATTA_SELATAN[1], SANGATTA_SELATAN[0]), Point(KERAYAAN[1], KERAYAAN[0])]
    fields = ["measured_at", "download_mbps", "tool", "test_id"]
    data = [
        np.array(["2025-03-14T10:20:00+08:00", "2025-03-15T09:00:00+08:00"], dtype=object),
        np.array([12.4, 3.3]),
        np.array(["field_team", "field_team"], dtype=object),
        np.array(["g1", "g2"], dtype=object),
    ]
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb(np.array(points, dtype=object)),
        data,
        fields,
        driver="GPKG",
        geometry_type="Point",
        crs="EPSG:4326",
    )
    assert run_import("speedtests", path).created == 2
    assert SpeedTest.objects.get(test_id="g2").village.code == KERAYAAN_CODE


def test_parquet_rows_are_read_in_batches(kutim, tmp_path, monkeypatch):
    from jangkau.measurements.models import SpeedTest

    monkeypatch.setattr(sources, "PARQUET_BATCH", 3)
    n = 7
    table = pa.table(
        {
            "measured_at": ["2025-03-14T10:20:00+08:00"] * n,
            "lat": [SANGATTA_SELATAN[0]] * n,
            "lon": [SANGATTA_SELATAN[1]] * n,
            "download_mbps": [float(i) for i in range(n)],
            "tool": ["nperf"] * n,
            "test_id": [f"p{i}" for i in range(n)],
        }
    )
    path = tmp_path / "tests.parquet"
    pq.write_table(table, path)
    assert run_import("speedtests", path).created == n
    assert SpeedTest.objects.filter(tool="nperf").count() == n
    table = table.set_column(3, "download_mbps", pa.array([1.0] * (n - 1) + [-5.0]))
    pq.write_table(table, path)
    with pytest.raises(InputFileError) as info:
        run_import("speedtests", path)
    assert [(e.row, e.field) for e in info.value.errors] == [(7, "download_mbps")]
