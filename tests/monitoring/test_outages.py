"""Outage rows: the core's N-failures / M-successes rule, kept up to date run after run."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from jangkau.cores.probes import detect_outages, prepare_series
from jangkau.monitoring.models import Outage
from jangkau.monitoring.services.cycle import run_cycle
from tests.monitoring.conftest import T0, series

pytestmark = pytest.mark.django_db


def minute(i):
    return T0 + timedelta(minutes=i)


def rows(target):
    return [(o.start, o.end) for o in Outage.objects.filter(target=target).order_by("start")]


@pytest.fixture
def target(agent_token, make_target):
    agent, _ = agent_token
    return agent, make_target(agents=[agent])


def test_the_documented_example_gives_one_outage_and_ignores_the_blip(target, ingest):
    agent, t = target
    ingest(agent, series(t, T0, "..xxx.x.xx..x...."), minute(20))
    summary = run_cycle(now=minute(20))
    # N=3, M=2: from minute 2 to minute 10 (the short successes at 5 and 7 are flapping)
    assert rows(t) == [(minute(2), minute(10))]
    o = Outage.objects.get()
    assert o.duration_s == 8 * 60 and not o.ongoing
    assert summary["outage_events"] == 1


def test_fewer_than_n_failures_is_not_an_outage(target, ingest):
    agent, t = target
    ingest(agent, series(t, T0, "....xx....x.x...."), minute(20))
    run_cycle(now=minute(20))
    assert rows(t) == []


def test_an_ongoing_outage_keeps_its_row_until_recovery(target, ingest):
    agent, t = target
    ingest(agent, series(t, T0, "....xxxx"), minute(8))
    run_cycle(now=minute(10))
    o = Outage.objects.get()
    assert (o.start, o.end) == (minute(4), None) and o.ongoing
    assert o.duration_s == pytest.approx(6 * 60)
    ingest(agent, series(t, minute(8), "xxx.x"), minute(13))  # flapping: still down
    run_cycle(now=minute(13))
    o.refresh_from_db()
    assert o.end is None and o.duration_s == pytest.approx(9 * 60)
    ingest(agent, series(t, minute(13), "..."), minute(16))
    run_cycle(now=minute(16))
    assert list(Outage.objects.values_list("pk", "start", "end")) == [(o.pk, minute(4), minute(13))]


def test_outages_built_run_by_run_equal_the_core_on_the_whole_series(target, ingest):
    agent, t = target
    rng = np.random.default_rng(11)
    # long stretches of success with bursts of failure and flapping
    pattern = "".join(
        rng.choice(
            ["." * 20, "x" * 5, ".x" * 3, "x", "xx.", "x" * 12], p=[0.45, 0.15, 0.1, 0.1, 0.1, 0.1]
        )
        for _ in range(60)
    )
    data = series(t, T0, pattern)
    for chunk in range(0, len(data), 37):  # uploads of 37 results, a cycle after each
        part = data[chunk : chunk + 37]
        now = minute(chunk + len(part))
        ingest(agent, part, now)
        run_cycle(now=now)
    ts = np.array([60.0 * i for i in range(len(pattern))]) + T0.timestamp()
    ok = np.array([c == "." for c in pattern])
    expected = detect_outages(prepare_series(ts, ok), n_fail=3, m_success=2, merge_gap_s=300)
    got = rows(t)
    assert len(got) == len(expected) > 3
    for (start, end), e in zip(got, expected, strict=True):
        assert start.timestamp() == e.start
        assert (end.timestamp() if end else None) == e.end


def test_results_of_a_backlog_that_fill_a_gap_rewrite_the_outage(target, ingest):
    agent, t = target
    data = series(t, T0, "....xxxxxx.......")
    ingest(agent, data[:4] + data[7:], minute(20))  # 4..6 still queued on a second path
    run_cycle(now=minute(20))
    assert rows(t) == [(minute(7), minute(10))]
    ingest(agent, data[4:7], minute(21))
    run_cycle(now=minute(21))
    assert rows(t) == [(minute(4), minute(10))]


def test_an_outage_open_across_the_raw_horizon_keeps_its_start(target, ingest, settings):
    settings.JANGKAU_MONITORING_RAW_DAYS = 1
    agent, t = target
    ingest(agent, series(t, T0, "..xxxxxx"), minute(8))
    run_cycle(now=minute(8))
    # the target stays down for two days (results every hour), raw data of day 0 is purged
    down = series(t, T0 + timedelta(hours=1), "x" * 60, step_s=3600)
    for day in range(3):
        now = T0 + timedelta(days=day + 1)
        ingest(
            agent,
            [
                r
                for r in down
                if r["ts"] < now.isoformat().replace("+00:00", "Z")
                and r["ts"] >= (now - timedelta(days=1)).isoformat().replace("+00:00", "Z")
            ],
            now,
        )
        run_cycle(now=now)
    o = Outage.objects.get()
    assert o.start == minute(2) and o.ongoing
    assert o.duration_s == pytest.approx(3 * 86400 - 120)
    back = T0 + timedelta(days=3, hours=1)
    ingest(agent, series(t, back, "..."), back + timedelta(minutes=3))
    run_cycle(now=back + timedelta(minutes=3))
    assert rows(t) == [(minute(2), back)]


def test_two_outages_closer_than_the_merge_gap_are_one(target, ingest, settings):
    settings.JANGKAU_OUTAGE_MERGE_GAP_S = 300
    agent, t = target
    ingest(agent, series(t, T0, "..xxx...xxx......xxx...."), minute(30))
    run_cycle(now=minute(30))
    # the 2nd starts 3 min after the 1st ended (merged); the 3rd 6 min after (not merged)
    assert rows(t) == [(minute(2), minute(11)), (minute(17), minute(20))]
