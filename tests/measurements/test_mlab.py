"""Importer ``mlab``: BigQuery column names (dotted or flattened), download only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jangkau.core.importing import InputFileError, run_import
from tests.importing.files import SAMARINDA, SANGATTA_SELATAN, SANGATTA_SELATAN_CODE, write_dicts

pytestmark = pytest.mark.django_db


def test_dotted_bigquery_names_are_read_and_rows_outside_skipped(kutim, tmp_path):
    from jangkau.evidence.models import Evidence
    from jangkau.measurements.models import SpeedTest

    rows = [
        {
            "id": "row-1",
            "date": "2025-01-15",
            "a.UUID": "ndt-abc_1",
            "a.MeanThroughputMbps": "11.2",
            "a.MinRTT": "38.5",
            "client.Geo.Latitude": SANGATTA_SELATAN[0],
            "client.Geo.Longitude": SANGATTA_SELATAN[1],
            "client.Geo.AccuracyRadiusKm": "20",
            "client.Network.ASNumber": "23693",
        },
        {
            "id": "row-2",
            "date": "2025-01-15",
            "a.UUID": "ndt-abc_2",
            "a.MeanThroughputMbps": "4",
            "client.Geo.Latitude": SAMARINDA[0],
            "client.Geo.Longitude": SAMARINDA[1],
        },
    ]
    result = run_import("mlab", write_dicts(tmp_path / "ndt.csv", rows))
    assert (result.created, result.skipped) == (1, 1)
    test = SpeedTest.objects.get()
    assert (test.key, test.tool, test.village.code) == (
        "mlab_ndt:ndt-abc_1",
        "mlab_ndt",
        SANGATTA_SELATAN_CODE,
    )
    assert (test.download_mbps, test.upload_mbps, test.latency_ms) == (11.2, None, 38.5)
    assert test.measured_at == datetime(2025, 1, 15, tzinfo=UTC)
    assert test.extra["asn"] == 23693 and test.extra["accuracy_radius_km"] == 20.0
    evidence = Evidence.objects.get(key="speedtests:mlab_ndt:ndt-abc_1")
    assert (evidence.status, evidence.operator) == ("4g_good", "")


def test_flattened_names_work_and_the_same_test_is_one_row(kutim, tmp_path):
    from jangkau.measurements.models import SpeedTest

    row = {
        "UUID": "ndt-abc_1",
        "date": "2025-01-15",
        "TestTime": "2025-01-15T03:04:05Z",
        "MeanThroughputMbps": "11.2",
        "MinRTT": "38.5",
        "Latitude": SANGATTA_SELATAN[0],
        "Longitude": SANGATTA_SELATAN[1],
    }
    assert run_import("mlab", write_dicts(tmp_path / "flat.csv", [row])).created == 1
    assert SpeedTest.objects.get().measured_at == datetime(2025, 1, 15, 3, 4, 5, tzinfo=UTC)
    row["MeanThroughputMbps"] = "9.0"
    result = run_import("mlab", write_dicts(tmp_path / "flat2.csv", [row]))
    assert (result.created, result.updated) == (0, 1)
    assert SpeedTest.objects.count() == 1


def test_a_test_needs_an_id_and_a_throughput(kutim, tmp_path):
    rows = [
        {"date": "2025-01-15", "MeanThroughputMbps": "3", "Latitude": SANGATTA_SELATAN[0],
         "Longitude": SANGATTA_SELATAN[1], "id": ""},
        {"date": "2025-01-15", "MeanThroughputMbps": "", "Latitude": SANGATTA_SELATAN[0],
         "Longitude": SANGATTA_SELATAN[1], "id": "x"},
    ]  # fmt: skip
    with pytest.raises(InputFileError) as info:
        run_import("mlab", write_dicts(tmp_path / "bad.csv", rows))
    assert [(e.row, e.field) for e in info.value.errors] == [
        (1, "a.UUID"),
        (2, "a.MeanThroughputMbps"),
    ]
