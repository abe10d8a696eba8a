"""``bulk_upsert``: rows created, updated and unchanged by key, stored exactly as the ORM would."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jangkau.core.importing.bulk import bulk_upsert

pytestmark = pytest.mark.django_db


def evidence_values(village, status="no_signal", detail=None):
    return {
        "village": village,
        "kind": "speedtest",
        "operator": "",
        "status": status,
        "as_of": date(2025, 1, 2),
        "source": "test",
        "detail": detail if detail is not None else {"download_mbps": 0.0},
    }


def test_it_creates_updates_and_leaves_alone_by_key(kutim):
    from jangkau.evidence.models import Evidence
    from jangkau.regions.models import Village

    a, b = Village.objects.order_by("code")[:2]
    first = bulk_upsert(Evidence, {"t:1": evidence_values(a), "t:2": evidence_values(a)})
    assert (first.created, first.updated, first.unchanged) == (["t:1", "t:2"], [], [])
    stored = Evidence.objects.get(key="t:1")
    assert (stored.village, stored.as_of, stored.detail) == (
        a,
        date(2025, 1, 2),
        {"download_mbps": 0.0},
    )
    assert stored.created is not None  # auto_now_add is filled on insert
    again = bulk_upsert(
        Evidence,
        {"t:1": evidence_values(a), "t:2": evidence_values(b, "4g_good", {"download_mbps": 20.0})},
    )
    assert (again.created, again.updated, again.unchanged) == ([], ["t:2"], ["t:1"])
    assert again.previous["t:2"]["village_id"] == a.pk
    assert again.previous["t:2"]["status"] == "no_signal"
    moved = Evidence.objects.get(key="t:2")
    assert (moved.village, moved.status, moved.detail) == (b, "4g_good", {"download_mbps": 20.0})


def test_touch_sets_the_update_time_of_changed_rows_only(kutim):
    from jangkau.measurements.models import SpeedTest
    from jangkau.regions.models import Village

    village = Village.objects.order_by("code").first()
    values = {
        "village": village,
        "tool": "field_team",
        "measured_at": datetime(2025, 1, 2, 3, 4, 5, 678000, tzinfo=UTC),
        "lat": 0.5,
        "lon": 117.5,
        "download_mbps": 3.25,
        "source": "test",
    }
    bulk_upsert(SpeedTest, {"a": values, "b": values}, touch="updated")
    before = dict(SpeedTest.objects.values_list("key", "updated"))
    result = bulk_upsert(SpeedTest, {"a": values, "b": {**values, "download_mbps": 4.0}},
                         touch="updated")  # fmt: skip
    assert (result.updated, result.unchanged) == (["b"], ["a"])  # microseconds survive the trip
    after = dict(SpeedTest.objects.values_list("key", "updated"))
    assert after["a"] == before["a"] and after["b"] > before["b"]
