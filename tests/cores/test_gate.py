"""The stability gate: thresholds at their boundaries, aggregation, transitions."""

import math

import numpy as np
import pytest

from jangkau.cores.probes import (
    DAY_S,
    GateThresholds,
    TargetMetrics,
    evaluate_kecamatan,
    evaluate_target,
    evaluate_village,
    gate_transitions,
    metrics_from_stats,
    prepare_series,
    rolling_metrics,
    rollup,
    summarize,
)

TH = GateThresholds()


def good(key="t", **kw):
    base = dict(key=key, n_results=43_200, coverage_pct=100.0, availability_pct=99.9,
                loss_pct=0.1, p95_ms=40.0)
    base.update(kw)
    return TargetMetrics(**base)


def codes(decision):
    return sorted(r.code for r in decision.reasons)


def test_defaults():
    assert (TH.min_availability_pct, TH.max_loss_pct, TH.max_p95_ms, TH.window_days) == \
        (99.5, 1.0, 150.0, 30.0)
    assert TH.window_s == 30 * DAY_S


def test_ready_target():
    d = evaluate_target(good())
    assert d.ready and d.status == "ready" and d.reasons == ()
    assert (d.availability_pct, d.loss_pct, d.p95_ms) == (99.9, 0.1, 40.0)


@pytest.mark.parametrize("value, ready", [(99.5, True), (99.5 - 1e-6, False), (100.0, True)])
def test_availability_boundary(value, ready):
    d = evaluate_target(good(availability_pct=value))
    assert d.ready is ready
    if not ready:
        assert codes(d) == ["availability"]
        assert d.reasons[0].value == value and d.reasons[0].threshold == 99.5


def test_availability_boundary_from_counts():
    # 199 of 200 successes is 99.5 % exactly: ready (inclusive, tolerant of rounding)
    ts = np.arange(200) * 60.0
    ok = np.ones(200, dtype=bool)
    ok[7] = False
    st = summarize(prepare_series(ts, ok, np.full(200, 10.0)), start=0, end=200 * 60.0,
                   interval_s=60.0)
    d = evaluate_target(metrics_from_stats(1, st), GateThresholds(max_loss_pct=0.5))
    assert st.availability_pct == pytest.approx(99.5)
    assert d.ready, d.reasons


@pytest.mark.parametrize("value, ready", [(1.0, True), (1.0 + 1e-6, False), (0.0, True)])
def test_loss_boundary(value, ready):
    d = evaluate_target(good(loss_pct=value))
    assert d.ready is ready
    if not ready:
        assert codes(d) == ["loss"]


@pytest.mark.parametrize("value, ready", [(150.0, True), (150.0 + 1e-6, False)])
def test_p95_boundary(value, ready):
    d = evaluate_target(good(p95_ms=value))
    assert d.ready is ready
    if not ready:
        assert codes(d) == ["latency_p95"]


@pytest.mark.parametrize("value, status", [(80.0, "ready"), (79.999, "insufficient_data")])
def test_coverage_boundary(value, status):
    d = evaluate_target(good(coverage_pct=value))
    assert d.status == status
    if status != "ready":
        assert codes(d) == ["coverage"]


def test_thresholds_are_configurable():
    th = GateThresholds(min_availability_pct=99.0, max_loss_pct=2.0, max_p95_ms=600.0,
                        min_coverage_pct=50.0)
    assert evaluate_target(good(availability_pct=99.2, loss_pct=1.5, p95_ms=550.0,
                                coverage_pct=60.0), th).ready
    assert not evaluate_target(good(availability_pct=99.2, loss_pct=1.5, p95_ms=550.0,
                                    coverage_pct=60.0)).ready


def test_no_data_is_insufficient_not_failed():
    d = evaluate_target(TargetMetrics("t", 0, 0.0, math.nan, math.nan, math.nan))
    assert d.status == "insufficient_data"
    assert codes(d) == ["coverage", "results"]


def test_failure_on_partial_data_is_not_ready_with_all_reasons():
    d = evaluate_target(good(coverage_pct=40.0, availability_pct=90.0, loss_pct=10.0,
                             p95_ms=400.0))
    assert d.status == "not_ready"
    assert codes(d) == ["availability", "coverage", "latency_p95", "loss"]


def test_all_failed_has_no_latency_reason():
    d = evaluate_target(good(availability_pct=0.0, loss_pct=100.0, p95_ms=math.nan))
    assert "no_latency" in codes(d) and d.status == "not_ready"


def test_village_all_targets_and_worst_numbers():
    v = evaluate_village("desa-1", [good("a", p95_ms=30.0), good("b", availability_pct=99.7,
                                                                  loss_pct=0.4)])
    assert v.ready and v.n_members == 2 and v.n_ready == 2
    assert (v.availability_pct, v.loss_pct, v.p95_ms) == (99.7, 0.4, 40.0)
    v2 = evaluate_village("desa-2", [good("a"), good("b", loss_pct=3.0)])
    assert v2.status == "not_ready" and v2.n_ready == 1
    assert [(r.code, r.subject) for r in v2.reasons] == [("loss", "b")]
    v3 = evaluate_village("desa-3", [good("a"), good("b", coverage_pct=10.0)])
    assert v3.status == "insufficient_data"
    empty = evaluate_village("desa-4", [])
    assert empty.status == "insufficient_data" and codes(empty) == ["no_members"]


def test_kecamatan_all_villages():
    ready = evaluate_village("v1", [good("a")])
    bad = evaluate_village("v2", [good("b", p95_ms=200.0)])
    thin = evaluate_village("v3", [good("c", coverage_pct=1.0)])
    assert evaluate_kecamatan("k", [ready]).ready
    k = evaluate_kecamatan("k", [ready, bad, thin])
    assert k.status == "not_ready" and k.n_ready == 1 and k.n_members == 3
    assert k.p95_ms == 200.0
    assert ("latency_p95", "b") in [(r.code, r.subject) for r in k.reasons]
    assert evaluate_kecamatan("k", [ready, thin]).status == "insufficient_data"
    assert evaluate_kecamatan("k", []).status == "insufficient_data"


def test_transitions_from_rolling_daily_windows():
    # 60 days of 1-minute results; days 35-39 lose 5 % of probes. With a 3-day window the
    # gate drops when day 35 enters the window (evaluated at the end of day 35, t = 36 d) and
    # recovers when day 39 has left it (t = 43 d).
    days = 60
    n = days * 1440
    ts = np.arange(n) * 60.0
    ok = np.ones(n, dtype=bool)
    bad = (ts >= 35 * DAY_S) & (ts < 40 * DAY_S)
    ok[bad] = np.arange(bad.sum()) % 20 != 0
    lat = np.full(n, 25.0)
    r = rollup(ts, ok, lat, width_s=DAY_S, target=5)
    th = GateThresholds(window_days=3)
    times = np.arange(3, days + 1) * DAY_S
    history = rolling_metrics(r, times, window_s=th.window_s, interval_s=60.0)
    decisions = [evaluate_village("v", ms, th) for ms in history]
    changes = gate_transitions(times, decisions)
    assert [(c.time / DAY_S, c.previous, c.current) for c in changes] == [
        (36, "ready", "not_ready"), (43, "not_ready", "ready")]
    assert {r.code for r in changes[0].reasons} == {"availability", "loss"}
    assert changes[1].reasons == ()
    first = gate_transitions(times[:1], decisions[:1], include_initial=True)
    assert [(c.previous, c.current) for c in first] == [("unknown", "ready")]
    with pytest.raises(ValueError):
        gate_transitions(times[::-1], decisions)
