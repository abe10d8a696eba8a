"""Importer ``speedtests``: stored values, evidence, and every kind of bad file."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jangkau.core.importing import InputFileError, run_import
from tests.importing.files import (
    SAMARINDA,
    SANGATTA_SELATAN,
    SANGATTA_SELATAN_CODE,
    snapshot,
    speedtest_row,
    write_csv,
    write_dicts,
)

pytestmark = pytest.mark.django_db


def test_a_speed_test_and_its_evidence_are_stored(kutim, tmp_path):
    from jangkau.evidence.models import Evidence
    from jangkau.measurements.models import SpeedTest

    row = speedtest_row(measured_at="2025-03-14T00:30:00+08:00", jitter_ms="7", note="pasar")
    result = run_import("speedtests", write_dicts(tmp_path / "t.csv", [row]))
    assert result.created == 1
    test = SpeedTest.objects.get()
    assert test.key == "ookla_app:t-1"
    assert test.measured_at == datetime(2025, 3, 13, 16, 30, tzinfo=UTC)
    assert test.as_of == date(2025, 3, 14)  # the local (WITA) date
    assert (test.download_mbps, test.upload_mbps, test.latency_ms, test.jitter_ms) == (
        12.4,
        3.1,
        48.0,
        7.0,
    )
    assert (test.village.code, test.operator, test.technology) == (
        SANGATTA_SELATAN_CODE,
        "telkomsel",
        "4g",
    )
    assert (test.source, test.quality, test.note) == ("Speedtest by Ookla app", "measured", "pasar")
    evidence = Evidence.objects.get(key="speedtests:ookla_app:t-1")
    assert evidence == test.evidence()
    assert (evidence.kind, evidence.status, evidence.operator, evidence.quality) == (
        "speedtest",
        "4g_good",
        "telkomsel",
        "measured",
    )
    assert evidence.as_of == date(2025, 3, 14)
    assert evidence.detail["download_mbps"] == 12.4
    assert evidence.detail["measured_at"] == "2025-03-13T16:30:00+00:00"


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"technology": "4g", "download_mbps": "12"}, "4g_good"),
        ({"technology": "4g", "download_mbps": "3"}, "4g_weak"),
        ({"technology": "3g", "download_mbps": "12"}, "2g_3g_only"),
        ({"technology": "", "download_mbps": "7"}, "4g_weak"),
        ({"technology": "unknown", "download_mbps": "2"}, "2g_3g_only"),
        ({"technology": "unknown", "download_mbps": "0"}, "no_signal"),
        ({"technology": "wifi", "download_mbps": "50"}, "unknown"),
        ({"technology": "satellite", "download_mbps": "20"}, "unknown"),
    ],
)
def test_the_status_follows_the_mapper_and_wifi_does_not_count(kutim, tmp_path, overrides, status):
    from jangkau.evidence.models import Evidence

    run_import("speedtests", write_dicts(tmp_path / "t.csv", [speedtest_row(**overrides)]))
    evidence = Evidence.objects.get(key="speedtests:ookla_app:t-1")
    assert evidence.status == status
    assert ("Not counted" in evidence.note) == (status == "unknown")


HEADER = list(speedtest_row())


def _bad_files(tmp_path):
    """(name, path, [(row, field, fragment), ...], import options)."""
    cases = []
    path = write_csv(
        tmp_path / "signals.csv",
        ["measured_at", "lat", "lon", "technology", "rsrp_dbm"],
        [["2025-03-14T10:20:00+08:00", *SANGATTA_SELATAN, "4g", "-100"]],
    )
    cases.append(
        (
            "wrong columns",
            path,
            [(0, "download_mbps", "missing column"), (0, "tool", "missing column")],
            {},
        )
    )
    path = write_dicts(tmp_path / "coords.csv", [speedtest_row(lat="0,512"), speedtest_row(
        test_id="2", lon="1175200")])  # fmt: skip
    cases.append(
        (
            "bad coordinates",
            path,
            [(1, "lat", "decimal separator"), (2, "lat/lon", "not longitude/latitude")],
            {},
        )
    )
    path = write_dicts(tmp_path / "code.csv", [speedtest_row(village_code="64.08.99.2001")])
    cases.append(("unknown village code", path, [(1, "village_code", "does not exist")], {}))
    path = write_dicts(tmp_path / "dup.csv", [speedtest_row(), speedtest_row(download_mbps="2")])
    cases.append(("duplicate rows", path, [(2, "tool/test_id", "duplicate of row 1")], {}))
    path = write_dicts(
        tmp_path / "future.csv", [speedtest_row(measured_at="2099-01-01T10:00:00+08:00")]
    )
    cases.append(("future dates", path, [(1, "measured_at", "in the future")], {}))
    path = write_dicts(tmp_path / "out.csv", [speedtest_row(lat=SAMARINDA[0], lon=SAMARINDA[1])])
    cases.append(("outside the regency", path, [(1, "lat/lon", "outside the regency")], {}))
    path = write_dicts(tmp_path / "enc.csv", [speedtest_row(note="kafé")], encoding="latin-1")
    cases.append(("wrong encoding", path, [(1, "", "not UTF-8 text: byte")], {}))
    path = write_dicts(tmp_path / "big.csv", [speedtest_row()])
    cases.append(("oversize", path, [(0, "", "above the limit of 50 bytes")], {"max_bytes": 50}))
    path = write_dicts(tmp_path / "cut.csv", [speedtest_row(), speedtest_row(test_id="2")])
    path.write_bytes(path.read_bytes()[:-40])
    cases.append(("truncated", path, [(2, "", "truncated row?")], {}))
    return cases


def test_every_bad_file_is_rejected_with_row_and_column_and_nothing_changes(kutim, tmp_path):
    seen = []
    for name, path, expected, options in _bad_files(tmp_path):
        before = snapshot()
        with pytest.raises(InputFileError) as info:
            run_import("speedtests", path, **options)
        got = info.value.errors
        assert len(got) == len(expected), (name, got)
        for error, (row, field, fragment) in zip(got, expected, strict=True):
            assert error.row == row, (name, error)
            assert error.field.startswith(field), (name, error)
            assert fragment in error.message, (name, error)
        assert snapshot() == before, name
        seen.append(name)
    assert len(seen) == 9


def test_a_test_without_an_id_is_identified_by_time_place_and_operator(kutim, tmp_path):
    from jangkau.measurements.models import SpeedTest

    rows = [speedtest_row(test_id=""), speedtest_row(test_id="", operator="xl")]
    path = write_dicts(tmp_path / "noid.csv", rows)
    assert run_import("speedtests", path).created == 2
    assert run_import("speedtests", path).unchanged == 2
    keys = sorted(SpeedTest.objects.values_list("key", flat=True))
    assert keys == [
        "ookla_app:20250314T022000Z:0.51200,117.52000:telkomsel",
        "ookla_app:20250314T022000Z:0.51200,117.52000:xl",
    ]
