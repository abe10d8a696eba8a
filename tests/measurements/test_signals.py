"""Importer ``signals``: readings, their status, and contradictory rows."""

from __future__ import annotations

import pytest

from jangkau.core.importing import InputFileError, run_import
from tests.importing.files import SANGATTA_SELATAN, snapshot, write_dicts

pytestmark = pytest.mark.django_db


def reading(**overrides):
    row = {
        "measured_at": "2025-03-14T10:20:00+08:00",
        "lat": SANGATTA_SELATAN[0],
        "lon": SANGATTA_SELATAN[1],
        "operator": "telkomsel",
        "technology": "4g",
        "rsrp_dbm": "-101",
        "bars": "3",
    }
    row.update(overrides)
    return row


@pytest.mark.parametrize(
    ("overrides", "status"),
    [
        ({"rsrp_dbm": "-100"}, "4g_good"),
        ({"rsrp_dbm": "-110"}, "4g_weak"),
        ({"rsrp_dbm": "-120"}, "no_signal"),
        ({"rsrp_dbm": "", "bars": "2"}, "4g_weak"),
        ({"rsrp_dbm": "", "bars": "0"}, "no_signal"),
        ({"technology": "3g", "rsrp_dbm": "", "bars": "4"}, "2g_3g_only"),
        ({"technology": "none", "rsrp_dbm": "", "bars": "0"}, "no_signal"),
        ({"technology": "5g", "rsrp_dbm": "-95"}, "4g_good"),
    ],
)
def test_a_reading_becomes_evidence_with_the_mapped_status(kutim, tmp_path, overrides, status):
    from jangkau.evidence.models import Evidence
    from jangkau.measurements.models import SignalReading

    result = run_import("signals", write_dicts(tmp_path / "s.csv", [reading(**overrides)]))
    assert result.created == 1
    stored = SignalReading.objects.get()
    evidence = Evidence.objects.get(key=stored.evidence_key)
    assert (evidence.kind, evidence.status, evidence.operator) == (
        "signal_reading",
        status,
        "telkomsel",
    )
    assert evidence.detail["technology"] == stored.technology


def test_contradictory_and_out_of_range_readings_are_refused(kutim, tmp_path):
    before = snapshot()
    rows = [
        reading(technology="none", rsrp_dbm="-100", bars="0"),
        reading(technology="none", rsrp_dbm="", bars="2"),
        reading(technology="3g", rsrp_dbm="-90"),
        reading(rsrp_dbm="-20"),
        reading(bars="6"),
        reading(technology="wifi"),
        reading(measured_at="2025-03-14"),
    ]
    with pytest.raises(InputFileError) as info:
        run_import("signals", write_dicts(tmp_path / "bad.csv", rows))
    got = [(e.row, e.field) for e in info.value.errors]
    assert got == [
        (1, "rsrp_dbm"),
        (2, "bars"),
        (3, "rsrp_dbm"),
        (4, "rsrp_dbm"),
        (5, "bars"),
        (6, "technology"),
        (7, "measured_at"),
    ]
    messages = [e.message for e in info.value.errors]
    assert "without service" in messages[0] and "LTE/5G measure" in messages[2]
    assert "above the maximum -31" in messages[3] and "has no time of day" in messages[6]
    assert snapshot() == before


def test_readings_of_two_operators_at_one_place_and_time_are_two_rows(kutim, tmp_path):
    rows = [reading(), reading(operator="xl"), reading(operator="xl", technology="3g", rsrp_dbm="")]
    path = write_dicts(tmp_path / "multi.csv", rows)
    assert run_import("signals", path).created == 3
    assert run_import("signals", path).unchanged == 3
