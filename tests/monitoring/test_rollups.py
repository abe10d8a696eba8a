"""Rollups: correct against the core on synthetic data, idempotent, late results, retention."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from jangkau.cores.probes import (
    DAY_S,
    HOUR_S,
    WITA_OFFSET_S,
    latency_percentiles,
    rollup,
)
from jangkau.monitoring.models import ProbeResult, ResultRollup, RollupCursor
from jangkau.monitoring.services.cycle import CycleBusy, run_cycle
from jangkau.monitoring.services.rollup_store import (
    SPEC,
    WEEK_S,
    _tile_ranges,
    day_window,
    decode_hists,
    encode_hist,
    epoch,
    from_epoch,
    load_rollup,
    tiled_rollup,
    window_rollup,
    window_stats_for,
)
from tests.monitoring.conftest import T0, result

pytestmark = pytest.mark.django_db


def synthetic(target, start, n, seed, step_s=60, icmp=False):
    """n results, 1 per step: lognormal latencies around 40 ms, ~3 % failures."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        ok = bool(rng.random() > 0.03)
        lat = float(np.round(rng.lognormal(np.log(40), 0.4), 3))
        extra = {}
        if icmp:
            received = 3 if ok else int(rng.integers(0, 3))
            extra = {
                "detail": {"sent": 3, "received": received},
                "loss_pct": 100.0 * (3 - received) / 3,
            }
        out.append(
            result(
                target,
                start + timedelta(seconds=i * step_s + int(rng.integers(0, 5))),
                ok,
                lat if ok else None,
                **extra,
            )
        )
    return out


def snapshot():
    return sorted(
        ResultRollup.objects.values_list(
            "target_id",
            "width_s",
            "bucket_start",
            "count",
            "successes",
            "latency_count",
            "latency_sum",
            "latency_min",
            "latency_max",
            "packets_sent",
            "packets_lost",
            "hist_offset",
            "hist",
        )
    )


def expected_from_raw(width):
    rows = list(
        ProbeResult.objects.order_by("target_id", "ts").values_list(
            "target_id", "ts", "ok", "latency_ms", "packets_sent", "packets_lost"
        )
    )
    tgt, ts, ok, lat, sent, lost = (np.array(c) for c in zip(*rows, strict=True))
    return rollup(
        np.array([t.timestamp() for t in ts]),
        ok.astype(bool),
        np.array(lat, dtype=float),
        width_s=width,
        target=tgt.astype(np.int64),
        offset_s=WITA_OFFSET_S,
        sent=sent.astype(np.int64),
        lost=lost.astype(np.int64),
        spec=SPEC,
    )


def assert_rollup_equal(stored, expected):
    for name in (
        "target",
        "bucket_start",
        "count",
        "successes",
        "latency_count",
        "packets_sent",
        "packets_lost",
        "hist",
    ):
        np.testing.assert_array_equal(getattr(stored, name), getattr(expected, name), name)
    for name in ("latency_sum", "latency_min", "latency_max"):
        np.testing.assert_allclose(
            getattr(stored, name), getattr(expected, name), rtol=1e-12, err_msg=name
        )


@pytest.fixture
def two_targets(agent_token, make_target):
    agent, _ = agent_token
    return (
        agent,
        make_target("uplink", agents=[agent]),
        make_target("ping", kind="icmp", agents=[agent]),
    )


def test_histogram_rows_are_trimmed_and_decoded_exactly():
    rng = np.random.default_rng(3)
    rows = np.zeros((5, SPEC.n_bins), np.int32)
    rows[1, 40:47] = rng.integers(0, 9, 7)
    rows[2, 0] = 5
    rows[3, SPEC.n_bins - 1] = 2
    rows[4, [3, 200]] = [1, 4]
    encoded = [encode_hist(r) for r in rows]
    assert encoded[0] == (0, b"")
    assert encoded[4][0] == 3 and len(encoded[4][1]) == 4 * 198
    decoded = decode_hists(np.array([o for o, _ in encoded]), [b for _, b in encoded])
    np.testing.assert_array_equal(decoded, rows)


def test_rollups_at_every_width_equal_the_core_on_the_raw_results(two_targets, ingest):
    agent, tcp, icmp = two_targets
    now = T0 + timedelta(days=1, hours=2)
    ingest(agent, synthetic(tcp, T0 - timedelta(hours=3), 26 * 60, seed=1), now)
    ingest(agent, synthetic(icmp, T0 - timedelta(hours=1), 20 * 60, seed=2, icmp=True), now)
    summary = run_cycle(now=now)
    assert summary["counted"] == 46 * 60
    assert not ProbeResult.objects.filter(rolled_up=False).exists()
    for width in (300, HOUR_S, DAY_S, WEEK_S):
        stored = load_rollup(width, 0, 2**40)
        assert_rollup_equal(stored, expected_from_raw(width))
    day = load_rollup(DAY_S, 0, 2**40)
    # daily buckets are WITA days: T0 is 00:00 WITA
    assert set(day.bucket_start.tolist()) == {int(epoch(T0)) - DAY_S, int(epoch(T0))}
    assert day.packets_sent[day.target == icmp.pk].sum() == 3 * 20 * 60


def test_running_the_rollup_again_or_recomputing_gives_the_same_rows(two_targets, ingest):
    agent, tcp, icmp = two_targets
    now = T0 + timedelta(hours=6)
    ingest(agent, synthetic(tcp, T0, 5 * 60, seed=4), now)
    ingest(agent, synthetic(icmp, T0, 5 * 60, seed=5, icmp=True), now)
    run_cycle(now=now)
    first = snapshot()
    assert first
    run_cycle(now=now + timedelta(minutes=5))
    assert snapshot() == first
    ProbeResult.objects.update(rolled_up=False)  # force every bucket to be recomputed
    assert run_cycle(now=now + timedelta(minutes=10))["counted"] == 10 * 60
    assert snapshot() == first


def test_a_backlog_uploaded_out_of_order_gives_the_same_rows_as_in_order(two_targets, ingest):
    agent, tcp, _icmp = two_targets
    data = synthetic(tcp, T0, 3 * 60, seed=6)
    now = T0 + timedelta(hours=4)
    ingest(agent, data[120:], now)  # the newest arrive first (agent offline, then backlog)
    run_cycle(now=now)
    ingest(agent, data[:120], now + timedelta(minutes=5))
    run_cycle(now=now + timedelta(minutes=5))
    incremental = snapshot()
    ResultRollup.objects.all().delete()
    ProbeResult.objects.update(rolled_up=False)
    run_cycle(now=now + timedelta(minutes=10))
    assert snapshot() == incremental
    assert_rollup_equal(load_rollup(300, 0, 2**40), expected_from_raw(300))


def test_raw_results_are_purged_after_the_window_and_rollups_kept(two_targets, ingest, settings):
    settings.JANGKAU_MONITORING_RAW_DAYS = 2
    agent, tcp, _icmp = two_targets
    ingest(agent, synthetic(tcp, T0, 24 * 60, seed=7), T0 + timedelta(days=1))
    run_cycle(now=T0 + timedelta(days=1))
    day_rows = snapshot()
    # three days later the raw results of the first day are older than the window
    summary = run_cycle(now=T0 + timedelta(days=4, hours=1))
    assert summary["raw_purged"] == 24 * 60
    assert ProbeResult.objects.count() == 0
    assert snapshot() == day_rows
    cursor = RollupCursor.objects.get()
    assert cursor.purged_before == T0 + timedelta(days=2)  # a WITA midnight


def test_a_result_arriving_after_its_raw_window_is_folded_in_exactly_once(
    two_targets, ingest, settings
):
    settings.JANGKAU_MONITORING_RAW_DAYS = 2
    agent, tcp, _icmp = two_targets
    data = synthetic(tcp, T0, 24 * 60, seed=8)
    late = data.pop(700)
    ingest(agent, data, T0 + timedelta(days=1))
    run_cycle(now=T0 + timedelta(days=1))
    run_cycle(now=T0 + timedelta(days=5))  # purges day 0
    before = {w: load_rollup(w, 0, 2**40) for w in (300, HOUR_S, DAY_S)}
    ingest(agent, [late], T0 + timedelta(days=5, minutes=1))  # the agent's backlog, 5 days late
    summary = run_cycle(now=T0 + timedelta(days=5, minutes=5))
    assert summary["late_merged"] == 1 and ProbeResult.objects.count() == 0
    after = {w: load_rollup(w, 0, 2**40) for w in (300, HOUR_S, DAY_S)}
    for w in (300, HOUR_S, DAY_S):
        assert after[w].count.sum() == before[w].count.sum() + 1
        assert after[w].hist.sum() == before[w].hist.sum() + (1 if late["ok"] else 0)
    # folding in is final: running again changes nothing
    rows = snapshot()
    run_cycle(now=T0 + timedelta(days=5, minutes=10))
    assert snapshot() == rows
    # and equals the rollup of the complete day computed in one go
    ResultRollup.objects.all().delete()
    ProbeResult.objects.all().delete()
    RollupCursor.objects.all().delete()
    ingest(agent, data + [late], T0 + timedelta(days=1, minutes=1))
    run_cycle(now=T0 + timedelta(days=1, minutes=1))
    full = load_rollup(DAY_S, 0, 2**40)
    assert_rollup_equal(after[DAY_S], full)


def test_five_minute_rows_expire_before_hourly_and_daily_rows(two_targets, ingest, settings):
    settings.JANGKAU_MONITORING_RAW_DAYS = 1
    settings.JANGKAU_MONITORING_ROLLUP_5M_DAYS = 3
    settings.JANGKAU_MONITORING_ROLLUP_HOUR_DAYS = 6
    agent, tcp, _icmp = two_targets
    ingest(agent, synthetic(tcp, T0, 60, seed=9), T0 + timedelta(hours=2))
    run_cycle(now=T0 + timedelta(hours=2))
    widths = lambda: set(ResultRollup.objects.values_list("width_s", flat=True))  # noqa: E731
    assert widths() == {300, HOUR_S, DAY_S, WEEK_S}
    run_cycle(now=T0 + timedelta(days=4, hours=1))
    assert widths() == {HOUR_S, DAY_S, WEEK_S}
    run_cycle(now=T0 + timedelta(days=7, hours=1))
    assert widths() == {DAY_S, WEEK_S}


def test_a_long_window_reads_weeks_and_days_and_matches_the_raw_data(two_targets, ingest):
    agent, tcp, icmp = two_targets
    start_data = T0 - timedelta(days=3, hours=5)
    now = T0 + timedelta(days=17, hours=13, minutes=7)
    data = synthetic(
        tcp, start_data, int((now - start_data).total_seconds() // 600), seed=10, step_s=600
    )
    ingest(agent, data, now)
    run_cycle(now=now)
    start, end = day_window(epoch(now), 18)  # 18 whole WITA days before today, and today
    assert start == int(epoch(T0 - timedelta(days=1)))
    ranges = _tile_ranges(start, end)
    assert [w for w, lo, hi in ranges] == [DAY_S, WEEK_S, DAY_S] and ranges[1][2] > ranges[1][1]
    summed = window_rollup(start, end, [tcp.pk, icmp.pk])
    tiled = tiled_rollup(start, end, [tcp.pk, icmp.pk])
    assert len(summed) == 1 and len(tiled) < 15  # weekly rows replace 7 daily rows each
    a = window_stats_for(summed, start, end, interval_s=600, targets=[tcp.pk, icmp.pk])
    b = window_stats_for(tiled, start, end, interval_s=600, targets=[tcp.pk, icmp.pk])
    for name in (
        "count",
        "successes",
        "availability_pct",
        "loss_pct",
        "coverage_pct",
        "latency_mean_ms",
        "latency_min_ms",
        "latency_p95_ms",
        "latency_p99_ms",
    ):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-12, err_msg=name)
    raw = ProbeResult.objects.filter(target=tcp, ts__gte=from_epoch(start), ts__lt=now)
    n, k = raw.count(), raw.filter(ok=True).count()
    row = a.row(tcp.pk)
    assert (row["count"], row["successes"]) == (n, k) and n > 2500
    assert row["availability_pct"] == pytest.approx(100.0 * k / n, rel=1e-12)
    assert row["coverage_pct"] == pytest.approx(100.0 * n / ((end - start) // 600), rel=1e-9)
    lat = np.array(list(raw.filter(ok=True).values_list("latency_ms", flat=True)))
    p95 = latency_percentiles(lat, (95.0,))[0]
    assert abs(row["latency_p95_ms"] - p95) <= SPEC.relative_error * p95 + SPEC.lo_ms / 2
    absent = a.row(icmp.pk)
    assert absent["count"] == 0 and absent["coverage_pct"] == 0.0
    with pytest.raises(ValueError):
        _tile_ranges(start + HOUR_S, end)


def test_two_cycles_never_run_at_once(db):
    from jangkau.monitoring.services.rollups import cursor

    cur = cursor()
    from django.utils import timezone

    RollupCursor.objects.filter(pk=cur.pk).update(running_since=timezone.now())
    with pytest.raises(CycleBusy):
        run_cycle(now=T0)
    RollupCursor.objects.filter(pk=cur.pk).update(
        running_since=timezone.now() - timedelta(hours=2)
    )  # abandoned by a crashed run
    run_cycle(now=T0)
    assert RollupCursor.objects.get().running_since is None
