"""Probe statistics: cleaning, summary, percentiles, jitter, loss, rollups, window query, SLA."""

import math

import numpy as np
import pytest

from jangkau.cores.probes import (
    DAY_S,
    HOUR_S,
    WITA_OFFSET_S,
    HistogramSpec,
    coarsen,
    concat_rollups,
    find_gaps,
    histogram_quantiles,
    jitter,
    loss_pct,
    monthly_sla,
    monthly_sla_from_rollup,
    prepare_series,
    rollup,
    summarize,
    window_stats,
)

MIN = 60.0


def minute_series(n, ok=True, latency=20.0, t0=0.0):
    ts = t0 + np.arange(n) * MIN
    okv = np.full(n, ok, dtype=bool) if np.isscalar(ok) else np.asarray(ok, dtype=bool)
    lat = np.full(n, latency, dtype=float) if np.isscalar(latency) else np.asarray(latency)
    return ts, okv, lat


# -- cleaning ----------------------------------------------------------------------------------


def test_prepare_sorts_skewed_input_and_dedupes_by_id():
    ts = np.array([120.0, 60.0, 0.0, 59.5, 60.0])  # 59.5: clock skew; id 2 sent twice
    ok = np.array([True, False, True, True, False])
    lat = np.array([30.0, 99.0, 10.0, 20.0, 99.0])
    ids = np.array([3, 2, 1, 4, 2])
    s = prepare_series(ts, ok, lat, ids=ids)
    assert s.ts.tolist() == [0.0, 59.5, 60.0, 120.0]
    assert s.ok.tolist() == [True, True, False, True]
    # the failure's stray latency is dropped
    assert np.isnan(s.latency_ms[2])
    assert s.latency_ms[[0, 1, 3]].tolist() == [10.0, 20.0, 30.0]


def test_prepare_dedupes_by_timestamp_without_ids_keeping_first():
    s = prepare_series([60.0, 0.0, 60.0], [False, True, True], [np.nan, 5.0, 7.0])
    assert s.ts.tolist() == [0.0, 60.0]
    assert s.ok.tolist() == [True, False]


def test_prepare_accepts_datetime64_and_rejects_bad_input():
    t = np.array(["2026-01-01T00:00:00", "2026-01-01T00:01:00"], dtype="datetime64[s]")
    s = prepare_series(t, [True, True])
    assert s.ts[1] - s.ts[0] == 60.0
    assert s.ts[0] == 1767225600.0
    with pytest.raises(ValueError):
        prepare_series([0.0, 1.0], [True])
    with pytest.raises(ValueError):
        prepare_series([0.0], [True], sent=[1], lost=[2])


# -- summary -----------------------------------------------------------------------------------


def test_all_up():
    ts, ok, lat = minute_series(1440)
    st = summarize(prepare_series(ts, ok, lat), start=0, end=DAY_S, interval_s=MIN)
    assert st.availability_pct == 100.0
    assert st.coverage_pct == 100.0
    assert st.loss_pct == 0.0
    assert st.latency_p95_ms == 20.0
    assert st.jitter_ms == 0.0
    assert st.gaps == ()


def test_all_down():
    ts, ok, lat = minute_series(1440, ok=False)
    st = summarize(prepare_series(ts, ok, lat), start=0, end=DAY_S, interval_s=MIN)
    assert st.availability_pct == 0.0
    assert st.loss_pct == 100.0
    assert math.isnan(st.latency_p95_ms)
    assert math.isnan(st.jitter_ms)
    assert st.n_success == 0 and st.n_results == 1440


def test_empty():
    st = summarize(prepare_series([], []), start=0, end=DAY_S, interval_s=MIN)
    assert st.n_results == 0
    assert st.coverage_pct == 0.0
    assert math.isnan(st.availability_pct)
    assert math.isnan(st.availability_lower_pct) is False and st.availability_lower_pct == 0.0
    assert math.isnan(st.loss_pct)
    assert st.gaps[0].start == 0 and st.gaps[0].end == DAY_S


def test_gap_excluded_from_availability_and_reported_as_coverage():
    # one day, agent off 06:00-12:00 (360 results missing), 12 failures elsewhere
    ts, ok, lat = minute_series(1440)
    ok[100:112] = False
    keep = (ts < 6 * HOUR_S) | (ts >= 12 * HOUR_S)
    st = summarize(
        prepare_series(ts[keep], ok[keep], lat[keep]), start=0, end=DAY_S, interval_s=MIN
    )
    assert st.n_results == 1080
    assert st.availability_pct == pytest.approx(100 * 1068 / 1080)
    assert st.coverage_pct == pytest.approx(75.0)
    assert st.availability_lower_pct == pytest.approx(100 * 1068 / 1440)
    assert len(st.gaps) == 1
    g = st.gaps[0]
    assert (g.start, g.end) == (6 * HOUR_S, 12 * HOUR_S)
    assert st.gap_s == 6 * HOUR_S


def test_short_silence_is_not_a_gap_but_long_one_is():
    ts = np.array([0.0, 60.0, 180.0, 240.0, 600.0])  # 120 s silence < 2.5 min; 360 s gap
    gaps = find_gaps(ts, 60.0, 0.0, 660.0)
    assert [(g.start, g.end) for g in gaps] == [(300.0, 600.0)]


def test_percentiles_match_numpy_linear_on_raw_data():
    rng = np.random.default_rng(1)
    n = 5000
    ts, ok, _ = minute_series(n)
    ok = rng.random(n) > 0.05
    lat = rng.lognormal(3.0, 0.8, n)
    st = summarize(prepare_series(ts, ok, lat), start=0, end=n * MIN, interval_s=MIN)
    expected = np.percentile(lat[ok], [50, 95, 99], method="linear")
    got = [st.latency_p50_ms, st.latency_p95_ms, st.latency_p99_ms]
    assert got == pytest.approx(expected.tolist(), rel=1e-12)
    assert st.latency_mean_ms == pytest.approx(lat[ok].mean())


def test_jitter_known_values():
    mean_abs, rfc = jitter([10.0, 20.0, 10.0, np.nan, 20.0])  # NaN (a failure) skipped
    assert mean_abs == 10.0
    j = 0.0
    for _ in range(3):
        j += (10.0 - j) / 16.0
    assert rfc == pytest.approx(j)
    assert all(math.isnan(v) for v in jitter([5.0]))


def test_loss_icmp_packets_and_other_kinds():
    assert loss_pct([True, True, False, True]) == 25.0
    # ICMP: 3 results x 4 packets, 1 + 0 + 4 lost = 5/12
    assert loss_pct([True, True, False], sent=[4, 4, 4], lost=[1, 0, 4]) == pytest.approx(
        100 * 5 / 12
    )
    st = summarize(
        prepare_series([0.0, 60.0], [True, True], [1.0, 1.0], sent=[5, 5], lost=[1, 0]),
        start=0,
        end=120,
        interval_s=60,
    )
    assert st.loss_pct == 10.0


# -- histogram and rollups ---------------------------------------------------------------------


def test_histogram_spec_bins_and_bound():
    spec = HistogramSpec()
    assert spec.n_bins == spec.n_regular + 2
    assert spec.top_ms >= spec.hi_ms
    edges = spec.lo_ms * spec.ratio ** np.arange(spec.n_regular + 1)
    idx = spec.bin_index(np.array([0.1, 1.0, edges[5] * 1.0001, 1e9]))
    assert idx.tolist() == [0, 1, 6, spec.n_bins - 1]
    assert spec.relative_error == pytest.approx(math.sqrt(1.05) - 1)


@pytest.mark.parametrize("dist", ["lognormal", "bimodal", "tiny", "constant", "few"])
def test_rollup_p95_within_documented_error(dist):
    rng = np.random.default_rng(7)
    n = 20_000
    lat = {
        "lognormal": rng.lognormal(3.5, 0.7, n),
        "bimodal": np.where(rng.random(n) < 0.9, rng.normal(40, 5, n).clip(1), 600.0),
        "tiny": rng.uniform(0.05, 3.0, n),
        "constant": np.full(n, 123.4),
        "few": np.r_[rng.uniform(5, 500, 7), np.full(n - 7, np.nan)],
    }[dist]
    ok = np.isfinite(lat)
    ts = np.arange(n) * MIN
    spec = HistogramSpec()
    r = coarsen(rollup(ts, ok, lat, width_s=300, target=1, spec=spec), DAY_S)
    ws = window_stats(r, 0, n * MIN, interval_s=MIN)
    for q, got in (
        (50, ws.latency_p50_ms[0]),
        (95, ws.latency_p95_ms[0]),
        (99, ws.latency_p99_ms[0]),
    ):
        exact = np.percentile(lat[ok], q, method="linear")
        bound = spec.relative_error * exact + spec.lo_ms / 2
        assert abs(got - exact) <= bound + 1e-9, (dist, q, got, exact, bound)


def test_rollup_counts_sums_and_coarsen_equal_direct():
    rng = np.random.default_rng(3)
    n = 3 * 1440
    ts = np.arange(n) * MIN + rng.uniform(-2, 2, n)  # skewed clocks
    ok = rng.random(n) > 0.02
    lat = rng.lognormal(3.0, 0.5, n)
    five = rollup(ts, ok, lat, width_s=300, target=4, offset_s=WITA_OFFSET_S)
    day_a = coarsen(coarsen(five, HOUR_S), DAY_S)
    day_b = rollup(ts, ok, lat, width_s=DAY_S, target=4, offset_s=WITA_OFFSET_S)
    assert day_a.bucket_start.tolist() == day_b.bucket_start.tolist()
    assert all((b + WITA_OFFSET_S) % DAY_S == 0 for b in day_b.bucket_start)
    for col in ("count", "successes", "latency_count", "hist"):
        assert np.array_equal(getattr(day_a, col), getattr(day_b, col)), col
    assert np.allclose(day_a.latency_sum, day_b.latency_sum)
    assert np.array_equal(day_a.latency_min, day_b.latency_min)
    assert day_b.count.sum() == n and day_b.successes.sum() == ok.sum()
    assert day_b.latency_sum.sum() == pytest.approx(lat[ok].sum())
    assert np.nanmax(day_b.latency_max) == lat[ok].max()
    assert day_b.hist.sum() == ok.sum()


def test_window_stats_many_targets_and_missing_target():
    rng = np.random.default_rng(5)
    parts, raw = [], {}
    for tid, p_fail in ((10, 0.0), (11, 0.01), (12, 0.5)):
        n = 7 * 1440
        ts = np.arange(n) * MIN
        ok = rng.random(n) >= p_fail
        lat = rng.lognormal(3.2, 0.4, n)
        raw[tid] = (ok, lat)
        parts.append(rollup(ts, ok, lat, width_s=DAY_S, target=tid))
    table = concat_rollups(parts[::-1])
    ws = window_stats(table, 0, 7 * DAY_S, interval_s=MIN, targets=[12, 99, 10, 11])
    assert ws.target.tolist() == [12, 99, 10, 11]
    for i, tid in enumerate([12, 99, 10, 11]):
        if tid == 99:
            assert ws.count[i] == 0 and math.isnan(ws.availability_pct[i])
            assert ws.coverage_pct[i] == 0.0
            continue
        ok, lat = raw[tid]
        assert ws.availability_pct[i] == pytest.approx(100 * ok.mean())
        assert ws.loss_pct[i] == pytest.approx(100 * (1 - ok.mean()))
        assert ws.latency_mean_ms[i] == pytest.approx(lat[ok].mean())
        assert ws.coverage_pct[i] == 100.0
    # a sub-window: only buckets starting inside it
    ws2 = window_stats(table, DAY_S, 3 * DAY_S, interval_s=MIN)
    assert ws2.count.tolist() == [2880, 2880, 2880]


def test_window_stats_for_named_targets_on_a_window_without_rows():
    table = rollup(
        np.arange(60) * MIN, np.ones(60, bool), np.full(60, 20.0), width_s=DAY_S, target=7
    )
    ws = window_stats(table, 5 * DAY_S, 6 * DAY_S, interval_s=MIN, targets=[8, 7])
    assert ws.target.tolist() == [8, 7]
    assert ws.count.tolist() == [0, 0]
    assert ws.coverage_pct.tolist() == [0.0, 0.0]
    assert np.isnan(ws.availability_pct).all() and np.isnan(ws.latency_mean_ms).all()


def test_histogram_quantiles_empty_row_is_nan():
    spec = HistogramSpec()
    h = np.zeros((2, spec.n_bins), dtype=np.int64)
    h[1, 10] = 3
    q = histogram_quantiles(h, [50.0], spec)
    assert math.isnan(q[0, 0]) and q[1, 0] == pytest.approx(spec.representatives()[10])


# -- SLA per calendar month --------------------------------------------------------------------


def _month_boundary_series():
    # 2026-01-31T00:00Z .. 2026-02-02T00:00Z, one result per minute; 10 failures on 31 January
    t0 = 1769817600.0  # 2026-01-31T00:00:00Z
    ts, ok, _ = minute_series(2 * 1440, t0=t0)
    ok[600:610] = False
    return t0, ts, ok


def test_monthly_sla_across_month_boundary_utc():
    t0, ts, ok = _month_boundary_series()
    rows = monthly_sla(ts, ok, target_pct=99.5, interval_s=MIN)
    assert [r.month for r in rows] == ["2026-01", "2026-02"]
    jan, feb = rows
    assert (jan.n_results, jan.n_success) == (1440, 1430)
    assert jan.availability_pct == pytest.approx(100 * 1430 / 1440)  # 99.31 %
    assert jan.compliant is False
    assert feb.availability_pct == 100.0 and feb.compliant is True
    assert jan.end == feb.start == t0 + DAY_S


def test_monthly_sla_in_wita_moves_the_boundary():
    t0, ts, ok = _month_boundary_series()
    # in WITA (UTC+8) February starts at 2026-01-31T16:00Z: 960 January results
    rows = monthly_sla(ts, ok, target_pct=99.0, tz_offset_s=WITA_OFFSET_S)
    assert [r.n_results for r in rows] == [960, 1920]
    assert rows[0].availability_pct == pytest.approx(100 * 950 / 960)
    assert rows[0].compliant is False  # 98.96 % < 99 %
    assert rows[1].availability_pct == 100.0 and rows[1].compliant is True
    assert rows[0].end == t0 + 16 * HOUR_S


def test_monthly_sla_target_boundary_and_empty_month():
    # exactly 99.5 %: 199 of 200 -> compliant (inclusive)
    ts = 1767225600.0 + np.arange(200) * MIN  # January 2026
    ok = np.ones(200, dtype=bool)
    ok[0] = False
    rows = monthly_sla(ts, ok, target_pct=99.5, start=1767225600.0, end=1772323200.0)
    assert [r.month for r in rows] == ["2026-01", "2026-02"]
    assert rows[0].compliant is True
    assert rows[1].n_results == 0 and rows[1].compliant is None
    ok[1] = False  # 99.0 %
    assert monthly_sla(ts, ok, target_pct=99.5)[0].compliant is False


def test_monthly_sla_from_rollup_matches_raw_and_refuses_straddling_buckets():
    t0, ts, ok = _month_boundary_series()
    day = rollup(ts, ok, width_s=DAY_S, target=3, offset_s=WITA_OFFSET_S)
    raw = monthly_sla(ts, ok, target_pct=99.5, tz_offset_s=WITA_OFFSET_S)
    from_r = monthly_sla_from_rollup(day, target_pct={3: 99.5}, tz_offset_s=WITA_OFFSET_S)
    assert [(r.month, r.n_results, r.n_success, r.compliant) for r in from_r] == [
        (r.month, r.n_results, r.n_success, r.compliant) for r in raw
    ]
    utc_days = rollup(ts, ok, width_s=DAY_S, target=3)
    with pytest.raises(ValueError, match="straddle"):
        monthly_sla_from_rollup(utc_days, target_pct=99.5, tz_offset_s=WITA_OFFSET_S)
