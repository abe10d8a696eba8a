"""The stability gate per village and kecamatan: states, change rows, the numbers behind it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jangkau.monitoring.models import GateChange, GateState
from jangkau.monitoring.services.cycle import run_cycle
from jangkau.regions.models import District, Village
from tests.monitoring.conftest import T0, result

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_day_gate(settings):
    """A 1-day window keeps the data small; the rule is the same as over 30 days."""
    settings.JANGKAU_GATE_WINDOW_DAYS = 1


def day_of_results(target, start, fail_every=0, latency=30.0, minutes=24 * 60):
    return [
        result(
            target,
            start + timedelta(minutes=i),
            ok=not (fail_every and i % fail_every == 0),
            latency=latency,
        )
        for i in range(minutes)
    ]


def state(obj):
    if isinstance(obj, Village):
        return GateState.objects.get(level="village", village=obj)
    return GateState.objects.get(level="kecamatan", district=obj)


def test_a_stable_village_is_ready_and_an_unmonitored_one_is_not(
    agent_token, make_target, ingest, village, other_village
):
    agent, _ = agent_token
    t = make_target(agents=[agent])
    ingest(agent, day_of_results(t, T0), T0 + timedelta(days=1))
    run_cycle(now=T0 + timedelta(days=1))
    s = state(village)
    assert (s.status, s.ready) == ("ready", True)
    assert s.availability_pct == 100.0 and s.loss_pct == 0.0
    assert s.p95_ms == pytest.approx(30.0, rel=0.03)
    assert s.coverage_pct == 100.0 and (s.n_members, s.n_ready) == (1, 1)
    other = state(other_village)
    assert other.status == "insufficient_data" and not other.ready
    assert other.reasons[0]["code"] == "no_members"
    # a kecamatan is ready only when every village in it is monitored and ready
    kec = state(village.district)
    assert kec.status == "insufficient_data"
    assert kec.n_members == village.district.villages.count() and kec.n_ready == 1
    # the first evaluation of every village and kecamatan is a change row
    assert GateChange.objects.count() == Village.objects.count() + District.objects.count()
    assert GateChange.objects.get(village=village).previous_status == ""


def test_each_threshold_keeps_a_village_belum_siap_with_the_reason(
    agent_token, make_target, ingest, village, settings
):
    agent, _ = agent_token
    good = make_target("kantor desa", agents=[agent])
    lossy = make_target("sekolah", agents=[agent])
    slow = make_target("puskesmas", agents=[agent])
    now = T0 + timedelta(days=1)
    ingest(agent, day_of_results(good, T0), now)
    ingest(agent, day_of_results(lossy, T0, fail_every=40), now)  # 2.5 % failures
    ingest(agent, day_of_results(slow, T0, latency=180.0), now)
    run_cycle(now=now)
    s = state(village)
    assert s.status == "not_ready" and (s.n_members, s.n_ready) == (3, 1)
    assert s.availability_pct == pytest.approx(97.5) and s.loss_pct == pytest.approx(2.5)
    assert s.p95_ms == pytest.approx(180.0, rel=0.03)
    codes = {(r["code"], r["subject"]) for r in s.reasons}
    assert codes == {("availability", lossy.pk), ("loss", lossy.pk), ("latency_p95", slow.pk)}


def test_thin_data_is_insufficient_not_ready(agent_token, make_target, ingest, village):
    agent, _ = agent_token
    t = make_target(agents=[agent])
    ingest(
        agent, day_of_results(t, T0 + timedelta(hours=12), minutes=6 * 60), T0 + timedelta(days=1)
    )
    run_cycle(now=T0 + timedelta(days=1))
    s = state(village)
    assert s.status == "insufficient_data"
    assert s.coverage_pct == pytest.approx(25.0) and s.reasons[0]["code"] == "coverage"


def test_a_change_of_status_is_a_row_and_no_change_adds_none(
    agent_token, make_target, ingest, village
):
    agent, _ = agent_token
    t = make_target(agents=[agent])
    ingest(agent, day_of_results(t, T0), T0 + timedelta(days=1))
    run_cycle(now=T0 + timedelta(days=1))
    ready_since = state(village).since
    rows = GateChange.objects.count()
    # the next day is bad: 5 % failures
    day2 = T0 + timedelta(days=1)
    ingest(agent, day_of_results(t, day2, fail_every=20), day2 + timedelta(days=1))
    summary = run_cycle(now=day2 + timedelta(days=1))
    # the village, and its kecamatan (insufficient data -> not ready: a failure is evidence)
    assert summary["gate_changes"] == 2
    kec = GateChange.objects.filter(district=village.district).order_by("-at").first()
    assert (kec.previous_status, kec.status) == ("insufficient_data", "not_ready")
    change = GateChange.objects.filter(village=village).order_by("-at").first()
    assert (change.previous_status, change.status, change.ready) == ("ready", "not_ready", False)
    assert change.availability_pct == pytest.approx(95.0)
    assert change.at == day2 + timedelta(days=1)
    s = state(village)
    assert s.since == day2 + timedelta(days=1) != ready_since
    run_cycle(now=day2 + timedelta(days=1, minutes=5))
    assert GateChange.objects.count() == rows + 2
    assert state(village).evaluated_at == day2 + timedelta(days=1, minutes=5)


def test_a_kecamatan_is_ready_when_all_its_villages_are(agent_token, make_target, ingest):
    agent, _ = agent_token
    district = min(District.objects.all(), key=lambda d: d.villages.count())
    now = T0 + timedelta(days=1)
    for v in district.villages.all():
        t = make_target(f"uplink {v.code}", village=v, agents=[agent])
        ingest(agent, day_of_results(t, T0), now)
    run_cycle(now=now)
    kec = state(district)
    assert (kec.status, kec.ready) == ("ready", True)
    assert kec.n_members == kec.n_ready == district.villages.count()
