"""Recomputing village statuses from stored evidence, a chunk of villages at a time."""

from __future__ import annotations

import datetime as dt

import pytest

from jangkau.evidence import services
from jangkau.evidence.models import Evidence, VillageStatus
from jangkau.regions.models import Village

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 1)


def _evidence(village: Village, status: str, key: str) -> Evidence:
    return Evidence.objects.create(
        key=key,
        village=village,
        kind="citizen_report",
        operator="telkomsel",
        status=status,
        as_of=AS_OF,
        source="test",
        quality="estimated",
        detail={},
    )


def _overall(village: Village) -> str:
    return VillageStatus.objects.get(village=village, operator="").status


def test_chunks_keep_each_villages_evidence_with_it(kutim, monkeypatch):
    villages = list(Village.objects.order_by("code")[:7])
    before = {v.code: _overall(v) for v in villages}
    # Evidence for the villages on both sides of the chunk boundary (chunks of 3: 0-2, 3-5, 6).
    for v in villages[2:5]:
        _evidence(v, "4g_good", f"test:{v.code}")
    monkeypatch.setattr(services, "RECOMPUTE_CHUNK", 3)
    seen = []
    services.recompute_statuses(
        [v.code for v in villages], as_of=AS_OF, progress=lambda i, n: seen.append((i, n))
    )
    assert seen == [(i, 7) for i in range(1, 8)]
    after = {v.code: _overall(v) for v in villages}
    for v in villages:
        expected = "4g_good" if v in villages[2:5] else before[v.code]
        assert after[v.code] == expected, v.code
    for v in villages[2:5]:
        telkomsel = VillageStatus.objects.get(village=v, operator="telkomsel")
        assert telkomsel.decided_by == [f"test:{v.code}"]


def test_unknown_evidence_does_not_count(kutim):
    village = Village.objects.get(code="64.08.11.2001")  # "no signal" on the blank-spot list
    _evidence(village, "unknown", "test:unknown")
    services.recompute_statuses([village.code], as_of=AS_OF)
    assert _overall(village) == "no_signal"
    assert not VillageStatus.objects.filter(village=village, operator="telkomsel").exists()
