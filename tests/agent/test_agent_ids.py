"""Result identifiers are RFC 9562 version-7 UUIDs: time first, then randomness."""

import uuid

import pytest

from jangkau.agent.ids import uuid7, uuid7_ms
from jangkau.agent.probes import ProbeResult


def test_uuid7_has_version_7_and_the_rfc_variant():
    u = uuid7(1_700_000_000_123)
    assert u.version == 7
    assert u.variant == uuid.RFC_4122


def test_uuid7_carries_its_milliseconds_in_the_first_48_bits():
    u = uuid7(1_700_000_000_123)
    assert uuid7_ms(u) == 1_700_000_000_123
    assert uuid7_ms(str(u)) == 1_700_000_000_123
    # the hex text starts with the time, so it sorts by time
    assert str(u).replace("-", "")[:12] == f"{1_700_000_000_123:012x}"


def test_uuid7_sorts_by_time_across_milliseconds():
    ids = [uuid7(ms) for ms in range(1_700_000_000_000, 1_700_000_000_200)]
    assert sorted(ids, key=lambda u: u.hex) == ids
    assert sorted(str(u) for u in ids) == [str(u) for u in ids]


def test_uuid7_within_one_millisecond_are_distinct():
    ids = {uuid7(1_700_000_000_000) for _ in range(10_000)}
    assert len(ids) == 10_000


def test_uuid7_refuses_a_time_outside_48_bits():
    with pytest.raises(ValueError, match="48"):
        uuid7(1 << 48)
    with pytest.raises(ValueError, match="48"):
        uuid7(-1)


def test_uuid7_ms_refuses_another_version():
    with pytest.raises(ValueError, match="version-7"):
        uuid7_ms(uuid.uuid4())


def test_uuid7_defaults_to_now(monkeypatch):
    monkeypatch.setattr("jangkau.agent.ids.time.time_ns", lambda: 1_750_000_000_456_789_000)
    assert uuid7_ms(uuid7()) == 1_750_000_000_456


def test_probe_results_get_a_uuid7_each():
    a = ProbeResult(1, "2026-06-01T03:04:05.123Z", True, latency_ms=3.0)
    b = ProbeResult(1, "2026-06-01T03:04:05.123Z", True, latency_ms=3.0)
    assert uuid.UUID(a.uuid).version == 7
    assert a.uuid != b.uuid
