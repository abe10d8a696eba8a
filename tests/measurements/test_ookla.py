"""Importer ``ookla``: tiles in the regency kept, the rest skipped, the quarter as evidence."""

from __future__ import annotations

from datetime import date, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.utils import timezone

from jangkau.core.importing import InputFileError, run_import
from jangkau.measurements.importers.ookla import quarter_end
from jangkau.measurements.quadkey import lonlat_to_tile, quadkey_centre, tile_to_quadkey
from tests.importing.files import (
    KERAYAAN,
    KERAYAAN_CODE,
    SAMARINDA,
    SANGATTA_SELATAN,
    SANGATTA_SELATAN_CODE,
    snapshot,
    write_dicts,
)

pytestmark = pytest.mark.django_db


def quadkey(lat, lon):
    return tile_to_quadkey(*lonlat_to_tile(lon, lat, 16), 16)


def tile(lat, lon, **overrides):
    row = {
        "quadkey": quadkey(lat, lon),
        "tile": "POLYGON ((...))",
        "avg_d_kbps": "14250",
        "avg_u_kbps": "6120",
        "avg_lat_ms": "41",
        "tests": "12",
        "devices": "5",
    }
    row.update(overrides)
    return row


OPTIONS = {"period": "2024-10-01", "network": "mobile"}


def test_tiles_in_the_regency_are_stored_and_the_rest_skipped(kutim, tmp_path):
    from jangkau.evidence.models import Evidence
    from jangkau.measurements.models import OoklaTile

    rows = [tile(*SANGATTA_SELATAN), tile(*KERAYAAN, avg_d_kbps="3100"), tile(*SAMARINDA)]
    path = write_dicts(tmp_path / "2024-10-01_performance_mobile_tiles.csv", rows)
    result = run_import("ookla", path, options=OPTIONS)
    assert (result.rows, result.created, result.skipped) == (2, 2, 1)
    assert result.ignored_columns == ("tile",)
    stored = {t.village.code: t for t in OoklaTile.objects.all()}
    assert set(stored) == {SANGATTA_SELATAN_CODE, KERAYAAN_CODE}
    sangatta = stored[SANGATTA_SELATAN_CODE]
    lon, lat = quadkey_centre(sangatta.quadkey)
    assert (sangatta.centre_lon, sangatta.centre_lat) == (round(lon, 7), round(lat, 7))
    assert (sangatta.period, sangatta.as_of, sangatta.as_of_label) == (
        date(2024, 10, 1),
        date(2024, 12, 31),
        "2024 Q4",
    )
    evidence = Evidence.objects.get(key=f"ookla:mobile:2024-10-01:{sangatta.quadkey}")
    assert (evidence.kind, evidence.status, evidence.as_of) == (
        "speedtest",
        "4g_good",
        date(2024, 12, 31),
    )
    assert evidence.detail["count"] == 5  # the fusion weight: devices
    slow = Evidence.objects.get(key=stored[KERAYAAN_CODE].evidence_key)
    assert slow.status == "2g_3g_only"  # 3.1 Mbit/s, technology unknown
    assert run_import("ookla", path, options=OPTIONS).unchanged == 2


def test_a_parquet_file_as_published_is_read(kutim, tmp_path):
    from jangkau.evidence.models import Evidence

    rows = [tile(*SANGATTA_SELATAN), tile(*SAMARINDA), tile(*KERAYAAN)]
    table = pa.table(
        {
            "quadkey": [r["quadkey"] for r in rows],
            "tile": [r["tile"] for r in rows],
            "avg_d_kbps": [int(r["avg_d_kbps"]) for r in rows],
            "avg_u_kbps": [int(r["avg_u_kbps"]) for r in rows],
            "avg_lat_ms": [41, 41, 41],
            "tests": [12, 12, 12],
            "devices": [5, 5, 5],
        }
    )
    path = tmp_path / "tiles.parquet"
    pq.write_table(table, path)
    result = run_import("ookla", path, options={"period": "2024-07-01", "network": "fixed"})
    assert (result.created, result.skipped) == (2, 1)
    statuses = set(
        Evidence.objects.filter(key__startswith="ookla:fixed").values_list("status", flat=True)
    )
    assert statuses == {"unknown"}  # fixed broadband does not count for the mobile status


def test_the_quarter_and_network_are_required_and_checked(kutim, tmp_path):
    before = snapshot()
    path = write_dicts(tmp_path / "tiles.csv", [tile(*SANGATTA_SELATAN)])
    with pytest.raises(InputFileError) as info:
        run_import("ookla", path)
    assert [(e.row, e.field) for e in info.value.errors] == [(0, "period"), (0, "network")]
    this_quarter = date(
        timezone.localdate().year, 3 * ((timezone.localdate().month - 1) // 3) + 1, 1
    )
    for period, fragment in [
        ("2024-11-01", "not the first day of a quarter"),
        (this_quarter.isoformat(), "has not ended yet"),
        ((timezone.localdate() + timedelta(days=100)).isoformat(), "in the future"),
    ]:
        with pytest.raises(InputFileError) as info:
            run_import("ookla", path, options={"period": period, "network": "mobile"})
        assert fragment in info.value.errors[0].message, period
    assert snapshot() == before


def test_bad_tiles_are_reported_by_row(kutim, tmp_path):
    rows = [
        tile(*SANGATTA_SELATAN),
        tile(*KERAYAAN, devices="20"),
        {**tile(*SANGATTA_SELATAN), "quadkey": "13232233302013"},
        {**tile(*SANGATTA_SELATAN), "quadkey": "13232x3330201310"},
        tile(*SANGATTA_SELATAN, avg_d_kbps="-1"),
    ]
    with pytest.raises(InputFileError) as info:
        run_import("ookla", write_dicts(tmp_path / "bad.csv", rows), options=OPTIONS)
    got = [(e.row, e.field) for e in info.value.errors]
    assert got == [(2, "devices"), (3, "quadkey"), (4, "quadkey"), (5, "avg_d_kbps")]
    assert "zoom-16 quadkey" in info.value.errors[1].message


def test_quarter_end():
    assert quarter_end(date(2024, 10, 1)) == date(2024, 12, 31)
    assert quarter_end(date(2024, 1, 1)) == date(2024, 3, 31)
    assert quarter_end(date(2024, 4, 1)) == date(2024, 6, 30)
