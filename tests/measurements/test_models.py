"""The database refuses what the importers would never write (named constraints)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, transaction

pytestmark = pytest.mark.django_db


def _village():
    from jangkau.regions.models import Village

    return Village.objects.get(code="64.08.12.2001")


def _refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_speed_tests_have_non_negative_speeds_and_unique_keys(kutim):
    from jangkau.measurements.models import SpeedTest

    base = {
        "village": _village(),
        "tool": "field_team",
        "measured_at": datetime(2025, 1, 1, tzinfo=UTC),
        "lat": 0.5,
        "lon": 117.5,
        "download_mbps": 3,
        "source": "test",
    }
    SpeedTest.objects.create(key="a", **base)
    _refused(lambda: SpeedTest.objects.create(key="a", **base))
    _refused(lambda: SpeedTest.objects.create(key="b", **{**base, "download_mbps": -1}))
    _refused(lambda: SpeedTest.objects.create(key="c", **{**base, "lat": 95}))


def test_signal_rsrp_and_bars_ranges(kutim):
    from jangkau.measurements.models import SignalReading

    base = {
        "village": _village(),
        "measured_at": datetime(2025, 1, 1, tzinfo=UTC),
        "lat": 0.5,
        "lon": 117.5,
        "technology": "4g",
        "source": "test",
    }
    _refused(lambda: SignalReading.objects.create(key="a", rsrp_dbm=-20, **base))
    _refused(lambda: SignalReading.objects.create(key="b", bars=6, **base))
    assert SignalReading.objects.create(key="c", rsrp_dbm=-100, bars=3, **base).pk


def test_a_survey_needs_an_answer_and_one_per_village_kind_and_date(kutim):
    from jangkau.measurements.models import VillageSurvey

    base = {"village": _village(), "survey_kind": "podes", "survey_date": date(2024, 5, 1),
            "source": "test"}  # fmt: skip
    _refused(lambda: VillageSurvey.objects.create(key="a", **base))
    VillageSurvey.objects.create(key="b", phone_signal="kuat", **base)
    _refused(lambda: VillageSurvey.objects.create(key="c", phone_signal="lemah", **base))


def test_an_ookla_tile_has_no_more_devices_than_tests(kutim):
    from jangkau.measurements.models import OoklaTile

    base = {"village": _village(), "quadkey": "1323223330201310", "period": date(2024, 10, 1),
            "network": "mobile", "avg_d_kbps": 1, "avg_u_kbps": 1, "avg_lat_ms": 1,
            "centre_lat": 0.5, "centre_lon": 117.5, "source": "test"}  # fmt: skip
    _refused(lambda: OoklaTile.objects.create(key="a", tests=2, devices=3, **base))
    OoklaTile.objects.create(key="b", tests=3, devices=2, **base)
    _refused(lambda: OoklaTile.objects.create(key="c", tests=3, devices=2, **base))
