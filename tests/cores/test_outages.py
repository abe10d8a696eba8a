"""Outage detection (N failures to open, M successes to close, merge gap), MTBF and MTTR."""

import math

import numpy as np
import pytest

from jangkau.cores.probes import detect_outages, prepare_series, reliability

MIN = 60.0


def series(pattern: str, t0: float = 0.0, step: float = MIN):
    """'.' = success, 'x' = failure, one result per ``step`` seconds."""
    ok = np.array([c == "." for c in pattern], dtype=bool)
    ts = t0 + np.arange(ok.size) * step
    return prepare_series(ts, ok, np.where(ok, 10.0, np.nan))


def spans(outages):
    return [(o.start, o.end, o.ongoing) for o in outages]


def test_all_up_and_empty_have_no_outage():
    assert detect_outages(series("." * 100)) == []
    assert detect_outages(prepare_series([], [])) == []


def test_single_failure_and_n_minus_one_failures_are_not_outages():
    assert detect_outages(series("....x....")) == []
    assert detect_outages(series("....xx....")) == []  # N-1 = 2 with N = 3
    assert detect_outages(series("....xxxx....", ), n_fail=5) == []


def test_n_failures_open_an_outage_start_first_failure_end_first_confirming_success():
    out = detect_outages(series("....xxx.........."))
    assert spans(out) == [(4 * MIN, 7 * MIN, False)]
    assert out[0].duration_s == 3 * MIN
    assert out[0].n_failures == 3


def test_flapping_inside_an_outage_does_not_end_it():
    #        0123456789012345
    pat = "..xxx.x.xx..x...."
    # a single success (5, 7) is not M = 2 successes; recovery confirmed at index 10,
    # then index 12 is a lone failure (not an outage)
    out = detect_outages(series(pat))
    assert spans(out) == [(2 * MIN, 10 * MIN, False)]
    assert out[0].n_failures == 6
    # with M = 1 the first success ends it and flapping makes separate short runs
    out1 = detect_outages(series(pat), m_success=1)
    assert spans(out1) == [(2 * MIN, 5 * MIN, False)]


def test_merge_gap():
    pat = "..xxx.....xxx...."  # outages [2, 5) and [10, 13): 5 minutes apart
    assert len(detect_outages(series(pat))) == 2
    assert len(detect_outages(series(pat), merge_gap_s=5 * MIN)) == 2  # strictly less merges
    merged = detect_outages(series(pat), merge_gap_s=5 * MIN + 1)
    assert spans(merged) == [(2 * MIN, 13 * MIN, False)]
    assert merged[0].n_failures == 6


def test_open_outage_is_ongoing():
    out = detect_outages(series("....xxxxx"))
    assert spans(out) == [(4 * MIN, None, True)]
    assert out[0].duration_s == 4 * MIN  # up to the last result by default
    out = detect_outages(series("....xxxxx."), as_of=20 * MIN)  # 1 success < M
    assert out[0].ongoing and out[0].duration_s == 16 * MIN


def test_all_down_is_one_ongoing_outage_from_the_first_result():
    out = detect_outages(series("x" * 50))
    assert spans(out) == [(0.0, None, True)]
    assert out[0].n_failures == 50


def test_unsorted_skewed_and_duplicated_input_is_cleaned_first():
    s = series("....xxx.....")
    rng = np.random.default_rng(0)
    order = rng.permutation(s.ts.size)
    ts = s.ts[order] + rng.uniform(-1, 1, order.size)  # a second of clock skew
    ts = np.r_[ts, ts[:3]]  # three results re-sent
    ok = np.r_[s.ok[order], s.ok[order][:3]]
    ids = np.r_[order, order[:3]]
    clean = prepare_series(ts, ok, ids=ids)
    assert clean.ts.size == s.ts.size
    out = detect_outages(clean)
    assert len(out) == 1 and out[0].n_failures == 3
    with pytest.raises(ValueError, match="sorted"):
        detect_outages(type(s)(s.ts[::-1], s.ok, s.latency_ms, s.sent, s.lost))


def test_reliability_mtbf_mttr():
    # 1000 minutes, outages of 10 and 20 minutes, both restored
    pat = ["."] * 1000
    pat[100:110] = "x" * 10
    pat[500:520] = "x" * 20
    out = detect_outages(series("".join(pat)))
    assert [o.duration_s for o in out] == [10 * MIN, 20 * MIN]
    rel = reliability(out, 0.0, 1000 * MIN)
    assert rel.downtime_s == 30 * MIN
    assert rel.n_outages == 2 and rel.n_restored == 2
    assert rel.mttr_s == 15 * MIN
    assert rel.mtbf_s == (970 * MIN) / 2
    assert rel.availability_pct == pytest.approx(97.0)
    # excluding 100 minutes of gaps from the observed time
    rel2 = reliability(out, 0.0, 1000 * MIN, excluded_s=100 * MIN)
    assert rel2.uptime_s == 870 * MIN


def test_reliability_clips_to_window_and_counts_ongoing_as_downtime():
    out = detect_outages(series("." * 10 + "x" * 30))
    rel = reliability(out, 0.0, 40 * MIN)
    assert rel.downtime_s == 30 * MIN
    assert rel.n_outages == 1 and rel.n_restored == 0
    assert math.isnan(rel.mttr_s)
    assert reliability([], 0.0, 10.0).mtbf_s == math.inf
    # an outage that began before the window: clipped downtime, full duration in MTTR
    out2 = detect_outages(series("xxxxxxxxxx.........."))
    rel3 = reliability(out2, 5 * MIN, 20 * MIN)
    assert rel3.downtime_s == 5 * MIN
    assert rel3.n_outages == 0 and rel3.mttr_s == 10 * MIN
